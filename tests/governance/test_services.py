"""Governance services: permissions, audit, versions, meeting states, agenda numbering,
decisions, action items, documents and feed tokens."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.services import StaleVersionError
from masterplan.directory.models import Organization
from masterplan.governance import services
from masterplan.governance.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    FeedToken,
    ImplementationState,
    Meeting,
    MeetingState,
)
from tests.factories import GoalFactory, MeasureFactory, PersonFactory
from tests.governance.factories import BodyFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def body(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Industrie",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
    )


@pytest.fixture
def meeting(body: Body, coordinator: Any) -> Meeting:
    return services.meeting_create(
        actor=coordinator,
        body=body,
        title="Jahresauftakt im Rathaus",
        start=datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        location_name="Rathaus Düsseldorf",
        street_address="Marktplatz 2",
        postal_code="40213",
        locality="Düsseldorf",
    )


@pytest.fixture
def held_meeting(meeting: Meeting) -> Meeting:
    """The meeting, held (decisions are recorded for held meetings)."""
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    meeting.refresh_from_db()
    return meeting


def test_contributors_create_bodies_for_their_own_organisation_only(
    plan: Masterplan, own_org: Organization, other_org: Organization, contributor: Any
) -> None:
    body = services.body_create(
        actor=contributor,
        masterplan=plan,
        name="AG Flächen",
        kind=BodyKind.WORKING_GROUP,
        organization=own_org,
    )
    assert AuditEntry.objects.filter(action="governance.body.created", object_id=str(body.pk))
    with pytest.raises(PermissionDenied):
        services.body_create(
            actor=contributor,
            masterplan=plan,
            name="AG Start-ups",
            kind=BodyKind.WORKING_GROUP,
            organization=other_org,
        )


def test_other_contributor_cannot_edit_the_body(body: Body, other_contributor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.body_update(actor=other_contributor, body=body, version=1, name="X")


def test_body_parent_cycle_is_refused(body: Body, coordinator: Any) -> None:
    part = services.body_create(
        actor=coordinator,
        masterplan=body.masterplan,
        name="AG Kernzonen",
        kind=BodyKind.WORKING_GROUP,
        parent=body,
    )
    with pytest.raises(ValidationError):
        services.body_update(actor=coordinator, body=body, version=body.version, parent=part)


def test_reference_to_another_plan_is_refused(
    body: Body, other_plan: Masterplan, coordinator: Any
) -> None:
    stranger = PersonFactory(masterplan=other_plan)
    with pytest.raises(ValidationError) as raised:
        services.membership_create(actor=coordinator, body=body, person=stranger)
    assert "person" in raised.value.message_dict


def test_meeting_moves_through_its_states_and_counts_the_sequence(
    meeting: Meeting, coordinator: Any
) -> None:
    assert meeting.sequence == 0
    meeting = services.meeting_transition(
        actor=coordinator, meeting=meeting, version=meeting.version, state="invited"
    )
    assert (meeting.state, meeting.sequence) == (MeetingState.INVITED, 1)
    meeting = services.meeting_update(
        actor=coordinator, meeting=meeting, version=meeting.version, invitation_text="Hallo"
    )
    assert meeting.sequence == 1  # the invitation text is not in the calendar entry
    meeting = services.meeting_update(
        actor=coordinator, meeting=meeting, version=meeting.version, location_name="Ratssaal"
    )
    assert meeting.sequence == 2
    meeting = services.meeting_transition(
        actor=coordinator, meeting=meeting, version=meeting.version, state="held"
    )
    with pytest.raises(ValidationError, match="minutes"):
        services.meeting_transition(
            actor=coordinator, meeting=meeting, version=meeting.version, state="minutes_approved"
        )
    meeting = services.meeting_update(
        actor=coordinator, meeting=meeting, version=meeting.version, minutes_text="Protokoll"
    )
    meeting = services.meeting_transition(
        actor=coordinator,
        meeting=meeting,
        version=meeting.version,
        state="minutes_approved",
        minutes_approved_on=date(2026, 2, 3),
    )
    assert meeting.minutes_approved_on == date(2026, 2, 3)
    assert AuditEntry.objects.filter(action="governance.meeting.minutes_approved").count() == 1


def test_invalid_transition_names_the_allowed_ones(meeting: Meeting, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        services.meeting_transition(
            actor=coordinator, meeting=meeting, version=meeting.version, state="minutes_approved"
        )
    message = raised.value.message_dict["state"][0]
    assert "Invited" in message and "Cancelled" in message
    cancelled = services.meeting_transition(
        actor=coordinator, meeting=meeting, version=meeting.version, state="cancelled"
    )
    assert cancelled.sequence == 1
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=coordinator, meeting=cancelled, version=cancelled.version, state="held"
        )


def test_stale_meeting_edit_is_refused(meeting: Meeting, coordinator: Any) -> None:
    services.meeting_update(actor=coordinator, meeting=meeting, version=1, title="Neu")
    with pytest.raises(StaleVersionError):
        services.meeting_update(actor=coordinator, meeting=meeting, version=1, title="Alt")


def test_deleting_a_meeting_counts_the_sequence(meeting: Meeting, coordinator: Any) -> None:
    services.meeting_delete(actor=coordinator, meeting=meeting, version=meeting.version)
    gone = Meeting.all_objects.get(pk=meeting.pk)
    assert gone.deleted_at is not None and gone.sequence == 1


def test_agenda_is_numbered_nested_and_reordered(meeting: Meeting, coordinator: Any) -> None:
    def add(title: str, **kw: Any) -> AgendaItem:
        return services.agenda_item_create(actor=coordinator, meeting=meeting, title=title, **kw)

    welcome = add("Begrüßung")
    review = add("Rückblick")
    sub_a = add("Meilensteine", parent=review)
    sub_b = add("Ampelstatus", parent=review)
    outlook = add("Ausblick")
    numbers = lambda: {i.title: i.number for i in AgendaItem.objects.filter(meeting=meeting)}  # noqa: E731
    assert numbers() == {
        "Begrüßung": "1",
        "Rückblick": "2",
        "Meilensteine": "2.1",
        "Ampelstatus": "2.2",
        "Ausblick": "3",
    }
    services.agenda_item_move(
        actor=coordinator,
        item=sub_b,
        version=AgendaItem.objects.get(pk=sub_b.pk).version,
        direction="up",
    )
    assert numbers()["Ampelstatus"] == "2.1" and numbers()["Meilensteine"] == "2.2"
    services.agenda_reorder(
        actor=coordinator, meeting=meeting, order=[outlook.pk, welcome.pk, review.pk]
    )
    assert numbers()["Ausblick"] == "1" and numbers()["Meilensteine"] == "3.2"
    inserted = add("Bericht des Oberbürgermeisters", position=1)
    assert inserted.number == "1" and numbers()["Ausblick"] == "2"
    services.agenda_item_delete(
        actor=coordinator, item=review, version=AgendaItem.objects.get(pk=review.pk).version
    )
    assert numbers() == {"Bericht des Oberbürgermeisters": "1", "Ausblick": "2", "Begrüßung": "3"}
    assert not AgendaItem.objects.filter(pk=sub_a.pk).exists()
    with pytest.raises(ValidationError):
        services.agenda_reorder(actor=coordinator, meeting=meeting, order=[outlook.pk, sub_a.pk])


def test_agenda_numbers_pure_function() -> None:
    def item(pk: int, position: int, parent: int | None = None) -> AgendaItem:
        return AgendaItem(pk=pk, position=position, parent_id=parent)

    items = [item(1, 5), item(2, 1), item(3, 2, parent=1), item(4, 1, parent=1), item(5, 1, 4)]
    assert services.agenda_numbers(items) == {
        2: (1, "1"),
        1: (2, "2"),
        4: (1, "2.1"),
        5: (1, "2.1.1"),
        3: (2, "2.2"),
    }


def test_agenda_links_to_goals_and_measures_make_a_version(
    meeting: Meeting, coordinator: Any
) -> None:
    goal = GoalFactory(field__masterplan=meeting.masterplan)
    measure = MeasureFactory(goal=goal)
    item = services.agenda_item_create(actor=coordinator, meeting=meeting, title="Kernzonen")
    updated = services.agenda_item_update(
        actor=coordinator, item=item, version=item.version, goals=[goal], measures=[measure]
    )
    assert updated.version == item.version + 1
    assert list(updated.measures.all()) == [measure]


def test_attendance_is_one_row_per_person(meeting: Meeting, coordinator: Any) -> None:
    person = PersonFactory(masterplan=meeting.masterplan)
    services.attendance_record(actor=coordinator, meeting=meeting, person=person)
    services.attendance_record(actor=coordinator, meeting=meeting, person=person, status="excused")
    assert list(Attendance.objects.values_list("status", flat=True)) == ["excused"]


def test_attendance_from_members(meeting: Meeting, coordinator: Any) -> None:
    people = [PersonFactory(masterplan=meeting.masterplan) for _ in range(3)]
    for person in people:
        services.membership_create(actor=coordinator, body=meeting.body, person=person)
    services.membership_create(
        actor=coordinator,
        body=meeting.body,
        person=PersonFactory(masterplan=meeting.masterplan),
        end=date(2025, 12, 31),
    )
    created = services.attendance_from_members(actor=coordinator, meeting=meeting)
    assert {a.person_id for a in created} == {p.pk for p in people}
    assert services.attendance_from_members(actor=coordinator, meeting=meeting) == []


def test_decision_votes_must_match_the_vote_kind(held_meeting: Meeting, coordinator: Any) -> None:
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=coordinator,
            meeting=held_meeting,
            title="Beschluss",
            vote_kind="vote",
            votes_yes=5,
        )
    with pytest.raises(ValidationError):
        services.decision_create(
            actor=coordinator, meeting=held_meeting, title="Beschluss", votes_yes=5
        )
    voted = services.decision_create(
        actor=coordinator,
        meeting=held_meeting,
        title="Kernzonen-Workshops fortsetzen",
        vote_kind="vote",
        votes_yes=9,
        votes_no=0,
        votes_abstain=1,
    )
    assert voted.decided_on == date(2026, 1, 20)
    consensus = services.decision_update(
        actor=coordinator, decision=voted, version=voted.version, vote_kind="consensus"
    )
    assert consensus.votes_yes is None


def test_implementation_done_needs_evidence(held_meeting: Meeting, coordinator: Any) -> None:
    decision = services.decision_create(
        actor=coordinator, meeting=held_meeting, title="Flächenpool"
    )
    with pytest.raises(ValidationError) as raised:
        services.decision_set_implementation(
            actor=coordinator, decision=decision, version=decision.version, state="done"
        )
    assert "implementation_evidence" in raised.value.message_dict
    done = services.decision_set_implementation(
        actor=coordinator,
        decision=decision,
        version=decision.version,
        state="done",
        evidence="Flächenpool im Rat beschlossen",
        on=date(2026, 5, 4),
    )
    assert done.implementation_state == ImplementationState.DONE
    assert done.implementation_changed_on == date(2026, 5, 4)


def test_action_item_from_decision_inherits_the_meeting(
    held_meeting: Meeting, coordinator: Any, contributor: Any, other_contributor: Any
) -> None:
    decision = services.decision_create(
        actor=coordinator, meeting=held_meeting, title="Flächenpool"
    )
    item = services.action_item_create(
        actor=contributor, decision=decision, title="Eigentümer ansprechen", due=date(2026, 3, 1)
    )
    assert item.meeting_id == held_meeting.pk and item.masterplan_id == held_meeting.masterplan_id
    done = services.action_item_set_status(
        actor=contributor, item=item, version=item.version, status="done", evidence="erledigt"
    )
    assert done.completed_on is not None and done.status == ActionStatus.DONE
    reopened = services.action_item_set_status(
        actor=contributor, item=done, version=done.version, status="open"
    )
    assert reopened.completed_on is None
    with pytest.raises(PermissionDenied):
        services.action_item_update(
            actor=other_contributor, item=reopened, version=reopened.version, title="x"
        )


def test_document_upload_checks_type_size_and_records_the_digest(
    meeting: Meeting, coordinator: Any, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    document = services.document_upload(
        actor=coordinator, meeting=meeting, file_name="C:\\tmp\\Einladung.pdf", content=PDF
    )
    assert document.file_name == "Einladung.pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.mime_type == "application/pdf" and document.size == len(PDF)
    with document.file.open("rb") as stored:
        assert stored.read() == PDF
    with pytest.raises(ValidationError, match="exe"):
        services.document_upload(
            actor=coordinator, meeting=meeting, file_name="tool.exe", content=b"MZ"
        )
    with pytest.raises(ValidationError, match="not a valid PDF"):
        services.document_upload(
            actor=coordinator, meeting=meeting, file_name="fake.pdf", content=b"MZ..."
        )
    settings.GOVERNANCE_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="at most"):
        services.document_upload(
            actor=coordinator, meeting=meeting, file_name="big.pdf", content=PDF
        )


def test_feed_token_secret_is_shown_once_and_can_be_revoked(
    plan: Masterplan, viewer: Any, other_contributor: Any
) -> None:
    new = services.feed_token_create(actor=viewer, masterplan=plan, label="Outlook")
    stored = FeedToken.objects.get()
    assert new.secret not in stored.token_hash
    assert stored.token_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    assert services.feed_token_for(new.secret) == stored
    assert services.feed_token_for("wrong") is None
    with pytest.raises(PermissionDenied):
        services.feed_token_revoke(actor=other_contributor, token=stored)
    services.feed_token_revoke(actor=viewer, token=stored)
    assert services.feed_token_for(new.secret) is None


def test_feed_token_needs_a_role(plan: Masterplan, other_coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.feed_token_create(actor=other_coordinator, masterplan=plan)
