"""Plans API: the masterplan, fields of action, goals, key results, measures, milestones and
status reports, with the progress and schedule figures of the pages.

Reads go through plans/queries.py, writes through plans/services.py; the figures come from
`plan_tree` and the node functions next to it (plans/figures.py has the formulas), so the API
shows exactly what the pages show. Roll-up figures (`progress` of goals, fields and the plan,
`attainment` of key results) are fractions from 0 to 1; a measure's `progress` and
`effective_progress` are percentages, as entered on the pages.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from masterplan.core.api import (
    Call,
    Crud,
    Operations,
    Present,
    Rows,
    TrackedOut,
    actor,
    patch_of,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import Level, contributor_organization_id, is_plan_member
from masterplan.directory.models import Organization, Person
from masterplan.plans import queries, services
from masterplan.plans.figures import METHODS, milestone_is_due_within, milestone_is_overdue
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    Priority,
    StatusReport,
    operational_unit_model,
)

ops = Operations(
    "plans",
    __name__,
    references={
        "field_id": FieldOfAction,
        "goal_id": Goal,
        "lead_organization_id": Organization,
        "responsible_organization_id": Organization,
        "owner_id": Person,
        "responsible_person_id": Person,
        "operational_body_id": operational_unit_model(),
        "status_id": MeasureStatus,
    },
)


# --- Figures next to their objects ---------------------------------------------------------


class Figured:
    """An object of the plan with the node that holds its figures (see plans/queries.py).

    Output schemas read the object's own fields through it and the figures with aliases such
    as `node.progress`.
    """

    def __init__(self, obj: Any, node: Any) -> None:
        self.obj = obj
        self.node = node

    def __getattr__(self, name: str) -> Any:
        if name in ("obj", "node"):  # not set yet (e.g. while copying): no recursion
            raise AttributeError(name)
        return getattr(self.obj, name)


Nodes = Callable[[Call, list[Any]], list[Any]]


def with_figures(nodes: Nodes) -> Callable[[Call, list[Any]], list[Figured]]:
    """The objects with their figures, computed together for all of them."""
    return lambda call, objects: [
        Figured(o, n) for o, n in zip(objects, nodes(call, objects), strict=True)
    ]


def listed(query: Callable[..., QuerySet[Any]], nodes: Nodes) -> Callable[[Call, Any], Rows]:
    """The rows of a list: `query` with the filters sent, each page with its figures."""
    return lambda call, filters: Rows(call, call.query(query, filters), with_figures(nodes))


def figured(nodes: Nodes) -> Present:
    """`present` for an object: with its figures."""
    return lambda call, obj: with_figures(nodes)(call, [obj])[0]


def field_nodes(call: Call, fields: list[FieldOfAction]) -> list[Any]:
    return queries.field_nodes(
        user=call.user, masterplan=call.masterplan, fields=fields, today=call.today
    )


def goal_nodes(call: Call, goals: list[Goal]) -> list[Any]:
    return queries.goal_nodes(
        user=call.user, masterplan=call.masterplan, goals=goals, today=call.today
    )


def key_result_nodes(call: Call, key_results: list[KeyResult]) -> list[Any]:
    return [queries.key_result_node(k) for k in key_results]


def measure_nodes(call: Call, measures: list[Measure]) -> list[Any]:
    return queries.measure_nodes(measures, call.today)


def measure_figured(call: Call, measure: Measure) -> Figured:
    """Read through the list's query, so that `depends_on` hides what the client may not see."""
    listed, _sort = queries.measure_list(
        user=call.user, masterplan=call.masterplan, today=call.today
    )
    current = listed.get(pk=measure.pk)
    return Figured(current, measure_nodes(call, [current])[0])


def plan_figured(call: Call, masterplan: Masterplan) -> Figured:
    return Figured(
        masterplan, queries.plan_tree(user=call.user, masterplan=masterplan, today=call.today)
    )


# --- Request bodies: ids of other records ----------------------------------------------------


