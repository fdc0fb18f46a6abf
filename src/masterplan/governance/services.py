"""Every write to governance objects: pages, the REST API, the demo and the importers call these.

Rules in one place:
- Bodies are edited by coordinators and by contributors of the organisation running the body;
  the same people edit its memberships, meetings, agendas, attendance and minutes.
- A meeting moves planned → invited → held → minutes_approved, or to cancelled (and back to
  planned); anything else is refused with a message. Changes calendar subscribers must see
  (title, time, place, state, deletion) increase `Meeting.sequence` (iCalendar SEQUENCE).
- Agenda items are numbered by the service ("1", "1.1", "2", …) from their position among
  their siblings; every create, change, move and delete refreshes the meeting's agenda: the
  numbers and, for each item, whether every item above it is public (`ancestors_public`, read
  by the visibility rule of governance/models.py). A new sub-item follows its parent's
  `is_public` unless told otherwise.
- A meeting is marked held only once it has started. Approved minutes lock the meeting's
  record: its details, agenda, decisions (their implementation aside), documents and
  attendance are refused until the minutes are corrected (`meeting_correct_minutes`, with a
  reason; the minutes then need approval again).
- Decisions are recorded for held meetings, or by circulation (Umlaufverfahren: a body, a
  date, no meeting).
- A decision by vote needs yes/no/abstain counts; by consensus none. Marking it done or dropped
  needs evidence (what was done, or why it was dropped).
- Every write is audited and refuses stale versions (optimistic locking).
"""

from __future__ import annotations

import copy
import hashlib
import mimetypes
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, audit_record, build_entry
from masterplan.core.models import Masterplan, Publication, initial_publication
from masterplan.core.permissions import (
    acting_user,
    can_create_in,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
    is_admin,
    is_plan_member,
)
from masterplan.core.references import register_named_creator
from masterplan.core.services import (
    apply_changes,
    create_tracked,
    delete_tracked,
    ensure_version,
    initial_values,
    lock_for_update,
    update_tracked,
)
from masterplan.directory.models import Organization, Person
from masterplan.governance.models import (
    AGENDA_ITEM_LINKS,
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
    DocumentKind,
    FeedToken,
    ImplementationState,
    Meeting,
    MeetingRsvp,
    MeetingState,
    RsvpAnswer,
    VoteKind,
)
from masterplan.plans.models import Goal, Measure
from masterplan.plans.services import measures_release_operational_body

# --- Shared checks ------------------------------------------------------------------------------


def same_plan(masterplan: Masterplan, **related: Any) -> None:
    """Refuse references to records of another masterplan (by field name, for the message)."""
    errors = {}
    for name, obj in related.items():
        if isinstance(obj, models.Model) and getattr(obj, "masterplan_id", None) not in (
            None,
            masterplan.pk,
        ):
            errors[name] = _("This record belongs to a different masterplan.")
    if errors:
        raise ValidationError(errors)


def follow_parent(fields: dict[str, Any], parent: Any) -> None:
    """Publication defaults: a record that is part of a parent's content starts as its parent
    does when the caller gives no publication (`core.models.initial_publication`)."""
    if fields.get("publication") is None:
        fields["publication"] = initial_publication(parent)


