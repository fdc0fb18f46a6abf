"""Reads of the plan: the tree with its roll-up figures, shared by pages, API and reports.

`plan_tree` runs a fixed number of queries whatever the size of the plan (asserted in tests):
fields, goals, key results, measures (with status, lead organisation and responsible
person) and one aggregate over milestones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from masterplan.core.lists import SortOption, apply_sort, search_terms
from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.core.permissions import (
    can_edit,
    can_manage,
    contributor_organization_id,
    is_plan_member,
)
from masterplan.directory.models import Organization, Person
from masterplan.plans.figures import (
    Schedule,
    attainment,
    measure_schedule,
    milestone_is_due_within,
    milestone_is_overdue,
    weighted_mean,
)
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
    operational_unit_model,
)

DUE_SOON_DAYS = 30


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
            stopped=measure.status.phase == MeasureStatus.Phase.STOPPED,
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
    counted = [m for m in measures if m.measure.status.phase != MeasureStatus.Phase.STOPPED]
    if counted:
        return weighted_mean((m.progress, m.measure.weight) for m in counted), "measures"
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
            Measure.objects.select_related(
                "status", "lead_organization", "responsible_person", "operational_body"
            ),
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


# --- Pages: goal, measure, board and "my work" (each a fixed number of queries) ---------------

REPORT_INTERVAL_DAYS = 90


def measure_nodes(measures: list[Measure], today: date) -> list[MeasureNode]:
    counts = milestone_counts([m.pk for m in measures], today)
    return [measure_node(m, counts.get(m.pk), today) for m in measures]


def measures_with_context(user: Any, masterplan: Masterplan) -> QuerySet[Measure]:
    return visible(
        Measure.objects.select_related(
            "status", "lead_organization", "responsible_person", "operational_body"
        ),
        user,
        masterplan,
    )


@dataclass
class KeyResultDetail:
    node: KeyResultNode
    readings: list[KeyResultReading]  # newest first


@dataclass
class GoalDetail:
    goal: Goal
    key_results: list[KeyResultDetail]
    measures: list[MeasureNode]
    progress: float | None
    progress_basis: str


def goal_detail(*, user: Any, masterplan: Masterplan, goal_id: int, today: date) -> GoalDetail:
    """A goal with its key results (and their recorded history) and its measures."""
    goal = Goal.objects.select_related("field", "owner", "responsible_organization").get(
        masterplan=masterplan, pk=goal_id
    )
    key_results = list(
        visible(KeyResult.objects.filter(goal=goal), user, masterplan).prefetch_related(
            Prefetch(
                "readings",
                queryset=KeyResultReading.objects.order_by("-measured_on", "-id"),
                to_attr="history",
            )
        )
    )
    details = [KeyResultDetail(key_result_node(kr), kr.history) for kr in key_results]
    measures = measure_nodes(list(measures_with_context(user, masterplan).filter(goal=goal)), today)
    progress, basis = goal_progress([d.node for d in details], measures)
    return GoalDetail(
        goal=goal,
        key_results=details,
        measures=measures,
        progress=progress,
        progress_basis=basis,
    )


@dataclass
class MilestoneRow:
    milestone: Milestone
    overdue: bool
    due_soon: bool


@dataclass
class AuditRow:
    entry: AuditEntry
    changes: list[tuple[str, Any, Any]]  # (field label, old, new)


@dataclass
class MeasureDetail:
    node: MeasureNode
    milestones: list[MilestoneRow]
    status_reports: list[StatusReport]
    depends_on: list[Measure]
    needed_by: list[Measure]
    history: list[AuditRow]
    last_report_end: date | None = None

    @property
    def measure(self) -> Measure:
        return self.node.measure


# Fields of a measure whose ids in the audit trail are shown by name.
AUDIT_NAMED_FIELDS: dict[str, type[Any]] = {
    "status": MeasureStatus,
    "goal": Goal,
    "lead_organization": Organization,
    "responsible_person": Person,
    "depends_on": Measure,  # lists of ids
}


def ids_in(value: Any) -> list[int]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, int)]
    return [value] if isinstance(value, int) else []


def named(value: Any, names: dict[int, str]) -> Any:
    if isinstance(value, list):
        return ", ".join(names.get(v, str(v)) for v in value) if value else None
    return names.get(value, value) if isinstance(value, int) else value


def audit_history(
    *, object_type: str, object_id: int, model: type[Any], limit: int = 200
) -> list[AuditRow]:
    """An object's audit entries, newest first, with field labels and names instead of ids.

    One query for the entries plus at most one per kind of referenced object.
    """
    entries = list(
        AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
            "-id"
        )[:limit]
    )
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for name, pair in entry.changes.items():
            if name in AUDIT_NAMED_FIELDS and isinstance(pair, list):
                for value in pair:
                    wanted.setdefault(name, set()).update(ids_in(value))
    names: dict[str, dict[int, str]] = {}
    for name, ids in wanted.items():
        found = AUDIT_NAMED_FIELDS[name].all_objects.in_bulk(list(ids))
        names[name] = {pk: str(obj) for pk, obj in found.items()}
    rows = []
    for entry in entries:
        changes = []
        for name, pair in entry.changes.items():
            try:
                label: Any = model._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = name
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            if name in names:
                old, new = named(old, names[name]), named(new, names[name])
            changes.append((str(label), old, new))
        rows.append(AuditRow(entry=entry, changes=changes))
    return rows


def measure_detail(
    *, user: Any, masterplan: Masterplan, measure_id: int, today: date
) -> MeasureDetail:
    """Everything the measure page shows: schedule, milestones, reports, dependencies, history."""
    measure = Measure.objects.select_related(
        "goal__field", "status", "lead_organization", "responsible_person"
    ).get(masterplan=masterplan, pk=measure_id)
    milestones = list(visible(Milestone.objects.filter(measure=measure), user, masterplan))
    rows = [
        MilestoneRow(
            milestone=m,
            overdue=milestone_is_overdue(due=m.due, achieved_on=m.achieved_on, today=today),
            due_soon=milestone_is_due_within(
                due=m.due, achieved_on=m.achieved_on, today=today, days=DUE_SOON_DAYS
            ),
        )
        for m in milestones
    ]
    counts = {
        "total": len(rows),
        "overdue": sum(r.overdue for r in rows),
        "due_soon": sum(r.due_soon for r in rows),
    }
    reports = list(
        visible(
            StatusReport.objects.filter(measure=measure).select_related(
                "submitted_by", "reviewed_by"
            ),
            user,
            masterplan,
        ).order_by("-period_end", "-id")
    )
    related = ("status", "lead_organization")
    return MeasureDetail(
        node=measure_node(measure, counts, today),
        milestones=rows,
        status_reports=reports,
        depends_on=list(
            visible(
                Measure.objects.filter(dependents=measure).select_related(*related),
                user,
                masterplan,
            ).order_by("title", "id")
        ),
        needed_by=list(
            visible(
                Measure.objects.filter(depends_on=measure).select_related(*related),
                user,
                masterplan,
            ).order_by("title", "id")
        ),
        # Who changed what is for the plan's members, not for the public.
        history=audit_history(object_type="plans.measure", object_id=measure.pk, model=Measure)
        if is_plan_member(user, masterplan)
        else [],
        last_report_end=reports[0].period_end if reports else None,
    )


def last_report_end(*, user: Any, measure: Measure) -> date | None:
    """Where the measure's reporting stands: the end of its latest status report."""
    reports = visible(StatusReport.objects.filter(measure=measure), user, measure.masterplan)
    return reports.aggregate(last=Max("period_end"))["last"]


