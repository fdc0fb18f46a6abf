"""Reminders by e-mail, run once a day by the worker (tasks.send_daily_reminders) or by hand
(`masterplan reminders --date 2026-11-22`).

Three kinds, each sent once per recipient (ReminderLog's unique key: kind, object, recipient
and a key that changes when the reminder should fire again, e.g. a new due date):
- action_due_soon: an open action item due within DUE_SOON_DAYS days (today included);
  key = the due date, so a moved deadline is reminded again.
- action_overdue: an open action item whose due date has passed; key = the due date.
- minutes_not_approved: a meeting held at least MINUTES_AFTER_DAYS days ago whose minutes are
  not approved; key = the meeting day.
Nothing is sent for action items done or cancelled, deleted records or deleted plans.

Recipients: for action items the owner person's e-mail; without one, the contributors of the
owner organisation; without those, the plan's coordinators. For minutes: the body's current
secretaries, else its chair, else the plan's coordinators. The From address and the mail
backend come from settings (DEFAULT_FROM_EMAIL, EMAIL_BACKEND / EMAIL_HOST …; see
docs/governance.md). Mail text is in German, the interface's default language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.models import Masterplan, PlanRole, Role
from masterplan.governance.models import (
    ActionItem,
    ActionStatus,
    BodyMembership,
    Meeting,
    MeetingState,
    MembershipRole,
    ReminderKind,
    ReminderLog,
)

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
MINUTES_AFTER_DAYS = 14
OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None


@dataclass
class Reminder:
    kind: str
    obj: Any
    key: str
    recipients: list[Recipient]
    subject: str
    body: str


@dataclass
class ReminderResult:
    sent: int = 0
    already_sent: int = 0
    without_recipient: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def users_with_role(
    masterplan_id: int, role: str, organization_id: int | None = None
) -> list[Recipient]:
    roles = PlanRole.objects.filter(
        masterplan_id=masterplan_id, role=role, user__is_active=True
    ).exclude(user__email="")
    if organization_id is not None:
        roles = roles.filter(organization_id=organization_id)
    return [
        Recipient(email=email, user_id=user_id)
        for user_id, email in roles.order_by("user_id").values_list("user_id", "user__email")
    ]


def user_ids_by_email(emails: list[str]) -> dict[str, int]:
    users = get_user_model().objects.filter(email__in=emails, is_active=True)
    return {email.lower(): pk for pk, email in users.values_list("pk", "email")}


def action_item_recipients(item: ActionItem) -> list[Recipient]:
    if item.owner_person is not None and item.owner_person.email:
        email = item.owner_person.email
        return [Recipient(email=email, user_id=user_ids_by_email([email]).get(email.lower()))]
    if item.owner_organization_id:
        found = users_with_role(item.masterplan_id, Role.CONTRIBUTOR, item.owner_organization_id)
        if found:
            return found
    return users_with_role(item.masterplan_id, Role.COORDINATOR)


def minutes_recipients(meeting: Meeting, today: date) -> list[Recipient]:
    secretaries = (
        BodyMembership.objects.filter(body_id=meeting.body_id, role=MembershipRole.SECRETARY)
        .exclude(end__lt=today)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
        .order_by("id")
    )
    emails = list(dict.fromkeys(secretaries))
    if not emails and meeting.body.chair is not None and meeting.body.chair.email:
        emails = [meeting.body.chair.email]
    if emails:
        users = user_ids_by_email(emails)
        return [Recipient(email=e, user_id=users.get(e.lower())) for e in emails]
    return users_with_role(meeting.masterplan_id, Role.COORDINATOR)


def page_url(name: str, *args: Any) -> str:
    try:
        return site_url() + reverse(name, args=args)
    except Exception:
        return site_url() + reverse("plan_home", args=args[:1])


def due_reminders(today: date) -> Iterator[Reminder]:
    """Every reminder that should exist on `today` (sent or not)."""
    live = Q(masterplan__deleted_at__isnull=True)
    items = (
        ActionItem.objects.filter(live, status__in=OPEN_ACTIONS, due__isnull=False)
        .filter(due__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("masterplan", "owner_person", "owner_organization", "meeting__body")
        .order_by("due", "id")
    )
    for item in items:
        assert item.due is not None
        overdue = item.due < today
        url = page_url("governance:action_list", item.masterplan.slug)
        values = {
            "title": item.title,
            "due": f"{item.due:%d.%m.%Y}",
            "plan": item.masterplan.name,
            "url": url,
            "days": (today - item.due).days if overdue else (item.due - today).days,
        }
        if overdue:
            subject = _("Overdue: %(title)s (due %(due)s)") % values
            body = (
                _(
                    "The action item “%(title)s” of the masterplan “%(plan)s” was due on %(due)s "
                    "(%(days)s days ago) and is not done yet.\n\nPlease record its status or "
                    "evidence: %(url)s"
                )
                % values
            )
        else:
            subject = _("Due on %(due)s: %(title)s") % values
            body = (
                _(
                    "The action item “%(title)s” of the masterplan “%(plan)s” is due on %(due)s "
                    "(in %(days)s days).\n\nIts status and evidence: %(url)s"
                )
                % values
            )
        yield Reminder(
            kind=ReminderKind.ACTION_OVERDUE if overdue else ReminderKind.ACTION_DUE_SOON,
            obj=item,
            key=item.due.isoformat(),
            recipients=action_item_recipients(item),
            subject=subject,
            body=body,
        )
    cutoff = today - timedelta(days=MINUTES_AFTER_DAYS)
    meetings = (
        Meeting.objects.filter(live, state=MeetingState.HELD)
        .select_related("masterplan", "body__chair")
        .order_by("start", "id")
    )
    for meeting in meetings:
        day = timezone.localtime(meeting.start).date()
        if day > cutoff:
            continue
        values = {
            "title": meeting.title,
            "body": meeting.body.name,
            "date": f"{day:%d.%m.%Y}",
            "days": (today - day).days,
            "url": page_url("governance:meeting_detail", meeting.masterplan.slug, meeting.pk),
        }
        yield Reminder(
            kind=ReminderKind.MINUTES_NOT_APPROVED,
            obj=meeting,
            key=day.isoformat(),
            recipients=minutes_recipients(meeting, today),
            subject=_("Minutes not approved: %(title)s of %(date)s") % values,
            body=_(
                "The meeting “%(title)s” of %(body)s took place on %(date)s, %(days)s days ago; "
                "its minutes are not approved yet.\n\nMeeting page: %(url)s"
            )
            % values,
        )


def send_reminders(*, today: date, dry_run: bool = False) -> ReminderResult:
    """Send what is due on `today` and not sent before; safe to run any number of times."""
    result = ReminderResult()
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in due_reminders(today):
            if not reminder.recipients:
                result.without_recipient += 1
                continue
            for recipient in reminder.recipients:
                send_one(reminder, recipient, result, dry_run=dry_run)
    return result


def send_one(
    reminder: Reminder, recipient: Recipient, result: ReminderResult, *, dry_run: bool
) -> None:
    object_type = reminder.obj._meta.label_lower
    log = ReminderLog.objects.filter(
        kind=reminder.kind,
        object_type=object_type,
        object_id=str(reminder.obj.pk),
        recipient=recipient.email.lower(),
        key=reminder.key,
    )
    if log.exists():
        result.already_sent += 1
        return
    line = f"{reminder.kind} {object_type}#{reminder.obj.pk} → {recipient.email}"
    if dry_run:
        result.lines.append(f"(dry run) {line}")
        return
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                kind=reminder.kind,
                object_type=object_type,
                object_id=str(reminder.obj.pk),
                recipient=recipient.email.lower(),
                key=reminder.key,
                masterplan_id=reminder.obj.masterplan_id,
                user_id=recipient.user_id,
            )
            # Inside the transaction: when the mail cannot be sent, no log row stays and the
            # reminder is tried again on the next run.
            send_mail(
                subject=reminder.subject,
                message=reminder.body,
                from_email=None,
                recipient_list=[recipient.email],
            )
    except IntegrityError:  # another worker sent it a moment ago
        result.already_sent += 1
        return
    except OSError:
        logger.exception("reminder mail to %s failed", recipient.email)
        result.failed += 1
        return
    result.sent += 1
    result.lines.append(line)


def reminders_for_user(user: Actor, masterplan: Masterplan, limit: int = 20) -> list[ReminderLog]:
    """The latest reminders sent to this user in this plan (for "my work")."""
    if not user.is_authenticated:
        return []
    return list(
        ReminderLog.objects.filter(masterplan=masterplan)
        .filter(Q(user=user) | Q(recipient=(user.email or "-").lower()))
        .order_by("-sent_at", "-id")[:limit]
    )