def related_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The model instances among the given values, to check with `same_plan`."""
    return {k: v for k, v in fields.items() if isinstance(v, models.Model)}


def ensure_can_run(
    actor: Actor, masterplan: Masterplan, organization: Organization | int | None
) -> None:
    """Contributors create bodies run by their own organisation; coordinators any body."""
    ensure(can_create_in(actor, masterplan))
    own = contributor_organization_id(actor, masterplan)
    organization_id = getattr(organization, "pk", organization)
    ensure(own is None or own == organization_id)


def ensure_record_open(meeting: Meeting | int | None) -> None:
    """Refuse changes to the record of a meeting whose minutes are approved (read from the
    database, so that an old copy of the meeting does not let a write through)."""
    meeting_id: int | None = meeting.pk if isinstance(meeting, Meeting) else meeting
    if meeting_id is None:
        return
    state = Meeting.all_objects.filter(pk=meeting_id).values_list("state", flat=True).first()
    if state == MeetingState.MINUTES_APPROVED:
        raise ValidationError(
            _(
                "The minutes of this meeting are approved: its agenda, decisions, documents "
                "and attendance can no longer be changed. To change them, correct the minutes "
                "first (with a reason); they then need approval again."
            )
        )


# --- Bodies -------------------------------------------------------------------------------------


def body_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> Body:
    ensure_can_run(actor, masterplan, fields.get("organization", fields.get("organization_id")))
    same_plan(masterplan, **related_values(fields))
    return create_tracked(
        actor=actor, model=Body, action="governance.body.created", masterplan=masterplan, **fields
    )


def body_update(*, actor: Actor, body: Body, version: int | None, **changes: Any) -> Body:
    ensure_can_edit(actor, body)
    if "organization" in changes or "organization_id" in changes:
        ensure_can_run(
            actor, body.masterplan, changes.get("organization", changes.get("organization_id"))
        )
    same_plan(body.masterplan, **related_values(changes))
    parent = changes.get("parent")
    if isinstance(parent, Body) and body_in_subtree(parent, body):
        raise ValidationError({"parent": _("A body cannot be part of one of its own parts.")})
    return update_tracked(
        actor=actor, obj=body, version=version, action="governance.body.updated", changes=changes
    )


def body_in_subtree(candidate: Body, root: Body) -> bool:
    """True when `candidate` is `root` or lies below it (a parent cycle would follow)."""
    seen: set[int] = set()
    node: Body | None = candidate
    while node is not None and node.pk not in seen:
        if node.pk == root.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def body_delete(*, actor: Actor, body: Body, version: int | None) -> None:
    """Soft-delete a body; refused while it has meetings (they are the record of its work)."""
    ensure(can_manage(actor, body.masterplan) or is_admin(actor))
    if Meeting.objects.filter(body=body).exists():
        raise ValidationError(_("This body still has meetings: delete or move them first."))
    if Decision.objects.filter(body=body).exists():
        raise ValidationError(
            _("This body has taken decisions by circulation: they are part of its record.")
        )
    measures_release_operational_body(actor=actor, body_id=body.pk)
    delete_tracked(actor=actor, obj=body, version=version, action="governance.body.deleted")


@register_named_creator("governance.body")
def working_groups_create(
    *,
    actor: Actor | None,
    masterplan: Masterplan,
    names: Mapping[str, bool],
    is_sample: bool = False,
) -> dict[str, int]:
    """Working groups named by measures (the import, the demo, synthetic data): one per name,
    published when one of the measures naming it is (True), with an audit entry each."""
    created = Body.objects.bulk_create(
        Body(
            masterplan=masterplan,
            name=name,
            kind=BodyKind.WORKING_GROUP,
            publication=Publication.PUBLISHED if public else Publication.DRAFT,
            is_sample=is_sample,
        )
        for name, public in names.items()
    )
    append_entries(
        [
            build_entry(
                actor=actor,
                action="governance.body.imported",
                obj=body,
                changes=initial_values(body, ["name", "kind", "publication"]),
            )
            for body in created
        ]
    )
    return {body.name: body.pk for body in created}


def membership_create(*, actor: Actor, body: Body, **fields: Any) -> BodyMembership:
    ensure_can_edit(actor, body)
    same_plan(body.masterplan, **related_values(fields))
    follow_parent(fields, body)
    return create_tracked(
        actor=actor,
        model=BodyMembership,
        action="governance.bodymembership.created",
        masterplan=body.masterplan,
        body=body,
        **fields,
    )


def membership_update(
    *, actor: Actor, membership: BodyMembership, version: int | None, **changes: Any
) -> BodyMembership:
    ensure_can_edit(actor, membership)
    same_plan(membership.masterplan, **related_values(changes))
    return update_tracked(
        actor=actor,
        obj=membership,
        version=version,
        action="governance.bodymembership.updated",
        changes=changes,
    )


def membership_delete(*, actor: Actor, membership: BodyMembership, version: int | None) -> None:
    ensure_can_edit(actor, membership)
    delete_tracked(
        actor=actor, obj=membership, version=version, action="governance.bodymembership.deleted"
    )


# --- Meetings -----------------------------------------------------------------------------------

# Changes that calendar subscribers must see: they increase Meeting.sequence.
SEQUENCE_FIELDS = (
    "title",
    "start",
    "end",
    "location_name",
    "street_address",
    "postal_code",
    "locality",
    "state",
    "body",
)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeetingState.PLANNED: (MeetingState.INVITED, MeetingState.HELD, MeetingState.CANCELLED),
    MeetingState.INVITED: (MeetingState.HELD, MeetingState.CANCELLED, MeetingState.PLANNED),
    MeetingState.HELD: (MeetingState.MINUTES_APPROVED,),
    # Back to held only through a correction of the minutes (`meeting_correct_minutes`).
    MeetingState.MINUTES_APPROVED: (),
    MeetingState.CANCELLED: (MeetingState.PLANNED,),
}


def allowed_transitions(meeting: Meeting) -> list[str]:
    """The states this meeting may move to next, now (for buttons and the API): "held" only
    once the meeting has started."""
    return [
        state
        for state in TRANSITIONS.get(meeting.state, ())
        if state != MeetingState.HELD or has_started(meeting)
    ]


def has_started(meeting: Meeting) -> bool:
    return meeting.start <= timezone.now()


def meeting_create(*, actor: Actor, body: Body, **fields: Any) -> Meeting:
    ensure_can_edit(actor, body)
    fields.pop("sequence", None)
    state = fields.get("state", MeetingState.PLANNED)
    if state not in (MeetingState.PLANNED, MeetingState.INVITED, MeetingState.HELD):
        raise ValidationError({"state": _("A new meeting is planned, invited or held.")})
    start = fields.get("start")
    if state == MeetingState.HELD and start is not None and start > timezone.now():
        raise ValidationError({"state": not_started_message()})
    same_plan(body.masterplan, **related_values(fields))
    follow_parent(fields, body)
    return create_tracked(
        actor=actor,
        model=Meeting,
        action="governance.meeting.created",
        masterplan=body.masterplan,
        body=body,
        **fields,
    )


@transaction.atomic
def meeting_update(
    *, actor: Actor, meeting: Meeting, version: int | None, **changes: Any
) -> Meeting:
    """Change a meeting's details. The state changes only through `meeting_transition`."""
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    if "state" in changes and changes["state"] != meeting.state:
        raise ValidationError(
            {"state": _("Change the state with the state buttons (invite, held, approve, …).")}
        )
    changes.pop("state", None)
    changes.pop("sequence", None)
    if "body" in changes:
        ensure_can_edit(actor, changes["body"])
        same_plan(meeting.masterplan, body=changes["body"])
    same_plan(meeting.masterplan, **related_values(changes))
    return update_meeting(actor=actor, meeting=meeting, version=version, changes=changes)


def update_meeting(
    *,
    actor: Actor,
    meeting: Meeting,
    version: int | None,
    changes: dict[str, Any],
    action: str = "",
) -> Meeting:
    """The tracked update, with SEQUENCE increased when subscribers must see the change."""
    current = lock_for_update(meeting)
    ensure_version(current, version)
    diff = apply_changes(copy.copy(current), changes)
    if any(name in diff for name in SEQUENCE_FIELDS):
        changes = {**changes, "sequence": current.sequence + 1}
    return update_tracked(
        actor=actor,
        obj=current,
        version=version,
        action=action or "governance.meeting.updated",
        changes=changes,
    )