@dataclass
class BoardCard:
    node: MeasureNode
    editable: bool
    previous_status: MeasureStatus | None
    next_status: MeasureStatus | None


@dataclass
class BoardColumn:
    status: MeasureStatus
    cards: list[BoardCard]


@dataclass
class Board:
    columns: list[BoardColumn]
    measures_total: int


def board(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    unit: int | None = None,
    organization: int | None = None,
) -> Board:
    """Measures as cards in one column per status of the plan's catalogue, in its order.

    `unit` selects one working group (operational unit); `organization` a lead organisation.
    """
    statuses = list(visible(MeasureStatus.objects.all(), user, masterplan))
    measures = measures_with_context(user, masterplan)
    if unit is not None:
        measures = measures.filter(operational_body_id=unit)
    if organization is not None:
        measures = measures.filter(lead_organization_id=organization)
    listed = list(measures.order_by("planned_end", "title", "id"))
    for measure in listed:
        measure.masterplan = masterplan  # for the permission check, without a query per card
    nodes = measure_nodes(listed, today)
    by_status: dict[int, list[MeasureNode]] = {}
    for node in nodes:
        by_status.setdefault(node.measure.status_id, []).append(node)
    columns = []
    for index, status in enumerate(statuses):
        previous = statuses[index - 1] if index > 0 else None
        following = statuses[index + 1] if index + 1 < len(statuses) else None
        cards = [
            BoardCard(
                node=node,
                editable=can_edit(user, node.measure),
                previous_status=previous,
                next_status=following,
            )
            for node in by_status.get(status.pk, [])
        ]
        columns.append(BoardColumn(status=status, cards=cards))
    return Board(columns=columns, measures_total=len(nodes))


