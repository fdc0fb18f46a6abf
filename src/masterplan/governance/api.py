"""REST API of the governance module: bodies, memberships, meetings, attendance, agenda items,
decisions, action items (read and write) and document metadata (read), at
/api/plans/{plan}/governance/….

Same permissions as the pages: reads show what the caller may see (the public: published and
public meetings, agenda items, decisions and documents only; action items and attendance are
for members of the plan); writes go through governance/services.py with the object's version
(If-Match or `version`). Lists are paginated and run a fixed number of queries.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from masterplan.core.api import (
    ERRORS,
    TrackedOut,
    actor,
    declare,
    errors_named,
    patch_fields,
    plan_for,
    resolve_ids,
    version_from,
    with_etag,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import (
    Level,
    can_edit,
    contributor_organization_id,
    is_plan_member,
)
from masterplan.directory.models import Organization, Person
from masterplan.governance import agenda, queries, services
from masterplan.governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    ImplementationState,
    Meeting,
    MeetingState,
    MembershipRole,
    VoteKind,
)
from masterplan.plans.models import Goal, Measure

router = Router(tags=["governance"])

PREFIX = "/{plan}/governance"
M = TypeVar("M", bound=Model)

REFERENCES: dict[str, type[Model]] = {
    "organization_id": Organization,
    "responsible_organization_id": Organization,
    "owner_organization_id": Organization,
    "chair_id": Person,
    "person_id": Person,
    "owner_person_id": Person,
    "parent_id": Body,
    "body_id": Body,
    "meeting_id": Meeting,
    "agenda_item_id": AgendaItem,
    "decision_id": Decision,
}


def today() -> date:
    return timezone.localdate()


def visible_rows(request: HttpRequest, model: type[Model], masterplan: Masterplan) -> QuerySet[Any]:
    """The records of `model` the caller may see (see queries.py for the rules)."""
    user = actor(request)
    if model is Meeting:
        return queries.visible_meetings(user, masterplan)
    if model is AgendaItem:
        return queries.visible_agenda_items(user, masterplan)
    if model is Decision:
        return queries.visible_decisions(user, masterplan)
    if model is ActionItem:
        return queries.visible_action_items(user, masterplan)
    if model is Document:
        return queries.visible_documents(user, masterplan)
    rows = model._default_manager.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return rows
    if model is Attendance:
        return rows.none()
    if model is BodyMembership:
        rows = rows.filter(person__publication=Publication.PUBLISHED)
    return rows.filter(publication=Publication.PUBLISHED)


def governance_object(
    request: HttpRequest, model: type[M], plan: str, pk: int, *, edit: bool = False
) -> M:
    """One record the caller may see (404 otherwise), and may edit when `edit` (403)."""
    masterplan = plan_for(request, plan)
    obj = visible_rows(request, model, masterplan).filter(pk=pk).first()
    if obj is None:
        raise Http404
    obj.masterplan = masterplan
    if edit and not can_edit(actor(request), obj):
        raise PermissionDenied
    return obj


def resolved(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    return resolve_ids(masterplan, data, REFERENCES)


def named_errors() -> Any:
    return errors_named(REFERENCES)


def write_response(response: HttpResponse, obj: Any, status: int = 200) -> Any:
    with_etag(response, obj)
    return Status(status, obj) if status != 200 else obj


# --- Schemas ------------------------------------------------------------------------------------


class BodyIn(Schema):
    name: str = Field(max_length=200)
    short_name: str = Field("", max_length=60)
    kind: BodyKind
    purpose: str = ""
    parent_id: int | None = None
    organization_id: int | None = Field(
        None, description="Default: the organisation a contributor acts for."
    )
    chair_id: int | None = None
    website: str = Field("", max_length=200)
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class BodyPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, max_length=200)
    short_name: str | None = Field(None, max_length=60)
    kind: BodyKind | None = None
    purpose: str | None = None
    parent_id: int | None = None
    organization_id: int | None = None
    chair_id: int | None = None
    website: str | None = Field(None, max_length=200)
    external_id: str | None = None
    publication: Publication | None = None


class BodyOut(TrackedOut):
    id: int
    name: str
    short_name: str
    kind: str
    purpose: str
    parent_id: int | None
    organization_id: int | None
    chair_id: int | None
    website: str


class BodyFilter(Schema):
    kind: str = ""
    parent: int | None = None
    q: str = Field("", max_length=200)


class MembershipIn(Schema):
    person_id: int
    organization_id: int | None = None
    role: MembershipRole = MembershipRole.MEMBER
    voting_right: bool = True
    start: date | None = None
    end: date | None = None
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class MembershipPatch(Schema):
    version: int | None = None
    person_id: int | None = None
    organization_id: int | None = None
    role: MembershipRole | None = None
    voting_right: bool | None = None
    start: date | None = None
    end: date | None = None
    external_id: str | None = None
    publication: Publication | None = None


class MembershipOut(TrackedOut):
    id: int
    body_id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    organization_id: int | None
    role: str
    voting_right: bool
    start: date | None
    end: date | None


class MembershipFilter(Schema):
    body: int | None = None
    person: int | None = None
    current: bool = False


class MeetingIn(Schema):
    title: str = Field(max_length=300)
    # Required by the model; optional here so that a missing start is reported like every
    # other invalid value (422 with the field's message) once the permission is checked.
    start: datetime | None = None
    end: datetime | None = None
    location_name: str = Field("", max_length=200)
    street_address: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=10)
    locality: str = Field("", max_length=120)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    state: MeetingState = MeetingState.PLANNED
    is_public: bool = False
    invitation_text: str = ""
    minutes_text: str = ""
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class MeetingPatch(Schema):
    version: int | None = None
    body_id: int | None = None
    title: str | None = Field(None, max_length=300)
    start: datetime | None = None
    end: datetime | None = None
    location_name: str | None = Field(None, max_length=200)
    street_address: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=10)
    locality: str | None = Field(None, max_length=120)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_public: bool | None = None
    invitation_text: str | None = None
    minutes_text: str | None = None
    external_id: str | None = None
    publication: Publication | None = None


class MeetingOut(TrackedOut):
    id: int
    body_id: int
    body_name: str = Field(alias="body.name")
    title: str
    start: datetime
    end: datetime | None
    location_name: str
    street_address: str
    postal_code: str
    locality: str
    latitude: float | None
    longitude: float | None
    state: str
    is_public: bool
    invitation_text: str
    minutes_text: str
    minutes_approved_on: date | None
    sequence: int


class MeetingFilter(Schema):
    body: int | None = None
    when: str = Field("", description="upcoming, past or empty for all", max_length=10)
    state: str = ""


class TransitionIn(Schema):
    version: int | None = None
    state: MeetingState
    minutes_approved_on: date | None = None


class AttendanceIn(Schema):
    person_id: int
    organization_id: int | None = None
    status: AttendanceStatus = AttendanceStatus.PRESENT


class AttendancePatch(Schema):
    version: int | None = None
    organization_id: int | None = None
    status: AttendanceStatus | None = None


class AttendanceOut(Schema):
    id: int
    version: int
    meeting_id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    organization_id: int | None
    status: str


class AttendanceFilter(Schema):
    meeting: int | None = None


class AgendaItemIn(Schema):
    title: str = Field(max_length=300)
    text: str = ""
    parent_id: int | None = None
    position: int | None = Field(None, ge=1, description="Default: after the last sibling.")
    is_public: bool = True
    result: str = ""
    goal_ids: list[int] | None = None
    measure_ids: list[int] | None = None
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class AgendaItemPatch(Schema):
    version: int | None = None
    title: str | None = Field(None, max_length=300)
    text: str | None = None
    parent_id: int | None = None
    position: int | None = Field(None, ge=1)
    is_public: bool | None = None
    result: str | None = None
    goal_ids: list[int] | None = None
    measure_ids: list[int] | None = None
    external_id: str | None = None
    publication: Publication | None = None


class AgendaItemOut(TrackedOut):
    id: int
    meeting_id: int
    parent_id: int | None
    position: int
    number: str
    title: str
    text: str
    is_public: bool
    result: str
    goal_ids: list[int]
    measure_ids: list[int]

    @staticmethod
    def resolve_goal_ids(obj: AgendaItem) -> list[int]:
        return sorted(g.pk for g in obj.goals.all())

    @staticmethod
    def resolve_measure_ids(obj: AgendaItem) -> list[int]:
        return sorted(m.pk for m in obj.measures.all())


class AgendaItemFilter(Schema):
    meeting: int | None = None


class MoveIn(Schema):
    version: int | None = None
    direction: Literal["up", "down"]


class DecisionIn(Schema):
    title: str = Field(max_length=300)
    agenda_item_id: int | None = None
    reference: str = Field("", max_length=40)
    text: str = ""
    decided_on: date | None = Field(None, description="Default: the day of the meeting.")
    vote_kind: VoteKind = VoteKind.CONSENSUS
    votes_yes: int | None = Field(None, ge=0)
    votes_no: int | None = Field(None, ge=0)
    votes_abstain: int | None = Field(None, ge=0)
    responsible_organization_id: int | None = None
    due: date | None = None
    is_public: bool = True
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class DecisionPatch(Schema):
    version: int | None = None
    title: str | None = Field(None, max_length=300)
    agenda_item_id: int | None = None
    reference: str | None = Field(None, max_length=40)
    text: str | None = None
    decided_on: date | None = None
    vote_kind: VoteKind | None = None
    votes_yes: int | None = Field(None, ge=0)
    votes_no: int | None = Field(None, ge=0)
    votes_abstain: int | None = Field(None, ge=0)
    implementation_state: ImplementationState | None = None
    implementation_evidence: str | None = None
    responsible_organization_id: int | None = None
    due: date | None = None
    is_public: bool | None = None
    external_id: str | None = None
    publication: Publication | None = None


class DecisionOut(TrackedOut):
    id: int
    meeting_id: int | None
    agenda_item_id: int | None
    reference: str
    title: str
    text: str
    decided_on: date
    vote_kind: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None
    implementation_state: str
    implementation_evidence: str
    implementation_changed_on: date | None
    responsible_organization_id: int | None
    due: date | None
    is_public: bool
    age_days: int

    @staticmethod
    def resolve_age_days(obj: Decision) -> int:
        return queries.decision_age(obj, today())


class DecisionFilter(Schema):
    body: int | None = None
    meeting: int | None = None
    state: str = ""
    organization: int | None = None


class ActionItemIn(Schema):
    title: str = Field(max_length=300)
    meeting_id: int | None = None
    decision_id: int | None = None
    agenda_item_id: int | None = None
    description: str = ""
    owner_person_id: int | None = None
    owner_organization_id: int | None = Field(
        None, description="Default for items without a meeting: the contributor's organisation."
    )
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    evidence: str = ""
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class ActionItemPatch(Schema):
    version: int | None = None
    title: str | None = Field(None, max_length=300)
    description: str | None = None
    owner_person_id: int | None = None
    owner_organization_id: int | None = None
    due: date | None = None
    status: ActionStatus | None = None
    evidence: str | None = None
    external_id: str | None = None
    publication: Publication | None = None


class ActionItemOut(TrackedOut):
    id: int
    meeting_id: int | None
    decision_id: int | None
    agenda_item_id: int | None
    title: str
    description: str
    owner_person_id: int | None
    owner_organization_id: int | None
    due: date | None
    status: str
    evidence: str
    completed_on: date | None
    days_overdue: int

    @staticmethod
    def resolve_days_overdue(obj: ActionItem) -> int:
        return queries.days_overdue(obj, today())


class ActionItemFilter(Schema):
    owner: int | None = None
    organization: int | None = None
    overdue: bool = False
    status: str = ""
    body: int | None = None
    meeting: int | None = None
    decision: int | None = None


class DocumentOut(TrackedOut):
    id: int
    meeting_id: int | None
    agenda_item_id: int | None
    decision_id: int | None
    kind: str
    name: str
    file_name: str
    mime_type: str
    size: int
    sha256: str
    is_public: bool
    period_start: date | None
    period_end: date | None


class DocumentFilter(Schema):
    meeting: int | None = None
    kind: DocumentKind | None = None


# --- Shared CRUD pieces -------------------------------------------------------------------------


def detail(request: HttpRequest, model: type[M], plan: str, pk: int, response: HttpResponse) -> M:
    obj = governance_object(request, model, plan, pk)
    with_etag(response, obj)  # type: ignore[arg-type]
    return obj


def update(
    request: HttpRequest,
    model: type[M],
    plan: str,
    pk: int,
    payload: Schema,
    response: HttpResponse,
    write: Callable[..., Any],
    name: str,
) -> Any:
    obj = governance_object(request, model, plan, pk, edit=True)
    version = version_from(request, getattr(payload, "version", None))
    with named_errors():
        updated = write(
            actor=actor(request),
            version=version,
            **{name: obj},
            **resolved(obj.masterplan, patch_fields(payload)),  # type: ignore[attr-defined]
        )
    with_etag(response, updated)
    return updated


def delete(
    request: HttpRequest,
    model: type[M],
    plan: str,
    pk: int,
    version: int | None,
    remove: Callable[..., Any],
    name: str,
) -> Any:
    obj = governance_object(request, model, plan, pk)
    remove(actor=actor(request), version=version_from(request, version), **{name: obj})
    return Status(204, None)


# --- Bodies -------------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/bodies",
    response={200: list[BodyOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def body_list(request: HttpRequest, plan: str, filters: Query[BodyFilter]) -> Any:
    """Bodies of the plan by name; `parent`: the parts of one body."""
    rows = visible_rows(request, Body, plan_for(request, plan))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.parent is not None:
        rows = rows.filter(parent_id=filters.parent)
    if filters.q:
        rows = rows.filter(name__icontains=filters.q)
    return rows.order_by("name", "id")


@router.post(
    f"{PREFIX}/bodies", response={201: BodyOut, **ERRORS}, openapi_extra=declare(Level.PLAN_CREATE)
)
def body_create(request: HttpRequest, plan: str, payload: BodyIn, response: HttpResponse) -> Any:
    """A new body. Contributors create bodies their own organisation runs (the default)."""
    masterplan = plan_for(request, plan, Level.PLAN_CREATE)
    data = payload.dict()
    if data["organization_id"] is None:
        data["organization_id"] = contributor_organization_id(actor(request), masterplan)
    with named_errors():
        body = services.body_create(
            actor=actor(request), masterplan=masterplan, **resolved(masterplan, data)
        )
    return write_response(response, body, 201)


@router.get(
    f"{PREFIX}/bodies/{{pk}}",
    response={200: BodyOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Body),
)
def body_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, Body, plan, pk, response)


@router.patch(
    f"{PREFIX}/bodies/{{pk}}",
    response={200: BodyOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Body),
)
def body_update(
    request: HttpRequest, plan: str, pk: int, payload: BodyPatch, response: HttpResponse
) -> Any:
    return update(request, Body, plan, pk, payload, response, services.body_update, "body")


@router.delete(
    f"{PREFIX}/bodies/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, Body),
)
def body_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    """Coordinators delete bodies without meetings."""
    plan_for(request, plan, Level.PLAN_MANAGE)
    return delete(request, Body, plan, pk, version, services.body_delete, "body")


# --- Memberships --------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/memberships",
    response={200: list[MembershipOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=100)
def membership_list(request: HttpRequest, plan: str, filters: Query[MembershipFilter]) -> Any:
    """Memberships with the person's name; `current`: not ended before today."""
    rows = visible_rows(request, BodyMembership, plan_for(request, plan)).select_related("person")
    if filters.body is not None:
        rows = rows.filter(body_id=filters.body)
    if filters.person is not None:
        rows = rows.filter(person_id=filters.person)
    if filters.current:
        rows = rows.exclude(end__lt=today())
    return rows.order_by("body_id", "role", "id")


