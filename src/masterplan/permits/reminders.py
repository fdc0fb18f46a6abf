"""Reminders of procedures near or past their statutory deadline, to the authority's contacts.

`send_deadline_reminders(masterplan=…, as_of=…)` mails each authority's contacts
(`Authority.contacts`, the directory entries' e-mail addresses) one German list of its open
procedures whose decision deadline, with the lawful and agreed extensions (as the dashboard's
overdue list computes it, queries.columns), lies within DUE_SOON_DAYS days of `as_of` or has
passed. Each procedure is listed once per threshold (due soon, passed) and deadline: a
`DeadlineReminder` row records it, so running again the same day or the next sends nothing
new, and a deadline moved by an extension is reminded again. Authorities without a contact
with an e-mail address get nothing and nothing is recorded, so adding a contact later still
reminds. Procedure types without a statutory decision deadline (BauO NRW) are never
reminded. The daily run is the task in tasks.py.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from masterplan.core.models import Masterplan
from masterplan.permits import queries
from masterplan.permits.models import (
    Authority,
    DeadlineReminder,
    Procedure,
    ReminderThreshold,
)

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class DueProcedure:
    procedure: Procedure
    deadline: date
    days_left: int  # negative: passed that many days ago

    @property
    def threshold(self) -> str:
        return ReminderThreshold.OVERDUE if self.days_left < 0 else ReminderThreshold.DUE_SOON


@dataclass
class DeadlineReminderResult:
    mails: int = 0
    procedures: int = 0
    already_sent: int = 0
    without_contact: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


def due_procedures(*, masterplan: Masterplan, as_of: date) -> dict[int, list[DueProcedure]]:
    """Open procedures with a deadline (extensions included) at most DUE_SOON_DAYS after
    `as_of` or before it, by authority id, most urgent first (two queries plus the columns)."""
    cols = queries.columns(masterplan=masterplan, as_of=as_of, own_only=False)
    today = as_of.toordinal()
    is_open = (cols.decided < 0) & (cols.withdrawn < 0) & (cols.extended_deadline >= 0)
    urgent = is_open & (cols.extended_deadline - today <= DUE_SOON_DAYS)
    order = np.argsort(cols.extended_deadline[urgent], kind="stable")
    ids = cols.ids[urgent][order].tolist()
    deadlines = cols.extended_deadline[urgent][order].tolist()
    found = Procedure.objects.select_related("procedure_type").in_bulk(ids)
    due: dict[int, list[DueProcedure]] = defaultdict(list)
    for pk, day in zip(ids, deadlines, strict=True):
        procedure = found[pk]
        due[procedure.authority_id].append(
            DueProcedure(procedure=procedure, deadline=date.fromordinal(day), days_left=day - today)
        )
    return due


def send_deadline_reminders(
    *, masterplan: Masterplan, as_of: date, dry_run: bool = False
) -> DeadlineReminderResult:
    """Mail every authority's contacts the procedures due that were not reminded before."""
    result = DeadlineReminderResult()
    due = due_procedures(masterplan=masterplan, as_of=as_of)
    if not due:
        return result
    authorities = Authority.objects.filter(pk__in=due, deleted_at__isnull=True).prefetch_related(
        "contacts"
    )
    sent = set(
        DeadlineReminder.objects.filter(
            procedure_id__in=[d.procedure.pk for rows in due.values() for d in rows]
        ).values_list("procedure_id", "threshold", "deadline")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for authority in authorities:
            fresh = [
                d
                for d in due[authority.pk]
                if (d.procedure.pk, d.threshold, d.deadline) not in sent
            ]
            result.already_sent += len(due[authority.pk]) - len(fresh)
            if fresh:
                remind_authority(authority, fresh, as_of, result, dry_run=dry_run)
    return result


def contact_emails(authority: Authority) -> list[str]:
    emails = {
        person.email.strip().lower()
        for person in authority.contacts.all()
        if person.deleted_at is None and person.email.strip()
    }
    return sorted(emails)


def remind_authority(
    authority: Authority,
    fresh: list[DueProcedure],
    as_of: date,
    result: DeadlineReminderResult,
    *,
    dry_run: bool,
) -> None:
    recipients = contact_emails(authority)
    if not recipients:
        result.without_contact += len(fresh)
        return
    line = f"{authority.name}: {len(fresh)} procedure(s) → {', '.join(recipients)}"
    if dry_run:
        result.lines.append(f"(dry run) {line}")
        return
    try:
        with transaction.atomic():
            DeadlineReminder.objects.bulk_create(
                [
                    DeadlineReminder(
                        masterplan_id=authority.masterplan_id,
                        procedure=d.procedure,
                        threshold=d.threshold,
                        deadline=d.deadline,
                        sent_on=as_of,
                        contacts_mailed=len(recipients),
                    )
                    for d in fresh
                ]
            )
            send_mail(
                subject=mail_subject(authority, fresh),
                message=mail_body(authority, fresh, as_of),
                from_email=None,
                recipient_list=recipients,
            )
    except Exception:  # a failed mail rolls back its records: tomorrow's run tries again
        logger.exception("Deadline reminder to %s failed", authority.name)
        result.failed += len(fresh)
        return
    result.mails += 1
    result.procedures += len(fresh)
    result.lines.append(line)


def mail_subject(authority: Authority, fresh: list[DueProcedure]) -> str:
    overdue = sum(d.days_left < 0 for d in fresh)
    return _(
        "%(authority)s: %(count)s procedures near or past their deadline (%(overdue)s overdue)"
    ) % {
        "authority": authority.name,
        "count": len(fresh),
        "overdue": overdue,
    }


def deadline_state(days_left: int) -> str:
    if days_left < 0:
        return _("overdue by %(days)s days") % {"days": -days_left}
    if days_left == 0:
        return _("deadline ends today")
    return _("%(days)s days left") % {"days": days_left}


def procedure_url(procedure: Procedure) -> str:
    base = str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    try:
        return base + procedure.get_absolute_url()
    except NoReverseMatch:  # the pages are not installed (yet): the plan's home page
        return base + reverse("plan_home", args=[procedure.masterplan.slug])


def mail_body(authority: Authority, fresh: list[DueProcedure], as_of: date) -> str:
    lines = [
        _("Hello,"),
        "",
        _(
            "these open procedures of %(authority)s reach their statutory decision deadline "
            "(with the agreed extensions) within %(days)s days or have passed it, as of "
            "%(day)s:"
        )
        % {"authority": authority.name, "days": DUE_SOON_DAYS, "day": as_of.strftime("%d.%m.%Y")},
        "",
    ]
    for d in fresh:
        procedure = d.procedure
        lines.append(
            _("- %(reference)s (%(type)s), %(subject)s: deadline %(deadline)s, %(state)s")
            % {
                "reference": procedure.reference,
                "type": procedure.procedure_type.legal_basis.split(";")[0],
                "subject": procedure.subject or "–",
                "deadline": d.deadline.strftime("%d.%m.%Y"),
                "state": deadline_state(d.days_left),
            }
        )
        lines.append(f"  {procedure_url(procedure)}")
    lines += [
        "",
        _(
            "Each procedure is reminded once when its deadline is %(days)s days away or less "
            "and once when it has passed. You get this mail as a contact of the authority in "
            "the masterplan %(plan)s."
        )
        % {"days": DUE_SOON_DAYS, "plan": authority.masterplan.name},
    ]
    return "\n".join(lines)
