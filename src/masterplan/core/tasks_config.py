"""django-tasks' database backend under a German name in the admin (INSTALLED_APPS names
this config instead of "django_tasks_db"). A module of its own: core/apps.py must keep a
single AppConfig, or Django would not pick CoreConfig (and its ready()) for masterplan.core."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy: translated