def dependency_targets(masterplan: Masterplan, ids: list[int] | None) -> list[Measure]:
    if ids is None:
        raise ValidationError({"depends_on": [_("Send the list of measure ids, [] for none.")]})
    targets = list(Measure.objects.filter(masterplan=masterplan, pk__in=ids))
    missing = sorted(set(ids) - {t.pk for t in targets})
    if missing:
        raise ValidationError(
            {
                "depends_on": [
                    _("There are no such measures in this masterplan: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    return targets


# --- Schemas ----------------------------------------------------------------------------------


class PlanOut(Schema):
    slug: str
    name: str
    city: str
    ags: str
    description: str
    signed_on: date | None
    horizon: int | None
    publication: str
    version: int
    progress: float | None = Field(alias="node.progress")
    measures_total: int = Field(alias="node.measures_total")
    counts: dict[str, int] = Field(alias="node.counts")
    methods: dict[str, str]

    @staticmethod
    def resolve_methods(obj: Any) -> dict[str, str]:
        return method_texts()


def method_texts() -> dict[str, str]:
    return {name: str(text) for name, text in METHODS.items()}


class PlanPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=120)
    ags: str | None = Field(None, max_length=8)
    description: str | None = None
    signed_on: date | None = None
    horizon: int | None = Field(None, ge=1900, le=2200)
    publication: Publication | None = None


class FieldIn(Schema):
    name: str = Field(max_length=200)
    description: str = ""
    position: int = Field(0, ge=0)
    weight: Decimal | None = Field(None, ge=0)
    lead_organization_id: int | None = None
    external_id: str = ""
    publication: Publication = Publication.DRAFT


FieldPatch = patch_of(FieldIn)


class FieldOut(TrackedOut):
    name: str
    description: str
    position: int
    weight: float | None
    lead_organization_id: int | None
    progress: float | None = Field(alias="node.progress")
    goal_ids: list[int]

    @staticmethod
    def resolve_goal_ids(obj: Figured) -> list[int]:
        return [g.goal.pk for g in obj.node.goals]


class GoalIn(Schema):
    statement: str = Field(max_length=300)
    description: str = ""
    owner_id: int | None = None
    responsible_organization_id: int | None = None
    due_date: date | None = None
    priority: Priority = Priority.MEDIUM
    is_focus: bool = False
    position: int = Field(0, ge=0)
    weight: Decimal | None = Field(None, ge=0)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


GoalPatch = patch_of(GoalIn, extra={"field_id": int})


class GoalOut(TrackedOut):
    field_id: int
    statement: str
    description: str
    owner_id: int | None
    responsible_organization_id: int | None
    due_date: date | None
    priority: str
    is_focus: bool
    position: int
    weight: float | None
    progress: float | None = Field(alias="node.progress")
    progress_basis: str = Field(alias="node.progress_basis")
    key_result_ids: list[int]
    measure_ids: list[int]

    @staticmethod
    def resolve_key_result_ids(obj: Figured) -> list[int]:
        return [k.key_result.pk for k in obj.node.key_results]

    @staticmethod
    def resolve_measure_ids(obj: Figured) -> list[int]:
        return [m.measure.pk for m in obj.node.measures]


class KeyResultIn(Schema):
    name: str = Field(max_length=300)
    unit: str = Field("", max_length=40)
    # Required by the model; optional here so that a missing value is reported like every
    # other invalid value (422 with the field's message) once the permission is checked.
    baseline_value: Decimal | None = None
    baseline_date: date
    target_value: Decimal | None = None
    target_date: date
    current_value: Decimal | None = None
    current_as_of: date | None = None
    weight: Decimal | None = Field(None, ge=0)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


KeyResultPatch = patch_of(KeyResultIn)


class KeyResultOut(TrackedOut):
    goal_id: int
    name: str
    unit: str
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    current_value: float | None
    current_as_of: date | None
    weight: float | None
    attainment: float | None = Field(alias="node.attainment")


class ReadingOut(Schema):
    measured_on: date
    value: float
    source: str
    recorded_at: datetime


class StatusOut(Schema):
    id: int
    name: str
    phase: str
    default_progress: int
    position: int
    external_id: str
    publication: str
    version: int


class MeasureIn(Schema):
    title: str = Field(max_length=300)
    description: str = ""
    lead_organization_id: int | None = Field(
        None, description="Default: the organisation a contributor acts for."
    )
    responsible_person_id: int | None = None
    operational_body_id: int | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    status_id: int | None = Field(None, description="Default: the first status of the plan.")
    progress: int | None = Field(None, ge=0, le=100)
    health: Health = Health.GREEN
    health_reason: str = ""
    weight: Decimal | None = Field(None, ge=0)
    location: dict[str, Any] | None = None
    depends_on: list[int] = Field(default_factory=list)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


MeasurePatch = patch_of(MeasureIn, exclude=("depends_on",), extra={"goal_id": int})


class DependenciesIn(Schema):
    version: int | None = None
    depends_on: list[int] | None = Field(
        None, description="Ids of the measures this one depends on (all of them; [] for none)."
    )


class MeasureOut(TrackedOut):
    goal_id: int
    title: str
    description: str
    lead_organization_id: int
    lead_organization_name: str = Field(alias="lead_organization.name")
    responsible_person_id: int | None
    operational_body_id: int | None
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    status_id: int
    status_name: str = Field(alias="status.name")
    phase: str = Field(alias="status.phase")
    progress: int | None
    effective_progress: int
    health: str
    health_reason: str
    weight: float | None
    location: dict[str, Any] | None
    depends_on: list[int]
    days_late: int = Field(alias="node.schedule.days_late")
    overdue: bool = Field(alias="node.schedule.overdue")
    finished: bool = Field(alias="node.schedule.finished")
    start_delay_days: int | None = Field(alias="node.schedule.start_delay_days")
    milestones_total: int = Field(alias="node.milestones_total")
    milestones_overdue: int = Field(alias="node.milestones_overdue")
    milestones_due_soon: int = Field(alias="node.milestones_due_soon")

    @staticmethod
    def resolve_health_reason(obj: Figured, context: dict[str, Any]) -> str:
        """The reason for a rating is internal: the plan's members see it, the public not."""
        return str(obj.health_reason) if plan_member(context, obj.masterplan_id) else ""

    @staticmethod
    def resolve_depends_on(obj: Figured) -> list[int]:
        return sorted(m.pk for m in obj.depends_on.all())


class MilestoneIn(Schema):
    title: str = Field(max_length=300)
    due: date
    achieved_on: date | None = None
    evidence_url: str = Field("", max_length=200)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


MilestonePatch = patch_of(MilestoneIn)


class MilestoneOut(TrackedOut):
    measure_id: int
    title: str
    due: date
    achieved_on: date | None
    evidence_url: str
    overdue: bool
    due_soon: bool

    @staticmethod
    def resolve_overdue(obj: Milestone) -> bool:
        return milestone_is_overdue(
            due=obj.due, achieved_on=obj.achieved_on, today=timezone.localdate()
        )

    @staticmethod
    def resolve_due_soon(obj: Milestone) -> bool:
        return milestone_is_due_within(
            due=obj.due,
            achieved_on=obj.achieved_on,
            today=timezone.localdate(),
            days=queries.DUE_SOON_DAYS,
        )


class StatusReportIn(Schema):
    period_start: date
    period_end: date
    health: Health
    progress: int = Field(ge=0, le=100)
    narrative: str
    risks: str = ""
    next_steps: str = ""
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class ReviewIn(Schema):
    version: int | None = None
    comment: str = ""


class ReturnIn(Schema):
    version: int | None = None
    questions: str = Field(description="What the reporter should answer.")


StatusReportPatch = patch_of(StatusReportIn)


class StatusReportOut(TrackedOut):
    measure_id: int
    period_start: date
    period_end: date
    health: str
    progress: int
    narrative: str
    risks: str
    next_steps: str
    submitted_by: str | None
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_comment: str
    state: str = Field(
        description="submitted (awaiting review), returned (with questions) or reviewed. A "
        "contributor's health rating replaces the measure's only when the report is reviewed."
    )
    returned_at: datetime | None
    questions: str

    @staticmethod
    def resolve_submitted_by(obj: StatusReport, context: dict[str, Any]) -> str | None:
        return user_label(obj.submitted_by, obj, context)

    @staticmethod
    def resolve_reviewed_by(obj: StatusReport, context: dict[str, Any]) -> str | None:
        return user_label(obj.reviewed_by, obj, context)


def user_label(user: User | None, report: StatusReport, context: dict[str, Any]) -> str | None:
    """Who submitted or reviewed a report: the plan's members see it, the public does not."""
    if user is None or not plan_member(context, report.masterplan_id):
        return None
    return user.get_full_name() or user.get_username()


def plan_member(context: dict[str, Any], masterplan_id: int) -> bool:
    """Whether the client is a member of the plan: asked once per request and plan, so that a
    list asks it once, not once per row."""
    request = context["request"]
    known: dict[int, bool] = request.__dict__.setdefault("plan_members", {})
    if masterplan_id not in known:
        masterplan = Masterplan.objects.get(pk=masterplan_id)
        known[masterplan_id] = is_plan_member(actor(request), masterplan)
    return known[masterplan_id]


class TreeKeyResultOut(Schema):
    id: int = Field(alias="key_result.id")
    name: str = Field(alias="key_result.name")
    unit: str = Field(alias="key_result.unit")
    baseline_value: float = Field(alias="key_result.baseline_value")
    target_value: float = Field(alias="key_result.target_value")
    current_value: float | None = Field(alias="key_result.current_value")
    weight: float | None = Field(alias="key_result.weight")
    attainment: float | None


class TreeMeasureOut(Schema):
    id: int = Field(alias="measure.id")
    title: str = Field(alias="measure.title")
    lead_organization_id: int = Field(alias="measure.lead_organization_id")
    status_id: int = Field(alias="measure.status_id")
    health: str = Field(alias="measure.health")
    weight: float | None = Field(alias="measure.weight")
    effective_progress: int = Field(alias="measure.effective_progress")
    days_late: int = Field(alias="schedule.days_late")
    overdue: bool = Field(alias="schedule.overdue")
    finished: bool = Field(alias="schedule.finished")
    milestones_total: int
    milestones_overdue: int
    milestones_due_soon: int


class TreeGoalOut(Schema):
    id: int = Field(alias="goal.id")
    statement: str = Field(alias="goal.statement")
    weight: float | None = Field(alias="goal.weight")
    progress: float | None
    progress_basis: str
    key_results: list[TreeKeyResultOut]
    measures: list[TreeMeasureOut]


class TreeFieldOut(Schema):
    id: int = Field(alias="field.id")
    name: str = Field(alias="field.name")
    weight: float | None = Field(alias="field.weight")
    progress: float | None
    goals: list[TreeGoalOut]


class TreeOut(Schema):
    slug: str = Field(alias="masterplan.slug")
    today: date
    progress: float | None
    measures_total: int
    measures_shown: int
    counts: dict[str, int]
    methods: dict[str, str]
    fields: list[TreeFieldOut]

    @staticmethod
    def resolve_methods(obj: Any) -> dict[str, str]:
        return method_texts()


@queries.TREE.schema
class TreeFilter(Schema):
    pass


# --- The masterplan and its tree -------------------------------------------------------------


@ops.get("/{plan}/plan", PlanOut, Level.PLAN_VIEW, present=plan_figured)
def plan_detail(call: Call) -> Masterplan:
    """The masterplan with its progress and the counts of the overview page."""
    return call.masterplan


@ops.patch("/{plan}/plan", PlanOut, Level.PLAN_MANAGE, present=plan_figured)
def plan_update(call: Call, payload: PlanPatch) -> Masterplan:
    version, changes = call.changes(payload)
    return services.masterplan_update(
        actor=call.user, masterplan=call.masterplan, version=version, **changes
    )


@ops.get("/{plan}/plan/tree", TreeOut, Level.PLAN_VIEW)
def plan_tree(call: Call, filters: Query[TreeFilter]) -> queries.PlanTree:
    """Fields → goals → key results and measures, with progress at every level.

    The filters select which measures are listed; the figures always cover the whole plan.
    """
    return queries.plan_tree(
        user=call.user,
        masterplan=call.masterplan,
        today=call.today,
        measure_filter=filters.dict(),
    )


# --- Fields of action, goals, key results -------------------------------------------------------

fields = Crud(ops, "field", FieldOfAction, "/{plan}/plan/fields", FieldOut, figured(field_nodes))
fields.list(
    queries.FIELDS,
    listed(queries.field_list, field_nodes),
    doc="Fields of action (Handlungsfelder) with their progress.",
)
fields.create(FieldIn, services.field_create, Level.PLAN_MANAGE)
fields.detail()
fields.update(FieldPatch, services.field_update, Level.PLAN_MANAGE)
fields.delete(
    services.field_delete, Level.PLAN_MANAGE, doc="Refused (422) while the field still has goals."
)

goals = Crud(ops, "goal", Goal, "/{plan}/plan/goals", GoalOut, figured(goal_nodes))
goals.list(
    queries.GOALS,
    listed(queries.goal_list, goal_nodes),
    doc="Goals with their progress (from their key results, or without them their measures).",
)
goals.create(
    GoalIn,
    services.goal_create,
    Level.PLAN_MANAGE,
    fields,
    doc="A new goal in the field of action `pk`.",
)
goals.detail()
goals.update(GoalPatch, services.goal_update)
goals.delete(
    services.goal_delete,
    Level.PLAN_MANAGE,
    doc="Deletes the goal's key results too; refused (422) while measures serve the goal.",
)

key_results = Crud(
    ops,
    "key_result",
    KeyResult,
    "/{plan}/plan/key-results",
    KeyResultOut,
    figured(key_result_nodes),
)
key_results.list(
    queries.KEY_RESULTS,
    listed(queries.key_result_list, key_result_nodes),
    doc="Key results with their attainment.",
)
key_results.create(
    KeyResultIn,
    services.key_result_create,
    Level.OBJECT_EDIT,
    goals,
    doc="A new key result of the goal `pk`; a current value starts its reading history.",
)
key_results.detail()
key_results.update(
    KeyResultPatch,
    services.key_result_update,
    doc="A new `current_value` is also recorded in the reading history.",
)
key_results.delete(services.key_result_delete)


@ops.get(
    "/{plan}/plan/key-results/{pk}/readings",
    list[ReadingOut],
    Level.OBJECT_VIEW,
    KeyResult,
    page_size=50,
)
def key_result_readings(call: Call) -> Any:
    """The recorded values of the key result, newest first."""
    return queries.key_result_readings(key_result=call.obj)


# --- Measures, their statuses, milestones and status reports ------------------------------------


@ops.get("/{plan}/plan/statuses", list[StatusOut], Level.PLAN_VIEW, page_size=50)
def status_list(call: Call) -> QuerySet[MeasureStatus]:
    """The plan's status catalogue, with the progress each status stands for by default."""
    return queries.measure_statuses(user=call.user, masterplan=call.masterplan)


measures = Crud(ops, "measure", Measure, "/{plan}/plan/measures", MeasureOut, measure_figured)
measures.list(
    queries.MEASURES,
    lambda call, filters: Rows(
        call,
        call.query(queries.measure_list, filters, today=call.today)[0],
        with_figures(measure_nodes),
    ),
    doc="Measures with effective progress, schedule figures and dependencies.\n\n"
    "`overdue=true`: unfinished past the planned end, or with an overdue milestone.\n"
    "`sort`: planned_end (default), title, planned_start, modified; `-` reverses.",
)


@ops.post(
    "/{plan}/plan/goals/{pk}/measures",
    MeasureOut,
    Level.PLAN_CREATE,
    Goal,
    status=201,
    present=measure_figured,
)
def measure_create(call: Call, payload: MeasureIn) -> Measure:
    """A new measure serving the goal `pk`. Contributors create measures their own
    organisation leads (the default lead organisation); coordinators name one."""
    data = payload.dict()
    depends_on = dependency_targets(call.masterplan, data.pop("depends_on"))
    if data["lead_organization_id"] is None:
        data["lead_organization_id"] = contributor_organization_id(call.user, call.masterplan)
    # An omitted reference leaves the service's default in place.
    references = call.references.models
    data = {k: v for k, v in data.items() if not (k in references and v is None)}
    return call.write(services.measure_create, data, goal=call.obj, depends_on=depends_on)


measures.detail()
measures.update(
    MeasurePatch,
    services.measure_update,
    doc="Contributors edit the measures their organisation leads and cannot hand them over.",
)


@ops.put(
    "/{plan}/plan/measures/{pk}/dependencies",
    MeasureOut,
    Level.OBJECT_EDIT,
    Measure,
    present=measure_figured,
)
def measure_dependencies(call: Call, payload: DependenciesIn) -> Measure:
    """Replace the measures this one depends on; a cycle is refused (422)."""
    version = call.version(payload.version)
    return services.measure_update_dependencies(
        actor=call.user,
        measure=call.obj,
        version=version,
        depends_on=dependency_targets(call.masterplan, payload.depends_on),
    )


measures.delete(services.measure_delete, Level.PLAN_MANAGE)

milestones = Crud(ops, "milestone", Milestone, "/{plan}/plan/milestones", MilestoneOut)
milestones.list(
    queries.MILESTONES,
    lambda call, filters: call.query(queries.milestone_list, filters, today=call.today),
    doc="Milestones by due date; `overdue`: past the due date and not achieved.",
)
milestones.create(MilestoneIn, services.milestone_create, Level.OBJECT_EDIT, measures)
milestones.detail()
milestones.update(
    MilestonePatch,
    services.milestone_update,
    doc="Set `achieved_on` (and `evidence_url`) when the milestone is reached.",
)
milestones.delete(services.milestone_delete)

status_reports = Crud(
    ops, "status_report", StatusReport, "/{plan}/plan/status-reports", StatusReportOut
)
status_reports.list(
    queries.STATUS_REPORTS,
    lambda call, filters: call.query(queries.status_report_list, filters),
    doc="Status reports, newest period first; `reviewed=false` lists those awaiting review.",
)
status_reports.create(
    StatusReportIn,
    services.status_report_submit,
    Level.OBJECT_EDIT,
    measures,
    doc="Submit a report on the measure `pk`; the measure takes over its progress, and its "
    "health once a coordinator reports or reviews (an amber or red report needs `risks`).",
    verb="submit",
)
status_reports.detail()
status_reports.update(
    StatusReportPatch,
    services.status_report_update,
    doc="Answer a reviewer's questions or correct the report before it is reviewed; it is "
    "then submitted again.",
)


@ops.post(
    "/{plan}/plan/status-reports/{pk}/return", StatusReportOut, Level.PLAN_MANAGE, StatusReport
)
def status_report_return(call: Call, payload: ReturnIn) -> StatusReport:
    """Coordinators send a report back with questions; the measure keeps its rating."""
    return services.status_report_return(
        actor=call.user,
        report=call.obj,
        version=call.version(payload.version),
        questions=payload.questions,
    )


@ops.post(
    "/{plan}/plan/status-reports/{pk}/review", StatusReportOut, Level.PLAN_MANAGE, StatusReport
)
def status_report_review(call: Call, payload: ReviewIn) -> StatusReport:
    """Coordinators confirm they have read the report, optionally with a comment; the newest
    report of a measure then rates it (health, with the risks as the reason)."""
    return services.status_report_review(
        actor=call.user,
        report=call.obj,
        version=call.version(payload.version),
        comment=payload.comment,
    )