@transaction.atomic
def meeting_transition(
    *,
    actor: Actor,
    meeting: Meeting,
    version: int | None,
    state: str,
    minutes_approved_on: date | None = None,
) -> Meeting:
    """Move a meeting to its next state; invalid steps are refused with the allowed ones."""
    ensure_can_edit(actor, meeting)
    current = lock_for_update(meeting)
    ensure_version(current, version)
    if state not in MeetingState.values:
        raise ValidationError({"state": _("Unknown state “%(state)s”.") % {"state": state}})
    if state not in TRANSITIONS.get(current.state, ()):
        allowed = ", ".join(str(MeetingState(s).label) for s in allowed_transitions(current))
        raise ValidationError(
            {
                "state": _(
                    "A meeting that is “%(current)s” cannot become “%(next)s”. Possible next "
                    "states: %(allowed)s."
                )
                % {
                    "current": current.get_state_display(),
                    "next": MeetingState(state).label,
                    "allowed": allowed or _("none"),
                }
            }
        )
    if state == MeetingState.HELD and not has_started(current):
        raise ValidationError({"state": not_started_message(current)})
    changes: dict[str, Any] = {"state": state}
    if state == MeetingState.MINUTES_APPROVED:
        has_minutes_file = Document.objects.filter(
            meeting=current, kind=DocumentKind.MINUTES
        ).exists()
        if not current.minutes_text.strip() and not has_minutes_file:
            raise ValidationError(
                {"state": _("Write or attach the minutes before approving them.")}
            )
        changes["minutes_approved_on"] = minutes_approved_on or timezone.localdate()
    return update_meeting(
        actor=actor,
        meeting=current,
        version=version,
        changes=changes,
        action=f"governance.meeting.{state}",
    )


def not_started_message(meeting: Meeting | None = None) -> str:
    if meeting is None:
        return _("A meeting can be marked as held only once it has started.")
    local = timezone.localtime(meeting.start)
    return _(
        "A meeting can be marked as held only once it has started (on %(date)s at %(time)s)."
    ) % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


@transaction.atomic
def meeting_correct_minutes(
    *, actor: Actor, meeting: Meeting, version: int | None, reason: str
) -> Meeting:
    """Protokoll berichtigen: reopen approved minutes, with the reason in the audit trail. The
    meeting is held again, its record can be changed, and the minutes need a new approval."""
    ensure_can_edit(actor, meeting)
    current = lock_for_update(meeting)
    ensure_version(current, version)
    if current.state != MeetingState.MINUTES_APPROVED:
        raise ValidationError({"state": _("Only approved minutes can be corrected.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the minutes are corrected.")})
    updated = update_meeting(
        actor=actor,
        meeting=current,
        version=version,
        changes={"state": MeetingState.HELD, "minutes_approved_on": None},
        action="governance.meeting.held",
    )
    audit_record(
        actor=actor,
        action="governance.meeting.minutes_corrected",
        obj=updated,
        changes={
            "reason": [None, reason[:2000]],
            "minutes_approved_on": [current.minutes_approved_on, None],
        },
    )
    return updated


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: Meeting, version: int | None) -> None:
    """Soft-delete a meeting (feeds then publish it as cancelled); held meetings stay."""
    ensure_can_edit(actor, meeting)
    if meeting.state in (MeetingState.HELD, MeetingState.MINUTES_APPROVED):
        raise ValidationError(
            _("A meeting that was held is part of the record and cannot be deleted.")
        )
    current = lock_for_update(meeting)
    ensure_version(current, version)
    Meeting.all_objects.filter(pk=current.pk).update(sequence=current.sequence + 1)
    delete_tracked(actor=actor, obj=current, version=version, action="governance.meeting.deleted")


# --- Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    person: Person,
    status: str = AttendanceStatus.PRESENT,
    organization: Organization | None = None,
) -> Attendance:
    """Record (or change) one person's attendance; one row per person and meeting."""
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    same_plan(meeting.masterplan, person=person, organization=organization)
    existing = Attendance.all_objects.filter(meeting=meeting, person=person).first()
    if existing is None:
        return create_tracked(
            actor=actor,
            model=Attendance,
            action="governance.attendance.created",
            masterplan=meeting.masterplan,
            meeting=meeting,
            person=person,
            organization=organization,
            status=status,
            publication=meeting.publication,
        )
    changes: dict[str, Any] = {"status": status, "organization": organization}
    if existing.deleted_at is not None:
        Attendance.all_objects.filter(pk=existing.pk).update(deleted_at=None)
        existing.deleted_at = None
    return update_tracked(
        actor=actor,
        obj=existing,
        version=existing.version,
        action="governance.attendance.updated",
        changes=changes,
    )


@transaction.atomic
def attendance_record_many(
    *, actor: Actor, meeting: Meeting, entries: Iterable[tuple[Any, str, Any]]
) -> list[Attendance]:
    """The attendance list of the meeting page: (person, status, organisation) per row."""
    return [
        attendance_record(
            actor=actor, meeting=meeting, person=person, status=status, organization=org
        )
        for person, status, org in entries
    ]


def attendance_update(
    *, actor: Actor, attendance: Attendance, version: int | None, **changes: Any
) -> Attendance:
    ensure_can_edit(actor, attendance)
    ensure_record_open(attendance.meeting_id)
    same_plan(attendance.masterplan, **related_values(changes))
    return update_tracked(
        actor=actor,
        obj=attendance,
        version=version,
        action="governance.attendance.updated",
        changes=changes,
    )


def attendance_delete(*, actor: Actor, attendance: Attendance, version: int | None) -> None:
    ensure_can_edit(actor, attendance)
    ensure_record_open(attendance.meeting_id)
    delete_tracked(
        actor=actor, obj=attendance, version=version, action="governance.attendance.deleted"
    )


@transaction.atomic
def attendance_from_members(*, actor: Actor, meeting: Meeting) -> list[Attendance]:
    """Pre-fill the attendance list with the body's current members (present by default)."""
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    day = timezone.localtime(meeting.start).date()
    known = set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    members = (
        BodyMembership.objects.filter(body_id=meeting.body_id)
        .exclude(start__gt=day)
        .exclude(end__lt=day)
        .select_related("person", "organization")
        .order_by("id")
    )
    created = []
    for membership in members:
        if membership.person_id in known:
            continue
        known.add(membership.person_id)
        created.append(
            attendance_record(
                actor=actor,
                meeting=meeting,
                person=membership.person,
                organization=membership.organization,
            )
        )
    return created