@router.post(
    f"{PREFIX}/bodies/{{pk}}/memberships",
    response={201: MembershipOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Body),
)
def membership_create(
    request: HttpRequest, plan: str, pk: int, payload: MembershipIn, response: HttpResponse
) -> Any:
    body = governance_object(request, Body, plan, pk, edit=True)
    with named_errors():
        membership = services.membership_create(
            actor=actor(request), body=body, **resolved(body.masterplan, payload.dict())
        )
    return write_response(response, membership, 201)


@router.get(
    f"{PREFIX}/memberships/{{pk}}",
    response={200: MembershipOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, BodyMembership),
)
def membership_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, BodyMembership, plan, pk, response)


@router.patch(
    f"{PREFIX}/memberships/{{pk}}",
    response={200: MembershipOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, BodyMembership),
)
def membership_update(
    request: HttpRequest, plan: str, pk: int, payload: MembershipPatch, response: HttpResponse
) -> Any:
    return update(
        request,
        BodyMembership,
        plan,
        pk,
        payload,
        response,
        services.membership_update,
        "membership",
    )


@router.delete(
    f"{PREFIX}/memberships/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, BodyMembership),
)
def membership_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    return delete(
        request, BodyMembership, plan, pk, version, services.membership_delete, "membership"
    )


# --- Meetings -----------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/meetings",
    response={200: list[MeetingOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request: HttpRequest, plan: str, filters: Query[MeetingFilter]) -> Any:
    """Meetings by start; `when=upcoming` (soonest first) or `past` (latest first)."""
    return queries.meeting_list(
        user=actor(request), masterplan=plan_for(request, plan), today=today(), **filters.dict()
    )


@router.post(
    f"{PREFIX}/bodies/{{pk}}/meetings",
    response={201: MeetingOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Body),
)
def meeting_create(
    request: HttpRequest, plan: str, pk: int, payload: MeetingIn, response: HttpResponse
) -> Any:
    body = governance_object(request, Body, plan, pk, edit=True)
    with named_errors():
        meeting = services.meeting_create(actor=actor(request), body=body, **payload.dict())
    return write_response(response, meeting, 201)


@router.get(
    f"{PREFIX}/meetings/{{pk}}",
    response={200: MeetingOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Meeting),
)
def meeting_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, Meeting, plan, pk, response)


