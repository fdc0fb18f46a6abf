"""Reads of the plan: the tree with its roll-up figures, shared by pages, API and reports.

`plan_tree` runs a fixed number of queries whatever the size of the plan (asserted in tests):
fields, goals, key results, measures (with status, lead organisation and responsible
person) and one aggregate over milestones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from masterplan.core.models import Publication
from masterplan.core.permissions import is_admin, is_plan_member
from masterplan.plans.figures import Schedule, attainment, measure_schedule, weighted_mean
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    Masterplan,
    Measure,
    Milestone,
)

DUE_SOON_DAYS = 30


def visible_masterplans(user: Any) -> QuerySet[Masterplan]:
    """Published plans, plus those the user has a role in; all of them for admins."""
    qs = Masterplan.objects.order_by("name")
    if is_admin(user):
        return qs
    condition = Q(publication=Publication.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        condition |= Q(roles__user=user)
    return qs.filter(condition).distinct()


def visible(qs: QuerySet[Any], user: Any, masterplan: Masterplan) -> QuerySet[Any]:
    qs = qs.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return qs
    return qs.filter(publication=Publication.PUBLISHED)


@dataclass
class KeyResultNode:
    key_result: KeyResult
    attainment: float | None


@dataclass
class MeasureNode:
    measure: Measure
    progress: float  # 0..1
    schedule: Schedule
    milestones_overdue: int
    milestones_due_soon: int
    milestones_total: int


@dataclass
class GoalNode:
    goal: Goal
    key_results: list[KeyResultNode]
    measures: list[MeasureNode]
    progress: float | None
    progress_basis: str  # "key_results", "measures" or "none"


@dataclass
class FieldNode:
    field: FieldOfAction
    goals: list[GoalNode]
    progress: float | None


@dataclass
class PlanTree:
    masterplan: Masterplan
    fields: list[FieldNode]
    progress: float | None
    today: date
    measures_total: int = 0
    measures_shown: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MeasureFilter:
    organization: int | None = None
    owner: int | None = None
    status: int | None = None
    health: str = ""
    overdue: bool = False

    def matches(self, node: MeasureNode) -> bool:
        m = node.measure
        return (
            (self.organization is None or m.lead_organization_id == self.organization)
            and (self.owner is None or m.responsible_person_id == self.owner)
            and (self.status is None or m.status_id == self.status)
            and (not self.health or m.health == self.health)
            and (not self.overdue or node.schedule.overdue or node.milestones_overdue > 0)
        )


def milestone_counts(measure_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    rows = (
        Milestone.objects.filter(measure_id__in=measure_ids)
        .values("measure_id")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=Q(achieved_on__isnull=True, due__lt=today)),
            due_soon=Count(
                "id",
                filter=Q(
                    achieved_on__isnull=True,
                    due__gte=today,
                    due__lte=today + timedelta(days=DUE_SOON_DAYS),
                ),
            ),
        )
    )
    return {
        r["measure_id"]: {"total": r["total"], "overdue": r["overdue"], "due_soon": r["due_soon"]}
        for r in rows
    }


def measure_node(measure: Measure, counts: dict[str, int] | None, today: date) -> MeasureNode:
    counts = counts or {}
    return MeasureNode(
        measure=measure,
        progress=measure.effective_progress / 100,
        schedule=measure_schedule(
            planned_start=measure.planned_start,
            planned_end=measure.planned_end,
            actual_start=measure.actual_start,
            actual_end=measure.actual_end,
            today=today,
        ),
        milestones_overdue=counts.get("overdue", 0),
        milestones_due_soon=counts.get("due_soon", 0),
        milestones_total=counts.get("total", 0),
    )


def goal_progress(
    key_results: list[KeyResultNode], measures: list[MeasureNode]
) -> tuple[float | None, str]:
    """Key results decide a goal's progress; without key results, its measures do."""
    if key_results:
        return (
            weighted_mean((k.attainment, k.key_result.weight) for k in key_results),
            "key_results",
        )
    if measures:
        return weighted_mean((m.progress, m.measure.weight) for m in measures), "measures"
    return None, "none"


def key_result_node(key_result: KeyResult) -> KeyResultNode:
    return KeyResultNode(
        key_result=key_result,
        attainment=attainment(
            baseline=key_result.baseline_value,
            target=key_result.target_value,
            current=key_result.current_value,
        )
        if key_result.baseline_value != key_result.target_value
        else None,
    )


def plan_tree(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    measure_filter: MeasureFilter | None = None,
) -> PlanTree:
    """Fields → goals → key results and measures, with progress rolled up.

    Figures always cover the whole plan; the filter only selects which measures are listed.
    """
    measure_filter = measure_filter or MeasureFilter()
    fields = list(visible(FieldOfAction.objects.all(), user, masterplan))
    goals = list(
        visible(Goal.objects.select_related("owner", "responsible_organization"), user, masterplan)
    )
    key_results = list(visible(KeyResult.objects.all(), user, masterplan))
    measures = list(
        visible(
            Measure.objects.select_related("status", "lead_organization", "responsible_person"),
            user,
            masterplan,
        )
    )
    counts = milestone_counts([m.pk for m in measures], today)

    krs_by_goal: dict[int, list[KeyResultNode]] = {}
    for kr in key_results:
        krs_by_goal.setdefault(kr.goal_id, []).append(key_result_node(kr))
    measures_by_goal: dict[int, list[MeasureNode]] = {}
    for m in measures:
        measures_by_goal.setdefault(m.goal_id, []).append(measure_node(m, counts.get(m.pk), today))

    goals_by_field: dict[int, list[GoalNode]] = {}
    shown = 0
    for goal in goals:
        all_measures = measures_by_goal.get(goal.pk, [])
        progress, basis = goal_progress(krs_by_goal.get(goal.pk, []), all_measures)
        listed = [m for m in all_measures if measure_filter.matches(m)]
        shown += len(listed)
        goals_by_field.setdefault(goal.field_id, []).append(
            GoalNode(
                goal=goal,
                key_results=krs_by_goal.get(goal.pk, []),
                measures=listed,
                progress=progress,
                progress_basis=basis,
            )
        )
    field_nodes = []
    for f in fields:
        goal_nodes = goals_by_field.get(f.pk, [])
        field_nodes.append(
            FieldNode(
                field=f,
                goals=goal_nodes,
                progress=weighted_mean((g.progress, g.goal.weight) for g in goal_nodes),
            )
        )
    all_nodes = [n for nodes in measures_by_goal.values() for n in nodes]
    return PlanTree(
        masterplan=masterplan,
        fields=field_nodes,
        progress=weighted_mean((f.progress, f.field.weight) for f in field_nodes),
        today=today,
        measures_total=len(measures),
        measures_shown=shown,
        counts={
            "red": sum(1 for n in all_nodes if n.measure.health == "red"),
            "amber": sum(1 for n in all_nodes if n.measure.health == "amber"),
            "overdue": sum(1 for n in all_nodes if n.schedule.overdue),
            "milestones_overdue": sum(n.milestones_overdue for n in all_nodes),
        },
    )
