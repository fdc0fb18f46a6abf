"""Deadline reminders: an authority's contacts get one list of the open procedures whose
deadline (with agreed extensions) is 14 days away or has passed; each procedure once per
threshold and deadline, nothing for decided ones, types without a deadline or authorities
without a contact."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from masterplan.core.models import Masterplan
from masterplan.permits import services
from masterplan.permits.models import Authority, DeadlineReminder, ProcedureType
from masterplan.permits.reminders import send_deadline_reminders
from masterplan.permits.tasks import ensure_deadline_reminders, send_deadline_reminders_task
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# § 19 BImSchG: 3 months from the complete application.
AS_OF = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"  # the German text comes with the catalogue (po-pdemo.py)


@pytest.fixture
def authority(plan: Masterplan, coordinator: Any) -> Authority:
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    contact = PersonFactory(
        masterplan=plan, given_name="Jonas", family_name="Berger", email="j.berger@example.org"
    )
    return services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Umweltamt Duisburg – Immissionsschutz",
        city="Duisburg",
        ags="05112000",
        kind="immission",
        contacts=[contact],
    )


def record(plan: Masterplan, actor: Any, authority: Authority, ref: str, **fields: Any) -> Any:
    code = fields.pop("code", "bimschg-19")
    return services.procedure_create(
        actor=actor,
        masterplan=plan,
        authority=authority,
        procedure_type=ProcedureType.objects.get(masterplan=plan, code=code),
        reference=ref,
        subject="Errichtung eines Blockheizkraftwerks",
        **fields,
    )


@pytest.fixture
def procedures(plan: Masterplan, coordinator: Any, authority: Authority) -> dict[str, Any]:
    def rec(ref: str, **fields: Any) -> Any:
        return record(plan, coordinator, authority, ref, **fields)

    return {
        # deadline 10.07.2026: 10 days left
        "soon": rec("IS-2026-001", received=date(2026, 3, 20), complete=date(2026, 4, 10)),
        # deadline 01.06.2026: passed 29 days ago
        "overdue": rec("IS-2026-002", received=date(2026, 2, 10), complete=date(2026, 3, 1)),
        # deadline 31.08.2026: far away
        "later": rec("IS-2026-003", received=date(2026, 5, 2), complete=date(2026, 5, 31)),
        # overdue but decided
        "decided": rec(
            "IS-2026-004",
            received=date(2026, 1, 5),
            complete=date(2026, 1, 20),
            decided=date(2026, 6, 1),
        ),
        # building permit: no statutory decision deadline in NRW
        "building": rec(
            "BA-2025-099", code="bauo-nrw-64", received=date(2025, 1, 2), complete=date(2025, 1, 9)
        ),
    }


def test_the_contacts_get_one_list_of_the_due_and_overdue_procedures(
    plan: Masterplan, procedures: dict[str, Any]
) -> None:
    result = send_deadline_reminders(masterplan=plan, as_of=AS_OF)

    assert (result.mails, result.procedures) == (1, 2)
    (message,) = mail.outbox
    assert message.to == ["j.berger@example.org"]
    assert "IS-2026-001" in message.body and "IS-2026-002" in message.body
    for ref in ("IS-2026-003", "IS-2026-004", "BA-2025-099"):
        assert ref not in message.body
    # Overdue first (most urgent), with the deadline and the days in words.
    assert message.body.index("IS-2026-002") < message.body.index("IS-2026-001")
    assert "01.06.2026" in message.body and "10.07.2026" in message.body
    with translation.override("en"):  # German once the catalogue has the strings
        assert "overdue by 29 days" in message.body
        assert "10 days left" in message.body
        assert "(1 overdue)" in message.subject


def test_a_procedure_is_reminded_once_per_threshold(
    plan: Masterplan, procedures: dict[str, Any]
) -> None:
    send_deadline_reminders(masterplan=plan, as_of=AS_OF)
    again = send_deadline_reminders(masterplan=plan, as_of=date(2026, 7, 1))
    assert (again.mails, again.already_sent) == (0, 2)
    # The deadline of IS-2026-001 passes on 10 July: reminded once more, as overdue.
    passed = send_deadline_reminders(masterplan=plan, as_of=date(2026, 7, 11))
    assert passed.procedures == 1
    assert "IS-2026-001" in mail.outbox[-1].body
    assert DeadlineReminder.objects.filter(procedure=procedures["soon"]).count() == 2


def test_an_agreed_extension_moves_the_deadline_and_reminds_again(
    plan: Masterplan, coordinator: Any, procedures: dict[str, Any]
) -> None:
    send_deadline_reminders(masterplan=plan, as_of=AS_OF)
    services.extension_add(
        actor=coordinator,
        procedure=procedures["overdue"],
        on=date(2026, 5, 25),
        months=3,
        agreed_by_applicant=True,
        reason="Gutachten zum Lärmschutz nachgefordert",
    )
    # New deadline 01.09.2026: nothing due on 1 July, due soon on 20 August.
    assert send_deadline_reminders(masterplan=plan, as_of=date(2026, 7, 1)).procedures == 0
    later = send_deadline_reminders(masterplan=plan, as_of=date(2026, 8, 20))
    assert "IS-2026-002" in mail.outbox[-1].body and later.procedures >= 1


def test_without_a_contact_nothing_is_sent_nor_recorded(
    plan: Masterplan, authority: Authority, procedures: dict[str, Any]
) -> None:
    authority.contacts.clear()
    result = send_deadline_reminders(masterplan=plan, as_of=AS_OF)
    assert (result.mails, result.without_contact) == (0, 2)
    assert not mail.outbox and not DeadlineReminder.objects.exists()


def test_a_dry_run_sends_and_records_nothing(plan: Masterplan, procedures: dict[str, Any]) -> None:
    result = send_deadline_reminders(masterplan=plan, as_of=AS_OF, dry_run=True)
    assert result.lines and not mail.outbox and not DeadlineReminder.objects.exists()


def test_the_task_sends_a_plans_reminders(plan: Masterplan, procedures: dict[str, Any]) -> None:
    outcome = send_deadline_reminders_task.call(plan.pk, AS_OF.isoformat())
    assert outcome["mails"] == 1 and len(mail.outbox) == 1


def test_the_daily_run_is_queued_once(db: Any) -> None:
    assert ensure_deadline_reminders() is True
    assert ensure_deadline_reminders() is False


def test_the_command_sends_one_plans_reminders(
    plan: Masterplan, procedures: dict[str, Any]
) -> None:
    out = StringIO()
    call_command("permit_reminders", "--date", "2026-06-30", "--plan", plan.slug, stdout=out)
    assert "1 mails about 2 procedures" in out.getvalue() and len(mail.outbox) == 1
