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
from typing import TypeVar

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
