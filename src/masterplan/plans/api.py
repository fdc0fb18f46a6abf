"""Plans API: the masterplan, fields of action, goals, key results, measures, milestones and
status reports, with the progress and schedule figures of the pages.

Reads go through plans/queries.py, writes through plans/services.py; the figures come from
`plan_tree` and the node functions next to it (plans/figures.py has the formulas), so the API
shows exactly what the pages show. Roll-up figures (`progress` of goals, fields and the plan,
`attainment` of key results) are fractions from 0 to 1; a measure's `progress` and
`effective_progress` are percentages, as entered on the pages.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from masterplan.core.api import (
    ERRORS,
    TrackedOut,
    actor,
    declare,
    errors_named,
    etag,
    object_for,
    patch_fields,
    plan_for,
    resolve_ids,
    version_from,
    with_etag,
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

router = Router(tags=["plans"])


# Fields of the request bodies that name another record of the plan by its id.
REFERENCES: dict[str, type[Model]] = {
    "field_id": FieldOfAction,
    "goal_id": Goal,
    "lead_organization_id": Organization,
    "responsible_organization_id": Organization,
    "owner_id": Person,
    "responsible_person_id": Person,
    "operational_body_id": operational_unit_model(),
    "status_id": MeasureStatus,
}


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


class WithFigures:
    """A queryset for the paginator whose page comes with its figures.

    The paginator asks for the length and for one slice; the figures of the objects in the
    slice are computed together, in a fixed number of queries whatever the page size.
    """

    def __init__(self, queryset: QuerySet[Any], figures: Callable[[list[Any]], list[Any]]):
        self.queryset = queryset
        self.figures = figures

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[Figured]:
        objects = list(self.queryset[window])
        return [Figured(o, n) for o, n in zip(objects, self.figures(objects), strict=True)]


def today() -> date:
    return timezone.localdate()


def measure_figured(request: HttpRequest, measure: Measure) -> Figured:
    """Read through the list's query, so that `depends_on` hides what the client may not see."""
    as_of = today()
    listed, _sort = queries.measure_list(
        user=actor(request), masterplan=measure.masterplan, today=as_of
    )
    current = listed.get(pk=measure.pk)
    return Figured(current, queries.measure_nodes([current], as_of)[0])


def goal_figured(request: HttpRequest, goal: Goal) -> Figured:
    nodes = queries.goal_nodes(
        user=actor(request), masterplan=goal.masterplan, goals=[goal], today=today()
    )
    return Figured(goal, nodes[0])


def field_figured(request: HttpRequest, field: FieldOfAction) -> Figured:
    nodes = queries.field_nodes(
        user=actor(request), masterplan=field.masterplan, fields=[field], today=today()
    )
    return Figured(field, nodes[0])


def key_result_figured(key_result: KeyResult) -> Figured:
    return Figured(key_result, queries.key_result_node(key_result))


def plan_figured(request: HttpRequest, masterplan: Masterplan) -> Figured:
    tree = queries.plan_tree(user=actor(request), masterplan=masterplan, today=today())
    return Figured(masterplan, tree)


# --- Request bodies: ids of other records ----------------------------------------------------


def resolved(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    return resolve_ids(masterplan, data, REFERENCES)


def without_empty_references(data: dict[str, Any]) -> dict[str, Any]:
    """For creation: an omitted reference leaves the service's default in place."""
    return {k: v for k, v in data.items() if not (k in REFERENCES and v is None)}


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


def errors_named_as_sent() -> AbstractContextManager[None]:
    return errors_named(REFERENCES)


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


class FieldPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, max_length=200)
    description: str | None = None
    position: int | None = Field(None, ge=0)
    weight: Decimal | None = Field(None, ge=0)
    lead_organization_id: int | None = None
    external_id: str | None = None
    publication: Publication | None = None


class FieldOut(TrackedOut):
    id: int
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


class FieldFilter(Schema):
    q: str = Field("", max_length=200)
    organization: int | None = None


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