# --- Agenda -------------------------------------------------------------------------------------


def agenda_numbers(items: Iterable[AgendaItem]) -> dict[int, tuple[int, str]]:
    """Position and number for each item: siblings ordered by (position, id), numbered
    1, 2, … and their children 1.1, 1.2, …; items whose parent is missing count as top level.

    A pure function of the items' parent, position and id (tested with hand-made trees).
    """
    items = list(items)
    ids = {item.pk for item in items}
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in ids else None
        children.setdefault(parent, []).append(item)
    result: dict[int, tuple[int, str]] = {}
    stack: list[tuple[int | None, str]] = [(None, "")]
    while stack:
        parent, prefix = stack.pop()
        siblings = sorted(children.get(parent, []), key=lambda i: (i.position, i.pk))
        for index, item in enumerate(siblings, start=1):
            number = f"{prefix}{index}"
            result[item.pk] = (index, number)
            stack.append((item.pk, f"{number}."))
    return result


def ancestors_public(items: Iterable[AgendaItem]) -> dict[int, bool]:
    """For each item: whether every item above it is published, public and live.

    A pure function of the items' parent, is_public and publication. The items given are the
    meeting's live ones: a parent not among them is deleted, which hides what hangs under it.
    Items on (or under) a cycle, which the services refuse, count as hidden. Top-level items
    have nothing above them.
    """
    items = list(items)
    by_id = {item.pk: item for item in items}
    result: dict[int, bool] = {}

    def shown(item: AgendaItem) -> bool:
        return item.is_public and item.publication == Publication.PUBLISHED

    for start in items:
        path: list[AgendaItem] = []
        on_path: set[int] = set()
        cycle = False
        node: AgendaItem | None = start
        while node is not None and node.pk not in result:
            if node.pk in on_path:
                cycle = True
                break
            path.append(node)
            on_path.add(node.pk)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        for item in reversed(path):
            if cycle:
                result[item.pk] = False
            elif item.parent_id is None:
                result[item.pk] = True
            else:
                parent = by_id.get(item.parent_id)
                result[item.pk] = parent is not None and result[parent.pk] and shown(parent)
    return result