def operational_units(*, user: Any, masterplan: Masterplan) -> list[tuple[int, str]]:
    """The operational units (governance bodies) of the plan's measures, for filters."""
    measures = visible(Measure.objects.exclude(operational_body=None), user, masterplan)
    bodies = visible(
        operational_unit_model().objects.filter(measures__in=measures), user, masterplan
    )
    return sorted(set(bodies.values_list("id", "name")), key=lambda pair: (pair[1], pair[0]))


@dataclass
class MyWork:
    """What a member of the plan should look at; see `my_work` for who sees what."""

    organization: Organization | None  # the contributor's organisation; None: plan-wide
    may_review: bool
    measures: list[MeasureNode]
    overdue_measures: list[MeasureNode]
    milestones: list[MilestoneRow]
    reports_due: list[MeasureNode]
    reports_unreviewed: list[StatusReport]


def my_work(*, user: Any, masterplan: Masterplan, today: date) -> MyWork:
    """Due and overdue items for the organisation the user acts for, or the whole plan.

    Contributors see the measures their organisation leads. Coordinators, administrators and
    viewers act for no single organisation: they see the measures that need attention in the
    whole plan (off track, at risk or overdue). For these measures: milestones overdue or due
    within DUE_SOON_DAYS, active measures without a status report for the last
    REPORT_INTERVAL_DAYS, and status reports not yet reviewed.
    """
    organization = None
    organization_id = contributor_organization_id(user, masterplan)
    scope = measures_with_context(user, masterplan).annotate(
        last_report_end=Max("status_reports__period_end")
    )
    report_filter = Q(measure__masterplan=masterplan, measure__deleted_at__isnull=True)
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        scope = scope.filter(lead_organization_id=organization_id)
        report_filter &= Q(measure__lead_organization_id=organization_id)
    all_nodes = measure_nodes(list(scope), today)
    nodes = all_nodes
    if organization_id is None:
        nodes = [
            n
            for n in all_nodes
            if n.measure.health != "green" or n.schedule.overdue or n.milestones_overdue
        ]
    milestones = (
        visible(Milestone.objects.select_related("measure"), user, masterplan)
        .filter(
            achieved_on__isnull=True,
            due__lte=today + timedelta(days=DUE_SOON_DAYS),
            measure__deleted_at__isnull=True,
        )
        .order_by("due", "id")
    )
    if organization_id is not None:
        milestones = milestones.filter(measure__lead_organization_id=organization_id)
    report_cutoff = today - timedelta(days=REPORT_INTERVAL_DAYS)
    reports_due = [
        n
        for n in all_nodes
        if n.measure.status.phase == MeasureStatus.Phase.ACTIVE
        and (
            n.measure.last_report_end is None  # type: ignore[attr-defined]
            or n.measure.last_report_end < report_cutoff  # type: ignore[attr-defined]
        )
    ]
    unreviewed = (
        visible(
            StatusReport.objects.select_related("measure", "submitted_by"),
            user,
            masterplan,
        )
        .filter(report_filter, reviewed_at__isnull=True)
        .order_by("submitted_at", "id")
    )
    return MyWork(
        organization=organization,
        may_review=can_manage(user, masterplan),
        measures=nodes,
        overdue_measures=[n for n in nodes if n.schedule.overdue],
        milestones=[
            MilestoneRow(
                milestone=m,
                overdue=m.due < today,
                due_soon=m.due >= today,
            )
            for m in milestones
        ],
        reports_due=reports_due,
        reports_unreviewed=list(unreviewed),
    )