class GoalPatch(Schema):
    version: int | None = None
    field_id: int | None = None
    statement: str | None = Field(None, max_length=300)
    description: str | None = None
    owner_id: int | None = None
    responsible_organization_id: int | None = None
    due_date: date | None = None
    priority: Priority | None = None
    is_focus: bool | None = None
    position: int | None = Field(None, ge=0)
    weight: Decimal | None = Field(None, ge=0)
    external_id: str | None = None
    publication: Publication | None = None


class GoalOut(TrackedOut):
    id: int
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


class GoalFilter(Schema):
    q: str = Field("", max_length=200)
    field: int | None = None
    organization: int | None = None
    owner: int | None = None
    priority: str = ""
    focus: bool | None = None


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


class KeyResultPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, max_length=300)
    unit: str | None = Field(None, max_length=40)
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    target_value: Decimal | None = None
    target_date: date | None = None
    current_value: Decimal | None = None
    current_as_of: date | None = None
    weight: Decimal | None = Field(None, ge=0)
    external_id: str | None = None
    publication: Publication | None = None


class KeyResultOut(TrackedOut):
    id: int
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


class KeyResultFilter(Schema):
    q: str = Field("", max_length=200)
    goal: int | None = None
    field: int | None = None


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


class MeasurePatch(Schema):
    version: int | None = None
    goal_id: int | None = None
    title: str | None = Field(None, max_length=300)
    description: str | None = None
    lead_organization_id: int | None = None
    responsible_person_id: int | None = None
    operational_body_id: int | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    status_id: int | None = None
    progress: int | None = Field(None, ge=0, le=100)
    health: Health | None = None
    health_reason: str | None = None
    weight: Decimal | None = Field(None, ge=0)
    location: dict[str, Any] | None = None
    external_id: str | None = None
    publication: Publication | None = None


class DependenciesIn(Schema):
    version: int | None = None
    depends_on: list[int] | None = Field(
        None, description="Ids of the measures this one depends on (all of them; [] for none)."
    )


class MeasureOut(TrackedOut):
    id: int
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
    def resolve_depends_on(obj: Figured) -> list[int]:
        return sorted(m.pk for m in obj.depends_on.all())


class MeasureFilter(Schema):
    q: str = Field("", max_length=200)
    goal: int | None = None
    field: int | None = None
    organization: int | None = None
    owner: int | None = None
    status: int | None = None
    phase: str = ""
    health: str = ""
    unit: int | None = Field(None, description="Id of the operational unit (a governance body).")
    overdue: bool = False
    sort: str = "planned_end"


class MilestoneIn(Schema):
    title: str = Field(max_length=300)
    due: date
    achieved_on: date | None = None
    evidence_url: str = Field("", max_length=200)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class MilestonePatch(Schema):
    version: int | None = None
    title: str | None = Field(None, max_length=300)
    due: date | None = None
    achieved_on: date | None = None
    evidence_url: str | None = Field(None, max_length=200)
    external_id: str | None = None
    publication: Publication | None = None


class MilestoneOut(TrackedOut):
    id: int
    measure_id: int
    title: str
    due: date
    achieved_on: date | None
    evidence_url: str
    overdue: bool
    due_soon: bool

    @staticmethod
    def resolve_overdue(obj: Milestone) -> bool:
        return milestone_is_overdue(due=obj.due, achieved_on=obj.achieved_on, today=today())

    @staticmethod
    def resolve_due_soon(obj: Milestone) -> bool:
        return milestone_is_due_within(
            due=obj.due, achieved_on=obj.achieved_on, today=today(), days=queries.DUE_SOON_DAYS
        )


class MilestoneFilter(Schema):
    measure: int | None = None
    achieved: bool | None = None
    overdue: bool | None = None
    due_from: date | None = None
    due_until: date | None = None


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


class StatusReportOut(TrackedOut):
    id: int
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

    @staticmethod
    def resolve_submitted_by(obj: StatusReport, context: dict[str, Any]) -> str | None:
        return user_label(obj.submitted_by, obj, context)

    @staticmethod
    def resolve_reviewed_by(obj: StatusReport, context: dict[str, Any]) -> str | None:
        return user_label(obj.reviewed_by, obj, context)


