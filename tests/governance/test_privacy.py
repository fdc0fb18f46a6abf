"""Erasing a person who sits on a body: the body keeps its composition and its meetings their
attendance lists, but nothing shows the name any more, and the audit trail still verifies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from masterplan.core.audit import audit_verify
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.privacy import ERASED, erase_personal_data, export_personal_data, find_subject
from masterplan.directory import services as directory_services
from masterplan.governance import invitations, services
from masterplan.governance.models import ActionItem, Attendance, BodyMembership, MeetingRsvp
from tests.governance.factories import BodyFactory, MeetingFactory

EMAIL = "m.reuter@example.org"


def test_memberships_attendance_and_action_items_lose_the_name(
    plan: Masterplan, coordinator: Any, admin: Any
) -> None:
    person = directory_services.person_create(
        actor=coordinator, masterplan=plan, given_name="Thomas", family_name="Reuter", email=EMAIL
    )
    body = BodyFactory(masterplan=plan)
    meeting = MeetingFactory(body=body)
    membership = services.membership_create(actor=coordinator, body=body, person=person)
    attendance = services.attendance_record(actor=coordinator, meeting=meeting, person=person)
    item = services.action_item_create(
        actor=coordinator, meeting=meeting, title="Flächenliste schicken", owner_person=person
    )
    subject = find_subject(email=EMAIL)
    exported = export_personal_data(subject)["governance.people"]
    assert {row["type"] for row in exported} == {
        "governance.bodymembership",
        "governance.attendance",
        "governance.actionitem",
    }

    erase_personal_data(actor=admin, subject=subject)

    assert BodyMembership.objects.get(pk=membership.pk).person_id == person.pk
    assert Attendance.objects.get(pk=attendance.pk).person_id == person.pk
    assert ActionItem.objects.get(pk=item.pk).owner_person_id is None
    for obj in (membership, attendance):
        entries = AuditEntry.objects.filter(
            object_id=str(obj.pk), object_type__endswith=type(obj).__name__.lower()
        )
        assert entries and all(e.object_repr == ERASED for e in entries)
    assert "Reuter" not in str(list(AuditEntry.objects.values_list("object_repr", "changes")))
    assert audit_verify().ok


def test_answers_and_sent_invitations_lose_the_person(
    plan: Masterplan, coordinator: Any, admin: Any
) -> None:
    person = directory_services.person_create(
        actor=coordinator, masterplan=plan, given_name="Thomas", family_name="Reuter", email=EMAIL
    )
    body = BodyFactory(masterplan=plan)
    meeting = MeetingFactory(body=body, start=timezone.now() + timedelta(days=7))
    services.membership_create(actor=coordinator, body=body, person=person)
    mailing = invitations.meeting_send_invitation(
        actor=coordinator, meeting=meeting, version=meeting.version
    )
    link = services.rsvp_link(services.rsvp_token(meeting, person))
    assert link is not None
    services.rsvp_record(link=link, answer="yes")
    subject = find_subject(email=EMAIL)
    exported = export_personal_data(subject)["governance.people"]
    assert {"governance.meetingrsvp", "governance.meetingmailing"} <= {r["type"] for r in exported}

    erase_personal_data(actor=admin, subject=subject)

    assert not MeetingRsvp.objects.exists()
    mailing.refresh_from_db()
    assert mailing.recipients == [{"person_id": None, "name": ERASED}]
    assert "Reuter" not in str(list(AuditEntry.objects.values_list("object_repr", "changes")))
    assert audit_verify().ok