def refresh_agenda(meeting: Meeting) -> None:
    """Store the derived fields of the meeting's live items (no new version: derived): their
    positions and numbers, and whether every item above each is public (`ancestors_public`,
    which the visibility rule reads; see governance/models.py). Every write that creates,
    changes, moves or deletes an item calls it: one query to read, one update per changed
    item."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting).only(
            "id", "parent", "position", "number", "is_public", "publication", "ancestors_public"
        )
    )
    numbers = agenda_numbers(items)
    above = ancestors_public(items)
    now = timezone.now()
    for item in items:
        position, number = numbers.get(item.pk, (item.position, item.number))
        public = above[item.pk]
        if (item.position, item.number, item.ancestors_public) != (position, number, public):
            AgendaItem.objects.filter(pk=item.pk).update(
                position=position, number=number, ancestors_public=public, modified_at=now
            )


LINKS = AGENDA_ITEM_LINKS


def set_links(item: AgendaItem, **links: Iterable[Any] | None) -> None:
    """The records an agenda item is about, by relation (None: leave it as it is)."""
    for name in LINKS:
        chosen = links.get(name)
        if chosen is None:
            continue
        rows = list(chosen)
        for row in rows:
            same_plan(item.masterplan, **{name: row})
        getattr(item, name).set(rows)


@transaction.atomic
def agenda_item_create(
    *,
    actor: Actor,
    meeting: Meeting,
    parent: AgendaItem | None = None,
    position: int | None = None,
    goals: Iterable[Goal] | None = None,
    measures: Iterable[Measure] | None = None,
    core_zones: Iterable[Any] | None = None,
    parcels: Iterable[Any] | None = None,
    **fields: Any,
) -> AgendaItem:
    """A new item, at the end of its siblings unless a position is given. Without an explicit
    `is_public` a sub-item follows its parent (a sub-item of a non-public item is non-public);
    a top-level item is public."""
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    if parent is not None and parent.meeting_id != meeting.pk:
        raise ValidationError({"parent": _("The parent item belongs to a different meeting.")})
    if fields.get("is_public") is None:
        fields["is_public"] = parent.is_public if parent is not None else True
    follow_parent(fields, parent or meeting)
    before = None
    if position is None:
        last = (
            AgendaItem.objects.filter(meeting=meeting, parent=parent)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        position = (last or 0) + 1
    else:
        # Make room: later siblings move one down (versioned below, as after a move).
        before = agenda_places(meeting)
        AgendaItem.objects.filter(meeting=meeting, parent=parent, position__gte=position).update(
            position=models.F("position") + 1
        )
    item = create_tracked(
        actor=actor,
        model=AgendaItem,
        action="governance.agendaitem.created",
        masterplan=meeting.masterplan,
        meeting=meeting,
        parent=parent,
        position=position,
        **fields,
    )
    set_links(item, goals=goals, measures=measures, core_zones=core_zones, parcels=parcels)
    refresh_agenda(meeting)
    if before is not None:
        record_moves(actor=actor, meeting=meeting, before=before, skip=[item.pk])
    item.refresh_from_db()
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: Actor,
    item: AgendaItem,
    version: int | None,
    goals: Iterable[Goal] | None = None,
    measures: Iterable[Measure] | None = None,
    core_zones: Iterable[Any] | None = None,
    parcels: Iterable[Any] | None = None,
    **changes: Any,
) -> AgendaItem:
    ensure_can_edit(actor, item)
    ensure_record_open(item.meeting_id)
    changes.pop("number", None)
    parent = changes.get("parent")
    if isinstance(parent, AgendaItem):
        if parent.meeting_id != item.meeting_id:
            raise ValidationError({"parent": _("The parent item belongs to a different meeting.")})
        node: AgendaItem | None = parent
        while node is not None:
            if node.pk == item.pk:
                raise ValidationError({"parent": _("An agenda item cannot contain itself.")})
            node = node.parent
    places = agenda_places(item.meeting) if DERIVED_FROM.intersection(changes) else {}
    updated = update_tracked(
        actor=actor,
        obj=item,
        version=version,
        action="governance.agendaitem.updated",
        changes=changes,
    )
    before = linked_ids(item)
    set_links(updated, goals=goals, measures=measures, core_zones=core_zones, parcels=parcels)
    after = linked_ids(updated)
    if before != after:
        if updated.version == version:
            updated.version += 1
            updated.modified_at = timezone.now()
            updated.save(update_fields=["version", "modified_at"])
        audit_record(
            actor=actor,
            action="governance.agendaitem.links_changed",
            obj=updated,
            changes={
                name: [sorted(before[name]), sorted(after[name])]
                for name in LINKS
                if before[name] != after[name]
            },
        )
    if DERIVED_FROM.intersection(changes):
        refresh_agenda(updated.meeting)
        record_moves(actor=actor, meeting=updated.meeting, before=places, skip=[updated.pk])
        updated.refresh_from_db()
    return updated


# The fields of an item that its number or the visibility of the items below it depend on.
DERIVED_FROM = frozenset({"parent", "parent_id", "position", "is_public", "publication"})


def linked_ids(item: AgendaItem) -> dict[str, set[int]]:
    return {name: set(getattr(item, name).values_list("pk", flat=True)) for name in LINKS}


@transaction.atomic
def agenda_item_move(
    *, actor: Actor, item: AgendaItem, version: int | None, direction: str
) -> AgendaItem:
    """Swap an item with its previous ("up") or next ("down") sibling."""
    ensure_can_edit(actor, item)
    ensure_record_open(item.meeting_id)
    current = lock_for_update(item)
    ensure_version(current, version)
    siblings = list(
        AgendaItem.objects.filter(
            meeting_id=current.meeting_id, parent_id=current.parent_id
        ).order_by("position", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == current.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move an item “up” or “down”.")})
    if not 0 <= target < len(siblings):
        return current
    siblings[index], siblings[target] = siblings[target], siblings[index]
    return agenda_reorder(
        actor=actor,
        meeting=current.meeting,
        order=[s.pk for s in siblings],
        moved=current,
    )


@transaction.atomic
def agenda_reorder(
    *, actor: Actor, meeting: Meeting, order: list[int], moved: AgendaItem | None = None
) -> AgendaItem:
    """Put siblings (items with the same parent) in the given order of ids and renumber.

    Every item whose position or number changes gets a new version and an audit entry, so
    that a client still holding the old version cannot silently undo the move."""
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    rows = AgendaItem.objects.select_for_update().filter(meeting=meeting, pk__in=order)
    items = {i.pk: i for i in rows}
    parents = {i.parent_id for i in items.values()}
    if len(items) != len(order) or len(parents) > 1:
        raise ValidationError(
            _("Reorder the items of one level of this meeting's agenda, each once.")
        )
    before = agenda_places(meeting)
    for position, pk in enumerate(order, start=1):
        AgendaItem.objects.filter(pk=pk).update(position=position)
    refresh_agenda(meeting)
    record_moves(actor=actor, meeting=meeting, before=before)
    first = moved or items[order[0]]
    return AgendaItem.objects.get(pk=first.pk)


def agenda_places(meeting: Meeting) -> dict[int, tuple[int, str]]:
    """Position and number of each live item of the meeting (to compare after a move)."""
    rows = AgendaItem.objects.filter(meeting=meeting).values_list("pk", "position", "number")
    return {pk: (position, number) for pk, position, number in rows}


def record_moves(
    *,
    actor: Actor,
    meeting: Meeting,
    before: Mapping[int, tuple[int, str]],
    skip: Iterable[int] = (),
) -> None:
    """After a move: every item that took another place among its siblings gets a new version
    and an audit entry (`governance.agendaitem.moved`), so that a client still holding its old
    version cannot silently undo the move. `skip`: items the move already versioned."""
    skipped = set(skip)
    now = timezone.now()
    entries = []
    for pk, (position, number) in agenda_places(meeting).items():
        old = before.get(pk)
        if pk in skipped or old is None or old[0] == position:
            continue
        diff = {
            name: [was, now_]
            for name, was, now_ in (("position", old[0], position), ("number", old[1], number))
            if was != now_
        }
        AgendaItem.objects.filter(pk=pk).update(version=models.F("version") + 1, modified_at=now)
        entries.append(
            build_entry(
                actor=actor,
                action="governance.agendaitem.moved",
                obj=AgendaItem.objects.get(pk=pk),
                changes=diff,
            )
        )
    append_entries(entries)


@transaction.atomic
@transaction.atomic
def agenda_item_delete(*, actor: Actor, item: AgendaItem, version: int | None) -> None:
    """Soft-delete an item with its sub-items, then renumber the agenda. The items that move
    up get a new version and an audit entry, as after a move (`record_moves`)."""
    ensure_can_edit(actor, item)
    ensure_record_open(item.meeting_id)
    before = agenda_places(item.meeting)
    delete_with_sub_items(actor=actor, item=item, version=version)
    refresh_agenda(item.meeting)
    record_moves(actor=actor, meeting=item.meeting, before=before)


def delete_with_sub_items(*, actor: Actor, item: AgendaItem, version: int | None) -> None:
    delete_tracked(actor=actor, obj=item, version=version, action="governance.agendaitem.deleted")
    for child in AgendaItem.objects.filter(parent=item):
        delete_with_sub_items(actor=actor, item=child, version=child.version)


# --- Decisions ----------------------------------------------------------------------------------


def check_votes(fields: dict[str, Any]) -> None:
    """Votes only with vote_kind=vote; a clear message instead of a model error later."""
    if fields.get("vote_kind") == VoteKind.CONSENSUS:
        for name in ("votes_yes", "votes_no", "votes_abstain"):
            fields.setdefault(name, None)


def decision_create(
    *,
    actor: Actor,
    masterplan: Masterplan | None = None,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    body: Body | None = None,
    kind: str = DecisionKind.MEETING,
    **fields: Any,
) -> Decision:
    """A decision of a held meeting (or of one of its agenda items), or one taken by
    circulation (Umlaufverfahren) by a body, on the day given."""
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Unknown kind “%(kind)s”.") % {"kind": kind}})
    if agenda_item is not None and meeting is None:
        meeting = agenda_item.meeting
    if kind == DecisionKind.CIRCULATION:
        return circulated_decision_create(
            actor=actor,
            masterplan=masterplan,
            body=body,
            meeting=meeting,
            **fields,
        )
    if meeting is None:
        raise ValidationError(
            _(
                "A decision is recorded for a held meeting; a decision taken without a meeting "
                "is recorded as taken by circulation (with its body and date)."
            )
        )
    ensure_can_edit(actor, meeting)
    ensure_record_open(meeting)
    state = Meeting.all_objects.filter(pk=meeting.pk).values_list("state", flat=True).first()
    if state != MeetingState.HELD:
        raise ValidationError(
            _(
                "Decisions are recorded for meetings that have been held. Mark the meeting as "
                "held first, or record a decision taken by circulation on the body's page."
            )
        )
    plan = meeting.masterplan
    same_plan(plan, **related_values(fields))
    if fields.get("decided_on") is None:
        fields["decided_on"] = timezone.localtime(meeting.start).date()
    if fields.get("is_public") is None:
        # A decision on a non-public item is non-public unless said otherwise.
        fields["is_public"] = agenda_item.is_public if agenda_item is not None else True
    follow_parent(fields, agenda_item or meeting)
    return create_decision(
        actor=actor, masterplan=plan, meeting=meeting, agenda_item=agenda_item, **fields
    )


def circulated_decision_create(
    *,
    actor: Actor,
    masterplan: Masterplan | None,
    body: Body | None,
    meeting: Meeting | None,
    **fields: Any,
) -> Decision:
    """Umlaufverfahren: the members of a body decide in writing, without a meeting. The body
    and the day of the decision are required."""
    if meeting is not None:
        raise ValidationError({"kind": _("A decision by circulation is taken without a meeting.")})
    if body is None:
        raise ValidationError({"body": _("Name the body that decided by circulation.")})
    if masterplan is not None:
        same_plan(masterplan, body=body)
    if fields.get("decided_on") is None:
        raise ValidationError({"decided_on": _("Give the day of the decision by circulation.")})
    ensure_can_edit(actor, body)
    same_plan(body.masterplan, **related_values(fields))
    if fields.get("is_public") is None:
        fields["is_public"] = True
    follow_parent(fields, body)
    return create_decision(
        actor=actor,
        masterplan=body.masterplan,
        body=body,
        kind=DecisionKind.CIRCULATION,
        **fields,
    )


def create_decision(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> Decision:
    check_votes(fields)
    if fields.get("implementation_state", ImplementationState.OPEN) != ImplementationState.OPEN:
        fields.setdefault("implementation_changed_on", fields.get("decided_on"))
    return create_tracked(
        actor=actor,
        model=Decision,
        action="governance.decision.created",
        masterplan=masterplan,
        **fields,
    )


# What may still change on a decision of approved minutes: how far it has been carried out.
IMPLEMENTATION_FIELDS = frozenset(
    {"implementation_state", "implementation_evidence", "implementation_changed_on"}
)
# Where a decision was taken is fixed once it is recorded.
FIXED_DECISION_FIELDS = ("kind", "meeting", "meeting_id", "body", "body_id")


def decision_update(
    *, actor: Actor, decision: Decision, version: int | None, **changes: Any
) -> Decision:
    ensure_can_edit(actor, decision)
    for name in FIXED_DECISION_FIELDS:
        if name in changes and changes[name] != getattr(decision, name):
            raise ValidationError({name: _("Where a decision was taken cannot be changed.")})
        changes.pop(name, None)
    if any(
        changes[name] != getattr(decision, name)
        for name in changes
        if name not in IMPLEMENTATION_FIELDS
    ):
        ensure_record_open(decision.meeting_id)
    same_plan(decision.masterplan, **related_values(changes))
    if "implementation_state" in changes and (
        changes["implementation_state"] != decision.implementation_state
    ):
        return decision_set_implementation(
            actor=actor,
            decision=decision,
            version=version,
            state=changes.pop("implementation_state"),
            evidence=changes.pop("implementation_evidence", None),
            **changes,
        )
    check_votes(changes)
    return update_tracked(
        actor=actor,
        obj=decision,
        version=version,
        action="governance.decision.updated",
        changes=changes,
    )


def decision_set_implementation(
    *,
    actor: Actor,
    decision: Decision,
    version: int | None,
    state: str,
    evidence: str | None = None,
    on: date | None = None,
    **changes: Any,
) -> Decision:
    """Record how far a decision has been carried out; done or dropped needs evidence."""
    ensure_can_edit(actor, decision)
    if state not in ImplementationState.values:
        raise ValidationError(
            {"implementation_state": _("Unknown state “%(state)s”.") % {"state": state}}
        )
    text = decision.implementation_evidence if evidence is None else evidence
    if state in (ImplementationState.DONE, ImplementationState.DROPPED) and not text.strip():
        raise ValidationError(
            {
                "implementation_evidence": _(
                    "Say what was done (or why the decision was dropped) before marking it "
                    "“%(state)s”."
                )
                % {"state": ImplementationState(state).label}
            }
        )
    changes.update(
        implementation_state=state,
        implementation_evidence=text,
        implementation_changed_on=on or timezone.localdate(),
    )
    check_votes(changes)
    return update_tracked(
        actor=actor,
        obj=decision,
        version=version,
        action="governance.decision.implementation_changed",
        changes=changes,
    )


def decision_delete(*, actor: Actor, decision: Decision, version: int | None) -> None:
    ensure_can_edit(actor, decision)
    ensure_record_open(decision.meeting_id)
    delete_tracked(actor=actor, obj=decision, version=version, action="governance.decision.deleted")


# --- Action items -------------------------------------------------------------------------------


def action_item_create(
    *,
    actor: Actor,
    masterplan: Masterplan | None = None,
    decision: Decision | None = None,
    agenda_item: AgendaItem | None = None,
    meeting: Meeting | None = None,
    **fields: Any,
) -> ActionItem:
    """An action item following a decision, an agenda item or a meeting (or on its own)."""
    if meeting is None and agenda_item is not None:
        meeting = agenda_item.meeting
    if meeting is None and decision is not None and decision.meeting_id:
        meeting = decision.meeting
    plan = meeting.masterplan if meeting is not None else masterplan
    if plan is None and decision is not None:
        plan = decision.masterplan
    if plan is None:
        raise ValidationError(_("An action item belongs to a meeting, a decision or a plan."))
    if meeting is not None:
        ensure_can_edit(actor, meeting)
    elif decision is not None:
        ensure_can_edit(actor, decision)
    else:
        ensure_can_run(actor, plan, fields.get("owner_organization"))
    same_plan(plan, decision=decision, agenda_item=agenda_item, **related_values(fields))
    if fields.get("status") == ActionStatus.DONE:
        fields.setdefault("completed_on", timezone.localdate())
    follow_parent(fields, decision or agenda_item or meeting)
    return create_tracked(
        actor=actor,
        model=ActionItem,
        action="governance.actionitem.created",
        masterplan=plan,
        decision=decision,
        agenda_item=agenda_item,
        meeting=meeting,
        **fields,
    )


def action_item_update(
    *, actor: Actor, item: ActionItem, version: int | None, **changes: Any
) -> ActionItem:
    """Change an action item; done sets the completion date, reopening clears it."""
    ensure_can_edit(actor, item)
    same_plan(item.masterplan, **related_values(changes))
    status = changes.get("status", item.status)
    if status == ActionStatus.DONE and item.status != ActionStatus.DONE:
        changes.setdefault("completed_on", timezone.localdate())
    if status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
        changes["completed_on"] = None
    return update_tracked(
        actor=actor,
        obj=item,
        version=version,
        action="governance.actionitem.updated",
        changes=changes,
    )


def action_item_set_status(
    *, actor: Actor, item: ActionItem, version: int | None, status: str, evidence: str | None = None
) -> ActionItem:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    changes: dict[str, Any] = {"status": status}
    if evidence is not None:
        changes["evidence"] = evidence
    return action_item_update(actor=actor, item=item, version=version, **changes)


def action_item_delete(*, actor: Actor, item: ActionItem, version: int | None) -> None:
    ensure_can_edit(actor, item)
    delete_tracked(actor=actor, obj=item, version=version, action="governance.actionitem.deleted")


# --- Documents ----------------------------------------------------------------------------------

# Extension → the MIME type we store and serve. Anything else is refused.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# What a file of these types starts with (a renamed executable is not a PDF).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.spreadsheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.presentation": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (b"PK\x03\x04",),
}


def max_document_bytes() -> int:
    return int(getattr(settings, "GOVERNANCE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def check_file(file_name: str, content: bytes) -> str:
    """The MIME type of an acceptable upload; a ValidationError saying why otherwise."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    mime_type = ALLOWED_TYPES.get(suffix)
    if mime_type is None:
        raise ValidationError(
            {
                "file": _("Files of type “%(type)s” cannot be attached. Allowed: %(allowed)s.")
                % {
                    "type": suffix or mimetypes.guess_type(file_name)[0] or "?",
                    "allowed": ", ".join(sorted({s.lstrip(".").upper() for s in ALLOWED_TYPES})),
                }
            }
        )
    limit = max_document_bytes()
    if len(content) > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; at most %(limit)s MB can be attached.")
                % {
                    "size": f"{len(content) / 1_048_576:.1f}",
                    "limit": f"{limit / 1_048_576:.0f}",
                }
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    signatures = SIGNATURES.get(mime_type)
    if signatures and not content.startswith(signatures):
        raise ValidationError(
            {
                "file": _("“%(name)s” is not a valid %(type)s file.")
                % {"name": file_name, "type": suffix.lstrip(".").upper()}
            }
        )
    return mime_type


