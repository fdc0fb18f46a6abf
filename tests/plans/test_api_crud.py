"""Plans API: create, read, change and delete every object, as a coordinator of Duisburg."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    KeyResultReading,
    Measure,
    Milestone,
    StatusReport,
)
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    PersonFactory,
    seeded_statuses,
)
from tests.governance.factories import BodyFactory

BASE = "/api/plans/duisburg/plan"
TOP_10 = "Top 10 der deutschen Oberzentren mit den schnellsten Genehmigungsverfahren bis 2025"
DIALOGUE = "Business beim Brötchen – der Wirtschaftsdialog"


def send(client: Client, method: str, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def statuses(plan: Masterplan) -> dict[str, Any]:
    return seeded_statuses(plan)


@pytest.fixture
def coordinating(coordinator: Any, client_as: Any) -> Client:
    client: Client = client_as(coordinator)
    return client


def test_plan_detail_and_update(plan: Masterplan, coordinating: Client) -> None:
    response = coordinating.get(BASE)
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["name"] == "Masterplan Wirtschaft für Duisburg"

    response = send(
        coordinating,
        "PATCH",
        BASE,
        {"horizon": 2030, "signed_on": "2019-05-10"},
        **{"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    plan.refresh_from_db()
    assert (plan.horizon, plan.signed_on) == (2030, date(2019, 5, 10))


def test_field_goal_and_key_result_are_created_in_their_parents(
    plan: Masterplan, own_org: Organization, coordinating: Client
) -> None:
    field = send(
        coordinating,
        "POST",
        f"{BASE}/fields",
        {"name": "Schnellere Genehmigungsverfahren", "lead_organization_id": own_org.pk},
    )
    assert field.status_code == 201, field.content
    assert field["ETag"] == '"1"'
    field_id = field.json()["id"]

    goal = send(
        coordinating,
        "POST",
        f"{BASE}/fields/{field_id}/goals",
        {"statement": TOP_10, "priority": "high", "is_focus": True, "due_date": "2025-12-31"},
    )
    assert goal.status_code == 201, goal.content
    goal_id = goal.json()["id"]
    assert goal.json()["field_id"] == field_id

    key_result = send(
        coordinating,
        "POST",
        f"{BASE}/goals/{goal_id}/key-results",
        {
            "name": "Median-Dauer Baugenehmigung",
            "unit": "Tage",
            "baseline_value": 120,
            "baseline_date": "2022-01-01",
            "target_value": 60,
            "target_date": "2025-12-31",
            "current_value": "105.5",
            "current_as_of": "2023-06-30",
        },
    )
    assert key_result.status_code == 201, key_result.content
    data = key_result.json()
    assert data["baseline_value"] == 120
    assert data["current_value"] == 105.5
    created = KeyResult.objects.get(pk=data["id"])
    assert created.goal_id == goal_id
    assert created.masterplan == plan
    assert FieldOfAction.objects.get(pk=field_id).lead_organization == own_org


def test_field_update_and_delete(plan: Masterplan, coordinating: Client) -> None:
    field = FieldOfActionFactory(masterplan=plan, name="Start-ups")
    url = f"{BASE}/fields/{field.pk}"

    response = send(coordinating, "PATCH", url, {"name": "Gründungen und Start-ups", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Gründungen und Start-ups"

    assert coordinating.delete(f"{url}?version=2").status_code == 204
    assert coordinating.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="plans.fieldofaction.deleted").count() == 1


def test_field_with_goals_is_not_deleted(plan: Masterplan, coordinating: Client) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    response = coordinating.delete(f"{BASE}/fields/{goal.field_id}", headers={"If-Match": '"1"'})
    assert response.status_code == 422
    assert FieldOfAction.objects.filter(pk=goal.field_id).exists()


def test_goal_update_moves_it_to_another_field(plan: Masterplan, coordinating: Client) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan), statement=TOP_10)
    other = FieldOfActionFactory(masterplan=plan, name="Wirtschaftsdialog")
    owner = PersonFactory(masterplan=plan, given_name="Jennifer", family_name="Kleff")

    response = send(
        coordinating,
        "PATCH",
        f"{BASE}/goals/{goal.pk}",
        {"field_id": other.pk, "owner_id": owner.pk, "version": 1},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["field_id"], response.json()["owner_id"]) == (other.pk, owner.pk)


def test_goal_delete_takes_its_key_results_along(plan: Masterplan, coordinating: Client) -> None:
    key_result = KeyResultFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    response = coordinating.delete(
        f"{BASE}/goals/{key_result.goal_id}", headers={"If-Match": '"1"'}
    )
    assert response.status_code == 204
    assert not Goal.objects.filter(pk=key_result.goal_id).exists()
    assert not KeyResult.objects.filter(pk=key_result.pk).exists()


def test_goal_served_by_measures_is_not_deleted(
    plan: Masterplan, statuses: Any, coordinating: Client
) -> None:
    measure = MeasureFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    response = coordinating.delete(f"{BASE}/goals/{measure.goal_id}?version=1")
    assert response.status_code == 422
    assert Goal.objects.filter(pk=measure.goal_id).exists()


def test_new_current_value_is_kept_in_the_reading_history(
    plan: Masterplan, coordinating: Client
) -> None:
    key_result = KeyResultFactory(
        goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)),
        name="Median-Dauer Baugenehmigung",
    )
    url = f"{BASE}/key-results/{key_result.pk}"
    send(
        coordinating,
        "PATCH",
        url,
        {"current_value": 100, "current_as_of": "2023-12-31", "version": 1},
    )
    send(
        coordinating,
        "PATCH",
        url,
        {"current_value": 84, "current_as_of": "2024-12-31", "version": 2},
    )

    readings = coordinating.get(f"{url}/readings").json()

    assert readings["count"] == 2
    assert [(r["measured_on"], r["value"]) for r in readings["items"]] == [
        ("2024-12-31", 84),
        ("2023-12-31", 100),
    ]
    assert KeyResultReading.objects.filter(key_result=key_result).count() == 2


def test_key_result_delete(plan: Masterplan, coordinating: Client) -> None:
    key_result = KeyResultFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    response = coordinating.delete(f"{BASE}/key-results/{key_result.pk}?version=1")
    assert response.status_code == 204
    assert coordinating.get(f"{BASE}/key-results/{key_result.pk}").status_code == 404


def test_statuses_are_listed_in_catalogue_order(
    plan: Masterplan, statuses: Any, client_as: Any
) -> None:
    items = client_as(None).get(f"{BASE}/statuses").json()["items"]
    assert [(s["name"], s["default_progress"]) for s in items] == [
        ("Idee", 0),
        ("In Vorbereitung", 10),
        ("In Umsetzung", 50),
        ("Abschluss", 90),
        ("Umgesetzt", 100),
        ("Gestoppt", 0),
    ]


def test_measure_create_update_and_delete(
    plan: Masterplan, statuses: Any, own_org: Organization, coordinating: Client
) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    created = send(
        coordinating,
        "POST",
        f"{BASE}/goals/{goal.pk}/measures",
        {
            "title": DIALOGUE,
            "lead_organization_id": own_org.pk,
            "operational_body_id": BodyFactory(masterplan=goal.masterplan).pk,
            "planned_start": "2024-01-15",
            "planned_end": "2026-12-31",
            "status_id": statuses["In Umsetzung"].pk,
            "location": {"type": "Point", "coordinates": [6.7623, 51.4344]},
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status_name"], data["effective_progress"]) == ("In Umsetzung", 50)
    assert data["lead_organization_name"] == "Wirtschaft für Duisburg e. V."
    url = f"{BASE}/measures/{data['id']}"

    changed = send(
        coordinating,
        "PATCH",
        url,
        {"progress": 60, "health": "amber", "health_reason": "Raum im Rathaus erst ab März"},
        **{"If-Match": created["ETag"]},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["effective_progress"], changed.json()["health"]) == (60, "amber")

    assert coordinating.delete(url, headers={"If-Match": changed["ETag"]}).status_code == 204
    assert not Measure.objects.filter(pk=data["id"]).exists()


def test_measure_without_status_gets_the_first_of_the_catalogue(
    plan: Masterplan, statuses: Any, own_org: Organization, coordinating: Client
) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    response = send(
        coordinating,
        "POST",
        f"{BASE}/goals/{goal.pk}/measures",
        {"title": DIALOGUE, "lead_organization_id": own_org.pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status_name"] == "Idee"


def test_milestone_create_achieve_and_delete(
    plan: Masterplan, statuses: Any, coordinating: Client
) -> None:
    measure = MeasureFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    created = send(
        coordinating,
        "POST",
        f"{BASE}/measures/{measure.pk}/milestones",
        {"title": "Erster Wirtschaftsdialog im Rathaus", "due": "2024-03-14"},
    )
    assert created.status_code == 201, created.content
    url = f"{BASE}/milestones/{created.json()['id']}"
    assert created.json()["overdue"] is True

    achieved = send(
        coordinating,
        "PATCH",
        url,
        {
            "achieved_on": "2024-03-14",
            "evidence_url": "https://www.duisburg.de/wirtschaftsdialog",
            "version": 1,
        },
    )
    assert achieved.status_code == 200, achieved.content
    assert achieved.json()["overdue"] is False

    assert coordinating.delete(f"{url}?version=2").status_code == 204
    assert not Milestone.objects.filter(measure=measure).exists()


def test_status_report_is_submitted_and_reviewed(
    plan: Masterplan,
    statuses: Any,
    own_org: Organization,
    contributor: Any,
    coordinator: Any,
    client_as: Any,
) -> None:
    measure = MeasureFactory(
        goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)), lead_organization=own_org
    )
    submitted = send(
        client_as(contributor),
        "POST",
        f"{BASE}/measures/{measure.pk}/status-reports",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "health": "amber",
            "progress": 40,
            "narrative": "Zwei Dialogrunden mit 35 Unternehmen durchgeführt.",
            "risks": "Terminfindung mit der Stadtspitze schwierig.",
        },
    )
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["submitted_by"] == "beitrag"
    measure.refresh_from_db()
    # The contributor's rating is a proposal until the report is reviewed; progress counts.
    assert (measure.health, measure.progress) == ("green", 40)
    assert submitted.json()["state"] == "submitted"

    report_id = submitted.json()["id"]
    reviewed = send(
        client_as(coordinator),
        "POST",
        f"{BASE}/status-reports/{report_id}/review",
        {"comment": "Im Steuerungskreis am 12.05. besprechen."},
        **{"If-Match": submitted["ETag"]},
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["reviewed_by"] == "koordination"
    assert reviewed.json()["state"] == "reviewed"
    measure.refresh_from_db()
    assert (measure.health, measure.progress) == ("amber", 40)
    assert measure.health_reason == "Terminfindung mit der Stadtspitze schwierig."
    report = StatusReport.objects.get(pk=report_id)
    assert report.review_comment == "Im Steuerungskreis am 12.05. besprechen."
    assert report.reviewed_at is not None


def test_detail_responses_carry_the_version_as_etag(
    plan: Masterplan, statuses: Any, viewer: Any, client_as: Any
) -> None:
    milestone = MilestoneFactory(
        measure=MeasureFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    )
    Milestone.objects.filter(pk=milestone.pk).update(version=4)
    response = client_as(viewer).get(f"{BASE}/milestones/{milestone.pk}")
    assert response["ETag"] == '"4"'
    assert response.json()["version"] == 4


def test_openapi_lists_the_plans_endpoints(client_as: Any) -> None:
    paths = client_as(None).get("/api/openapi.json").json()["paths"]
    assert "/api/plans/{plan}/plan/measures/{pk}/dependencies" in paths
    assert "/api/plans/{plan}/plan/tree" in paths
