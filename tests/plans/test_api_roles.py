"""Plans API: the public sees published records only; contributors edit their own measures."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.plans.models import Goal, Measure, StatusReport
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    seeded_statuses,
)

BASE = "/api/plans/duisburg/plan"
DRAFT = Publication.DRAFT


def send(client: Client, method: str, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def goal(plan: Masterplan) -> Goal:
    seeded_statuses(plan)
    return GoalFactory(field=FieldOfActionFactory(masterplan=plan))


@pytest.fixture
def own_measure(goal: Goal, own_org: Organization) -> Measure:
    return MeasureFactory(
        goal=goal, lead_organization=own_org, title="Business beim Brötchen – der Wirtschaftsdialog"
    )


@pytest.fixture
def chamber_measure(goal: Goal, other_org: Organization) -> Measure:
    return MeasureFactory(goal=goal, lead_organization=other_org, title="IHK-Gründerwoche")


def report_on(measure: Measure, publication: str) -> StatusReport:
    return StatusReport.objects.create(
        masterplan=measure.masterplan,
        measure=measure,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        health="green",
        progress=30,
        narrative="Dialogrunde in Ruhrort mit 25 Unternehmen.",
        publication=publication,
    )


LISTS = ("fields", "goals", "key-results", "measures", "milestones", "status-reports")


def test_anonymous_lists_show_published_records_only(
    goal: Goal, own_measure: Measure, viewer: Any, client_as: Any
) -> None:
    draft_field = FieldOfActionFactory(masterplan=goal.masterplan, publication=DRAFT)
    GoalFactory(field=goal.field, publication=DRAFT)
    KeyResultFactory(goal=goal)
    KeyResultFactory(goal=goal, publication=DRAFT)
    MeasureFactory(goal=goal, publication=DRAFT)
    MilestoneFactory(measure=own_measure)
    MilestoneFactory(measure=own_measure, publication=DRAFT)
    report_on(own_measure, Publication.PUBLISHED)
    report_on(own_measure, DRAFT)

    public = {name: client_as(None).get(f"{BASE}/{name}").json()["count"] for name in LISTS}
    member = {name: client_as(viewer).get(f"{BASE}/{name}").json()["count"] for name in LISTS}

    assert public == {name: 1 for name in LISTS}
    assert member == {name: 2 for name in LISTS}
    assert client_as(None).get(f"{BASE}/fields/{draft_field.pk}").status_code == 404
    assert client_as(viewer).get(f"{BASE}/fields/{draft_field.pk}").status_code == 200


def test_unpublished_plan_is_hidden_from_the_public(
    plan: Masterplan, viewer: Any, client_as: Any
) -> None:
    Masterplan.objects.filter(pk=plan.pk).update(publication=DRAFT)
    assert client_as(None).get(BASE).status_code == 404
    assert client_as(None).get(f"{BASE}/tree").status_code == 404
    assert client_as(viewer).get(BASE).status_code == 200


def test_the_public_does_not_see_who_submitted_a_report(
    own_measure: Measure, contributor: Any, viewer: Any, client_as: Any
) -> None:
    report = report_on(own_measure, Publication.PUBLISHED)
    StatusReport.objects.filter(pk=report.pk).update(submitted_by=contributor)
    url = f"{BASE}/status-reports/{report.pk}"
    assert client_as(None).get(url).json()["submitted_by"] is None
    assert client_as(viewer).get(url).json()["submitted_by"] == "beitrag"


def test_anonymous_writes_need_authentication(goal: Goal, client_as: Any) -> None:
    response = send(client_as(None), "PATCH", f"{BASE}/goals/{goal.pk}", {"version": 1})
    assert response.status_code == 401


def test_viewer_may_not_write(own_measure: Measure, viewer: Any, client_as: Any) -> None:
    response = send(
        client_as(viewer),
        "PATCH",
        f"{BASE}/measures/{own_measure.pk}",
        {"progress": 70, "version": 1},
    )
    assert response.status_code == 403


def test_contributor_edits_the_measures_of_their_organisation(
    own_measure: Measure, chamber_measure: Measure, contributor: Any, client_as: Any
) -> None:
    client = client_as(contributor)
    own = send(client, "PATCH", f"{BASE}/measures/{own_measure.pk}", {"progress": 70, "version": 1})
    other = send(
        client, "PATCH", f"{BASE}/measures/{chamber_measure.pk}", {"progress": 70, "version": 1}
    )
    assert own.status_code == 200
    assert other.status_code == 403
    chamber_measure.refresh_from_db()
    assert chamber_measure.progress is None


def test_contributor_cannot_hand_a_measure_to_another_organisation(
    own_measure: Measure, other_org: Organization, contributor: Any, client_as: Any
) -> None:
    response = send(
        client_as(contributor),
        "PATCH",
        f"{BASE}/measures/{own_measure.pk}",
        {"lead_organization_id": other_org.pk, "version": 1},
    )
    assert response.status_code == 403
    own_measure.refresh_from_db()
    assert own_measure.lead_organization_id != other_org.pk


def test_contributor_creates_measures_led_by_their_organisation(
    goal: Goal, own_org: Organization, other_org: Organization, contributor: Any, client_as: Any
) -> None:
    client = client_as(contributor)
    url = f"{BASE}/goals/{goal.pk}/measures"
    created = send(client, "POST", url, {"title": "Start-up-Sprechstunde"})
    refused = send(
        client, "POST", url, {"title": "Gründerwoche", "lead_organization_id": other_org.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["lead_organization_id"] == own_org.pk
    assert refused.status_code == 403
    assert not Measure.objects.filter(title="Gründerwoche").exists()


def test_contributor_adds_milestones_and_reports_to_own_measures_only(
    own_measure: Measure, chamber_measure: Measure, contributor: Any, client_as: Any
) -> None:
    client = client_as(contributor)
    milestone = {"title": "Dialogrunde Homberg", "due": "2026-09-10"}
    assert (
        send(client, "POST", f"{BASE}/measures/{own_measure.pk}/milestones", milestone).status_code
        == 201
    )
    assert (
        send(
            client, "POST", f"{BASE}/measures/{chamber_measure.pk}/milestones", milestone
        ).status_code
        == 403
    )


def test_contributor_may_neither_delete_measures_nor_review_reports(
    own_measure: Measure, contributor: Any, client_as: Any
) -> None:
    client = client_as(contributor)
    report = report_on(own_measure, DRAFT)
    assert client.delete(f"{BASE}/measures/{own_measure.pk}?version=1").status_code == 403
    review = send(client, "POST", f"{BASE}/status-reports/{report.pk}/review", {"version": 1})
    assert review.status_code == 403
    assert Measure.objects.filter(pk=own_measure.pk).exists()


def test_coordinator_of_another_plan_sees_no_drafts_and_changes_nothing(
    goal: Goal, other_coordinator: Any, client_as: Any
) -> None:
    draft = MeasureFactory(goal=goal, publication=DRAFT)
    client = client_as(other_coordinator)
    assert client.get(f"{BASE}/measures/{draft.pk}").status_code == 404
    assert client.get(f"{BASE}/measures").json()["count"] == 0
    response = send(client, "PATCH", f"{BASE}/goals/{goal.pk}", {"priority": "low", "version": 1})
    assert response.status_code == 403
    assert send(client, "PATCH", BASE, {"horizon": 2040, "version": 1}).status_code == 403


def test_objects_are_not_reachable_through_another_plans_url(
    goal: Goal, own_measure: Measure, other_plan: Masterplan, admin: Any, client_as: Any
) -> None:
    url = f"/api/plans/{other_plan.slug}/plan/measures/{own_measure.pk}"
    assert client_as(admin).get(url).status_code == 404


def test_the_public_does_not_see_dependencies_on_drafts(
    goal: Goal, own_measure: Measure, viewer: Any, client_as: Any
) -> None:
    draft = MeasureFactory(goal=goal, title="Flächenbörse (Entwurf)", publication=DRAFT)
    own_measure.depends_on.set([draft])
    url = f"{BASE}/measures/{own_measure.pk}"
    assert client_as(None).get(url).json()["depends_on"] == []
    assert client_as(viewer).get(url).json()["depends_on"] == [draft.pk]
    assert client_as(None).get(f"{BASE}/measures").json()["items"][0]["depends_on"] == []
