"""REST API of the governance module: bodies, memberships, meetings, attendance, agenda items,
decisions, action items (read and write) and document metadata (read), at
/api/plans/{plan}/governance/….

Same permissions as the pages: reads show what the caller may see (the public: published and
public meetings, agenda items, decisions and documents only; action items and attendance are
for members of the plan); writes go through governance/services.py with the object's version
(If-Match or `version`). Lists are paginated and run a fixed number of queries.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from ninja import Field, Schema

from masterplan.core.actors import Actor
from masterplan.core.api import Call, Crud, Operations, TrackedOut, patch_of
from masterplan.core.models import Masterplan, PlanScopedModel, Publication
from masterplan.core.permissions import Level, contributor_organization_id
from masterplan.directory.models import Organization, Person
from masterplan.governance import agenda, invitations, queries, services
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
    DecisionKind,
    Document,
    ImplementationState,
    Meeting,
    MeetingState,
    MembershipRole,
    VoteKind,
)
from masterplan.land.models import CoreZone, Parcel
from masterplan.plans.models import Goal, Measure

PREFIX = "/{plan}/governance"


def visible_rows(
    user: Actor, model: type[PlanScopedModel], masterplan: Masterplan
) -> QuerySet[Any]:
    """The records of `model` the caller may see (the models' `public_filter`)."""
    return model.objects.visible_to(user, masterplan)


ops = Operations(
    "governance",
    __name__,
    visible=visible_rows,
    references={
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
    },
)


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


BodyPatch = patch_of(BodyIn)


class BodyOut(TrackedOut):
    name: str
    short_name: str
    kind: str
    purpose: str
    parent_id: int | None
    organization_id: int | None
    chair_id: int | None
    website: str


class MembershipIn(Schema):
    person_id: int
    organization_id: int | None = None
    role: MembershipRole = MembershipRole.MEMBER
    voting_right: bool = True
    start: date | None = None
    end: date | None = None
    external_id: str = ""
    publication: Publication | None = Field(None, description="Default: the body's publication.")


MembershipPatch = patch_of(MembershipIn)


class MembershipOut(TrackedOut):
    body_id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    organization_id: int | None
    role: str
    voting_right: bool
    start: date | None
    end: date | None


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
    publication: Publication | None = Field(None, description="Default: the body's publication.")


MeetingPatch = patch_of(MeetingIn, exclude=("state",), extra={"body_id": int})


class MeetingOut(TrackedOut):
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


class TransitionIn(Schema):
    version: int | None = None
    state: MeetingState
    minutes_approved_on: date | None = None


class InvitationIn(Schema):
    version: int | None = None


class CorrectionIn(Schema):
    version: int | None = None
    reason: str = Field(min_length=1, max_length=2000, description="Why the minutes change.")


class AttendanceIn(Schema):
    person_id: int
    organization_id: int | None = None
    status: AttendanceStatus = AttendanceStatus.PRESENT


AttendancePatch = patch_of(AttendanceIn, exclude=("person_id",))


class AttendanceOut(Schema):
    id: int
    version: int
    meeting_id: int
    person_id: int
    person_name: str = Field(alias="person.full_name")
    organization_id: int | None
    status: str


class AgendaItemIn(Schema):
    title: str = Field(max_length=300)
    text: str = ""
    parent_id: int | None = None
    position: int | None = Field(None, ge=1, description="Default: after the last sibling.")
    is_public: bool | None = Field(
        None, description="Default: as the parent item (a top-level item is public)."
    )
    result: str = ""
    goal_ids: list[int] | None = None
    measure_ids: list[int] | None = None
    core_zone_ids: list[int] | None = Field(
        None, description='The core zones the item is about (the "where" of a workshop).'
    )
    parcel_ids: list[int] | None = Field(None, description="The parcels the item is about.")
    external_id: str = ""
    publication: Publication | None = Field(
        None, description="Default: the parent item's or the meeting's publication."
    )


AgendaItemPatch = patch_of(AgendaItemIn)


class AgendaItemOut(TrackedOut):
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
    core_zone_ids: list[int]
    parcel_ids: list[int]

    @staticmethod
    def resolve_goal_ids(obj: AgendaItem) -> list[int]:
        return sorted(g.pk for g in obj.goals.all())

    @staticmethod
    def resolve_measure_ids(obj: AgendaItem) -> list[int]:
        return sorted(m.pk for m in obj.measures.all())

    @staticmethod
    def resolve_core_zone_ids(obj: AgendaItem) -> list[int]:
        return sorted(zone.pk for zone in obj.core_zones.all())

    @staticmethod
    def resolve_parcel_ids(obj: AgendaItem) -> list[int]:
        return sorted(parcel.pk for parcel in obj.parcels.all())


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
    is_public: bool | None = Field(
        None, description="Default: as the agenda item (public for a decision without one)."
    )
    external_id: str = ""
    publication: Publication | None = Field(
        None, description="Default: the agenda item's or the meeting's publication."
    )


DecisionPatch = patch_of(
    DecisionIn,
    extra={"implementation_state": ImplementationState, "implementation_evidence": str},
    after="votes_abstain",
)


class CirculatedDecisionIn(Schema):
    title: str = Field(max_length=300)
    reference: str = Field("", max_length=40)
    text: str = ""
    decided_on: date = Field(description="The day the decision by circulation was taken.")
    vote_kind: VoteKind = VoteKind.CONSENSUS
    votes_yes: int | None = Field(None, ge=0)
    votes_no: int | None = Field(None, ge=0)
    votes_abstain: int | None = Field(None, ge=0)
    responsible_organization_id: int | None = None
    due: date | None = None
    is_public: bool = True
    external_id: str = ""
    publication: Publication | None = Field(None, description="Default: the body's publication.")


class DecisionOut(TrackedOut):
    kind: DecisionKind = Field(
        description="`meeting`: taken in a held meeting; `circulation`: by circulation "
        "(Umlaufverfahren), by `body_id`, without a meeting."
    )
    body_id: int | None = Field(description="The body of a decision by circulation.")
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
        return queries.decision_age(obj, timezone.localdate())


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
    publication: Publication | None = Field(
        None,
        description="Default: the publication of the decision, agenda item or meeting it "
        "follows; a draft on its own.",
    )


ActionItemPatch = patch_of(ActionItemIn, exclude=("meeting_id", "decision_id", "agenda_item_id"))


class ActionItemOut(TrackedOut):
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
        return queries.days_overdue(obj, timezone.localdate())


class DocumentOut(TrackedOut):
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


# --- Bodies and memberships ----------------------------------------------------------------------


bodies = Crud(ops, "body", Body, f"{PREFIX}/bodies", BodyOut)
bodies.list(
    queries.BODIES,
    lambda call, filters: call.query(queries.bodies, filters),
    doc="Bodies of the plan by name; `parent`: the parts of one body.",
)


@ops.post(f"{PREFIX}/bodies", BodyOut, Level.PLAN_CREATE, status=201)
def body_create(call: Call, payload: BodyIn) -> Body:
    """A new body. Contributors create bodies their own organisation runs (the default)."""
    data = payload.dict()
    if data["organization_id"] is None:
        data["organization_id"] = contributor_organization_id(call.user, call.masterplan)
    return call.write(services.body_create, data, masterplan=call.masterplan)


bodies.detail()
bodies.update(BodyPatch, services.body_update)
bodies.delete(
    services.body_delete, Level.PLAN_MANAGE, doc="Coordinators delete bodies without meetings."
)


memberships = Crud(ops, "membership", BodyMembership, f"{PREFIX}/memberships", MembershipOut)
memberships.list(
    queries.MEMBERSHIPS,
    lambda call, filters: call.query(queries.memberships, filters, today=call.today),
    doc="Memberships with the person's name; `current`: not ended before today.",
    page_size=100,
)
memberships.create(MembershipIn, services.membership_create, Level.OBJECT_EDIT, bodies)
memberships.detail()
memberships.update(MembershipPatch, services.membership_update)
memberships.delete(services.membership_delete)

# --- Meetings and attendance ---------------------------------------------------------------------

meetings = Crud(ops, "meeting", Meeting, f"{PREFIX}/meetings", MeetingOut)
meetings.list(
    queries.MEETINGS,
    lambda call, filters: call.query(queries.meeting_list, filters, today=call.today),
    doc="Meetings by start; `when=upcoming` (soonest first) or `past` (latest first).",
)
meetings.create(MeetingIn, services.meeting_create, Level.OBJECT_EDIT, bodies)
meetings.detail()
meetings.update(
    MeetingPatch,
    services.meeting_update,
    doc="Details of a meeting; its state changes with POST …/transition.",
)


@ops.post(f"{PREFIX}/meetings/{{pk}}/transition", MeetingOut, Level.OBJECT_EDIT, Meeting)
def meeting_transition(call: Call, payload: TransitionIn) -> Meeting:
    """planned → invited → held (once the meeting has started) → minutes_approved, or
    cancelled (and back to planned). Approved minutes reopen only through …/correct-minutes.
    "invited" sends the invitation to the body's members by e-mail (agenda as PDF, .ics),
    "minutes_approved" the minutes as PDF."""
    return invitations.meeting_transition_and_notify(
        actor=call.user,
        meeting=call.obj,
        version=call.version(payload.version),
        state=payload.state,
        minutes_approved_on=payload.minutes_approved_on,
    )


@ops.post(f"{PREFIX}/meetings/{{pk}}/send-invitation", MeetingOut, Level.OBJECT_EDIT, Meeting)
def meeting_send_invitation(call: Call, payload: InvitationIn) -> Meeting:
    """Einladung versenden: a planned meeting becomes invited and the body's members get the
    invitation by e-mail (agenda as PDF, .ics, answer links); for an invited meeting the
    invitation goes out again as an update."""
    mailing = invitations.meeting_send_invitation(
        actor=call.user, meeting=call.obj, version=call.version(payload.version)
    )
    return Meeting.objects.get(pk=mailing.meeting_id)


@ops.post(f"{PREFIX}/meetings/{{pk}}/correct-minutes", MeetingOut, Level.OBJECT_EDIT, Meeting)
def meeting_correct_minutes(call: Call, payload: CorrectionIn) -> Meeting:
    """Protokoll berichtigen: approved minutes become editable again (the meeting is held
    again); the reason is audited, and the minutes need approval again."""
    return services.meeting_correct_minutes(
        actor=call.user,
        meeting=call.obj,
        version=call.version(payload.version),
        reason=payload.reason,
    )


@ops.post(
    f"{PREFIX}/meetings/{{pk}}/generate-agenda",
    list[AgendaItemOut],
    Level.OBJECT_EDIT,
    Meeting,
    status=201,
)
def meeting_generate_agenda(call: Call) -> list[AgendaItem]:
    """Add the draft agenda generated from the plan (see docs/governance.md)."""
    created = agenda.generate_agenda(actor=call.user, meeting=call.obj)
    return list(
        AgendaItem.objects.filter(pk__in=[item.pk for item in created])
        .prefetch_related(*queries.item_links(call.user, call.masterplan))
        .order_by("id")
    )


meetings.delete(
    services.meeting_delete, doc="Meetings not yet held; feeds then show them as cancelled."
)


attendance = Crud(ops, "attendance", Attendance, f"{PREFIX}/attendance", AttendanceOut)
attendance.list(
    queries.ATTENDANCE,
    lambda call, filters: call.query(queries.attendance, filters),
    doc="Attendance (members of the plan only; empty for others).",
    page_size=100,
)


@ops.post(f"{PREFIX}/meetings/{{pk}}/attendance", AttendanceOut, Level.OBJECT_EDIT, Meeting)
def attendance_record(call: Call, payload: AttendanceIn) -> Attendance:
    """Record one person's attendance (creates or changes the row of that person)."""
    return call.write(services.attendance_record, payload.dict(), meeting=call.obj)


attendance.detail()
attendance.update(AttendancePatch, services.attendance_update)
attendance.delete(services.attendance_delete)

# --- Agenda items -------------------------------------------------------------------------------


def link_targets(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    """goal_ids, measure_ids, core_zone_ids, parcel_ids → the goals, measures, core zones and
    parcels of this plan (422 for unknown ids)."""
    links: dict[str, Any] = {}
    targets = (
        ("goal_ids", Goal),
        ("measure_ids", Measure),
        ("core_zone_ids", CoreZone),
        ("parcel_ids", Parcel),
    )
    for name, model in targets:
        ids = data.pop(name, None)
        if ids is None:
            continue
        found = list(model.objects.filter(masterplan=masterplan, pk__in=ids))
        missing = sorted(set(ids) - {o.pk for o in found})
        if missing:
            raise ValidationError({name: [f"Unknown in this masterplan: {missing}"]})
        links[name.removesuffix("_ids") + "s"] = found
    return links


def agenda_item_links(call: Call, item: AgendaItem) -> AgendaItem:
    """An item as answered: its links only to what the caller may see."""
    prefetch_related_objects([item], *queries.item_links(call.user, call.masterplan))
    return item


agenda_items = Crud(
    ops,
    "agenda_item",
    AgendaItem,
    f"{PREFIX}/agenda-items",
    AgendaItemOut,
    present=agenda_item_links,
)
agenda_items.list(
    queries.AGENDA_ITEMS,
    lambda call, filters: call.query(queries.agenda_items, filters),
    doc="Agenda items by meeting and position (non-public items only for members).",
    page_size=100,
)


@ops.post(
    f"{PREFIX}/meetings/{{pk}}/agenda-items",
    AgendaItemOut,
    Level.OBJECT_EDIT,
    Meeting,
    status=201,
    present=agenda_item_links,
)
def agenda_item_create(call: Call, payload: AgendaItemIn) -> AgendaItem:
    data = payload.dict()
    links = link_targets(call.masterplan, data)
    parent_id = data.pop("parent_id")
    parent = (
        AgendaItem.objects.filter(meeting=call.obj, pk=parent_id).first() if parent_id else None
    )
    if parent_id and parent is None:
        raise ValidationError({"parent_id": ["There is no such item in this meeting."]})
    return call.write(services.agenda_item_create, data, meeting=call.obj, parent=parent, **links)


agenda_items.detail()


@ops.patch(
    f"{PREFIX}/agenda-items/{{pk}}",
    AgendaItemOut,
    Level.OBJECT_EDIT,
    AgendaItem,
    present=agenda_item_links,
)
# AgendaItemPatch is a schema made at run time (patch_of), which mypy cannot use as a type.
def agenda_item_update(call: Call, payload: AgendaItemPatch) -> AgendaItem:  # type: ignore[valid-type]
    version, data = call.changes(payload)
    links = link_targets(call.masterplan, data)
    return call.write(services.agenda_item_update, data, item=call.obj, version=version, **links)


@ops.post(
    f"{PREFIX}/agenda-items/{{pk}}/move",
    AgendaItemOut,
    Level.OBJECT_EDIT,
    AgendaItem,
    present=agenda_item_links,
)
def agenda_item_move(call: Call, payload: MoveIn) -> AgendaItem:
    """Swap with the previous (`up`) or next (`down`) sibling; numbers follow."""
    return services.agenda_item_move(
        actor=call.user,
        item=call.obj,
        version=call.version(payload.version),
        direction=payload.direction,
    )


agenda_items.delete(
    services.agenda_item_delete, doc="With its sub-items; the agenda is renumbered."
)

# --- Decisions ----------------------------------------------------------------------------------


decisions = Crud(ops, "decision", Decision, f"{PREFIX}/decisions", DecisionOut)
decisions.list(
    queries.DECISIONS,
    lambda call, filters: call.query(queries.decision_list, filters),
    doc="Decisions, latest first, with their age in days (decision tracking).",
)


@ops.post(
    f"{PREFIX}/meetings/{{pk}}/decisions", DecisionOut, Level.OBJECT_EDIT, Meeting, status=201
)
def decision_create(call: Call, payload: DecisionIn) -> Decision:
    data = {k: v for k, v in payload.dict().items() if not (k == "decided_on" and v is None)}
    values = call.references.resolved(call.masterplan, data)
    item = values.get("agenda_item")
    if item is not None and item.meeting_id != call.obj.pk:
        raise ValidationError(
            {"agenda_item_id": ["The agenda item belongs to a different meeting."]}
        )
    with call.references.named_as_sent():
        return services.decision_create(actor=call.user, meeting=call.obj, **values)


@ops.post(f"{PREFIX}/bodies/{{pk}}/decisions", DecisionOut, Level.OBJECT_EDIT, Body, status=201)
def circulated_decision_create(call: Call, payload: CirculatedDecisionIn) -> Decision:
    """A decision the body took by circulation (Umlaufverfahren), without a meeting."""
    values = call.references.resolved(call.masterplan, payload.dict())
    with call.references.named_as_sent():
        return services.decision_create(
            actor=call.user, body=call.obj, kind=DecisionKind.CIRCULATION, **values
        )


decisions.detail()
decisions.update(
    DecisionPatch,
    services.decision_update,
    doc="Also the implementation state: done or dropped needs `implementation_evidence`.",
)
decisions.delete(services.decision_delete)

# --- Action items and documents -----------------------------------------------------------------


action_items = Crud(ops, "action_item", ActionItem, f"{PREFIX}/action-items", ActionItemOut)
action_items.list(
    queries.ACTION_ITEMS,
    lambda call, filters: call.query(queries.action_item_list, filters, today=call.today),
    doc="Action items by due date (members of the plan only). `overdue`: past due, not done.",
)


@ops.post(f"{PREFIX}/action-items", ActionItemOut, Level.PLAN_CREATE, status=201)
def action_item_create(call: Call, payload: ActionItemIn) -> ActionItem:
    """An action item of a meeting, decision or agenda item (editors of that meeting), or on
    its own (contributors for their organisation, the default owner organisation)."""
    data = payload.dict()
    standalone = not any(data[k] for k in ("meeting_id", "decision_id", "agenda_item_id"))
    if standalone and data["owner_organization_id"] is None:
        data["owner_organization_id"] = contributor_organization_id(call.user, call.masterplan)
    return call.write(services.action_item_create, data, masterplan=call.masterplan)


action_items.detail()
action_items.update(
    ActionItemPatch,
    services.action_item_update,
    doc="Done sets `completed_on`; reopening clears it.",
)
action_items.delete(services.action_item_delete)


documents = Crud(ops, "document", Document, f"{PREFIX}/documents", DocumentOut)
documents.list(
    queries.DOCUMENTS,
    lambda call, filters: call.query(queries.documents, filters),
    doc="Documents' metadata; the files are served by the meeting pages (permission-checked).",
)
documents.detail()
