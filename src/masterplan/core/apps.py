from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "masterplan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The case-insensitive lookups beyond ASCII (and their SQLite function).
        from masterplan.core import lookups  # noqa: F401
