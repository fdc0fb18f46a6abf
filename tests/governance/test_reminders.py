"""Reminders fire on the right days, once, to the right people, never for closed items."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.governance.models import (
    ActionStatus,
    Body,
    MeetingState,
    MembershipRole,
    ReminderKind,
    ReminderLog,
)
from masterplan.governance.reminders import send_reminders
from masterplan.governance.tasks import ensure_daily_reminders, next_run_at
from tests.factories import PersonFactory
from tests.governance.factories import ActionItemFactory, BodyFactory, MeetingFactory

DUE = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"  # mails are written in the site's default language


@pytest.fixture
def body(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(masterplan=plan, name="Lenkungskreis", organization=own_org)


def kinds_sent() -> list[tuple[str, str]]:
    return sorted(ReminderLog.objects.values_list("kind", "recipient"))


def test_due_soon_fires_seven_days_before_once(body: Body) -> None:
    owner = PersonFactory(masterplan=body.masterplan, email="jennifer.kleff@example.org")
    ActionItemFactory(meeting=MeetingFactory(body=body), owner_person=owner, due=DUE)
    assert send_reminders(today=DUE - timedelta(days=8)).sent == 0
    assert send_reminders(today=DUE - timedelta(days=7)).sent == 1
    assert mail.outbox[0].to == ["jennifer.kleff@example.org"]
    assert "01.12.2026" in mail.outbox[0].subject
    again = send_reminders(today=DUE - timedelta(days=6))
    assert (again.sent, again.already_sent) == (0, 1)
    assert len(mail.outbox) == 1
    assert send_reminders(today=DUE).sent == 0  # due today: not overdue yet
    overdue = send_reminders(today=DUE + timedelta(days=1))
    assert overdue.sent == 1 and "Overdue" in mail.outbox[1].subject
    assert send_reminders(today=DUE + timedelta(days=30)).sent == 0
    assert kinds_sent() == [
        (ReminderKind.ACTION_DUE_SOON, "jennifer.kleff@example.org"),
        (ReminderKind.ACTION_OVERDUE, "jennifer.kleff@example.org"),
    ]


def test_a_moved_deadline_is_reminded_again(body: Body) -> None:
    owner = PersonFactory(masterplan=body.masterplan, email="a@example.org")
    item = ActionItemFactory(meeting=MeetingFactory(body=body), owner_person=owner, due=DUE)
    assert send_reminders(today=DUE - timedelta(days=3)).sent == 1
    item.due = DUE + timedelta(days=5)
    item.save()
    assert send_reminders(today=DUE - timedelta(days=2)).sent == 1


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.CANCELLED])
def test_no_reminder_for_closed_or_deleted_items(body: Body, status: str) -> None:
    owner = PersonFactory(masterplan=body.masterplan, email="a@example.org")
    ActionItemFactory(meeting=MeetingFactory(body=body), owner_person=owner, due=DUE, status=status)
    deleted = ActionItemFactory(meeting=MeetingFactory(body=body), owner_person=owner, due=DUE)
    deleted.deleted_at = datetime(2026, 11, 1, tzinfo=UTC)
    deleted.save()
    assert send_reminders(today=DUE + timedelta(days=3)).sent == 0
    assert mail.outbox == []


def test_without_owner_person_the_organisation_contributors_get_it(
    body: Body, own_org: Organization, contributor: Any, other_contributor: Any
) -> None:
    contributor.email = "wfd@example.org"
    contributor.save()
    other_contributor.email = "ihk@example.org"
    other_contributor.save()
    ActionItemFactory(meeting=MeetingFactory(body=body), owner_organization=own_org, due=DUE)
    send_reminders(today=DUE + timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["wfd@example.org"]]
    assert ReminderLog.objects.get().user == contributor


def test_without_anyone_the_coordinators_get_it(body: Body, coordinator: Any) -> None:
    coordinator.email = "koordination@example.org"
    coordinator.save()
    ActionItemFactory(meeting=MeetingFactory(body=body), due=DUE)
    send_reminders(today=DUE)
    assert [m.to for m in mail.outbox] == [["koordination@example.org"]]


def test_minutes_not_approved_after_fourteen_days(body: Body, coordinator: Any) -> None:
    secretary = PersonFactory(masterplan=body.masterplan, email="protokoll@example.org")
    body.memberships.create(
        masterplan=body.masterplan, person=secretary, role=MembershipRole.SECRETARY
    )
    held = MeetingFactory(body=body, start=datetime(2026, 1, 20, 9, tzinfo=UTC))
    held.state = MeetingState.HELD
    held.save()
    approved = MeetingFactory(body=body, start=datetime(2026, 1, 10, 9, tzinfo=UTC))
    approved.state = MeetingState.MINUTES_APPROVED
    approved.save()
    assert send_reminders(today=date(2026, 2, 2)).sent == 0  # 13 days
    assert send_reminders(today=date(2026, 2, 3)).sent == 1  # 14 days
    assert mail.outbox[0].to == ["protokoll@example.org"]
    assert send_reminders(today=date(2026, 2, 4)).sent == 0


def test_command_with_date_and_dry_run(body: Body, capsys: Any) -> None:
    owner = PersonFactory(masterplan=body.masterplan, email="a@example.org")
    ActionItemFactory(meeting=MeetingFactory(body=body), owner_person=owner, due=DUE)
    call_command("reminders", "--date", "2026-11-28", "--dry-run")
    assert "(dry run) action_due_soon" in capsys.readouterr().out
    assert not ReminderLog.objects.exists()
    call_command("reminders", "--date", "2026-11-28")
    assert "1 sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_worker_keeps_one_daily_run_queued(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    assert ensure_daily_reminders() is True
    assert ensure_daily_reminders() is False
    assert DBTaskResult.objects.count() == 1


def test_next_run_is_tomorrow_morning_local_time() -> None:
    evening = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)  # 19:00 in Berlin
    assert next_run_at(evening).isoformat() == "2026-11-23T07:00:00+01:00"
    early = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
    assert next_run_at(early).isoformat() == "2026-11-22T07:00:00+01:00"
