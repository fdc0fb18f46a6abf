"""Answers to an invitation (RSVP, issue 10 point 13): personal signed links without login,
a GET that only asks, a POST that records, until the meeting starts; the answers are for the
meeting's editors only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from masterplan.core.audit import AuditEntry
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Person
from masterplan.governance import services
from masterplan.governance.models import (
    BodyMembership,
    MailingKind,
    Meeting,
    MeetingMailing,
    MeetingRsvp,
    MeetingState,
)
from tests.clock import on_day
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 2))

MEETING_START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def meeting(plan: Masterplan) -> Meeting:
    body = BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")
    return MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises im März",
        start=MEETING_START,
        state=MeetingState.INVITED,
        is_public=False,
    )


@pytest.fixture
def member(plan: Masterplan, meeting: Meeting) -> Person:
    person = PersonFactory(
        masterplan=plan, given_name="Jennifer", family_name="Henning", email="henning@ihk.de"
    )
    BodyMembership.objects.create(
        masterplan=plan, body=meeting.body, person=person, publication=Publication.PUBLISHED
    )
    return person


def url(meeting: Meeting, person: Person, answer: str = "") -> str:
    token = services.rsvp_token(meeting, person)
    return f"/rsvp/{token}/" + (f"?answer={answer}" if answer else "")


def test_the_link_asks_without_recording_anything(meeting: Meeting, member: Person) -> None:
    response = Client().get(url(meeting, member, "yes"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nehmen Sie an der Sitzung teil?" in html
    assert "Jennifer Henning" in html
    assert 'value="yes" class="kern-btn kern-btn--primary"' in html
    assert MeetingRsvp.objects.count() == 0


def test_the_post_records_the_answer_and_audits_it(meeting: Meeting, member: Person) -> None:
    client = Client()

    response = client.post(url(meeting, member), {"answer": "yes"})

    assert response.status_code == 200
    assert "Sie nehmen teil." in response.content.decode()
    rsvp = MeetingRsvp.objects.get()
    assert (rsvp.meeting, rsvp.person, rsvp.answer) == (meeting, member, "yes")
    entry = AuditEntry.objects.get(action="governance.rsvp.recorded")
    assert entry.changes["answer"] == [None, "yes"]


def test_a_new_answer_replaces_the_old_one(meeting: Meeting, member: Person) -> None:
    client = Client()
    client.post(url(meeting, member), {"answer": "yes"})

    client.post(url(meeting, member), {"answer": "no"})

    assert list(MeetingRsvp.objects.values_list("answer", flat=True)) == ["no"]


def test_a_tampered_link_gets_a_clear_message(meeting: Meeting, member: Person) -> None:
    token = services.rsvp_token(meeting, member)
    other = PersonFactory(masterplan=meeting.masterplan)
    forged = services.rsvp_token(meeting, other).split(":")[0] + ":" + token.split(":")[1]

    for bad in (forged, token[:-3], "kein-gueltiger-link"):
        response = Client().post(f"/rsvp/{bad}/", {"answer": "yes"})
        assert response.status_code == 400
        assert "Dieser Link ist ungültig." in response.content.decode()
    assert MeetingRsvp.objects.count() == 0


def test_the_link_closes_when_the_meeting_starts(meeting: Meeting, member: Person) -> None:
    with time_machine.travel(MEETING_START, tick=False):
        response = Client().post(url(meeting, member), {"answer": "yes"})

    assert response.status_code == 410
    assert "Die Sitzung hat bereits begonnen." in response.content.decode()
    assert MeetingRsvp.objects.count() == 0


def test_a_cancelled_meeting_takes_no_answers(meeting: Meeting, member: Person) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CANCELLED)

    response = Client().post(url(meeting, member), {"answer": "no"})

    assert response.status_code == 410
    assert "abgesagt" in response.content.decode()


def test_an_answer_outside_yes_and_no_is_refused(meeting: Meeting, member: Person) -> None:
    response = Client().post(url(meeting, member), {"answer": "vielleicht"})

    assert response.status_code == 400
    assert MeetingRsvp.objects.count() == 0


def test_editors_see_counts_and_names_the_public_does_not(
    meeting: Meeting, member: Person, coordinator: Any, viewer: Any, client_as: Any
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(is_public=True)
    MeetingMailing.objects.create(
        masterplan=meeting.masterplan, meeting=meeting, kind=MailingKind.INVITATION
    )
    Client().post(url(meeting, member), {"answer": "no"})
    page = f"/p/{meeting.masterplan.slug}/governance/meetings/{meeting.pk}/"

    html = client_as(coordinator).get(page).content.decode()
    assert "0 nehmen teil, 1 nehmen nicht teil, 0 ohne Rückmeldung." in html
    assert "Jennifer Henning" in html
    for reader in (None, viewer):
        html = client_as(reader).get(page).content.decode()
        assert "Jennifer Henning" not in html
        assert "Rückmeldungen" not in html
