"""Background jobs that keep themselves scheduled, such as the daily reminders.

django-tasks runs queued tasks but schedules nothing by itself: a recurring job queues its
next run at the end of each run. `masterplan worker` starts every chain at start-up through
the functions the apps register from their `<app>/tasks.py`:

    @register_recurring("governance.daily_reminders")
    def ensure_daily_reminders() -> bool: ...  # queue a run unless one is waiting

Each function must be idempotent: it is called at every start of a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any, TypeVar

from django.utils import timezone

from masterplan.core.registry import Registry

EnsureQueued = Callable[[], bool]
F = TypeVar("F", bound=EnsureQueued)

recurring_jobs: Registry[EnsureQueued] = Registry("tasks")


def register_recurring(key: str) -> Callable[[F], F]:
    """Decorator for the function that queues a recurring job unless a run is waiting."""

    def decorator(ensure: F) -> F:
        recurring_jobs.add(ensure, key=key)
        return ensure

    return decorator


def ensure_recurring_jobs() -> list[str]:
    """Queue every recurring job that has no run waiting; the keys of those queued."""
    return [entry.key for entry in recurring_jobs.entries() if entry.item()]


def next_daily_run(now: datetime, hour: int) -> datetime:
    """The next `hour` o'clock (local time) after `now`."""
    local = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.combine(local.date(), time(hour)))
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=1), time(hour))
        )
    return candidate


def ensure_daily(task: Any, *, hour: int, after_run: bool) -> bool:
    """Queue a daily `task` (a django-tasks task without arguments) unless a run is already
    waiting; True when queued. At the worker's start the first run is immediate (the task
    must do nothing twice), after a run the next one waits for `hour` o'clock tomorrow."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=task.module_path, status__in=("READY", "RUNNING")
    )
    if after_run:
        waiting = waiting.filter(run_after__gt=timezone.now())
    if waiting.exists():
        return False
    now = timezone.now()
    task.using(run_after=next_daily_run(now, hour) if after_run else now).enqueue()
    return True
