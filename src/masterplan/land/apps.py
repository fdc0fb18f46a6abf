from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "masterplan.land"
    label = "land"
    verbose_name = _("Land and core zones")
