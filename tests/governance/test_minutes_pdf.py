"""The minutes (Niederschrift) as PDF (issue 10, point 13): generated from the agenda with
its results, the decisions with their votes and the attendance; for members on the meeting
page, for the public only once approved and without what the public may not see; sent to the
members when the minutes are approved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError

from masterplan.core.models import Masterplan, Publication
from masterplan.governance import invitations, services
from masterplan.governance.models import (
    AttendanceStatus,
    BodyMembership,
    MailingKind,
    Meeting,
    MeetingMailing,
    MeetingState,
)
from tests.clock import on_day
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 12))

MEETING_START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
PUBLISHED = Publication.PUBLISHED


@pytest.fixture
def meeting(plan: Masterplan, coordinator: Any) -> Meeting:
    body = BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")
    meeting = MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises im März",
        start=MEETING_START,
        state=MeetingState.HELD,
        minutes_text="Die Sitzung endete um 11:00 Uhr.",
    )
    person = PersonFactory(
        masterplan=plan, given_name="Jennifer", family_name="Henning", email="henning@ihk.de"
    )
    BodyMembership.objects.create(masterplan=plan, body=body, person=person, publication=PUBLISHED)
    services.attendance_record(
        actor=coordinator, meeting=meeting, person=person, status=AttendanceStatus.EXCUSED
    )
    workshops = services.agenda_item_create(
        actor=coordinator, meeting=meeting, title="Kernzonen-Workshops", publication=PUBLISHED
    )
    services.agenda_item_update(
        actor=coordinator,
        item=workshops,
        version=workshops.version,
        result="Die Workshops werden fortgesetzt.",
    )
    secret = services.agenda_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Grundstücksverhandlungen Reisholz",
        is_public=False,
        publication=PUBLISHED,
    )
    services.decision_create(
        actor=coordinator,
        meeting=meeting,
        agenda_item=workshops,
        reference="LK-2026-03",
        title="Workshops fortsetzen",
        decided_on=date(2026, 3, 10),
        vote_kind="vote",
        votes_yes=7,
        votes_no=1,
        votes_abstain=2,
        publication=PUBLISHED,
    )
    services.decision_create(
        actor=coordinator,
        meeting=meeting,
        agenda_item=secret,
        title="Kaufpreis verhandeln",
        decided_on=date(2026, 3, 10),
        publication=PUBLISHED,
    )
    meeting.refresh_from_db()
    return meeting


def minutes_html(user: Any, meeting: Meeting) -> str:
    return invitations.print_html("governance/minutes_print.html", user=user, meeting=meeting)


def test_members_get_results_decisions_with_votes_and_attendance(
    coordinator: Any, meeting: Meeting
) -> None:
    html = minutes_html(coordinator, meeting)

    assert "Die Workshops werden fortgesetzt." in html
    assert "durch Abstimmung: 7 dafür, 1 dagegen, 2 Enthaltungen" in html
    assert "Kaufpreis verhandeln" in html
    assert "Grundstücksverhandlungen Reisholz (nicht öffentlich)" in html
    assert "Jennifer Henning" in html and "Entschuldigt" in html
    assert "Dienstag, 10. März 2026, 9:00 Uhr" in html
    assert "Entwurf: Die Niederschrift ist noch nicht genehmigt" in html


def test_the_public_version_leaves_out_hidden_items_decisions_and_attendance(
    coordinator: Any, meeting: Meeting
) -> None:
    html = minutes_html(AnonymousUser(), meeting)

    assert "Workshops fortsetzen" in html
    assert "Reisholz" not in html
    assert "Kaufpreis" not in html
    assert "Jennifer Henning" not in html


def test_the_pdf_is_for_members_until_the_minutes_are_approved(
    coordinator: Any, viewer: Any, meeting: Meeting, client_as: Any
) -> None:
    address = f"/p/{meeting.masterplan.slug}/governance/meetings/{meeting.pk}/minutes.pdf"

    response = client_as(viewer).get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "niederschrift-" in response["Content-Disposition"]
    assert client_as(None).get(address).status_code == 404

    Meeting.objects.filter(pk=meeting.pk).update(
        state=MeetingState.MINUTES_APPROVED, minutes_approved_on=date(2026, 3, 12)
    )
    assert client_as(None).get(address).status_code == 200


def test_approving_the_minutes_sends_them_to_the_members(
    coordinator: Any, meeting: Meeting, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        f"/p/{meeting.masterplan.slug}/governance/meetings/{meeting.pk}/state/",
        {"state": MeetingState.MINUTES_APPROVED, "version": meeting.version},
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    [message] = mail.outbox
    assert message.to == ["henning@ihk.de"]
    assert message.subject == "Niederschrift: Sitzung des Lenkungskreises im März vom 10.03.2026"
    assert "genehmigt" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name.startswith("niederschrift-") and name.endswith(".pdf")
    assert content.startswith(b"%PDF")
    assert mimetype == "application/pdf"
    assert MeetingMailing.objects.get().kind == MailingKind.MINUTES


def test_minutes_are_not_sent_before_approval(coordinator: Any, meeting: Meeting) -> None:
    with pytest.raises(ValidationError):
        invitations.meeting_send_minutes(actor=coordinator, meeting=meeting)
    assert mail.outbox == []