def document_owner(meeting: Meeting | None, agenda_item: AgendaItem | None, decision: Any) -> Any:
    for parent in (agenda_item, decision, meeting):
        if parent is not None:
            return parent
    return None


@transaction.atomic
def document_upload(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    name: str = "",
    kind: str = DocumentKind.ATTACHMENT,
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
    check_permission: bool = True,
    **fields: Any,
) -> Document:
    """Attach a file to a meeting, agenda item or decision: type and size checked, SHA-256
    recorded, stored under MEDIA_ROOT/governance/ with a name derived from its digest."""
    owner = document_owner(meeting, agenda_item, decision)
    if owner is None:
        raise ValidationError(_("A document belongs to a meeting, agenda item or decision."))
    if check_permission:
        ensure_can_edit(actor, owner)
    if meeting is None and agenda_item is not None:
        meeting = agenda_item.meeting
    if meeting is None and decision is not None and decision.meeting_id:
        meeting = decision.meeting
    ensure_record_open(meeting)
    follow_parent(fields, owner)
    file_name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    mime_type = check_file(file_name, content)
    digest = hashlib.sha256(content).hexdigest()
    document = Document(
        masterplan=owner.masterplan,
        meeting=meeting,
        agenda_item=agenda_item,
        decision=decision,
        kind=kind,
        name=(name or file_name)[:300],
        file_name=file_name,
        mime_type=mime_type,
        size=len(content),
        sha256=digest,
        **fields,
    )
    document.file.save(file_name, ContentFile(content), save=False)
    try:
        document.full_clean(exclude=["file"])
    except ValidationError:
        document.file.delete(save=False)
        raise
    document.save()
    audit_record(
        actor=actor,
        action="governance.document.created",
        obj=document,
        changes={
            "name": [None, document.name],
            "kind": [None, document.kind],
            "file_name": [None, file_name],
            "size": [None, document.size],
            "sha256": [None, digest],
        },
    )
    return document


