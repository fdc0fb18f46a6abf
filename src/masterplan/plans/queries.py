"""Reads of the plan: the tree with its roll-up figures, shared by pages, API and reports.

`plan_tree` runs a fixed number of queries whatever the size of the plan (asserted in tests):
fields, goals, key results, measures (with status, lead organisation and responsible
person) and one aggregate over milestones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.audit_display import DescribedEntry, describe
from masterplan.core.filters import (
    Choice,
    Day,
    FilterSpec,
    Flag,
    ListContext,
    Ref,
    Search,
    Text,
    YesNo,
    referenced,
    sort,
    visible,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import AuditEntry, Masterplan
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
    Health,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
    operational_unit_model,
)

DUE_SOON_DAYS = 30


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
    # Every visible measure, listed or not, also those of goals the reader cannot see.
    measure_nodes: list[MeasureNode] = field(default_factory=list)


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


def other_columns(relation: str, model: type[Model], shown: set[str]) -> list[str]:
    """The columns of a related model that a list does not show, to leave them unread."""
    return [
        f"{relation}__{f.name}"
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in {*shown, "masterplan"}
    ]


# A measure's lead organisation, responsible person and status as the tree's readers show
# them (the overview's rows, the review report): converting the other columns of 200 joined
# rows, timestamps above all, was a sixth of the tree's time.
TREE_DEFERRED = [
    *other_columns("lead_organization", Organization, {"name", "publication", "deleted_at"}),
    *other_columns("responsible_person", Person, {"title", "given_name", "family_name"}),
    *other_columns("status", MeasureStatus, {"name", "phase", "default_progress"}),
]


def plan_tree(
    *,
    user: Actor,
    masterplan: Masterplan,
    today: date,
    measure_filter: Mapping[str, Any] | None = None,
) -> PlanTree:
    """Fields → goals → key results and measures, with progress rolled up.

    Figures always cover the whole plan; the filter (TREE) only selects which measures are
    listed: the measures are read once, each marked whether it is listed.
    """
    context = ListContext(user=user, masterplan=masterplan, today=today)
    listing = TREE.condition(measure_filter or {}, context)
    fields = list(FieldOfAction.objects.visible_to(user, masterplan))
    goals = list(
        Goal.objects.select_related("owner", "responsible_organization").visible_to(
            user, masterplan
        )
    )
    key_results = list(KeyResult.objects.visible_to(user, masterplan))
    # What the tree's readers show of a measure (the overview's rows, the review report);
    # the working group is not among it, and joining it cost a fifth of this query.
    visible_measures = (
        Measure.objects.select_related("status", "lead_organization", "responsible_person")
        .defer(*TREE_DEFERRED)
        .visible_to(user, masterplan)
    )
    measures: list[Measure]
    if listing:
        marked = Case(When(listing, then=Value(True)), default=Value(False))
        measures = list(visible_measures.annotate(listed=marked))
    else:
        measures = list(visible_measures)
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
        listed = [m for m in all_measures if getattr(m.measure, "listed", True)]
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
        measure_nodes=all_nodes,
    )


# --- Pages: goal, measure, board and "my work" (each a fixed number of queries) ---------------

REPORT_INTERVAL_DAYS = 90


def measure_nodes(measures: list[Measure], today: date) -> list[MeasureNode]:
    counts = milestone_counts([m.pk for m in measures], today)
    return [measure_node(m, counts.get(m.pk), today) for m in measures]


def measures_with_context(user: Actor, masterplan: Masterplan) -> QuerySet[Measure]:
    return Measure.objects.select_related(
        "status", "lead_organization", "responsible_person", "operational_body"
    ).visible_to(user, masterplan)


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


def goal_detail(*, user: Actor, masterplan: Masterplan, goal_id: int, today: date) -> GoalDetail:
    """A goal with its key results (and their recorded history) and its measures."""
    goal = Goal.objects.select_related("field", "owner", "responsible_organization").get(
        masterplan=masterplan, pk=goal_id
    )
    key_results = list(
        KeyResult.objects.filter(goal=goal)
        .visible_to(user, masterplan)
        .prefetch_related(
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
class MeasureDetail:
    node: MeasureNode
    milestones: list[MilestoneRow]
    status_reports: list[StatusReport]
    depends_on: list[Measure]
    needed_by: list[Measure]
    history: list[DescribedEntry]
    last_report_end: date | None = None

    @property
    def measure(self) -> Measure:
        return self.node.measure


def audit_history(*, object_type: str, object_id: int, limit: int = 200) -> list[DescribedEntry]:
    """An object's audit entries, newest first, as the interface shows them (labels, names,
    dates; see core/audit_display.py): one query for the entries plus at most one per kind of
    referenced record."""
    entries = AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id))
    return describe(entries.order_by("-id")[:limit])


def measure_detail(
    *, user: Actor, masterplan: Masterplan, measure_id: int, today: date
) -> MeasureDetail:
    """Everything the measure page shows: schedule, milestones, reports, dependencies, history."""
    measure = Measure.objects.select_related(
        "goal__field", "status", "lead_organization", "responsible_person"
    ).get(masterplan=masterplan, pk=measure_id)
    milestones = list(Milestone.objects.filter(measure=measure).visible_to(user, masterplan))
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
        StatusReport.objects.filter(measure=measure)
        .select_related("submitted_by", "reviewed_by")
        .visible_to(user, masterplan)
        .order_by("-period_end", "-id")
    )
    related = ("status", "lead_organization")
    return MeasureDetail(
        node=measure_node(measure, counts, today),
        milestones=rows,
        status_reports=reports,
        depends_on=list(
            Measure.objects.filter(dependents=measure)
            .select_related(*related)
            .visible_to(user, masterplan)
            .order_by("title", "id")
        ),
        needed_by=list(
            Measure.objects.filter(depends_on=measure)
            .select_related(*related)
            .visible_to(user, masterplan)
            .order_by("title", "id")
        ),
        # Who changed what is for the plan's members, not for the public.
        history=audit_history(object_type="plans.measure", object_id=measure.pk)
        if is_plan_member(user, masterplan)
        else [],
        last_report_end=reports[0].period_end if reports else None,
    )


def last_report_end(*, user: Actor, measure: Measure) -> date | None:
    """Where the measure's reporting stands: the end of its latest status report."""
    reports = StatusReport.objects.filter(measure=measure).visible_to(user, measure.masterplan)
    last: date | None = reports.aggregate(last=Max("period_end"))["last"]
    return last


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
    user: Actor,
    masterplan: Masterplan,
    today: date,
    **filters: Any,
) -> Board:
    """Measures as cards in one column per status of the plan's catalogue, in its order.

    The filters (BOARD): `unit` one working group (operational unit), `organization` a lead
    organisation.
    """
    context = ListContext(user=user, masterplan=masterplan, today=today)
    statuses = list(MeasureStatus.objects.visible_to(user, masterplan))
    measures = BOARD.apply(measures_with_context(user, masterplan), filters, context)
    listed = list(measures.order_by("planned_end", "title", "id"))
    for measure in listed:
        measure.masterplan = masterplan  # for the permission check, without a query per card
    nodes = measure_nodes(listed, today)
    by_status: dict[int, list[MeasureNode]] = {}
    for node in nodes:
        by_status.setdefault(node.measure.status_id, []).append(node)
    # "Back" and "next" move along the workflow; a stopped status is a way out of it, not
    # the step after "done" (a stopped measure is resumed on its edit page).
    flow = [s for s in statuses if s.phase != MeasureStatus.Phase.STOPPED]
    steps = {
        status.pk: (
            flow[index - 1] if index > 0 else None,
            flow[index + 1] if index + 1 < len(flow) else None,
        )
        for index, status in enumerate(flow)
    }
    columns = []
    for status in statuses:
        previous, following = steps.get(status.pk, (None, None))
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