def user_label(user: Any, report: StatusReport, context: dict[str, Any]) -> str | None:
    """Who submitted or reviewed a report: the plan's members see it, the public does not."""
    if user is None or not is_plan_member(actor(context["request"]), report.masterplan):
        return None
    return str(user.get_full_name() or user.get_username())


class StatusReportFilter(Schema):
    measure: int | None = None
    reviewed: bool | None = None
    health: str = ""
    period_from: date | None = None
    period_until: date | None = None


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


class TreeFilter(Schema):
    organization: int | None = None
    owner: int | None = None
    status: int | None = None
    health: str = ""
    overdue: bool = False


# --- The masterplan and its tree -------------------------------------------------------------


@router.get(
    "/{plan}/plan",
    response={200: PlanOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
def plan_detail(request: HttpRequest, plan: str, response: HttpResponse) -> Any:
    """The masterplan with its progress and the counts of the overview page."""
    masterplan = plan_for(request, plan)
    response["ETag"] = etag(masterplan.version)
    return plan_figured(request, masterplan)


@router.patch(
    "/{plan}/plan",
    response={200: PlanOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE),
)
def plan_update(request: HttpRequest, plan: str, payload: PlanPatch, response: HttpResponse) -> Any:
    masterplan = plan_for(request, plan, Level.PLAN_MANAGE)
    version = version_from(request, payload.version)
    updated = services.masterplan_update(
        actor=actor(request), masterplan=masterplan, version=version, **patch_fields(payload)
    )
    response["ETag"] = etag(updated.version)
    return plan_figured(request, updated)


@router.get(
    "/{plan}/plan/tree",
    response={200: TreeOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
def plan_tree(request: HttpRequest, plan: str, filters: Query[TreeFilter]) -> Any:
    """Fields → goals → key results and measures, with progress at every level.

    The filters select which measures are listed; the figures always cover the whole plan.
    """
    return queries.plan_tree(
        user=actor(request),
        masterplan=plan_for(request, plan),
        today=today(),
        measure_filter=queries.MeasureFilter(**filters.dict()),
    )


# --- Fields of action ---------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/fields",
    response={200: list[FieldOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def field_list(request: HttpRequest, plan: str, filters: Query[FieldFilter]) -> Any:
    """Fields of action (Handlungsfelder) with their progress."""
    user, masterplan = actor(request), plan_for(request, plan)
    return WithFigures(
        queries.field_list(user=user, masterplan=masterplan, **filters.dict()),
        lambda fields: queries.field_nodes(
            user=user, masterplan=masterplan, fields=fields, today=today()
        ),
    )


@router.post(
    "/{plan}/plan/fields",
    response={201: FieldOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE),
)
def field_create(request: HttpRequest, plan: str, payload: FieldIn, response: HttpResponse) -> Any:
    masterplan = plan_for(request, plan, Level.PLAN_MANAGE)
    with errors_named_as_sent():
        field = services.field_create(
            actor=actor(request), masterplan=masterplan, **resolved(masterplan, payload.dict())
        )
    with_etag(response, field)
    return Status(201, field_figured(request, field))


@router.get(
    "/{plan}/plan/fields/{pk}",
    response={200: FieldOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, FieldOfAction),
)
def field_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    field = object_for(request, FieldOfAction, plan, pk)
    with_etag(response, field)
    return field_figured(request, field)


@router.patch(
    "/{plan}/plan/fields/{pk}",
    response={200: FieldOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, FieldOfAction),
)
def field_update(
    request: HttpRequest, plan: str, pk: int, payload: FieldPatch, response: HttpResponse
) -> Any:
    field = object_for(request, FieldOfAction, plan, pk)
    masterplan = plan_for(request, plan, Level.PLAN_MANAGE)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.field_update(
            actor=actor(request),
            field=field,
            version=version,
            **resolved(masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return field_figured(request, updated)


@router.delete(
    "/{plan}/plan/fields/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, FieldOfAction),
)
def field_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    """Refused (422) while the field still has goals."""
    field = object_for(request, FieldOfAction, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    services.field_delete(actor=actor(request), field=field, version=version_from(request, version))
    return Status(204, None)


# --- Goals ----------------------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/goals",
    response={200: list[GoalOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def goal_list(request: HttpRequest, plan: str, filters: Query[GoalFilter]) -> Any:
    """Goals with their progress (from their key results, or without them their measures)."""
    user, masterplan = actor(request), plan_for(request, plan)
    return WithFigures(
        queries.goal_list(user=user, masterplan=masterplan, **filters.dict()),
        lambda goals: queries.goal_nodes(
            user=user, masterplan=masterplan, goals=goals, today=today()
        ),
    )


@router.post(
    "/{plan}/plan/fields/{pk}/goals",
    response={201: GoalOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, FieldOfAction),
)
def goal_create(
    request: HttpRequest, plan: str, pk: int, payload: GoalIn, response: HttpResponse
) -> Any:
    """A new goal in the field of action `pk`."""
    field = object_for(request, FieldOfAction, plan, pk)
    masterplan = plan_for(request, plan, Level.PLAN_MANAGE)
    with errors_named_as_sent():
        goal = services.goal_create(
            actor=actor(request), field=field, **resolved(masterplan, payload.dict())
        )
    with_etag(response, goal)
    return Status(201, goal_figured(request, goal))


@router.get(
    "/{plan}/plan/goals/{pk}",
    response={200: GoalOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Goal),
)
def goal_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    goal = object_for(request, Goal, plan, pk)
    with_etag(response, goal)
    return goal_figured(request, goal)


@router.patch(
    "/{plan}/plan/goals/{pk}",
    response={200: GoalOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Goal),
)
def goal_update(
    request: HttpRequest, plan: str, pk: int, payload: GoalPatch, response: HttpResponse
) -> Any:
    goal = object_for(request, Goal, plan, pk, edit=True)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.goal_update(
            actor=actor(request),
            goal=goal,
            version=version,
            **resolved(goal.masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return goal_figured(request, updated)


@router.delete(
    "/{plan}/plan/goals/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, Goal),
)
def goal_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    """Deletes the goal's key results too; refused (422) while measures serve the goal."""
    goal = object_for(request, Goal, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    services.goal_delete(actor=actor(request), goal=goal, version=version_from(request, version))
    return Status(204, None)


# --- Key results --------------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/key-results",
    response={200: list[KeyResultOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def key_result_list(request: HttpRequest, plan: str, filters: Query[KeyResultFilter]) -> Any:
    """Key results with their attainment."""
    return WithFigures(
        queries.key_result_list(
            user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
        ),
        lambda key_results: [queries.key_result_node(k) for k in key_results],
    )


@router.post(
    "/{plan}/plan/goals/{pk}/key-results",
    response={201: KeyResultOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Goal),
)
def key_result_create(
    request: HttpRequest, plan: str, pk: int, payload: KeyResultIn, response: HttpResponse
) -> Any:
    """A new key result of the goal `pk`; a current value starts its reading history."""
    goal = object_for(request, Goal, plan, pk, edit=True)
    key_result = services.key_result_create(actor=actor(request), goal=goal, **payload.dict())
    with_etag(response, key_result)
    return Status(201, key_result_figured(key_result))


@router.get(
    "/{plan}/plan/key-results/{pk}",
    response={200: KeyResultOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, KeyResult),
)
def key_result_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    key_result = object_for(request, KeyResult, plan, pk)
    with_etag(response, key_result)
    return key_result_figured(key_result)


@router.patch(
    "/{plan}/plan/key-results/{pk}",
    response={200: KeyResultOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, KeyResult),
)
def key_result_update(
    request: HttpRequest, plan: str, pk: int, payload: KeyResultPatch, response: HttpResponse
) -> Any:
    """A new `current_value` is also recorded in the reading history."""
    key_result = object_for(request, KeyResult, plan, pk, edit=True)
    updated = services.key_result_update(
        actor=actor(request),
        key_result=key_result,
        version=version_from(request, payload.version),
        **patch_fields(payload),
    )
    with_etag(response, updated)
    return key_result_figured(updated)


@router.delete(
    "/{plan}/plan/key-results/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, KeyResult),
)
def key_result_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    key_result = object_for(request, KeyResult, plan, pk, edit=True)
    services.key_result_delete(
        actor=actor(request), key_result=key_result, version=version_from(request, version)
    )
    return Status(204, None)


@router.get(
    "/{plan}/plan/key-results/{pk}/readings",
    response={200: list[ReadingOut], **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, KeyResult),
)
@paginate(PageNumberPagination, page_size=50)
def key_result_readings(request: HttpRequest, plan: str, pk: int) -> Any:
    """The recorded values of the key result, newest first."""
    return queries.key_result_readings(key_result=object_for(request, KeyResult, plan, pk))


# --- Measure statuses ---------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/statuses",
    response={200: list[StatusOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def status_list(request: HttpRequest, plan: str) -> Any:
    """The plan's status catalogue, with the progress each status stands for by default."""
    return queries.measure_statuses(user=actor(request), masterplan=plan_for(request, plan))


# --- Measures -----------------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/measures",
    response={200: list[MeasureOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def measure_list(request: HttpRequest, plan: str, filters: Query[MeasureFilter]) -> Any:
    """Measures with effective progress, schedule figures and dependencies.

    `overdue=true`: unfinished past the planned end, or with an overdue milestone.
    `sort`: planned_end (default), title, planned_start, modified; `-` reverses.
    """
    as_of = today()
    qs, _sort = queries.measure_list(
        user=actor(request), masterplan=plan_for(request, plan), today=as_of, **filters.dict()
    )
    return WithFigures(qs, lambda measures: queries.measure_nodes(measures, as_of))


@router.post(
    "/{plan}/plan/goals/{pk}/measures",
    response={201: MeasureOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_CREATE, Goal),
)
def measure_create(
    request: HttpRequest, plan: str, pk: int, payload: MeasureIn, response: HttpResponse
) -> Any:
    """A new measure serving the goal `pk`. Contributors create measures their own
    organisation leads (the default lead organisation); coordinators name one."""
    goal = object_for(request, Goal, plan, pk)
    masterplan = plan_for(request, plan, Level.PLAN_CREATE)
    data = payload.dict()
    depends_on = dependency_targets(masterplan, data.pop("depends_on"))
    if data["lead_organization_id"] is None:
        data["lead_organization_id"] = contributor_organization_id(actor(request), masterplan)
    with errors_named_as_sent():
        measure = services.measure_create(
            actor=actor(request),
            goal=goal,
            depends_on=depends_on,
            **resolved(masterplan, without_empty_references(data)),
        )
    with_etag(response, measure)
    return Status(201, measure_figured(request, measure))


@router.get(
    "/{plan}/plan/measures/{pk}",
    response={200: MeasureOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Measure),
)
def measure_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    measure = object_for(request, Measure, plan, pk)
    with_etag(response, measure)
    return measure_figured(request, measure)


@router.patch(
    "/{plan}/plan/measures/{pk}",
    response={200: MeasureOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Measure),
)
def measure_update(
    request: HttpRequest, plan: str, pk: int, payload: MeasurePatch, response: HttpResponse
) -> Any:
    """Contributors edit the measures their organisation leads and cannot hand them over."""
    measure = object_for(request, Measure, plan, pk, edit=True)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.measure_update(
            actor=actor(request),
            measure=measure,
            version=version,
            **resolved(measure.masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return measure_figured(request, updated)


@router.put(
    "/{plan}/plan/measures/{pk}/dependencies",
    response={200: MeasureOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Measure),
)
def measure_dependencies(
    request: HttpRequest, plan: str, pk: int, payload: DependenciesIn, response: HttpResponse
) -> Any:
    """Replace the measures this one depends on; a cycle is refused (422)."""
    measure = object_for(request, Measure, plan, pk, edit=True)
    version = version_from(request, payload.version)
    updated = services.measure_update_dependencies(
        actor=actor(request),
        measure=measure,
        version=version,
        depends_on=dependency_targets(measure.masterplan, payload.depends_on),
    )
    with_etag(response, updated)
    return measure_figured(request, updated)


@router.delete(
    "/{plan}/plan/measures/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, Measure),
)
def measure_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    measure = object_for(request, Measure, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    services.measure_delete(
        actor=actor(request), measure=measure, version=version_from(request, version)
    )
    return Status(204, None)


# --- Milestones ---------------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/milestones",
    response={200: list[MilestoneOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def milestone_list(request: HttpRequest, plan: str, filters: Query[MilestoneFilter]) -> Any:
    """Milestones by due date; `overdue`: past the due date and not achieved."""
    return queries.milestone_list(
        user=actor(request), masterplan=plan_for(request, plan), today=today(), **filters.dict()
    )


@router.post(
    "/{plan}/plan/measures/{pk}/milestones",
    response={201: MilestoneOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Measure),
)
def milestone_create(
    request: HttpRequest, plan: str, pk: int, payload: MilestoneIn, response: HttpResponse
) -> Any:
    measure = object_for(request, Measure, plan, pk, edit=True)
    milestone = services.milestone_create(actor=actor(request), measure=measure, **payload.dict())
    with_etag(response, milestone)
    return Status(201, milestone)


@router.get(
    "/{plan}/plan/milestones/{pk}",
    response={200: MilestoneOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Milestone),
)
def milestone_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    milestone = object_for(request, Milestone, plan, pk)
    with_etag(response, milestone)
    return milestone


@router.patch(
    "/{plan}/plan/milestones/{pk}",
    response={200: MilestoneOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Milestone),
)
def milestone_update(
    request: HttpRequest, plan: str, pk: int, payload: MilestonePatch, response: HttpResponse
) -> Any:
    """Set `achieved_on` (and `evidence_url`) when the milestone is reached."""
    milestone = object_for(request, Milestone, plan, pk, edit=True)
    updated = services.milestone_update(
        actor=actor(request),
        milestone=milestone,
        version=version_from(request, payload.version),
        **patch_fields(payload),
    )
    with_etag(response, updated)
    return updated


@router.delete(
    "/{plan}/plan/milestones/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Milestone),
)
def milestone_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    milestone = object_for(request, Milestone, plan, pk, edit=True)
    services.milestone_delete(
        actor=actor(request), milestone=milestone, version=version_from(request, version)
    )
    return Status(204, None)


# --- Status reports -----------------------------------------------------------------------------


@router.get(
    "/{plan}/plan/status-reports",
    response={200: list[StatusReportOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def status_report_list(request: HttpRequest, plan: str, filters: Query[StatusReportFilter]) -> Any:
    """Status reports, newest period first; `reviewed=false` lists those awaiting review."""
    return queries.status_report_list(
        user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
    )


@router.post(
    "/{plan}/plan/measures/{pk}/status-reports",
    response={201: StatusReportOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Measure),
)
def status_report_submit(
    request: HttpRequest, plan: str, pk: int, payload: StatusReportIn, response: HttpResponse
) -> Any:
    """Submit a report on the measure `pk`; the measure takes over its health and progress."""
    measure = object_for(request, Measure, plan, pk, edit=True)
    report = services.status_report_submit(actor=actor(request), measure=measure, **payload.dict())
    with_etag(response, report)
    return Status(201, report)


@router.get(
    "/{plan}/plan/status-reports/{pk}",
    response={200: StatusReportOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, StatusReport),
)
def status_report_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    report = object_for(request, StatusReport, plan, pk)
    with_etag(response, report)
    return report


@router.post(
    "/{plan}/plan/status-reports/{pk}/review",
    response={200: StatusReportOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, StatusReport),
)
def status_report_review(
    request: HttpRequest, plan: str, pk: int, payload: ReviewIn, response: HttpResponse
) -> Any:
    """Coordinators confirm they have read the report, optionally with a comment."""
    report = object_for(request, StatusReport, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    reviewed = services.status_report_review(
        actor=actor(request),
        report=report,
        version=version_from(request, payload.version),
        comment=payload.comment,
    )
    with_etag(response, reviewed)
    return reviewed
