"""Plans API: no lost updates (409/412/428) and the model's rules as 422 with field errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.plans.models import Goal, KeyResult, Measure
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    MeasureFactory,
    seeded_statuses,
)

BASE = "/api/plans/duisburg/plan"


def send(client: Client, method: str, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


@pytest.fixture
def goal(plan: Masterplan) -> Goal:
    seeded_statuses(plan)
    return GoalFactory(field=FieldOfActionFactory(masterplan=plan))


@pytest.fixture
def measure(goal: Goal) -> Measure:
    return MeasureFactory(goal=goal, title="Business beim Brötchen – der Wirtschaftsdialog")


@pytest.fixture
def client(coordinator: Any, client_as: Any) -> Client:
    logged_in: Client = client_as(coordinator)
    return logged_in


def test_stale_if_match_is_412_and_keeps_the_first_edit(measure: Measure, client: Client) -> None:
    url = f"{BASE}/measures/{measure.pk}"
    first = send(client, "PATCH", url, {"title": "AG Dialog"}, **{"If-Match": '"1"'})
    assert first.status_code == 200
    second = send(client, "PATCH", url, {"title": "AG Start-ups"}, **{"If-Match": '"1"'})
    assert second.status_code == 412
    assert second.json()["current_version"] == 2
    assert second["ETag"] == '"2"'
    measure.refresh_from_db()
    assert measure.title == "AG Dialog"


def test_stale_body_version_is_409(goal: Goal, client: Client) -> None:
    url = f"{BASE}/goals/{goal.pk}"
    send(client, "PATCH", url, {"priority": "high", "version": 1})
    response = send(client, "PATCH", url, {"priority": "low", "version": 1})
    assert response.status_code == 409
    goal.refresh_from_db()
    assert goal.priority == "high"


def test_write_without_version_is_428(goal: Goal, client: Client) -> None:
    assert send(client, "PATCH", f"{BASE}/goals/{goal.pk}", {"priority": "low"}).status_code == 428
    assert client.delete(f"{BASE}/goals/{goal.pk}").status_code == 428
    assert send(client, "PATCH", BASE, {"horizon": 2030}).status_code == 428


def test_stale_delete_is_refused(measure: Measure, client: Client) -> None:
    Measure.objects.filter(pk=measure.pk).update(version=3)
    assert client.delete(f"{BASE}/measures/{measure.pk}?version=2").status_code == 409
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_review_of_a_changed_report_is_refused(measure: Measure, client: Client) -> None:
    created = send(
        client,
        "POST",
        f"{BASE}/measures/{measure.pk}/status-reports",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "health": "green",
            "progress": 20,
            "narrative": "Erste Dialogrunde mit 20 Unternehmen.",
        },
    ).json()
    url = f"{BASE}/status-reports/{created['id']}/review"
    assert send(client, "POST", url, {"version": 1}).status_code == 200
    assert send(client, "POST", url, {"version": 1, "comment": "Nochmal"}).status_code == 409


def test_health_reason_is_required_when_not_green(measure: Measure, client: Client) -> None:
    response = send(
        client, "PATCH", f"{BASE}/measures/{measure.pk}", {"health": "red", "version": 1}
    )
    assert response.status_code == 422
    assert "health_reason" in response.json()["errors"]
    measure.refresh_from_db()
    assert (measure.health, measure.version) == ("green", 1)


def test_planned_end_before_start_is_422(measure: Measure, client: Client) -> None:
    response = send(
        client,
        "PATCH",
        f"{BASE}/measures/{measure.pk}",
        {"planned_start": "2026-06-01", "planned_end": "2026-01-31", "version": 1},
    )
    assert response.status_code == 422
    assert "planned_end" in response.json()["errors"]


def test_target_equal_to_baseline_is_422(goal: Goal, client: Client) -> None:
    response = send(
        client,
        "POST",
        f"{BASE}/goals/{goal.pk}/key-results",
        {
            "name": "Median-Dauer Baugenehmigung",
            "baseline_value": 120,
            "baseline_date": "2022-01-01",
            "target_value": 120,
            "target_date": "2025-12-31",
        },
    )
    assert response.status_code == 422
    assert "target_value" in response.json()["errors"]
    assert not KeyResult.objects.exists()


def test_missing_baseline_is_422_with_the_field(goal: Goal, client: Client) -> None:
    response = send(
        client,
        "POST",
        f"{BASE}/goals/{goal.pk}/key-results",
        {"name": "Median-Dauer", "baseline_date": "2022-01-01", "target_date": "2025-12-31"},
    )
    assert response.status_code == 422
    assert {"baseline_value", "target_value"} <= response.json()["errors"].keys()


def test_coordinator_must_name_the_lead_organisation(goal: Goal, client: Client) -> None:
    response = send(client, "POST", f"{BASE}/goals/{goal.pk}/measures", {"title": "Gründerwoche"})
    assert response.status_code == 422
    assert "lead_organization_id" in response.json()["errors"]


def test_reference_to_another_plan_is_422(
    goal: Goal, other_plan: Masterplan, client: Client
) -> None:
    foreign = FieldOfActionFactory(masterplan=other_plan, name="Kernzonen Düsseldorf")
    response = send(
        client, "PATCH", f"{BASE}/goals/{goal.pk}", {"field_id": foreign.pk, "version": 1}
    )
    assert response.status_code == 422
    assert "field_id" in response.json()["errors"]
    goal.refresh_from_db()
    assert goal.field_id != foreign.pk


def test_dependencies_are_set_as_a_list_of_ids(
    goal: Goal, measure: Measure, client: Client
) -> None:
    permits = MeasureFactory(goal=goal, title="Digitaler Bauantrag")
    workshop = MeasureFactory(goal=goal, title="Kernzonen-Workshop Hüttenheim")
    response = send(
        client,
        "PUT",
        f"{BASE}/measures/{measure.pk}/dependencies",
        {"depends_on": [workshop.pk, permits.pk]},
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    assert response.json()["depends_on"] == sorted([permits.pk, workshop.pk])
    assert response["ETag"] == '"2"'
    listed = client.get(f"{BASE}/measures?q=Brötchen").json()["items"]
    assert listed[0]["depends_on"] == sorted([permits.pk, workshop.pk])
    assert AuditEntry.objects.filter(action="plans.measure.dependencies_changed").count() == 1


def test_dependency_cycle_is_422_and_changes_nothing(
    goal: Goal, measure: Measure, client: Client
) -> None:
    permits = MeasureFactory(goal=goal, title="Digitaler Bauantrag")
    permits.depends_on.set([measure])

    response = send(
        client,
        "PUT",
        f"{BASE}/measures/{measure.pk}/dependencies",
        {"depends_on": [permits.pk], "version": 1},
    )

    assert response.status_code == 422
    assert "depends_on" in response.json()["errors"]
    assert "Digitaler Bauantrag" in response.json()["errors"]["depends_on"][0]
    measure.refresh_from_db()
    assert list(measure.depends_on.all()) == []
    assert measure.version == 1


def test_dependency_on_itself_is_a_cycle(measure: Measure, client: Client) -> None:
    response = send(
        client,
        "PUT",
        f"{BASE}/measures/{measure.pk}/dependencies",
        {"depends_on": [measure.pk], "version": 1},
    )
    assert response.status_code == 422


def test_dependency_on_another_plans_measure_is_422(
    measure: Measure, other_plan: Masterplan, client: Client
) -> None:
    seeded_statuses(other_plan)
    foreign = MeasureFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=other_plan)))
    response = send(
        client,
        "PUT",
        f"{BASE}/measures/{measure.pk}/dependencies",
        {"depends_on": [foreign.pk], "version": 1},
    )
    assert response.status_code == 422
    assert not measure.depends_on.exists()


def test_dependencies_need_the_list(measure: Measure, client: Client) -> None:
    response = send(client, "PUT", f"{BASE}/measures/{measure.pk}/dependencies", {"version": 1})
    assert response.status_code == 422
    assert "depends_on" in response.json()["errors"]


def test_dependencies_with_a_stale_version_are_refused(
    goal: Goal, measure: Measure, client: Client
) -> None:
    permits = MeasureFactory(goal=goal, title="Digitaler Bauantrag")
    url = f"{BASE}/measures/{measure.pk}/dependencies"
    assert send(client, "PUT", url, {"depends_on": [permits.pk], "version": 1}).status_code == 200
    assert send(client, "PUT", url, {"depends_on": [], "version": 1}).status_code == 409
    assert list(measure.depends_on.values_list("pk", flat=True)) == [permits.pk]


def test_measure_created_with_dependencies(goal: Goal, own_org: Any, client: Client) -> None:
    permits = MeasureFactory(goal=goal, title="Digitaler Bauantrag")
    response = send(
        client,
        "POST",
        f"{BASE}/goals/{goal.pk}/measures",
        {
            "title": "Business beim Brötchen – der Wirtschaftsdialog",
            "lead_organization_id": own_org.pk,
            "depends_on": [permits.pk],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["depends_on"] == [permits.pk]
