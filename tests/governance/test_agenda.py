"""The draft agenda generated from the plan, and the review report attached as PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.governance import agenda, services
from masterplan.governance.models import (
    ActionStatus,
    AgendaItem,
    Body,
    BodyKind,
    DocumentKind,
    ImplementationState,
    Meeting,
    MeetingState,
)
from tests.clock import on_day
from tests.factories import GoalFactory, MeasureFactory, MilestoneFactory, seeded_statuses
from tests.governance.factories import (
    ActionItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

# The secretary prepares the meeting of 20 January 2026 a week ahead.
pytestmark = on_day(date(2026, 1, 12))


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def setting(plan: Masterplan, own_org: Organization) -> dict[str, Any]:
    statuses = seeded_statuses(plan)
    body = BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Industrie",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
    )
    previous = MeetingFactory(body=body, start=datetime(2025, 10, 14, 9, tzinfo=UTC))
    previous.state = MeetingState.HELD
    previous.save()
    meeting = MeetingFactory(body=body, start=datetime(2026, 1, 20, 9, tzinfo=UTC))
    MeetingFactory(body=body, start=datetime(2026, 4, 21, 9, tzinfo=UTC))  # next meeting
    goal = GoalFactory(field__masterplan=plan)
    active = statuses["In Umsetzung"]
    red = MeasureFactory(
        goal=goal,
        title="Digitaler Bauantrag",
        health="red",
        health_reason="Schnittstelle fehlt",
        status=active,
    )
    amber = MeasureFactory(
        goal=goal,
        title="Kernzonen-Workshops",
        health="amber",
        health_reason="Termine offen",
        status=active,
    )
    MeasureFactory(goal=goal, title="Grün", status=active)
    MeasureFactory(
        goal=goal, title="Gestoppt", health="red", health_reason="x", status=statuses["Gestoppt"]
    )
    MilestoneFactory(measure=amber, title="Workshop Reisholz", due=date(2026, 3, 31))
    MilestoneFactory(measure=amber, title="Workshop Hafen", due=date(2026, 5, 31))  # after next
    MilestoneFactory(measure=red, title="Pilot", due=date(2025, 12, 1))  # overdue
    MilestoneFactory(
        measure=red, title="Erledigt", due=date(2025, 11, 1), achieved_on=date(2025, 11, 1)
    )
    DecisionFactory(
        meeting=previous,
        reference="LK-2026-01",
        title="Flächenpool prüfen",
        decided_on=date(2025, 10, 14),
    )
    DecisionFactory(
        meeting=previous,
        title="Erledigt",
        decided_on=date(2025, 10, 14),
        implementation_state=ImplementationState.DONE,
    )
    ActionItemFactory(meeting=previous, title="Eigentümer ansprechen", due=date(2025, 12, 15))
    ActionItemFactory(meeting=previous, title="Später", due=date(2026, 2, 15))
    ActionItemFactory(
        meeting=previous, title="Fertig", due=date(2025, 12, 1), status=ActionStatus.DONE
    )
    return {"body": body, "meeting": meeting, "previous": previous, "red": red, "amber": amber}


def titles(proposals: list[agenda.Proposal]) -> list[Any]:
    return [(p.title, [c.title for c in p.children]) for p in proposals]


def test_a_public_proposal_never_carries_the_reason_for_a_rating(
    setting: dict[str, Any],
) -> None:
    """The generated agenda put the measure's internal reason into a public item."""
    health = next(
        p for p in agenda.propose_agenda(meeting=setting["meeting"]) if p.source == "health"
    )
    assert any(child.is_public for child in health.children)
    for child in health.children:
        if child.is_public:
            assert "Schnittstelle fehlt" not in child.text and "Termine offen" not in child.text


def test_proposal_lists_what_the_plan_says(setting: dict[str, Any]) -> None:
    proposed = titles(agenda.propose_agenda(meeting=setting["meeting"]))
    assert proposed == [
        ("Welcome and adoption of the agenda", []),
        ("Approval of the minutes of the meeting of 14.10.2025", []),
        (
            "Measures off track or at risk",
            ["Digitaler Bauantrag (Off track)", "Kernzonen-Workshops (At risk)"],
        ),
        (
            "Milestones due before 21.04.2026",
            ["Pilot (due 01.12.2025) – overdue", "Workshop Reisholz (due 31.03.2026)"],
        ),
        ("Decisions not yet carried out", ["LK-2026-01 Flächenpool prüfen (Open)"]),
        ("Overdue action items", ["Eigentümer ansprechen (due 15.12.2025)"]),
        ("Review and outlook: report for 14.10.2025 – 19.01.2026", []),
        ("Any other business", []),
    ]


def test_working_group_looks_at_its_own_measures(setting: dict[str, Any], plan: Masterplan) -> None:
    group = BodyFactory(masterplan=plan, name="AG Kernzonen", parent=setting["body"])
    amber = setting["amber"]
    amber.operational_body = group
    amber.save()
    meeting = MeetingFactory(body=group, start=datetime(2026, 2, 1, 9, tzinfo=UTC))
    proposed = dict(titles(agenda.propose_agenda(meeting=meeting)))
    assert proposed["Measures off track or at risk"] == ["Kernzonen-Workshops (At risk)"]


def test_generate_writes_numbered_items_linked_to_measures(
    setting: dict[str, Any], coordinator: Any
) -> None:
    meeting: Meeting = setting["meeting"]
    created = agenda.generate_agenda(actor=coordinator, meeting=meeting)
    numbers = [i.number for i in AgendaItem.objects.filter(meeting=meeting).order_by("id")]
    assert numbers[:5] == ["1", "2", "3", "3.1", "3.2"]
    assert len(created) == len(numbers)
    first_measure_item = AgendaItem.objects.get(meeting=meeting, number="3.1")
    assert list(first_measure_item.measures.all()) == [setting["red"]]
    overdue = AgendaItem.objects.get(meeting=meeting, title="Overdue action items")
    assert not overdue.is_public
    assert not AgendaItem.objects.get(parent=overdue).is_public


