"""Plans API: the filters of every list, and paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import FieldOfAction, Goal, Measure, StatusReport
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


@dataclass
class Sample:
    permits: FieldOfAction
    dialogue: FieldOfAction
    top10: Goal
    talks: Goal
    late: Measure
    late_milestone: Measure
    done: Measure
    planned: Measure


@pytest.fixture
def sample(plan: Masterplan, own_org: Organization, other_org: Organization) -> Sample:
    today = timezone.localdate()
    statuses = seeded_statuses(plan)
    permits = FieldOfActionFactory(
        masterplan=plan, name="Schnellere Genehmigungsverfahren", lead_organization=other_org
    )
    dialogue = FieldOfActionFactory(masterplan=plan, name="Wirtschaftsdialog")
    top10 = GoalFactory(
        field=permits, priority="high", is_focus=True, responsible_organization=other_org
    )
    talks = GoalFactory(field=dialogue, statement="Regelmäßiger Dialog mit der Stadtspitze")
    late = MeasureFactory(
        goal=top10,
        title="Digitaler Bauantrag",
        lead_organization=other_org,
        status=statuses["In Umsetzung"],
        health="red",
        health_reason="Schnittstelle zum Fachverfahren fehlt",
        planned_end=today - timedelta(days=3),
        operational_body=BodyFactory(masterplan=top10.masterplan, name="AG Genehmigungen"),
    )
    late_milestone = MeasureFactory(
        goal=talks,
        title="Business beim Brötchen – der Wirtschaftsdialog",
        lead_organization=own_org,
        status=statuses["In Umsetzung"],
        planned_end=today + timedelta(days=200),
        responsible_person=PersonFactory(masterplan=plan, family_name="Kleff"),
    )
    MilestoneFactory(measure=late_milestone, due=today - timedelta(days=1))
    done = MeasureFactory(
        goal=talks,
        title="Kernzonen-Workshop Hüttenheim",
        lead_organization=own_org,
        status=statuses["Umgesetzt"],
        planned_end=today - timedelta(days=30),
        actual_end=today - timedelta(days=10),
    )
    planned = MeasureFactory(
        goal=talks, title="Gründerwoche", lead_organization=own_org, status=statuses["Idee"]
    )
    return Sample(permits, dialogue, top10, talks, late, late_milestone, done, planned)


def titles(client: Any, query: str) -> list[str]:
    response = client.get(f"{BASE}/measures?{query}")
    assert response.status_code == 200, response.content
    return [m["title"] for m in response.json()["items"]]


def test_measure_filters(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    assert titles(client, f"goal={sample.top10.pk}") == ["Digitaler Bauantrag"]
    assert titles(client, f"field={sample.dialogue.pk}&sort=title") == [
        "Business beim Brötchen – der Wirtschaftsdialog",
        "Gründerwoche",
        "Kernzonen-Workshop Hüttenheim",
    ]
    assert titles(client, f"organization={sample.late.lead_organization_id}") == [
        "Digitaler Bauantrag"
    ]
    assert titles(client, f"owner={sample.late_milestone.responsible_person_id}") == [
        "Business beim Brötchen – der Wirtschaftsdialog"
    ]
    assert titles(client, f"status={sample.planned.status_id}") == ["Gründerwoche"]
    assert titles(client, "phase=done") == ["Kernzonen-Workshop Hüttenheim"]
    assert titles(client, "health=red") == ["Digitaler Bauantrag"]
    unit = sample.late.operational_body_id
    assert titles(client, f"unit={unit}") == ["Digitaler Bauantrag"]
    assert titles(client, "q=brötchen+dialog") == ["Business beim Brötchen – der Wirtschaftsdialog"]


def test_measures_sort_by_title_both_ways(sample: Sample, client_as: Any) -> None:
    forward = titles(client_as(None), "sort=title")
    assert forward == sorted(forward)
    assert titles(client_as(None), "sort=-title") == forward[::-1]


def test_overdue_filter_agrees_with_the_tree(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    listed = set(titles(client, "overdue=true"))
    in_tree = {
        m["title"]
        for field in client.get(f"{BASE}/tree?overdue=true").json()["fields"]
        for goal in field["goals"]
        for m in goal["measures"]
    }
    assert (
        listed
        == in_tree
        == {
            "Digitaler Bauantrag",
            "Business beim Brötchen – der Wirtschaftsdialog",
        }
    )


def test_tree_filter_lists_fewer_measures_but_keeps_the_figures(
    sample: Sample, client_as: Any
) -> None:
    client = client_as(None)
    whole = client.get(f"{BASE}/tree").json()
    red = client.get(f"{BASE}/tree?health=red").json()
    assert (whole["measures_shown"], red["measures_shown"]) == (4, 1)
    assert red["progress"] == whole["progress"]


def test_field_and_goal_filters(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    chamber = sample.permits.lead_organization_id

    def names(path: str, key: str) -> list[str]:
        return [item[key] for item in client.get(f"{BASE}/{path}").json()["items"]]

    assert names(f"fields?organization={chamber}", "name") == ["Schnellere Genehmigungsverfahren"]
    assert names("fields?q=dialog", "name") == ["Wirtschaftsdialog"]
    assert names(f"goals?field={sample.dialogue.pk}", "statement") == [sample.talks.statement]
    assert names(f"goals?organization={chamber}", "statement") == [sample.top10.statement]
    assert names("goals?priority=high", "statement") == [sample.top10.statement]
    assert names("goals?focus=false", "statement") == [sample.talks.statement]
    assert names("goals?q=stadtspitze", "statement") == [sample.talks.statement]


def test_key_result_filters(sample: Sample, client_as: Any) -> None:
    median = KeyResultFactory(goal=sample.top10, name="Median-Dauer Baugenehmigung")
    KeyResultFactory(goal=sample.talks, name="Teilnehmende Unternehmen je Dialogrunde", unit="")
    client = client_as(None)
    by_goal = client.get(f"{BASE}/key-results?goal={sample.top10.pk}").json()["items"]
    by_field = client.get(f"{BASE}/key-results?field={sample.permits.pk}").json()["items"]
    by_text = client.get(f"{BASE}/key-results?q=median").json()["items"]
    assert [k["id"] for k in by_goal] == [k["id"] for k in by_field] == [median.pk]
    assert [k["id"] for k in by_text] == [median.pk]


def test_milestone_filters(sample: Sample, client_as: Any) -> None:
    today = timezone.localdate()
    MilestoneFactory(
        measure=sample.done,
        title="Workshop-Dokumentation",
        due=today - timedelta(days=12),
        achieved_on=today - timedelta(days=11),
    )
    MilestoneFactory(measure=sample.planned, title="Programm steht", due=today + timedelta(days=40))
    client = client_as(None)

    def due(query: str) -> list[str]:
        items = client.get(f"{BASE}/milestones?{query}").json()["items"]
        return [m["title"] for m in items]

    assert due(f"measure={sample.done.pk}") == ["Workshop-Dokumentation"]
    assert due("achieved=true") == ["Workshop-Dokumentation"]
    assert due("overdue=true") == ["Workshop Kernzone Reisholz"]
    assert due("overdue=false") == ["Workshop-Dokumentation", "Programm steht"]
    assert due(f"due_from={today}") == ["Programm steht"]
    assert due(f"due_until={today - timedelta(days=5)}") == ["Workshop-Dokumentation"]


def test_status_report_filters(sample: Sample, coordinator: Any, client_as: Any) -> None:
    def report(measure: Measure, start: date, health: str, reviewed: bool) -> StatusReport:
        return StatusReport.objects.create(
            masterplan=measure.masterplan,
            measure=measure,
            period_start=start,
            period_end=start + timedelta(days=89),
            health=health,
            progress=40,
            narrative="Quartalsbericht an den Steuerungskreis",
            publication="published",
            reviewed_at=timezone.now() if reviewed else None,
        )

    q1 = report(sample.late, date(2026, 1, 1), "red", reviewed=True)
    q2 = report(sample.late, date(2026, 4, 1), "amber", reviewed=False)
    other = report(sample.planned, date(2026, 4, 1), "green", reviewed=False)
    client = client_as(coordinator)

    def ids(query: str) -> list[int]:
        return [r["id"] for r in client.get(f"{BASE}/status-reports?{query}").json()["items"]]

    assert ids(f"measure={sample.late.pk}") == [q2.pk, q1.pk]
    assert sorted(ids("reviewed=false")) == sorted([q2.pk, other.pk])
    assert ids("health=red") == [q1.pk]
    assert ids("period_from=2026-03-31&period_until=2026-03-31") == [q1.pk]


def test_lists_are_paginated(sample: Sample, client_as: Any) -> None:
    first = client_as(None).get(f"{BASE}/measures?sort=title&page_size=3").json()
    second = client_as(None).get(f"{BASE}/measures?sort=title&page_size=3&page=2").json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (4, 3, 1)
    assert second["items"][0]["title"] == "Kernzonen-Workshop Hüttenheim"
