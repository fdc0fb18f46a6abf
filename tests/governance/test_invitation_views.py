"""The invitation on the meeting page and in the API: the "Send invitation" button sends,
"Send the invitation again" sends an update, and only the meeting's editors may do either."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core import mail

from masterplan.core.models import Masterplan, Publication
from masterplan.governance.models import BodyMembership, MailingKind, Meeting, MeetingMailing
from tests.clock import on_day
from tests.factories import PersonFactory
from tests.governance.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 2))


@pytest.fixture
def meeting(plan: Masterplan, own_org: Any) -> Meeting:
    body = BodyFactory(masterplan=plan, name="Lenkungskreis", organization=own_org)
    meeting = MeetingFactory(
        body=body, title="Sitzung im März", start=datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    )
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    for family, email in (("Kleff", "kleff@duisburg.de"), ("Ohne-Adresse", "")):
        person = PersonFactory(masterplan=plan, given_name="Peter", family_name=family, email=email)
        BodyMembership.objects.create(
            masterplan=plan, body=body, person=person, publication=Publication.PUBLISHED
        )
    return meeting


def page(meeting: Meeting, path: str = "") -> str:
    return f"/p/{meeting.masterplan.slug}/governance/meetings/{meeting.pk}/{path}"


def test_the_button_sends_and_names_who_was_not_reached(
    contributor: Any, meeting: Meeting, client_as: Any
) -> None:
    client = client_as(contributor)

    response = client.post(
        page(meeting, "state/"), {"state": "invited", "version": meeting.version}, follow=True
    )

    assert [m.to for m in mail.outbox] == [["kleff@duisburg.de"]]
    html = response.content.decode()
    assert "Per E-Mail an 1 Mitglied versandt." in html
    assert "Nicht erreicht: Peter Ohne-Adresse." in html
    assert "Einladung erneut senden" in html


def test_sending_again_is_an_update(contributor: Any, meeting: Meeting, client_as: Any) -> None:
    client = client_as(contributor)
    client.post(page(meeting, "state/"), {"state": "invited", "version": meeting.version})
    meeting.refresh_from_db()
    AgendaItemFactory(meeting=meeting, title="Verschiedenes", position=9, number="9")

    html = client.get(page(meeting)).content.decode()
    assert "Die Tagesordnung hat sich seit dem Versand der Einladung geändert." in html
    client.post(page(meeting, "invitation/"), {"version": meeting.version})

    assert [m.kind for m in MeetingMailing.objects.order_by("id")] == [
        MailingKind.INVITATION,
        MailingKind.INVITATION_UPDATE,
    ]
    assert mail.outbox[-1].subject.startswith("Aktualisierte Einladung")


@pytest.mark.parametrize("role", ["viewer", "other_contributor"])
def test_only_editors_send(role: str, meeting: Meeting, client_as: Any, request: Any) -> None:
    client = client_as(request.getfixturevalue(role))

    response = client.post(page(meeting, "invitation/"), {"version": meeting.version})

    assert response.status_code == 403
    assert mail.outbox == []


def test_the_public_sees_no_send_log(meeting: Meeting, client_as: Any, viewer: Any) -> None:
    MeetingMailing.objects.create(
        masterplan=meeting.masterplan, meeting=meeting, kind=MailingKind.INVITATION
    )
    for reader in (None, viewer):
        html = client_as(reader).get(page(meeting)).content.decode()
        assert "Einladung und Rückmeldungen" not in html


def test_the_api_sends_the_invitation(coordinator: Any, meeting: Meeting, client_as: Any) -> None:
    url = f"/api/plans/{meeting.masterplan.slug}/governance/meetings/{meeting.pk}/send-invitation"

    response = client_as(coordinator).post(
        url, {"version": meeting.version}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "invited"
    assert [m.to for m in mail.outbox] == [["kleff@duisburg.de"]]
    assert client_as(None).post(url, {}, content_type="application/json").status_code == 401
