from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer: what combines the modules (commands, home, "my work"). Nothing imports it."""

    name = "masterplan.site"
    label = "site"
    verbose_name = _("Site")