def test_generate_only_before_the_meeting(setting: dict[str, Any], coordinator: Any) -> None:
    with pytest.raises(ValidationError):
        agenda.generate_agenda(actor=coordinator, meeting=setting["previous"])


def test_report_period_without_previous_meeting(plan: Masterplan) -> None:
    meeting = MeetingFactory(
        body=BodyFactory(masterplan=plan), start=datetime(2026, 1, 20, 9, tzinfo=UTC)
    )
    assert agenda.report_period(meeting) == (date(2025, 10, 20), date(2026, 1, 19))


def test_review_report_is_attached_as_pdf(
    setting: dict[str, Any], coordinator: Any, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    meeting = setting["meeting"]
    try:
        document = agenda.attach_review_report(
            actor=coordinator, meeting=meeting, today=date(2026, 1, 15)
        )
    except OSError:
        pytest.skip("WeasyPrint without Pango")
    assert document.kind == DocumentKind.REPORT and document.mime_type == "application/pdf"
    assert (document.period_start, document.period_end) == (date(2025, 10, 14), date(2026, 1, 19))
    assert not document.is_public
    with document.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    again = agenda.attach_review_report(actor=coordinator, meeting=meeting, today=date(2026, 1, 15))
    assert list(meeting.documents.all()) == [again]  # the earlier one is replaced


def test_review_report_task_is_queued_on_commit(
    setting: dict[str, Any], coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        agenda.request_review_report(actor=coordinator, meeting=setting["meeting"])
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("attach_review_report_task")


def test_body_kinds_are_the_contract() -> None:
    assert set(BodyKind.values) == {
        "steering_committee",
        "steering_group",
        "working_group",
        "workshop_series",
        "board",
    }
    assert services.allowed_transitions(Meeting(state="held")) == ["minutes_approved"]
    assert isinstance(Body._meta.get_field("parent").remote_field.model, type)


def test_a_milestone_still_ahead_is_due_by_the_meeting_not_overdue(
    setting: dict[str, Any],
) -> None:
    MilestoneFactory(measure=setting["amber"], title="Workshop Flingern", due=date(2026, 1, 15))
    (milestones,) = [
        p for p in agenda.propose_agenda(meeting=setting["meeting"]) if p.source == "milestones"
    ]
    texts = [child.title for child in milestones.children]
    assert "Pilot (due 01.12.2025) – overdue" in texts  # before today
    assert "Workshop Flingern (due 15.01.2026) – due by the meeting" in texts  # still ahead


def test_the_top_committee_sees_every_measure_off_track(
    plan: Masterplan, own_org: Organization
) -> None:
    """Measures of a working group's sub-group and measures without a working group were
    missing from the steering committee's agenda."""
    seeded_statuses(plan)
    committee = BodyFactory(masterplan=plan, name="Lenkungskreis", kind=BodyKind.STEERING_COMMITTEE)
    group = BodyFactory(masterplan=plan, name="AG Flächen", parent=committee)
    sub_group = BodyFactory(masterplan=plan, name="UAG Kernzone Hafen", parent=group)
    goal = GoalFactory(field__masterplan=plan)
    red = {"health": "red", "health_reason": "Verzug"}
    MeasureFactory(goal=goal, title="Flächenpool", operational_body=group, **red)
    MeasureFactory(goal=goal, title="Hafenkante", operational_body=sub_group, **red)
    MeasureFactory(goal=goal, title="Fachkräfteportal", **red)  # no working group
    meeting = MeetingFactory(body=committee, start=datetime(2026, 1, 20, 9, tzinfo=UTC))
    (health,) = [p for p in agenda.propose_agenda(meeting=meeting) if p.source == "health"]
    assert sorted(child.title for child in health.children) == [
        "Fachkräfteportal (Off track)",
        "Flächenpool (Off track)",
        "Hafenkante (Off track)",
    ]
    # The working group looks at its own measures and its sub-group's.
    group_meeting = MeetingFactory(body=group, start=datetime(2026, 1, 21, 9, tzinfo=UTC))
    (health,) = [p for p in agenda.propose_agenda(meeting=group_meeting) if p.source == "health"]
    assert sorted(child.title for child in health.children) == [
        "Flächenpool (Off track)",
        "Hafenkante (Off track)",
    ]


def test_long_lists_of_measures_are_grouped_by_field(plan: Masterplan) -> None:
    seeded_statuses(plan)
    committee = BodyFactory(masterplan=plan, kind=BodyKind.STEERING_COMMITTEE)
    fields = [
        GoalFactory(field__masterplan=plan, field__name=name, field__position=position)
        for position, name in enumerate(("Flächen", "Fachkräfte"))
    ]
    for number in range(agenda.GROUP_FROM + 1):
        MeasureFactory(
            goal=fields[number % 2],
            title=f"Maßnahme {number + 1}",
            health="amber",
            health_reason="Verzug",
        )
    meeting = MeetingFactory(body=committee, start=datetime(2026, 1, 20, 9, tzinfo=UTC))
    (health,) = [p for p in agenda.propose_agenda(meeting=meeting) if p.source == "health"]
    assert [group.title for group in health.children] == [
        "Flächen (5 measures)",
        "Fachkräfte (4 measures)",
    ]
    assert sum(len(group.children) for group in health.children) == agenda.GROUP_FROM + 1
