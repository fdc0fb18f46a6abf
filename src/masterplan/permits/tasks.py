"""The daily deadline reminders of the permit monitor as a background job (`masterplan worker`).

`send_daily_deadline_reminders` sends every masterplan's reminders due on a day (see
reminders.py) and queues its own run for the next morning; `ensure_deadline_reminders`
(registered with core/recurring.py, called by the worker at start and by the task) keeps
exactly one future run queued, so the chain survives restarts. Idempotent: each procedure is
reminded once per threshold and deadline. `queue_deadline_reminders` queues one plan's run
after the commit (e.g. from a page or the command line).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masterplan.core.models import Masterplan
from masterplan.core.recurring import register_recurring
from masterplan.permits.models import Procedure
from masterplan.permits.reminders import send_deadline_reminders

DAILY_HOUR = 7  # local time of the daily run


@task()
def send_deadline_reminders_task(masterplan_id: int, day: str | None = None) -> dict[str, int]:
    """Send one masterplan's deadline reminders as of `day` (ISO date; default: today)."""
    as_of = date.fromisoformat(day) if day else timezone.localdate()
    masterplan = Masterplan.objects.filter(pk=masterplan_id).first()
    if masterplan is None:
        return {"mails": 0, "procedures": 0}
    result = send_deadline_reminders(masterplan=masterplan, as_of=as_of)
    return {"mails": result.mails, "procedures": result.procedures, "failed": result.failed}


def queue_deadline_reminders(masterplan: Masterplan, as_of: date | None = None) -> None:
    """Queue one plan's reminders once the current transaction commits."""
    day = as_of.isoformat() if as_of else None
    transaction.on_commit(lambda: send_deadline_reminders_task.enqueue(masterplan.pk, day))


@task()
def send_daily_deadline_reminders(day: str | None = None) -> dict[str, int]:
    """Send the reminders of `day` for every masterplan with procedures; queue tomorrow's."""
    as_of = date.fromisoformat(day) if day else timezone.localdate()
    totals = {"masterplans": 0, "mails": 0, "procedures": 0, "failed": 0}
    plan_ids = (
        Procedure.objects.filter(deleted_at__isnull=True, decided__isnull=True)
        .values_list("masterplan_id", flat=True)
        .distinct()
    )
    for masterplan in Masterplan.objects.filter(pk__in=plan_ids).order_by("pk"):
        result = send_deadline_reminders(masterplan=masterplan, as_of=as_of)
        totals["masterplans"] += 1
        totals["mails"] += result.mails
        totals["procedures"] += result.procedures
        totals["failed"] += result.failed
    ensure_deadline_reminders(after_run=True)
    return totals


def next_run_at(now: datetime) -> datetime:
    """The next DAILY_HOUR o'clock (local time) after `now`."""
    local = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.combine(local.date(), time(DAILY_HOUR)))
    if candidate <= local:
        candidate = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=1), time(DAILY_HOUR))
        )
    return candidate


@register_recurring("permits.deadline_reminders")
def ensure_deadline_reminders(*, after_run: bool = False) -> bool:
    """Queue the daily run unless one is already waiting; True when queued. At the worker's
    start the first run is immediate (nothing is sent twice), after a run the next one waits
    for tomorrow morning."""
    from django_tasks_db.models import DBTaskResult

    path = send_daily_deadline_reminders.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status__in=("READY", "RUNNING"))
    if after_run:
        waiting = waiting.filter(run_after__gt=timezone.now())
    if waiting.exists():
        return False
    now = timezone.now()
    run_after = next_run_at(now) if after_run else now
    send_daily_deadline_reminders.using(run_after=run_after).enqueue()
    return True
