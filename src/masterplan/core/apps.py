from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    name = "masterplan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The case-insensitive lookups beyond ASCII (and their SQLite function).
        from masterplan.core import lookups  # noqa: F401


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks' database backend under a German name in the admin."""

    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy: translated