# --- Lists with filters (the API); figures for a page of objects in a fixed number of queries --


def goal_nodes(
    *, user: Any, masterplan: Masterplan, goals: list[Goal], today: date
) -> list[GoalNode]:
    """Goals with their key results, measures and progress, computed as in `plan_tree`."""
    ids = [g.pk for g in goals]
    key_results: dict[int, list[KeyResultNode]] = {}
    for kr in visible(KeyResult.objects.filter(goal_id__in=ids), user, masterplan):
        key_results.setdefault(kr.goal_id, []).append(key_result_node(kr))
    measures: dict[int, list[MeasureNode]] = {}
    serving = measures_with_context(user, masterplan).filter(goal_id__in=ids)
    for node in measure_nodes(list(serving), today):
        measures.setdefault(node.measure.goal_id, []).append(node)
    nodes = []
    for goal in goals:
        progress, basis = goal_progress(key_results.get(goal.pk, []), measures.get(goal.pk, []))
        nodes.append(
            GoalNode(
                goal=goal,
                key_results=key_results.get(goal.pk, []),
                measures=measures.get(goal.pk, []),
                progress=progress,
                progress_basis=basis,
            )
        )
    return nodes


def field_nodes(
    *, user: Any, masterplan: Masterplan, fields: list[FieldOfAction], today: date
) -> list[FieldNode]:
    """Fields of action with their goals and progress, computed as in `plan_tree`."""
    goals = list(
        visible(Goal.objects.filter(field_id__in=[f.pk for f in fields]), user, masterplan)
    )
    by_field: dict[int, list[GoalNode]] = {}
    for node in goal_nodes(user=user, masterplan=masterplan, goals=goals, today=today):
        by_field.setdefault(node.goal.field_id, []).append(node)
    return [
        FieldNode(
            field=f,
            goals=by_field.get(f.pk, []),
            progress=weighted_mean((g.progress, g.goal.weight) for g in by_field.get(f.pk, [])),
        )
        for f in fields
    ]


def field_list(
    *, user: Any, masterplan: Masterplan, q: str = "", organization: int | None = None
) -> QuerySet[FieldOfAction]:
    """The fields of action of a plan the user may see."""
    qs = visible(FieldOfAction.objects.all(), user, masterplan)
    if q:
        qs = search_terms(qs, q, ("name", "description", "external_id"))
    if organization is not None:
        qs = qs.filter(lead_organization_id=organization)
    return qs


def goal_list(
    *,
    user: Any,
    masterplan: Masterplan,
    q: str = "",
    field: int | None = None,
    organization: int | None = None,
    owner: int | None = None,
    priority: str = "",
    focus: bool | None = None,
) -> QuerySet[Goal]:
    """The goals of a plan the user may see, in the order of the tree (field, then goal).

    `organization` is the responsible organisation, `owner` the person.
    """
    qs = visible(Goal.objects.all(), user, masterplan).order_by(
        "field__position", "field__name", "field_id", "position", "statement", "id"
    )
    if q:
        qs = search_terms(qs, q, ("statement", "description", "external_id"))
    if field is not None:
        qs = qs.filter(field_id=field)
    if organization is not None:
        qs = qs.filter(responsible_organization_id=organization)
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    if priority:
        qs = qs.filter(priority=priority)
    if focus is not None:
        qs = qs.filter(is_focus=focus)
    return qs


def key_result_list(
    *,
    user: Any,
    masterplan: Masterplan,
    q: str = "",
    goal: int | None = None,
    field: int | None = None,
) -> QuerySet[KeyResult]:
    """The key results of a plan the user may see."""
    qs = visible(KeyResult.objects.all(), user, masterplan)
    if q:
        qs = search_terms(qs, q, ("name", "unit", "external_id"))
    if goal is not None:
        qs = qs.filter(goal_id=goal)
    if field is not None:
        qs = qs.filter(goal__field_id=field)
    return qs


def key_result_readings(*, key_result: KeyResult) -> QuerySet[KeyResultReading]:
    """The recorded values of a key result, newest first."""
    return KeyResultReading.objects.filter(key_result=key_result).order_by("-measured_on", "-id")


