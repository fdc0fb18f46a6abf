"""The plan tree: roll-up against hand-computed values, visibility, constant queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from masterplan.plans.queries import plan_tree
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    seeded_statuses,
)

TODAY = date(2026, 11, 22)


@pytest.fixture
def statuses(plan: Masterplan) -> dict[str, Any]:
    return seeded_statuses(plan)


def test_roll_up_by_hand(plan: Masterplan, statuses: dict[str, Any]) -> None:
    permits = FieldOfActionFactory(masterplan=plan, name="Genehmigungen", weight=Decimal("3"))
    startups = FieldOfActionFactory(masterplan=plan, name="Start-ups", weight=Decimal("1"))
    # Goal with key results: attainments 0.5 (w 1) and 1.0 capped (w 1) → 0.75
    top10 = GoalFactory(field=permits)
    KeyResultFactory(goal=top10, baseline_value=120, target_value=60, current_value=90)
    KeyResultFactory(goal=top10, baseline_value=0, target_value=10, current_value=12)
    # Goal without key results: measures 50 % (w 1) and 100 % (w 3) → 0.875
    members = GoalFactory(field=startups, statement="Alle Start-ups als Mitglieder")
    MeasureFactory(goal=members, status=statuses["In Umsetzung"], weight=1)
    MeasureFactory(goal=members, status=statuses["Umgesetzt"], weight=3)

    tree = plan_tree(user=AnonymousUser(), masterplan=plan, today=TODAY)

    assert tree.fields[0].progress == pytest.approx(0.75)
    assert tree.fields[1].progress == pytest.approx(0.875)
    # Plan: (0.75·3 + 0.875·1) / 4 = 0.78125
    assert tree.progress == pytest.approx(0.78125)
    assert tree.fields[1].goals[0].progress_basis == "measures"


def test_goal_without_children_has_no_progress(plan: Masterplan) -> None:
    GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    tree = plan_tree(user=AnonymousUser(), masterplan=plan, today=TODAY)
    assert tree.fields[0].goals[0].progress is None
    assert tree.progress is None


def test_entered_progress_overrides_the_status_default(plan: Masterplan, statuses: Any) -> None:
    MeasureFactory(
        masterplan=plan,
        goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)),
        status=statuses["In Umsetzung"],
        progress=20,
    )
    tree = plan_tree(user=AnonymousUser(), masterplan=plan, today=TODAY)
    assert tree.fields[0].goals[0].measures[0].progress == pytest.approx(0.2)


def test_drafts_are_hidden_from_the_public(plan: Masterplan, viewer: Any) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    MeasureFactory(goal=goal, publication=Publication.DRAFT)
    assert plan_tree(user=AnonymousUser(), masterplan=plan, today=TODAY).measures_total == 0
    assert plan_tree(user=viewer, masterplan=plan, today=TODAY).measures_total == 1


def test_overdue_filter_lists_late_measures_but_figures_cover_all(
    plan: Masterplan, statuses: Any
) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    late = MeasureFactory(goal=goal, planned_end=date(2026, 10, 1), status=statuses["In Umsetzung"])
    with_overdue_milestone = MeasureFactory(goal=goal, status=statuses["Umgesetzt"])
    MilestoneFactory(measure=with_overdue_milestone, due=date(2026, 11, 1))
    MeasureFactory(goal=goal, status=statuses["Umgesetzt"])
    tree = plan_tree(
        user=AnonymousUser(),
        masterplan=plan,
        today=TODAY,
        measure_filter={"overdue": True},
    )
    listed = {n.measure.pk for n in tree.fields[0].goals[0].measures}
    assert listed == {late.pk, with_overdue_milestone.pk}
    assert tree.measures_total == 3
    assert tree.counts["overdue"] == 1
    assert tree.counts["milestones_overdue"] == 1
    # (0.5 + 1 + 1) / 3
    assert tree.fields[0].goals[0].progress == pytest.approx(2.5 / 3)


def build(plan: Masterplan, statuses: Any, size: int) -> None:
    for f in range(size):
        field = FieldOfActionFactory(masterplan=plan, name=f"Handlungsfeld {f}")
        goal = GoalFactory(field=field)
        KeyResultFactory(goal=goal, current_value=100)
        for _ in range(size):
            MilestoneFactory(measure=MeasureFactory(goal=goal, status=statuses["In Umsetzung"]))


def test_tree_runs_a_constant_number_of_queries(
    plan: Masterplan, statuses: Any, viewer: Any
) -> None:
    fresh = type(viewer).objects.get  # no role cached from an earlier call
    build(plan, statuses, 2)
    with CaptureQueriesContext(connection) as small:
        plan_tree(user=fresh(pk=viewer.pk), masterplan=plan, today=TODAY)
    build(plan, statuses, 6)
    with CaptureQueriesContext(connection) as large:
        tree = plan_tree(user=fresh(pk=viewer.pk), masterplan=plan, today=TODAY)
    assert tree.measures_total == 2 * 2 + 6 * 6
    assert len(large.captured_queries) == len(small.captured_queries)


def test_stopped_measures_are_neither_late_nor_counted(plan: Masterplan, statuses: Any) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    MeasureFactory(goal=goal, status=statuses["Gestoppt"], planned_end=date(2025, 1, 31))
    MeasureFactory(goal=goal, status=statuses["Umgesetzt"])
    tree = plan_tree(user=AnonymousUser(), masterplan=plan, today=TODAY)
    assert tree.counts["overdue"] == 0
    assert tree.fields[0].goals[0].progress == pytest.approx(1.0)
