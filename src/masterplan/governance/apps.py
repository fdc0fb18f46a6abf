from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "masterplan.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Registers the services that lower apps reach through core (core.references).
        from masterplan.governance import services  # noqa: F401