def measure_statuses(*, user: Any, masterplan: Masterplan) -> QuerySet[MeasureStatus]:
    """The plan's status catalogue in its order."""
    return visible(MeasureStatus.objects.all(), user, masterplan)


MEASURE_SORTS = (
    SortOption("planned_end", _("Planned end"), ("planned_end", "title", "id")),
    SortOption("title", _("Title"), ("title", "id")),
    SortOption("planned_start", _("Planned start"), ("planned_start", "title", "id")),
    SortOption("modified", _("Modified"), ("modified_at", "id")),
)


def overdue_measures(today: date) -> Q:
    """The condition of `MeasureFilter(overdue=True)` in SQL, for lists paged in the database.

    Unfinished and past the planned end (`measure_schedule(...).overdue`), or with a
    milestone past its due date and not achieved (`milestone_counts(...)["overdue"]`).
    """
    late_milestones = Milestone.objects.filter(
        measure=OuterRef("pk"), achieved_on__isnull=True, due__lt=today
    )
    return Q(actual_end__isnull=True, planned_end__lt=today) | Q(Exists(late_milestones))


def measure_list(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    q: str = "",
    goal: int | None = None,
    field: int | None = None,
    organization: int | None = None,
    owner: int | None = None,
    status: int | None = None,
    phase: str = "",
    health: str = "",
    unit: int | None = None,
    overdue: bool = False,
    sort: str = "planned_end",
) -> tuple[QuerySet[Measure], str]:
    """The measures of a plan the user may see, filtered and sorted, with their dependencies.

    The filters of `MeasureFilter` plus goal, field of action, phase, operational unit and
    text; the figures of a page come from `measure_nodes`.
    """
    qs = measures_with_context(user, masterplan).prefetch_related(
        Prefetch("depends_on", queryset=visible(Measure.objects.only("id"), user, masterplan))
    )
    if q:
        qs = search_terms(qs, q, ("title", "description", "operational_body__name", "external_id"))
    if goal is not None:
        qs = qs.filter(goal_id=goal)
    if field is not None:
        qs = qs.filter(goal__field_id=field)
    if organization is not None:
        qs = qs.filter(lead_organization_id=organization)
    if owner is not None:
        qs = qs.filter(responsible_person_id=owner)
    if status is not None:
        qs = qs.filter(status_id=status)
    if phase:
        qs = qs.filter(status__phase=phase)
    if health:
        qs = qs.filter(health=health)
    if unit is not None:
        qs = qs.filter(operational_body_id=unit)
    if overdue:
        qs = qs.filter(overdue_measures(today))
    return apply_sort(qs, MEASURE_SORTS, sort)


def milestone_list(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    measure: int | None = None,
    achieved: bool | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_until: date | None = None,
) -> QuerySet[Milestone]:
    """The milestones of a plan the user may see, by due date.

    `overdue` as in `milestone_is_overdue`: past its due date and not achieved.
    """
    qs = visible(Milestone.objects.all(), user, masterplan)
    if measure is not None:
        qs = qs.filter(measure_id=measure)
    if achieved is not None:
        qs = qs.filter(achieved_on__isnull=not achieved)
    if overdue is not None:
        late = Q(achieved_on__isnull=True, due__lt=today)
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if due_from is not None:
        qs = qs.filter(due__gte=due_from)
    if due_until is not None:
        qs = qs.filter(due__lte=due_until)
    return qs


def status_report_list(
    *,
    user: Any,
    masterplan: Masterplan,
    measure: int | None = None,
    reviewed: bool | None = None,
    health: str = "",
    period_from: date | None = None,
    period_until: date | None = None,
) -> QuerySet[StatusReport]:
    """The status reports of a plan the user may see, newest period first.

    `period_from`/`period_until` select reports whose period overlaps that range.
    """
    qs = visible(
        StatusReport.objects.select_related("masterplan", "submitted_by", "reviewed_by"),
        user,
        masterplan,
    )
    if measure is not None:
        qs = qs.filter(measure_id=measure)
    if reviewed is not None:
        qs = qs.filter(reviewed_at__isnull=not reviewed)
    if health:
        qs = qs.filter(health=health)
    if period_from is not None:
        qs = qs.filter(period_end__gte=period_from)
    if period_until is not None:
        qs = qs.filter(period_start__lte=period_until)
    return qs
