"""The daily deadline reminders of the permit monitor as a background job (`masterplan worker`).

`send_daily_deadline_reminders` sends every masterplan's reminders due on a day (see
reminders.py) and queues its own run for the next morning; `ensure_deadline_reminders`
(registered with core/recurring.py, called by the worker at start and by the task) keeps
exactly one future run queued, so the chain survives restarts. Idempotent: each procedure is
reminded once per threshold and deadline. `queue_deadline_reminders` queues one plan's run
after the commit (e.g. from a page or the command line).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masterplan.core.models import Masterplan
from masterplan.core.recurring import ensure_daily, register_recurring
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


@register_recurring("permits.deadline_reminders")
def ensure_deadline_reminders(*, after_run: bool = False) -> bool:
    """Queue the daily run unless one is already waiting; True when queued. At the worker's
    start the first run is immediate (nothing is sent twice), after a run the next one waits
    for tomorrow morning."""
    return ensure_daily(send_daily_deadline_reminders, hour=DAILY_HOUR, after_run=after_run)
