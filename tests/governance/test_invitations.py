"""Einladung versenden (issue 10, point 13): the invitation by e-mail to the body's members,
with the agenda as PDF and the meeting as .ics, a send log, and updates after agenda changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from masterplan.core.audit import AuditEntry
from masterplan.core.models import Masterplan, Publication
from masterplan.governance import invitations, services
from masterplan.governance.models import (
    BodyMembership,
    MailingKind,
    Meeting,
    MeetingMailing,
    MeetingState,
)
from tests.clock import on_day
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 2))

MEETING_START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 9:00 in Düsseldorf


@pytest.fixture
def meeting(plan: Masterplan, coordinator: Any) -> Meeting:
    body = BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")
    meeting = MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises im März",
        start=MEETING_START,
        invitation_text="Wir freuen uns auf Ihre Teilnahme.",
    )
    for given, family, email in (
        ("Christian", "Kleff", "kleff@duisburg.de"),
        ("Jennifer", "Henning", "henning@ihk.de"),
        ("Peter", "Ohne-Adresse", ""),
    ):
        person = PersonFactory(masterplan=plan, given_name=given, family_name=family, email=email)
        BodyMembership.objects.create(
            masterplan=plan, body=body, person=person, publication=Publication.PUBLISHED
        )
    gone = PersonFactory(masterplan=plan, family_name="Ausgeschieden", email="alt@duisburg.de")
    BodyMembership.objects.create(masterplan=plan, body=body, person=gone, end=date(2025, 12, 31))
    services.agenda_item_create(
        actor=coordinator, meeting=meeting, title="Begrüßung", publication=Publication.PUBLISHED
    )
    services.agenda_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Grundstücksverhandlungen Reisholz",
        is_public=False,
        publication=Publication.PUBLISHED,
    )
    meeting.refresh_from_db()
    return meeting


def send(actor: Any, meeting: Meeting) -> MeetingMailing:
    meeting.refresh_from_db()
    return invitations.meeting_send_invitation(
        actor=actor, meeting=meeting, version=meeting.version
    )


def test_sending_invites_every_current_member_with_an_address(
    coordinator: Any, meeting: Meeting
) -> None:
    mailing = send(coordinator, meeting)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.INVITED
    assert sorted(m.to[0] for m in mail.outbox) == ["henning@ihk.de", "kleff@duisburg.de"]
    assert [r["email"] for r in mailing.recipients] == ["henning@ihk.de", "kleff@duisburg.de"]
    assert [u["name"] for u in mailing.unreachable] == ["Peter Ohne-Adresse"]
    assert mailing.kind == MailingKind.INVITATION
    assert mailing.sent_by == coordinator
    assert mailing.agenda_items == 2
    assert mailing.agenda_version == invitations.current_agenda_version(meeting)


def test_the_mail_is_german_with_the_text_the_agenda_and_personal_links(
    coordinator: Any, meeting: Meeting
) -> None:
    send(coordinator, meeting)

    message = next(m for m in mail.outbox if m.to == ["kleff@duisburg.de"])
    assert message.subject == "Einladung: Sitzung des Lenkungskreises im März am 10.03.2026"
    assert "Guten Tag Christian Kleff," in message.body
    assert "Dienstag, 10. März 2026, 9:00 Uhr" in message.body
    assert "Wir freuen uns auf Ihre Teilnahme." in message.body
    assert "2 Grundstücksverhandlungen Reisholz (nicht öffentlich)" in message.body
    assert "Ich nehme teil: http" in message.body
    assert "Ich nehme nicht teil: http" in message.body
    kleff = meeting.body.memberships.get(person__family_name="Kleff").person
    other = next(m for m in mail.outbox if m.to == ["henning@ihk.de"])
    assert services.rsvp_token(meeting, kleff) in message.body
    assert services.rsvp_token(meeting, kleff) not in other.body


def test_the_mail_carries_the_agenda_pdf_and_an_ics_request(
    coordinator: Any, meeting: Meeting
) -> None:
    send(coordinator, meeting)

    message = mail.outbox[0]
    names = [a[0] for a in message.attachments]
    assert names == [
        f"tagesordnung-{meeting.masterplan.slug}-20260310.pdf",
        f"sitzung-{meeting.masterplan.slug}-20260310.ics",
    ]
    pdf, ics = message.attachments[0][1], message.attachments[1][1]
    assert pdf.startswith(b"%PDF")
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@masterplan"
    assert str(event["SUMMARY"]) == "Sitzung des Lenkungskreises im März"
    assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
    assert "Grundstücksverhandlungen Reisholz" in str(event["DESCRIPTION"])


def test_the_agenda_pdf_shows_the_whole_agenda_to_the_invited(
    coordinator: Any, meeting: Meeting
) -> None:
    html = invitations.print_html("governance/agenda_print.html", user=coordinator, meeting=meeting)

    assert "Grundstücksverhandlungen Reisholz</strong> (nicht öffentlich)" in html
    assert "Dienstag, 10. März 2026, 9:00 Uhr" in html


def test_sending_again_after_an_agenda_change_is_an_update(
    coordinator: Any, meeting: Meeting
) -> None:
    first = send(coordinator, meeting)
    services.agenda_item_create(
        actor=coordinator, meeting=meeting, title="Verschiedenes", publication="published"
    )
    mail.outbox.clear()

    second = send(coordinator, meeting)

    assert second.kind == MailingKind.INVITATION_UPDATE
    assert second.agenda_version != first.agenda_version
    assert second.agenda_items == 3
    assert all(m.subject.startswith("Aktualisierte Einladung: ") for m in mail.outbox)
    assert "wurde aktualisiert" in mail.outbox[0].body
    assert "3 Verschiedenes" in mail.outbox[0].body


def test_every_sending_is_audited(coordinator: Any, meeting: Meeting) -> None:
    send(coordinator, meeting)

    entry = AuditEntry.objects.filter(action="governance.meeting.invitation_sent").get()
    assert entry.changes["recipients"] == [None, 2]
    assert entry.changes["unreachable"] == [None, 1]
    assert AuditEntry.objects.filter(action="governance.meeting.invited").count() == 1


def test_a_held_meeting_sends_no_invitation(coordinator: Any, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)

    with pytest.raises(ValidationError):
        send(coordinator, meeting)
    assert mail.outbox == []


def test_a_viewer_cannot_send(viewer: Any, meeting: Meeting) -> None:
    with pytest.raises(PermissionDenied):
        send(viewer, meeting)
    assert mail.outbox == []
    assert MeetingMailing.objects.count() == 0
