"""Plans API: the progress and schedule figures in responses, checked against hand-computed values.

The plan (weights in brackets):
- "Schnellere Genehmigungsverfahren" (3): goal Top 10 with two key results,
  "Median-Dauer Baugenehmigung" 120 → 60 days, now 90: (90 − 120)/(60 − 120) = 0.5 (2), and
  "Anteil digitaler Bauanträge" 20 → 100 %, now 84: (84 − 20)/(100 − 20) = 0.8 (1);
  goal = field = (0.5·2 + 0.8·1)/3 = 0.6.
- "Wirtschaftsdialog" (1): a goal without key results, so its measures count:
  "Business beim Brötchen" in progress, 50 % (1), and "Kernzonen-Workshop Hüttenheim" done,
  100 % (3): (0.5·1 + 1·3)/4 = 0.875.
- Plan: (0.6·3 + 0.875·1)/4 = 0.66875.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.models import Masterplan, Publication
from masterplan.plans.models import KeyResult, Measure
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    seeded_statuses,
)

BASE = "/api/plans/duisburg/plan"


@dataclass
class Sample:
    median: KeyResult
    digital: KeyResult
    dialogue: Measure
    workshop: Measure
    today: date


@pytest.fixture
def sample(plan: Masterplan) -> Sample:
    today = timezone.localdate()
    statuses = seeded_statuses(plan)
    permits = FieldOfActionFactory(
        masterplan=plan, name="Schnellere Genehmigungsverfahren", weight=Decimal(3)
    )
    top10 = GoalFactory(
        field=permits,
        statement="Top 10 der deutschen Oberzentren mit den schnellsten Genehmigungsverfahren",
    )
    median = KeyResultFactory(
        goal=top10,
        name="Median-Dauer Baugenehmigung",
        baseline_value=120,
        target_value=60,
        current_value=90,
        weight=2,
    )
    digital = KeyResultFactory(
        goal=top10,
        name="Anteil digitaler Bauanträge",
        unit="%",
        baseline_value=20,
        target_value=100,
        current_value=84,
        weight=1,
    )
    dialogue_field = FieldOfActionFactory(
        masterplan=plan, name="Wirtschaftsdialog", weight=Decimal(1)
    )
    talks = GoalFactory(field=dialogue_field, statement="Regelmäßiger Dialog mit der Stadtspitze")
    dialogue = MeasureFactory(
        goal=talks,
        title="Business beim Brötchen – der Wirtschaftsdialog",
        status=statuses["In Umsetzung"],
        weight=1,
        planned_start=today - timedelta(days=400),
        actual_start=today - timedelta(days=390),
        planned_end=today - timedelta(days=12),
    )
    MilestoneFactory(measure=dialogue, title="Dialogrunde Ruhrort", due=today - timedelta(days=5))
    MilestoneFactory(measure=dialogue, title="Dialogrunde Walsum", due=today + timedelta(days=10))
    MilestoneFactory(
        measure=dialogue,
        title="Auftakt im Rathaus",
        due=today - timedelta(days=30),
        achieved_on=today - timedelta(days=31),
    )
    workshop = MeasureFactory(
        goal=talks,
        title="Kernzonen-Workshop Hüttenheim",
        status=statuses["Umgesetzt"],
        weight=3,
        planned_end=today - timedelta(days=20),
        actual_end=today - timedelta(days=5),
    )
    return Sample(median, digital, dialogue, workshop, today)


def test_plan_progress_is_the_weighted_mean_of_its_fields(sample: Sample, client_as: Any) -> None:
    data = client_as(None).get(BASE).json()
    assert data["progress"] == pytest.approx(0.66875)
    assert data["measures_total"] == 2
    assert data["counts"] == {"red": 0, "amber": 0, "overdue": 1, "milestones_overdue": 1}
    assert "attainment" in data["methods"]


def test_tree_has_progress_at_every_level(sample: Sample, client_as: Any) -> None:
    tree = client_as(None).get(f"{BASE}/tree").json()
    permits, dialogue = tree["fields"]
    assert tree["progress"] == pytest.approx(0.66875)
    assert permits["progress"] == pytest.approx(0.6)
    assert dialogue["progress"] == pytest.approx(0.875)
    goal = permits["goals"][0]
    assert (goal["progress_basis"], goal["progress"]) == ("key_results", pytest.approx(0.6))
    assert [k["attainment"] for k in goal["key_results"]] == [
        pytest.approx(0.5),
        pytest.approx(0.8),
    ]
    assert dialogue["goals"][0]["progress_basis"] == "measures"


def test_field_and_goal_lists_show_the_progress_of_the_tree(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    fields = client.get(f"{BASE}/fields").json()["items"]
    goals = client.get(f"{BASE}/goals").json()["items"]
    assert [f["progress"] for f in fields] == [pytest.approx(0.6), pytest.approx(0.875)]
    assert [g["progress"] for g in goals] == [pytest.approx(0.6), pytest.approx(0.875)]
    assert [g["progress_basis"] for g in goals] == ["key_results", "measures"]


def test_detail_of_a_field_and_a_goal_has_its_progress(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    field = client.get(f"{BASE}/fields/{sample.dialogue.goal.field_id}").json()
    goal = client.get(f"{BASE}/goals/{sample.median.goal_id}").json()
    assert field["progress"] == pytest.approx(0.875)
    assert goal["progress"] == pytest.approx(0.6)
    assert goal["key_result_ids"] == [sample.median.pk, sample.digital.pk]


def test_key_results_show_their_attainment(sample: Sample, client_as: Any) -> None:
    items = client_as(None).get(f"{BASE}/key-results").json()["items"]
    assert {k["name"]: k["attainment"] for k in items} == {
        "Median-Dauer Baugenehmigung": pytest.approx(0.5),
        "Anteil digitaler Bauanträge": pytest.approx(0.8),
    }


def test_attainment_is_capped_at_the_target(sample: Sample, client_as: Any) -> None:
    KeyResult.objects.filter(pk=sample.median.pk).update(current_value=45)
    data = client_as(None).get(f"{BASE}/key-results/{sample.median.pk}").json()
    assert data["attainment"] == 1.0


def test_measure_schedule_figures(sample: Sample, client_as: Any) -> None:
    data = client_as(None).get(f"{BASE}/measures/{sample.dialogue.pk}").json()
    assert data["effective_progress"] == 50
    assert data["progress"] is None
    assert (data["days_late"], data["overdue"], data["finished"]) == (12, True, False)
    assert data["start_delay_days"] == 10
    assert (data["milestones_total"], data["milestones_overdue"], data["milestones_due_soon"]) == (
        3,
        1,
        1,
    )


def test_finished_measure_counts_days_late_until_its_actual_end(
    sample: Sample, client_as: Any
) -> None:
    data = client_as(None).get(f"{BASE}/measures/{sample.workshop.pk}").json()
    assert (data["days_late"], data["overdue"], data["finished"]) == (15, False, True)
    assert data["effective_progress"] == 100


def test_measure_list_figures_equal_the_tree(sample: Sample, client_as: Any) -> None:
    client = client_as(None)
    listed = {m["id"]: m for m in client.get(f"{BASE}/measures").json()["items"]}
    in_tree = {
        m["id"]: m
        for field in client.get(f"{BASE}/tree").json()["fields"]
        for goal in field["goals"]
        for m in goal["measures"]
    }
    assert listed.keys() == in_tree.keys() == {sample.dialogue.pk, sample.workshop.pk}
    for pk, node in in_tree.items():
        for figure in ("effective_progress", "days_late", "overdue", "milestones_overdue"):
            assert listed[pk][figure] == node[figure], (pk, figure)


def test_the_public_figures_count_published_records_only(
    sample: Sample, viewer: Any, client_as: Any
) -> None:
    # A draft key result already at its target: (0.5·2 + 0.8 + 1)/4 = 0.7 for members.
    KeyResultFactory(
        goal=sample.median.goal,
        baseline_value=0,
        target_value=10,
        current_value=10,
        publication=Publication.DRAFT,
    )
    public = client_as(None).get(f"{BASE}/goals/{sample.median.goal_id}").json()
    member = client_as(viewer).get(f"{BASE}/goals/{sample.median.goal_id}").json()
    assert public["progress"] == pytest.approx(0.6)
    assert member["progress"] == pytest.approx(0.7)