def document_update(
    *, actor: Actor, document: Document, version: int | None, **changes: Any
) -> Document:
    """Name, kind, text and visibility; the file itself is replaced by a new upload."""
    ensure_can_edit(actor, document)
    ensure_record_open(document_meeting_id(document))
    for fixed in ("file", "file_name", "mime_type", "size", "sha256"):
        if fixed in changes:
            raise ValidationError({fixed: _("Upload a new file instead of changing this.")})
    return update_tracked(
        actor=actor,
        obj=document,
        version=version,
        action="governance.document.updated",
        changes=changes,
    )


def document_meeting_id(document: Document) -> int | None:
    """The meeting whose record the document is part of (directly or through its item or
    decision)."""
    if document.meeting_id is not None:
        return document.meeting_id
    for parent in (document.agenda_item, document.decision):
        if parent is not None and parent.meeting_id is not None:
            return parent.meeting_id
    return None


def document_delete(*, actor: Actor, document: Document, version: int | None) -> None:
    ensure_can_edit(actor, document)
    ensure_record_open(document_meeting_id(document))
    delete_tracked(actor=actor, obj=document, version=version, action="governance.document.deleted")


# --- Calendar feed tokens -----------------------------------------------------------------------


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewFeedToken:
    token: FeedToken
    secret: str  # shown once; only its digest is stored


