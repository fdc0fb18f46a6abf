"""The daily reminders as a background job, run by `masterplan worker`.

`send_daily_reminders` sends the reminders due today (see reminders.py) and schedules its own
run for the next morning. `ensure_daily_reminders` (called by the worker at start and by the
task) keeps exactly one future run queued, so the chain survives restarts. Idempotent:
reminders are logged once per recipient. (The other governance job, attaching the review
report to a meeting, lives with its work in agenda.py.)
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django_tasks import task

from masterplan.core.recurring import ensure_daily, next_daily_run, register_recurring
from masterplan.governance.reminders import send_reminders

DAILY_HOUR = 7  # local time of the daily run


@task()
def send_daily_reminders(day: str | None = None) -> dict[str, int]:
    """Send the reminders of `day` (ISO date; default: today) and queue tomorrow's run."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    result = send_reminders(today=today)
    ensure_daily_reminders(after_run=True)
    return {
        "sent": result.sent,
        "already_sent": result.already_sent,
        "failed": result.failed,
        "without_recipient": result.without_recipient,
    }


def next_run_at(now: datetime) -> datetime:
    """The next DAILY_HOUR o'clock (local time) after `now`."""
    return next_daily_run(now, DAILY_HOUR)


@register_recurring("governance.daily_reminders")
def ensure_daily_reminders(*, after_run: bool = False) -> bool:
    """Queue the daily reminder run unless one is already waiting; True when queued.

    At the worker's start the first run is immediate (today's reminders; nothing is sent
    twice), after a run the next one waits for tomorrow morning.
    """
    return ensure_daily(send_daily_reminders, hour=DAILY_HOUR, after_run=after_run)