@router.patch(
    f"{PREFIX}/meetings/{{pk}}",
    response={200: MeetingOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def meeting_update(
    request: HttpRequest, plan: str, pk: int, payload: MeetingPatch, response: HttpResponse
) -> Any:
    """Details of a meeting; its state changes with POST …/transition."""
    return update(request, Meeting, plan, pk, payload, response, services.meeting_update, "meeting")


@router.post(
    f"{PREFIX}/meetings/{{pk}}/transition",
    response={200: MeetingOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def meeting_transition(
    request: HttpRequest, plan: str, pk: int, payload: TransitionIn, response: HttpResponse
) -> Any:
    """planned → invited → held → minutes_approved, or cancelled (and back to planned)."""
    meeting = governance_object(request, Meeting, plan, pk, edit=True)
    updated = services.meeting_transition(
        actor=actor(request),
        meeting=meeting,
        version=version_from(request, payload.version),
        state=payload.state,
        minutes_approved_on=payload.minutes_approved_on,
    )
    return write_response(response, updated)


@router.post(
    f"{PREFIX}/meetings/{{pk}}/generate-agenda",
    response={201: list[AgendaItemOut], **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def meeting_generate_agenda(request: HttpRequest, plan: str, pk: int) -> Any:
    """Add the draft agenda generated from the plan (see docs/governance.md)."""
    meeting = governance_object(request, Meeting, plan, pk, edit=True)
    created = agenda.generate_agenda(actor=actor(request), meeting=meeting)
    ids = [item.pk for item in created]
    return Status(
        201,
        list(
            AgendaItem.objects.filter(pk__in=ids)
            .prefetch_related("goals", "measures")
            .order_by("id")
        ),
    )


@router.delete(
    f"{PREFIX}/meetings/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def meeting_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    """Meetings not yet held; feeds then show them as cancelled."""
    return delete(request, Meeting, plan, pk, version, services.meeting_delete, "meeting")


# --- Attendance ---------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/attendance",
    response={200: list[AttendanceOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=100)
def attendance_list(request: HttpRequest, plan: str, filters: Query[AttendanceFilter]) -> Any:
    """Attendance (members of the plan only; empty for others)."""
    rows = visible_rows(request, Attendance, plan_for(request, plan)).select_related("person")
    if filters.meeting is not None:
        rows = rows.filter(meeting_id=filters.meeting)
    return rows.order_by("meeting_id", "id")


@router.post(
    f"{PREFIX}/meetings/{{pk}}/attendance",
    response={200: AttendanceOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def attendance_record(
    request: HttpRequest, plan: str, pk: int, payload: AttendanceIn, response: HttpResponse
) -> Any:
    """Record one person's attendance (creates or changes the row of that person)."""
    meeting = governance_object(request, Meeting, plan, pk, edit=True)
    with named_errors():
        values = resolved(meeting.masterplan, payload.dict())
        entry = services.attendance_record(actor=actor(request), meeting=meeting, **values)
    return write_response(response, entry)


@router.get(
    f"{PREFIX}/attendance/{{pk}}",
    response={200: AttendanceOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Attendance),
)
def attendance_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, Attendance, plan, pk, response)


@router.patch(
    f"{PREFIX}/attendance/{{pk}}",
    response={200: AttendanceOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Attendance),
)
def attendance_update(
    request: HttpRequest, plan: str, pk: int, payload: AttendancePatch, response: HttpResponse
) -> Any:
    return update(
        request, Attendance, plan, pk, payload, response, services.attendance_update, "attendance"
    )


@router.delete(
    f"{PREFIX}/attendance/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Attendance),
)
def attendance_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    return delete(request, Attendance, plan, pk, version, services.attendance_delete, "attendance")


# --- Agenda items -------------------------------------------------------------------------------


def link_targets(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    """goal_ids / measure_ids → goals / measures of this plan (422 for unknown ids)."""
    links: dict[str, Any] = {}
    for name, model in (("goal_ids", Goal), ("measure_ids", Measure)):
        ids = data.pop(name, None)
        if ids is None:
            continue
        found = list(model.objects.filter(masterplan=masterplan, pk__in=ids))
        missing = sorted(set(ids) - {o.pk for o in found})
        if missing:
            raise ValidationError({name: [f"Unknown in this masterplan: {missing}"]})
        links[name.removesuffix("_ids") + "s"] = found
    return links


def agenda_rows(request: HttpRequest, masterplan: Masterplan) -> QuerySet[AgendaItem]:
    return visible_rows(request, AgendaItem, masterplan).prefetch_related("goals", "measures")


@router.get(
    f"{PREFIX}/agenda-items",
    response={200: list[AgendaItemOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=100)
def agenda_item_list(request: HttpRequest, plan: str, filters: Query[AgendaItemFilter]) -> Any:
    """Agenda items by meeting and position (non-public items only for members)."""
    rows = agenda_rows(request, plan_for(request, plan))
    if filters.meeting is not None:
        rows = rows.filter(meeting_id=filters.meeting)
    return rows.order_by("meeting_id", "parent_id", "position", "id")


@router.post(
    f"{PREFIX}/meetings/{{pk}}/agenda-items",
    response={201: AgendaItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def agenda_item_create(
    request: HttpRequest, plan: str, pk: int, payload: AgendaItemIn, response: HttpResponse
) -> Any:
    meeting = governance_object(request, Meeting, plan, pk, edit=True)
    data = payload.dict()
    with named_errors():
        links = link_targets(meeting.masterplan, data)
        parent_id = data.pop("parent_id")
        parent = (
            AgendaItem.objects.filter(meeting=meeting, pk=parent_id).first() if parent_id else None
        )
        if parent_id and parent is None:
            raise ValidationError({"parent_id": ["There is no such item in this meeting."]})
        item = services.agenda_item_create(
            actor=actor(request), meeting=meeting, parent=parent, **links, **data
        )
    return write_response(response, item, 201)


@router.get(
    f"{PREFIX}/agenda-items/{{pk}}",
    response={200: AgendaItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, AgendaItem),
)
def agenda_item_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, AgendaItem, plan, pk, response)


@router.patch(
    f"{PREFIX}/agenda-items/{{pk}}",
    response={200: AgendaItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, AgendaItem),
)
def agenda_item_update(
    request: HttpRequest, plan: str, pk: int, payload: AgendaItemPatch, response: HttpResponse
) -> Any:
    item = governance_object(request, AgendaItem, plan, pk, edit=True)
    version = version_from(request, payload.version)
    data = patch_fields(payload)
    with named_errors():
        links = link_targets(item.masterplan, data)
        updated = services.agenda_item_update(
            actor=actor(request),
            item=item,
            version=version,
            **links,
            **resolved(item.masterplan, data),
        )
    return write_response(response, updated)


@router.post(
    f"{PREFIX}/agenda-items/{{pk}}/move",
    response={200: AgendaItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, AgendaItem),
)
def agenda_item_move(
    request: HttpRequest, plan: str, pk: int, payload: MoveIn, response: HttpResponse
) -> Any:
    """Swap with the previous (`up`) or next (`down`) sibling; numbers follow."""
    item = governance_object(request, AgendaItem, plan, pk, edit=True)
    moved = services.agenda_item_move(
        actor=actor(request),
        item=item,
        version=version_from(request, payload.version),
        direction=payload.direction,
    )
    return write_response(response, moved)


@router.delete(
    f"{PREFIX}/agenda-items/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, AgendaItem),
)
def agenda_item_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    """With its sub-items; the agenda is renumbered."""
    return delete(request, AgendaItem, plan, pk, version, services.agenda_item_delete, "item")


# --- Decisions ----------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def decision_list(request: HttpRequest, plan: str, filters: Query[DecisionFilter]) -> Any:
    """Decisions, latest first, with their age in days (decision tracking)."""
    rows = visible_rows(request, Decision, plan_for(request, plan))
    if filters.body is not None:
        rows = rows.filter(meeting__body_id=filters.body)
    if filters.meeting is not None:
        rows = rows.filter(meeting_id=filters.meeting)
    if filters.state:
        rows = rows.filter(implementation_state=filters.state)
    if filters.organization is not None:
        rows = rows.filter(responsible_organization_id=filters.organization)
    return rows.order_by("-decided_on", "-id")


@router.post(
    f"{PREFIX}/meetings/{{pk}}/decisions",
    response={201: DecisionOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Meeting),
)
def decision_create(
    request: HttpRequest, plan: str, pk: int, payload: DecisionIn, response: HttpResponse
) -> Any:
    meeting = governance_object(request, Meeting, plan, pk, edit=True)
    data = {k: v for k, v in payload.dict().items() if not (k == "decided_on" and v is None)}
    with named_errors():
        values = resolved(meeting.masterplan, data)
        item = values.get("agenda_item")
        if item is not None and item.meeting_id != meeting.pk:
            raise ValidationError(
                {"agenda_item_id": ["The agenda item belongs to a different meeting."]}
            )
        decision = services.decision_create(actor=actor(request), meeting=meeting, **values)
    return write_response(response, decision, 201)


@router.get(
    f"{PREFIX}/decisions/{{pk}}",
    response={200: DecisionOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Decision),
)
def decision_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, Decision, plan, pk, response)


@router.patch(
    f"{PREFIX}/decisions/{{pk}}",
    response={200: DecisionOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Decision),
)
def decision_update(
    request: HttpRequest, plan: str, pk: int, payload: DecisionPatch, response: HttpResponse
) -> Any:
    """Also the implementation state: done or dropped needs `implementation_evidence`."""
    return update(
        request, Decision, plan, pk, payload, response, services.decision_update, "decision"
    )


@router.delete(
    f"{PREFIX}/decisions/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Decision),
)
def decision_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    return delete(request, Decision, plan, pk, version, services.decision_delete, "decision")


# --- Action items -------------------------------------------------------------------------------


@router.get(
    f"{PREFIX}/action-items",
    response={200: list[ActionItemOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def action_item_list(request: HttpRequest, plan: str, filters: Query[ActionItemFilter]) -> Any:
    """Action items by due date (members of the plan only). `overdue`: past due, not done."""
    data = filters.dict()
    meeting, decision = data.pop("meeting"), data.pop("decision")
    rows = queries.action_item_list(
        user=actor(request), masterplan=plan_for(request, plan), today=today(), **data
    )
    if meeting is not None:
        rows = rows.filter(meeting_id=meeting)
    if decision is not None:
        rows = rows.filter(decision_id=decision)
    return rows


@router.post(
    f"{PREFIX}/action-items",
    response={201: ActionItemOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_CREATE),
)
def action_item_create(
    request: HttpRequest, plan: str, payload: ActionItemIn, response: HttpResponse
) -> Any:
    """An action item of a meeting, decision or agenda item (editors of that meeting), or on
    its own (contributors for their organisation, the default owner organisation)."""
    masterplan = plan_for(request, plan, Level.PLAN_CREATE)
    data = payload.dict()
    standalone = not any(data[k] for k in ("meeting_id", "decision_id", "agenda_item_id"))
    if standalone and data["owner_organization_id"] is None:
        data["owner_organization_id"] = contributor_organization_id(actor(request), masterplan)
    with named_errors():
        item = services.action_item_create(
            actor=actor(request), masterplan=masterplan, **resolved(masterplan, data)
        )
    return write_response(response, item, 201)


@router.get(
    f"{PREFIX}/action-items/{{pk}}",
    response={200: ActionItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, ActionItem),
)
def action_item_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, ActionItem, plan, pk, response)


@router.patch(
    f"{PREFIX}/action-items/{{pk}}",
    response={200: ActionItemOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, ActionItem),
)
def action_item_update(
    request: HttpRequest, plan: str, pk: int, payload: ActionItemPatch, response: HttpResponse
) -> Any:
    """Done sets `completed_on`; reopening clears it."""
    return update(
        request, ActionItem, plan, pk, payload, response, services.action_item_update, "item"
    )


@router.delete(
    f"{PREFIX}/action-items/{{pk}}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, ActionItem),
)
def action_item_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    return delete(request, ActionItem, plan, pk, version, services.action_item_delete, "item")


# --- Documents (metadata) -----------------------------------------------------------------------


@router.get(
    f"{PREFIX}/documents",
    response={200: list[DocumentOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def document_list(request: HttpRequest, plan: str, filters: Query[DocumentFilter]) -> Any:
    """Documents' metadata; the files are served by the meeting pages (permission-checked)."""
    rows = visible_rows(request, Document, plan_for(request, plan))
    if filters.meeting is not None:
        rows = rows.filter(meeting_id=filters.meeting)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("meeting_id", "kind", "name", "id")


@router.get(
    f"{PREFIX}/documents/{{pk}}",
    response={200: DocumentOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Document),
)
def document_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    return detail(request, Document, plan, pk, response)