@transaction.atomic
def feed_token_create(
    *, actor: Actor, masterplan: Masterplan, body: Body | None = None, label: str = ""
) -> NewFeedToken:
    """A private feed (all meetings of the plan, or of one body) for a member of the plan."""
    ensure(is_plan_member(actor, masterplan))
    if body is not None:
        same_plan(masterplan, body=body)
    secret = secrets.token_urlsafe(32)
    token = FeedToken.objects.create(
        masterplan=masterplan,
        user=acting_user(actor),
        body=body,
        label=label[:100],
        token_hash=token_digest(secret),
    )
    audit_record(
        actor=actor,
        action="governance.feedtoken.created",
        obj=token,
        changes={"label": [None, token.label], "body": [None, body.pk if body else None]},
    )
    return NewFeedToken(token=token, secret=secret)


@transaction.atomic
def feed_token_revoke(*, actor: Actor, token: FeedToken) -> FeedToken:
    """Revoke a feed: its owner or a coordinator of the plan. Revoking twice changes nothing."""
    ensure(token.user_id == getattr(actor, "pk", None) or can_manage(actor, token.masterplan))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="governance.feedtoken.revoked", obj=token, changes={})
    return token


def feed_token_for(secret: str, *, touch: bool = True) -> FeedToken | None:
    """The active token with this secret (looked up by its digest), or None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        FeedToken.objects.select_related("masterplan", "body", "user")
        .filter(token_hash=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not is_plan_member(token.user, token.masterplan):
        return None  # the user has left the plan: private feeds close with the role
    if touch:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token


# --- Answers to invitations (RSVP) --------------------------------------------------------------
#
# Each invited member gets one personal link per meeting: the meeting and the person, signed
# with the site's secret (no row is stored for it, and nothing in it is secret but the
# signature). It opens without a login and answers until the meeting starts.

RSVP_SALT = "masterplan.governance.rsvp"


def rsvp_token(meeting: Meeting, person: Person) -> str:
    """The signed token of this member's links for this meeting (always the same one)."""
    return signing.dumps([meeting.pk, person.pk], salt=RSVP_SALT)


@dataclass(frozen=True)
class RsvpLink:
    """What a token stands for: the meeting and the person, and whether it still answers."""

    meeting: Meeting
    person: Person
    current: MeetingRsvp | None

    @property
    def open(self) -> bool:
        return self.meeting.state in (
            MeetingState.PLANNED,
            MeetingState.INVITED,
        ) and not has_started(self.meeting)


def rsvp_link(token: str) -> RsvpLink | None:
    """The meeting and person of a token, or None when it was altered, is not one of ours or
    names records that no longer exist."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=RSVP_SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        return None
    meeting = Meeting.objects.select_related("masterplan", "body").filter(pk=value[0]).first()
    person = Person.objects.filter(pk=value[1]).first()
    if meeting is None or person is None or meeting.masterplan.deleted_at is not None:
        return None
    current = MeetingRsvp.objects.filter(meeting=meeting, person=person).first()
    return RsvpLink(meeting=meeting, person=person, current=current)


@transaction.atomic
def rsvp_record(*, link: RsvpLink, answer: str) -> MeetingRsvp:
    """Record (or change) a member's answer; refused once the meeting has started or is
    cancelled. The token is the credential, so the audit trail names the person."""
    if answer not in RsvpAnswer.values:
        raise ValidationError({"answer": _("Choose whether you attend or not.")})
    meeting = lock_for_update(link.meeting)
    if not RsvpLink(meeting=meeting, person=link.person, current=None).open:
        raise ValidationError(_("Answers to this invitation are no longer possible."))
    rsvp = MeetingRsvp.objects.filter(meeting=meeting, person=link.person).first()
    before = rsvp.answer if rsvp is not None else None
    if rsvp is None:
        rsvp = MeetingRsvp(masterplan_id=meeting.masterplan_id, meeting=meeting, person=link.person)
    rsvp.answer = answer
    rsvp.answered_at = timezone.now()
    rsvp.save()
    audit_record(
        actor=None,
        action="governance.rsvp.recorded",
        obj=rsvp,
        changes={"answer": [before, answer], "person": [None, link.person.full_name]},
    )
    return rsvp
