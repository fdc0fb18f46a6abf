"""Meetings keep their order (issue 10 #3): held only once started, decisions only for held
meetings or by circulation, approved minutes locked until corrected — through the services,
the pages and the API."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance import services
from masterplan.governance.models import (
    AgendaItem,
    Body,
    BodyKind,
    Decision,
    DecisionKind,
    Meeting,
    MeetingState,
)
from masterplan.governance.oparl.objects import decision_paper
from tests.factories import PersonFactory
from tests.governance.factories import BodyFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def english_and_media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


@pytest.fixture
def body(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Wirtschaft",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
    )


def new_meeting(actor: Any, body: Body, *, days_from_now: int) -> Meeting:
    return services.meeting_create(
        actor=actor,
        body=body,
        title="Sitzung des Lenkungskreises im Rathaus Duisburg",
        start=timezone.now() + timedelta(days=days_from_now),
        location_name="Rathaus Duisburg",
        street_address="Burgplatz 19",
        postal_code="47051",
        locality="Duisburg",
        is_public=True,
        publication=Publication.PUBLISHED,
    )


def to(actor: Any, meeting: Meeting, state: str) -> Meeting:
    meeting.refresh_from_db()
    return services.meeting_transition(
        actor=actor, meeting=meeting, version=meeting.version, state=state
    )


@pytest.fixture
def upcoming(body: Body, coordinator: Any) -> Meeting:
    return to(coordinator, new_meeting(coordinator, body, days_from_now=3), MeetingState.INVITED)


@pytest.fixture
def held(body: Body, coordinator: Any) -> Meeting:
    meeting = new_meeting(coordinator, body, days_from_now=-2)
    services.agenda_item_create(actor=coordinator, meeting=meeting, title="Rückblick")
    services.agenda_item_create(actor=coordinator, meeting=meeting, title="Kernzonen")
    return to(coordinator, meeting, MeetingState.HELD)


@pytest.fixture
def approved(held: Meeting, coordinator: Any) -> Meeting:
    item = AgendaItem.objects.filter(meeting=held).order_by("position").first()
    services.decision_create(
        actor=coordinator, meeting=held, agenda_item=item, title="Kernzonen-Workshops fortsetzen"
    )
    services.document_upload(
        actor=coordinator, meeting=held, file_name="anlage.pdf", content=PDF, name="Anlage"
    )
    services.attendance_record(
        actor=coordinator, meeting=held, person=PersonFactory(masterplan=held.masterplan)
    )
    held.refresh_from_db()
    held = services.meeting_update(
        actor=coordinator, meeting=held, version=held.version, minutes_text="Protokoll"
    )
    return to(coordinator, held, MeetingState.MINUTES_APPROVED)


def api(client: Client, method: str, url: str, data: Any = None) -> Any:
    return client.generic(
        method,
        f"/api/plans/duisburg/governance{url}",
        data="" if data is None else json.dumps(data),
        content_type="application/json",
    )


def page(client: Client, meeting: Meeting) -> str:
    response = client.get(reverse("governance:meeting_detail", args=["duisburg", meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- "Held" only once the meeting has started --------------------------------------------------


def test_a_meeting_cannot_be_marked_held_before_it_starts(
    upcoming: Meeting, coordinator: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        to(coordinator, upcoming, MeetingState.HELD)
    assert "only once it has started" in refused.value.messages[0]
    assert Meeting.objects.get(pk=upcoming.pk).state == MeetingState.INVITED
    assert MeetingState.HELD not in services.allowed_transitions(upcoming)


def test_a_new_meeting_in_the_future_cannot_be_created_as_held(
    body: Body, coordinator: Any
) -> None:
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=coordinator,
            body=body,
            title="Lenkungskreis",
            start=timezone.now() + timedelta(days=1),
            state=MeetingState.HELD,
        )


def test_the_page_offers_held_only_once_the_meeting_has_started(
    upcoming: Meeting, body: Body, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    assert 'name="state" value="held"' not in page(client, upcoming)
    started = to(coordinator, new_meeting(coordinator, body, days_from_now=-1), "invited")
    assert 'name="state" value="held"' in page(client, started)


def test_the_api_refuses_held_before_the_start(
    upcoming: Meeting, coordinator: Any, client_as: Any
) -> None:
    response = api(
        client_as(coordinator),
        "POST",
        f"/meetings/{upcoming.pk}/transition",
        {"state": "held", "version": upcoming.version},
    )
    assert response.status_code == 422
    start = timezone.localtime(upcoming.start)
    assert f"{start:%d.%m.%Y}" in response.json()["errors"]["state"][0]


# --- Decisions: held meetings, or by circulation ---------------------------------------------


def test_decisions_are_recorded_only_for_held_meetings(
    upcoming: Meeting, coordinator: Any, client_as: Any
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decision_create(actor=coordinator, meeting=upcoming, title="Flächenpool")
    assert "held" in refused.value.messages[0]
    response = api(
        client_as(coordinator), "POST", f"/meetings/{upcoming.pk}/decisions", {"title": "Pool"}
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_the_page_offers_recording_decisions_only_for_held_meetings(
    upcoming: Meeting, held: Meeting, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    for meeting, offered in ((upcoming, False), (held, True)):
        services.agenda_item_create(actor=coordinator, meeting=meeting, title="Flächenpool")
        item = AgendaItem.objects.filter(meeting=meeting).first()
        assert item is not None
        link = reverse("governance:decision_create", args=["duisburg", item.pk])
        assert (f'"{link}"' in page(client, meeting)) is offered
    refused = client.post(
        reverse("governance:decision_create", args=["duisburg", upcoming.agenda_items.get().pk]),
        {
            "title": "Flächenpool",
            "decided_on": "2026-03-02",
            "vote_kind": "consensus",
            "publication": Publication.PUBLISHED,
        },
    )
    assert refused.status_code == 400  # the form again, with the reason
    assert "Beschlüsse werden zu stattgefundenen Sitzungen erfasst" in refused.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_without_a_meeting_is_one_by_circulation(
    plan: Masterplan, coordinator: Any
) -> None:
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=coordinator, masterplan=plan, title="Flächenpool", decided_on=date(2026, 3, 2)
        )


def test_a_decision_by_circulation_has_its_body_and_date(
    body: Body, coordinator: Any, held: Meeting
) -> None:
    with pytest.raises(ValidationError) as no_date:
        services.decision_create(
            actor=coordinator, body=body, kind=DecisionKind.CIRCULATION, title="Flächenpool"
        )
    assert "decided_on" in no_date.value.message_dict
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=coordinator,
            meeting=held,
            kind=DecisionKind.CIRCULATION,
            title="Flächenpool",
            decided_on=date(2026, 3, 2),
        )
    decision = services.decision_create(
        actor=coordinator,
        body=body,
        kind=DecisionKind.CIRCULATION,
        title="Flächenpool im Umlaufverfahren",
        decided_on=date(2026, 3, 2),
    )
    assert (decision.kind, decision.body_id, decision.meeting_id) == ("circulation", body.pk, None)
    assert decision.decided_on == date(2026, 3, 2)
    entry = AuditEntry.objects.filter(action="governance.decision.created").last()
    assert entry is not None and entry.changes["kind"] == [None, "circulation"]


def test_the_api_records_a_decision_by_circulation_and_oparl_names_its_body(
    body: Body, coordinator: Any, client_as: Any
) -> None:
    response = api(
        client_as(coordinator),
        "POST",
        f"/bodies/{body.pk}/decisions",
        {"title": "Flächenpool im Umlaufverfahren", "decided_on": "2026-03-02"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["body_id"], data["meeting_id"]) == ("circulation", body.pk, None)
    missing_date = api(
        client_as(coordinator), "POST", f"/bodies/{body.pk}/decisions", {"title": "Ohne Datum"}
    )
    assert missing_date.status_code == 422
    decision = Decision.objects.get(pk=data["id"])

    class Urls:
        omit_internal = True

        def url(self, kind: str, pk: int) -> str:
            return f"/oparl/{kind}/{pk}"

        def body_url(self) -> str:
            return "/oparl/body"

    paper = decision_paper(Urls(), decision)  # type: ignore[arg-type]
    assert paper["paperType"] == "Umlaufbeschluss"
    assert paper["underDirectionOf"] == [f"/oparl/organization/{body.pk}"]


def test_the_body_page_records_a_decision_by_circulation(
    body: Body, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    create = reverse("governance:circulated_decision_create", args=["duisburg", body.pk])
    body_page = client.get(reverse("governance:body_detail", args=["duisburg", body.pk]))
    assert create in body_page.content.decode()
    response = client.post(
        create,
        {
            "title": "Flächenpool im Umlaufverfahren",
            "decided_on": "2026-03-02",
            "vote_kind": "consensus",
            "is_public": "on",
            "publication": Publication.PUBLISHED,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.CIRCULATION and decision.body_id == body.pk
    listed = client.get(reverse("governance:decision_list", args=["duisburg"]) + f"?body={body.pk}")
    assert "Flächenpool im Umlaufverfahren" in listed.content.decode()


# --- Approved minutes are locked ----------------------------------------------------------------


def test_approved_minutes_lock_the_meeting_record(approved: Meeting, coordinator: Any) -> None:
    item = AgendaItem.objects.filter(meeting=approved).order_by("position").first()
    assert item is not None
    decision = Decision.objects.get(meeting=approved)
    document = approved.documents.get()
    attendance = approved.attendances.get()
    refused = [
        lambda: services.agenda_item_create(actor=coordinator, meeting=approved, title="Neu"),
        lambda: services.agenda_item_update(
            actor=coordinator, item=item, version=item.version, title="Anders"
        ),
        lambda: services.agenda_item_move(
            actor=coordinator, item=item, version=item.version, direction="down"
        ),
        lambda: services.agenda_item_delete(actor=coordinator, item=item, version=item.version),
        lambda: services.decision_create(actor=coordinator, meeting=approved, title="Neu"),
        lambda: services.decision_update(
            actor=coordinator, decision=decision, version=decision.version, title="Anders"
        ),
        lambda: services.decision_delete(
            actor=coordinator, decision=decision, version=decision.version
        ),
        lambda: services.document_upload(
            actor=coordinator, meeting=approved, file_name="b.pdf", content=PDF
        ),
        lambda: services.document_delete(
            actor=coordinator, document=document, version=document.version
        ),
        lambda: services.attendance_update(
            actor=coordinator, attendance=attendance, version=attendance.version, status="absent"
        ),
        lambda: services.meeting_update(
            actor=coordinator, meeting=approved, version=approved.version, minutes_text="Neu"
        ),
    ]
    for write in refused:
        with pytest.raises(ValidationError) as error:
            write()
        assert "minutes of this meeting are approved" in error.value.messages[0]
    assert AgendaItem.objects.filter(meeting=approved).count() == 2
    # What follows from the decision is still recorded.
    done = services.decision_set_implementation(
        actor=coordinator,
        decision=decision,
        version=decision.version,
        state="in_progress",
    )
    assert done.implementation_state == "in_progress"


def test_the_page_of_approved_minutes_offers_no_edit_controls(
    approved: Meeting, coordinator: Any, client_as: Any
) -> None:
    html = page(client_as(coordinator), approved)
    item = AgendaItem.objects.filter(meeting=approved).first()
    assert item is not None
    decision = Decision.objects.get(meeting=approved)
    for hidden in (
        reverse("governance:meeting_edit", args=["duisburg", approved.pk]),
        reverse("governance:agenda_item_create", args=["duisburg", approved.pk]),
        reverse("governance:agenda_item_edit", args=["duisburg", item.pk]),
        reverse("governance:agenda_item_move", args=["duisburg", item.pk]),
        reverse("governance:agenda_item_delete", args=["duisburg", item.pk]),
        reverse("governance:decision_edit", args=["duisburg", decision.pk]),
        reverse("governance:decision_delete", args=["duisburg", decision.pk]),
        reverse("governance:document_upload", args=["duisburg", approved.pk]),
        reverse("governance:attendance_record", args=["duisburg", approved.pk]),
        reverse("governance:minutes_edit", args=["duisburg", approved.pk]),
    ):
        assert f'"{hidden}"' not in html, hidden
    assert reverse("governance:meeting_correct_minutes", args=["duisburg", approved.pk]) in html
    assert reverse("governance:decision_implementation", args=["duisburg", decision.pk]) in html


def test_the_api_refuses_writes_to_approved_minutes(
    approved: Meeting, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    item = AgendaItem.objects.filter(meeting=approved).first()
    assert item is not None
    patched = api(client, "PATCH", f"/agenda-items/{item.pk}", {"title": "x", "version": 2})
    assert patched.status_code == 422
    moved = api(
        client, "POST", f"/agenda-items/{item.pk}/move", {"direction": "down", "version": 2}
    )
    assert moved.status_code == 422
    created = api(client, "POST", f"/meetings/{approved.pk}/agenda-items", {"title": "Neu"})
    assert created.status_code == 422
    assert AgendaItem.objects.get(pk=item.pk).title != "x"


def test_a_correction_reopens_the_minutes_with_a_reason(
    approved: Meeting, coordinator: Any, client_as: Any
) -> None:
    with pytest.raises(ValidationError) as no_reason:
        services.meeting_correct_minutes(
            actor=coordinator, meeting=approved, version=approved.version, reason="  "
        )
    assert "reason" in no_reason.value.message_dict
    client = client_as(coordinator)
    response = api(
        client,
        "POST",
        f"/meetings/{approved.pk}/correct-minutes",
        {"reason": "Abstimmungsergebnis zu TOP 1 falsch übertragen", "version": approved.version},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "held" and response.json()["minutes_approved_on"] is None
    entry = AuditEntry.objects.filter(action="governance.meeting.minutes_corrected").get()
    assert entry.changes["reason"] == [None, "Abstimmungsergebnis zu TOP 1 falsch übertragen"]
    # Open again: the record can change, and the minutes need approval again.
    item = AgendaItem.objects.filter(meeting=approved).first()
    assert item is not None
    services.agenda_item_update(actor=coordinator, item=item, version=item.version, result="9:1")
    reapproved = to(coordinator, approved, MeetingState.MINUTES_APPROVED)
    assert reapproved.minutes_locked


def test_the_page_corrects_the_minutes(approved: Meeting, coordinator: Any, client_as: Any) -> None:
    url = reverse("governance:meeting_correct_minutes", args=["duisburg", approved.pk])
    client = client_as(coordinator)
    client.post(url, {"version": approved.version, "reason": ""})
    assert Meeting.objects.get(pk=approved.pk).state == MeetingState.MINUTES_APPROVED
    client.post(url, {"version": approved.version, "reason": "Anwesenheit berichtigt"})
    assert Meeting.objects.get(pk=approved.pk).state == MeetingState.HELD


# --- Agenda moves bump the version (issue 10 #6) -----------------------------------------------


def test_a_move_is_audited_and_a_stale_patch_cannot_undo_it(
    held: Meeting, coordinator: Any, client_as: Any
) -> None:
    first, second = AgendaItem.objects.filter(meeting=held).order_by("position")
    old_version = second.version
    client = client_as(coordinator)
    moved = api(
        client,
        "POST",
        f"/agenda-items/{second.pk}/move",
        {"direction": "up", "version": old_version},
    )
    assert moved.status_code == 200 and moved.json()["number"] == "1"
    assert moved.json()["version"] == old_version + 1
    entries = AuditEntry.objects.filter(action="governance.agendaitem.moved").order_by("id")
    assert {e.object_id for e in entries} == {str(first.pk), str(second.pk)}
    assert entries.get(object_id=str(second.pk)).changes["number"] == ["2", "1"]
    # A client still holding the versions from before the move is refused, not obeyed.
    stale = api(
        client, "PATCH", f"/agenda-items/{second.pk}", {"position": 2, "version": old_version}
    )
    assert stale.status_code == 409
    stale_header = client.generic(
        "PATCH",
        f"/api/plans/duisburg/governance/agenda-items/{first.pk}",
        data=json.dumps({"position": 1}),
        content_type="application/json",
        headers={"If-Match": f'"{first.version}"'},
    )
    assert stale_header.status_code == 412
    assert AgendaItem.objects.get(pk=second.pk).number == "1"


def test_a_body_with_decisions_by_circulation_is_not_deleted(body: Body, coordinator: Any) -> None:
    services.decision_create(
        actor=coordinator,
        body=body,
        kind=DecisionKind.CIRCULATION,
        title="Flächenpool im Umlaufverfahren",
        decided_on=date(2026, 3, 2),
    )
    with pytest.raises(ValidationError):
        services.body_delete(actor=coordinator, body=body, version=body.version)
    assert Body.objects.filter(pk=body.pk).exists()


def test_a_move_by_patch_gives_the_siblings_it_pushes_a_new_version(
    held: Meeting, coordinator: Any, client_as: Any
) -> None:
    first, second = AgendaItem.objects.filter(meeting=held).order_by("position")
    client = client_as(coordinator)
    moved = api(
        client, "PATCH", f"/agenda-items/{first.pk}", {"position": 3, "version": first.version}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["number"] == "2"
    pushed = AgendaItem.objects.get(pk=second.pk)
    assert (pushed.number, pushed.version) == ("1", second.version + 1)
    assert AuditEntry.objects.filter(
        action="governance.agendaitem.moved", object_id=str(second.pk)
    ).exists()
    stale = api(
        client, "PATCH", f"/agenda-items/{second.pk}", {"position": 3, "version": second.version}
    )
    assert stale.status_code == 409


def test_deleting_an_item_gives_the_items_that_move_up_a_new_version(
    held: Meeting, coordinator: Any, client_as: Any
) -> None:
    first, second = AgendaItem.objects.filter(meeting=held).order_by("position")
    client = client_as(coordinator)
    deleted = client.delete(
        f"/api/plans/duisburg/governance/agenda-items/{first.pk}",
        headers={"If-Match": f'"{first.version}"'},
    )
    assert deleted.status_code in (200, 204), deleted.content
    moved_up = AgendaItem.objects.get(pk=second.pk)
    assert (moved_up.number, moved_up.version) == ("1", second.version + 1)
    entry = AuditEntry.objects.get(action="governance.agendaitem.moved", object_id=str(second.pk))
    assert entry.changes["number"] == ["2", "1"]
    stale = api(
        client, "PATCH", f"/agenda-items/{second.pk}", {"position": 2, "version": second.version}
    )
    assert stale.status_code == 409


def test_inserting_an_item_before_others_gives_them_a_new_version(
    held: Meeting, coordinator: Any
) -> None:
    first, second = AgendaItem.objects.filter(meeting=held).order_by("position")
    new = services.agenda_item_create(
        actor=coordinator, meeting=held, title="Begrüßung", position=1
    )
    assert new.number == "1"
    for before in (first, second):
        after = AgendaItem.objects.get(pk=before.pk)
        assert after.version == before.version + 1
        assert int(after.number) == int(before.number) + 1
    new_item_moves = AuditEntry.objects.filter(
        action="governance.agendaitem.moved", object_id=str(new.pk)
    )
    assert not new_item_moves.exists()