def operational_units(*, user: Actor, masterplan: Masterplan) -> list[tuple[int, str]]:
    """The operational units (governance bodies) of the plan's measures, for filters."""
    measures = Measure.objects.exclude(operational_body=None).visible_to(user, masterplan)
    units = operational_unit_model().objects.filter(measures__in=measures)
    bodies = units.visible_to(user, masterplan)
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


def my_work(*, user: Actor, masterplan: Masterplan, today: date) -> MyWork:
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
        Milestone.objects.select_related("measure")
        .visible_to(user, masterplan)
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
            # last_report_end is an annotation of the measures' queryset above.
            n.measure.last_report_end is None  # type: ignore[attr-defined]
            or n.measure.last_report_end < report_cutoff  # type: ignore[attr-defined]
        )
    ]
    unreviewed = (
        StatusReport.objects.select_related("measure", "submitted_by")
        .visible_to(user, masterplan)
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
    *, user: Actor, masterplan: Masterplan, goals: list[Goal], today: date
) -> list[GoalNode]:
    """Goals with their key results, measures and progress, computed as in `plan_tree`."""
    ids = [g.pk for g in goals]
    key_results: dict[int, list[KeyResultNode]] = {}
    for kr in KeyResult.objects.filter(goal_id__in=ids).visible_to(user, masterplan):
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
    *, user: Actor, masterplan: Masterplan, fields: list[FieldOfAction], today: date
) -> list[FieldNode]:
    """Fields of action with their goals and progress, computed as in `plan_tree`."""
    goals = list(
        Goal.objects.filter(field_id__in=[f.pk for f in fields]).visible_to(user, masterplan)
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


def field_list(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[FieldOfAction]:
    """The fields of action of a plan the user may see (FIELDS)."""
    context = ListContext(user=user, masterplan=masterplan)
    return FIELDS.apply(FIELDS.rows(context), filters, context)


def goal_list(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Goal]:
    """The goals of a plan the user may see (GOALS), in the order of the tree (field, then
    goal)."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = GOALS.rows(context).order_by(
        "field__position", "field__name", "field_id", "position", "statement", "id"
    )
    return GOALS.apply(qs, filters, context)


def key_result_list(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[KeyResult]:
    """The key results of a plan the user may see (KEY_RESULTS)."""
    context = ListContext(user=user, masterplan=masterplan)
    return KEY_RESULTS.apply(KEY_RESULTS.rows(context), filters, context)


def key_result_readings(*, key_result: KeyResult) -> QuerySet[KeyResultReading]:
    """The recorded values of a key result, newest first."""
    return KeyResultReading.objects.filter(key_result=key_result).order_by("-measured_on", "-id")


def measure_statuses(*, user: Actor, masterplan: Masterplan) -> QuerySet[MeasureStatus]:
    """The plan's status catalogue in its order."""
    return MeasureStatus.objects.visible_to(user, masterplan)


def measure_list(
    *, user: Actor, masterplan: Masterplan, today: date, **filters: Any
) -> tuple[QuerySet[Measure], str]:
    """The measures of a plan the user may see, filtered (MEASURES) and sorted, with their
    dependencies; the figures of a page come from `measure_nodes`."""
    context = ListContext(user=user, masterplan=masterplan, today=today)
    dependencies = Measure.objects.only("id").visible_to(user, masterplan)
    qs = measures_with_context(user, masterplan).prefetch_related(
        Prefetch("depends_on", queryset=dependencies)
    )
    return MEASURES.order(MEASURES.apply(qs, filters, context), filters)


def milestone_list(
    *, user: Actor, masterplan: Masterplan, today: date, **filters: Any
) -> QuerySet[Milestone]:
    """The milestones of a plan the user may see (MILESTONES), by due date."""
    context = ListContext(user=user, masterplan=masterplan, today=today)
    return MILESTONES.apply(MILESTONES.rows(context), filters, context)


def status_report_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> QuerySet[StatusReport]:
    """The status reports of a plan the user may see (STATUS_REPORTS), newest period first."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = STATUS_REPORTS.rows(context).select_related("masterplan", "submitted_by", "reviewed_by")
    return STATUS_REPORTS.apply(qs, filters, context)


# --- The filters of the plan's lists: page forms, API query schemas and exports -----------------

MEASURE_SORTS = (
    SortOption("planned_end", _("Planned end"), ("planned_end", "title", "id")),
    SortOption("title", _("Title"), ("title", "id")),
    SortOption("planned_start", _("Planned start"), ("planned_start", "title", "id")),
    SortOption("modified", _("Modified"), ("modified_at", "id")),
)


def late_milestones(today: date) -> Exists:
    """A milestone of the measure past its due date and not achieved (`milestone_is_overdue`)."""
    late = Milestone.objects.filter(measure=OuterRef("pk"), achieved_on__isnull=True, due__lt=today)
    return Exists(late)


def overdue_measures(today: date) -> Q:
    """`overdue=true` of the measure list (MEASURES): unfinished and past the planned end, or
    with a milestone past its due date and not achieved."""
    return Q(actual_end__isnull=True, planned_end__lt=today) | Q(late_milestones(today))


def overdue_in_tree(overdue: bool, context: ListContext) -> Q:
    """ "Only overdue" of the plan overview (TREE): late by `measure_schedule` (unfinished, not
    stopped, past the planned end) or with an overdue milestone (`milestone_counts`)."""
    late = Q(actual_end__isnull=True, planned_end__lt=context.today) & ~Q(
        status__phase=MeasureStatus.Phase.STOPPED
    )
    return late | Q(late_milestones(context.today))


def units_of_measures(rows: QuerySet[Any], context: ListContext) -> list[tuple[int, str]]:
    return operational_units(user=context.user, masterplan=context.masterplan)


def full_name(person: Person) -> str:
    return person.full_name


MEASURE_ORGANIZATION = Ref(
    "organization",
    label=_("Lead organisation"),
    lookup="lead_organization_id",
    empty=_("All organisations"),
    # Only the organisations and people that lead a visible measure: a city's directory holds
    # thousands, and a select listing all of them made the overview slow to render.
    choices=referenced("lead_organization", "name", "name"),
)
MEASURE_OWNER = Ref(
    "owner",
    label=_("Responsible person"),
    lookup="responsible_person_id",
    empty=_("All people"),
    choices=referenced("responsible_person", full_name, "family_name", "given_name", "id"),
)
MEASURE_STATUS = Ref(
    "status",
    label=_("Status"),
    lookup="status_id",
    empty=_("All statuses"),
    choices=visible(MeasureStatus),
)
MEASURE_HEALTH = Choice("health", label=_("Health (RAG)"), choices=Health.choices)
MEASURE_UNIT = Ref(
    "unit",
    label=_("Working group"),
    lookup="operational_body_id",
    empty=_("All working groups"),
    choices=units_of_measures,
    description="Id of the operational unit (a governance body).",
)

MEASURES = FilterSpec(
    Measure,
    Search("q", fields=("title", "description", "operational_body__name", "external_id")),
    Ref("goal", lookup="goal_id"),
    Ref("field", lookup="goal__field_id"),
    MEASURE_ORGANIZATION,
    MEASURE_OWNER,
    MEASURE_STATUS,
    Text("phase", lookup="status__phase"),
    MEASURE_HEALTH,
    MEASURE_UNIT,
    Flag("overdue", condition=lambda value, context: overdue_measures(context.today)),
    sort(MEASURE_SORTS),
)
# The plan overview lists measures in the tree; the figures always cover the whole plan.
TREE = FilterSpec(
    Measure,
    MEASURE_ORGANIZATION,
    MEASURE_OWNER,
    MEASURE_STATUS,
    MEASURE_HEALTH,
    Flag("overdue", label=_("Only overdue"), condition=overdue_in_tree),
)
BOARD = MEASURES.only("unit", "organization")

FIELDS = FilterSpec(
    FieldOfAction,
    Search("q", fields=("name", "description", "external_id")),
    Ref("organization", lookup="lead_organization_id"),
)
GOALS = FilterSpec(
    Goal,
    Search("q", fields=("statement", "description", "external_id")),
    Ref("field", lookup="field_id"),
    Ref("organization", lookup="responsible_organization_id"),
    Ref("owner", lookup="owner_id"),
    Text("priority"),
    YesNo("focus", lookup="is_focus"),
)
KEY_RESULTS = FilterSpec(
    KeyResult,
    Search("q", fields=("name", "unit", "external_id")),
    Ref("goal", lookup="goal_id"),
    Ref("field", lookup="goal__field_id"),
)


def milestone_late(late: bool, context: ListContext) -> Q:
    """Past the due date and not achieved (`milestone_is_overdue`), or not."""
    condition = Q(achieved_on__isnull=True, due__lt=context.today)
    return condition if late else ~condition


MILESTONES = FilterSpec(
    Milestone,
    Ref("measure", lookup="measure_id"),
    YesNo("achieved", condition=lambda value, context: Q(achieved_on__isnull=not value)),
    YesNo("overdue", condition=milestone_late),
    Day("due_from", lookup="due__gte"),
    Day("due_until", lookup="due__lte"),
)
STATUS_REPORTS = FilterSpec(
    StatusReport,
    Ref("measure", lookup="measure_id"),
    YesNo("reviewed", condition=lambda value, context: Q(reviewed_at__isnull=not value)),
    Text("health"),
    # Reports whose period overlaps the range.
    Day("period_from", lookup="period_end__gte"),
    Day("period_until", lookup="period_start__lte"),
)
