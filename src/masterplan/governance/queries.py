"""Reads of the governance module for pages, the REST API, feeds and reports.

Visibility: members of a plan see everything of it; everyone else sees published records of a
published plan, and of meetings, agenda items, decisions and documents only those also marked
public (a non-public agenda item never reaches the public, whatever its publication). Every
function here runs a fixed number of queries whatever the amount of data (asserted in
tests/governance/test_queries.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import (
    can_edit,
    contributor_organization_id,
    is_plan_member,
)
from masterplan.directory.models import Organization, Person
from masterplan.governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Body,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    FeedToken,
    ImplementationState,
    Meeting,
    MeetingState,
)
from masterplan.governance.services import allowed_transitions
from masterplan.plans.models import Goal, Measure
from masterplan.plans.queries import visible

METHODS: dict[str, Promise] = {
    "decision_age": _(
        "Age of a decision: for open decisions and those in progress, the days from the day "
        "it was taken until today; for decisions done or dropped, the days from the day it "
        "was taken until the day its implementation state last changed (how long it took)."
    ),
    "overdue": _(
        "An action item is overdue when its due date lies before today and it is neither "
        "done nor cancelled. Days overdue = today − due date."
    ),
}

OPEN_STATES = (ImplementationState.OPEN, ImplementationState.IN_PROGRESS)
OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


# --- Visibility ---------------------------------------------------------------------------------


def public_meeting_q(prefix: str = "") -> Q:
    """Meetings the public may see: published and marked public, not deleted."""
    return Q(
        **{
            f"{prefix}publication": Publication.PUBLISHED,
            f"{prefix}is_public": True,
            f"{prefix}deleted_at__isnull": True,
        }
    )


def visible_meetings(user: Any, masterplan: Masterplan) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return meetings
    if not masterplan.is_published:
        return meetings.none()
    return meetings.filter(public_meeting_q(), body__publication=Publication.PUBLISHED)


def visible_agenda_items(user: Any, masterplan: Masterplan) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return items
    if not masterplan.is_published:
        return items.none()
    return items.filter(
        public_meeting_q("meeting__"), publication=Publication.PUBLISHED, is_public=True
    ).exclude(parent__is_public=False)


def public_parent_q(prefix: str = "") -> Q:
    """No meeting, or a public one."""
    return Q(**{f"{prefix}meeting__isnull": True}) | public_meeting_q(f"{prefix}meeting__")


def visible_decisions(user: Any, masterplan: Masterplan) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return decisions
    if not masterplan.is_published:
        return decisions.none()
    return decisions.filter(
        public_parent_q(), publication=Publication.PUBLISHED, is_public=True
    ).exclude(agenda_item__is_public=False)


def visible_action_items(user: Any, masterplan: Masterplan) -> QuerySet[ActionItem]:
    """Action items are working material: members of the plan only."""
    items = ActionItem.objects.filter(masterplan=masterplan)
    return items if is_plan_member(user, masterplan) else items.none()


def approved_minutes_q(prefix: str = "") -> Q:
    """For the public: minutes only once the body has approved them; other kinds as they are."""
    return ~Q(**{f"{prefix}kind": DocumentKind.MINUTES}) | Q(
        **{f"{prefix}meeting__state": MeetingState.MINUTES_APPROVED}
    )


def visible_documents(user: Any, masterplan: Masterplan) -> QuerySet[Document]:
    documents = Document.objects.filter(masterplan=masterplan)
    if is_plan_member(user, masterplan):
        return documents
    if not masterplan.is_published:
        return documents.none()
    return (
        documents.filter(public_parent_q(), publication=Publication.PUBLISHED, is_public=True)
        .filter(approved_minutes_q())
        .exclude(agenda_item__is_public=False)
        .exclude(decision__is_public=False)
    )


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    if meeting.deleted_at is not None:
        return False
    if is_plan_member(user, meeting.masterplan):
        return True
    return bool(
        meeting.masterplan.is_published
        and meeting.is_publicly_visible
        and meeting.body.is_published
    )


# --- Bodies -------------------------------------------------------------------------------------


@dataclass
class BodyRow:
    body: Body
    members: int
    next_meeting: datetime | None
    last_meeting: datetime | None
    open_decisions: int
    measures: int


def body_list(
    *, user: Any, masterplan: Masterplan, kind: str = "", today: date | None = None
) -> list[BodyRow]:
    """The plan's bodies with members, next and last meeting, open decisions: one query."""
    now = timezone.now() if today is None else local_start(today)
    meetings = visible_meetings(user, masterplan).exclude(state=MeetingState.CANCELLED)
    decisions = visible_decisions(user, masterplan).filter(implementation_state__in=OPEN_STATES)
    measures = visible(Measure.objects.all(), user, masterplan)
    bodies = visible(
        Body.objects.select_related("parent", "organization", "chair"), user, masterplan
    )
    if kind:
        bodies = bodies.filter(kind=kind)
    # Correlated subqueries, not joins: a body with thousands of meetings stays one row.
    here = OuterRef("pk")
    bodies = bodies.annotate(
        member_count=count_of(BodyMembership.objects.filter(body=here)),
        next_start=Subquery(
            meetings.filter(body=here, start__gte=now).order_by("start").values("start")[:1]
        ),
        last_start=Subquery(
            meetings.filter(body=here, start__lt=now).order_by("-start").values("start")[:1]
        ),
        open_decisions=count_of(decisions.filter(meeting__body=here)),
        measure_count=count_of(measures.filter(operational_body=here)),
    ).order_by("name", "id")
    return [
        BodyRow(
            body=b,
            members=b.member_count,
            next_meeting=b.next_start,
            last_meeting=b.last_start,
            open_decisions=b.open_decisions,
            measures=b.measure_count,
        )
        for b in bodies
    ]


def count_of(rows: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of a correlated queryset as an annotation (0 when empty)."""
    counted = rows.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted[:1]), 0)


def local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class BodyDetail:
    body: Body
    memberships: list[BodyMembership]
    parts: list[Body]
    upcoming: list[Meeting]
    past: list[Meeting]
    decisions: list[Decision]
    measures: list[Measure]
    editable: bool


def current_memberships(body: Body, today: date) -> QuerySet[BodyMembership]:
    return (
        BodyMembership.objects.filter(body=body)
        .exclude(end__lt=today)
        .select_related("person", "organization")
        .order_by("role", "person__family_name", "person__given_name", "id")
    )


def body_detail(*, user: Any, body: Body, today: date, past_limit: int = 20) -> BodyDetail:
    """A body's page: members, its parts, upcoming and past meetings, decisions, measures."""
    masterplan = body.masterplan
    now = local_start(today)
    member = is_plan_member(user, masterplan)
    memberships = current_memberships(body, today)
    if not member:
        memberships = memberships.filter(
            publication=Publication.PUBLISHED, person__publication=Publication.PUBLISHED
        )
    meetings = visible_meetings(user, masterplan).filter(body=body)
    return BodyDetail(
        body=body,
        memberships=list(memberships),
        parts=list(visible(Body.objects.filter(parent=body), user, masterplan)),
        upcoming=list(meetings.filter(start__gte=now).order_by("start", "id")),
        past=list(meetings.filter(start__lt=now).order_by("-start", "-id")[:past_limit]),
        decisions=list(
            visible_decisions(user, masterplan)
            .filter(meeting__body=body)
            .select_related("meeting", "responsible_organization")
            .order_by("-decided_on", "-id")
        ),
        measures=list(
            visible(Measure.objects.filter(operational_body=body), user, masterplan)
            .select_related("status", "lead_organization")
            .order_by("title", "id")
        ),
        editable=can_edit(user, body),
    )


# --- Meetings -----------------------------------------------------------------------------------


def meeting_list(
    *,
    user: Any,
    masterplan: Masterplan,
    body: int | None = None,
    when: str = "",
    state: str = "",
    today: date | None = None,
) -> QuerySet[Meeting]:
    """Meetings of the plan (or a body): `when` = "upcoming" (from today on, soonest first),
    "past" (before today, latest first) or "" (all, by start)."""
    now = local_start(today or timezone.localdate())
    meetings = visible_meetings(user, masterplan).select_related("body")
    if body is not None:
        meetings = meetings.filter(body_id=body)
    if state:
        meetings = meetings.filter(state=state)
    if when == "upcoming":
        return meetings.filter(start__gte=now).order_by("start", "id")
    if when == "past":
        return meetings.filter(start__lt=now).order_by("-start", "-id")
    return meetings.order_by("start", "id")


@dataclass
class AgendaRow:
    item: AgendaItem
    depth: int
    decisions: list[Decision] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def agenda_order(items: Iterable[AgendaItem]) -> list[tuple[AgendaItem, int]]:
    """Items in reading order (depth-first by position) with their depth (0 = top level)."""
    items = list(items)
    ids = {i.pk for i in items}
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id if item.parent_id in ids else None, []).append(item)
    ordered: list[tuple[AgendaItem, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for item in sorted(children.get(parent, []), key=lambda i: (i.position, i.pk)):
            ordered.append((item, depth))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return ordered


@dataclass
class MeetingDetail:
    meeting: Meeting
    agenda: list[AgendaRow]
    attendance: list[Attendance]
    decisions: list[Decision]  # all decisions of the meeting (with and without agenda item)
    action_items: list[ActionItem]
    documents: list[Document]
    transitions: list[str]
    editable: bool
    attendance_counts: dict[str, int]


def meeting_detail(*, user: Any, meeting: Meeting) -> MeetingDetail:
    """The meeting page: agenda with results, decisions and action items per item, attendance,
    minutes and documents. Seven queries whatever the size of the meeting."""
    masterplan = meeting.masterplan
    items = list(
        visible_agenda_items(user, masterplan)
        .filter(meeting=meeting)
        .prefetch_related(
            Prefetch("goals", queryset=visible(Goal.objects.all(), user, masterplan)),
            Prefetch("measures", queryset=visible(Measure.objects.all(), user, masterplan)),
        )
    )
    decisions = list(
        visible_decisions(user, masterplan)
        .filter(meeting=meeting)
        .select_related("responsible_organization")
        .order_by("reference", "id")
    )
    action_items = list(
        visible_action_items(user, masterplan)
        .filter(meeting=meeting)
        .select_related("owner_person", "owner_organization")
        .order_by("due", "id")
    )
    documents = list(
        visible_documents(user, masterplan).filter(meeting=meeting).order_by("kind", "name", "id")
    )
    member = is_plan_member(user, masterplan)
    attendance = (
        list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("person", "organization")
            .order_by("person__family_name", "person__given_name", "id")
        )
        if member
        else []
    )
    rows = [AgendaRow(item=item, depth=depth) for item, depth in agenda_order(items)]
    by_item = {row.item.pk: row for row in rows}
    for decision in decisions:
        if decision.agenda_item_id in by_item:
            by_item[decision.agenda_item_id].decisions.append(decision)
    for action in action_items:
        if action.agenda_item_id in by_item:
            by_item[action.agenda_item_id].action_items.append(action)
    for document in documents:
        if document.agenda_item_id in by_item:
            by_item[document.agenda_item_id].documents.append(document)
    counts = {status: 0 for status in ("present", "excused", "absent")}
    for entry in attendance:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    editable = can_edit(user, meeting)
    return MeetingDetail(
        meeting=meeting,
        agenda=rows,
        attendance=attendance,
        decisions=decisions,
        action_items=action_items,
        documents=documents,
        transitions=allowed_transitions(meeting) if editable else [],
        editable=editable,
        attendance_counts=counts,
    )


# --- Decision tracking --------------------------------------------------------------------------


def decision_age(decision: Decision, today: date) -> int:
    """Age in days (see METHODS["decision_age"]): open and in-progress decisions count until
    today, finished ones (done, dropped) until their last implementation change."""
    if decision.implementation_state in OPEN_STATES or decision.implementation_changed_on is None:
        end = today
    else:
        end = decision.implementation_changed_on
    return max(0, (end - decision.decided_on).days)


@dataclass
class DecisionRow:
    decision: Decision
    age_days: int
    overdue: bool
    open_actions: int


@dataclass
class DecisionGroup:
    state: str
    label: str
    rows: list[DecisionRow]


@dataclass
class DecisionTracking:
    groups: list[DecisionGroup]
    total: int
    counts: dict[str, int]
    median_open_age: float | None
    method: Promise = METHODS["decision_age"]


def median(values: Sequence[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def decision_tracking(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    body: int | None = None,
    state: str = "",
    organization: int | None = None,
) -> DecisionTracking:
    """All decisions of the plan (or one body) grouped by implementation state, with age.

    Open, in progress, done, dropped — in that order; within a group the oldest first.
    Two queries.
    """
    decisions = (
        visible_decisions(user, masterplan)
        .select_related("meeting__body", "responsible_organization")
        .annotate(
            open_actions=Count(
                "action_items",
                filter=Q(
                    action_items__status__in=OPEN_ACTIONS,
                    action_items__deleted_at__isnull=True,
                ),
            )
        )
        .order_by("decided_on", "id")
    )
    if body is not None:
        decisions = decisions.filter(meeting__body_id=body)
    if state:
        decisions = decisions.filter(implementation_state=state)
    if organization is not None:
        decisions = decisions.filter(responsible_organization_id=organization)
    by_state: dict[str, list[DecisionRow]] = {s: [] for s in ImplementationState.values}
    for decision in decisions:
        overdue = bool(
            decision.due and decision.due < today and decision.implementation_state in OPEN_STATES
        )
        by_state[decision.implementation_state].append(
            DecisionRow(
                decision=decision,
                age_days=decision_age(decision, today),
                overdue=overdue,
                open_actions=decision.open_actions,
            )
        )
    groups = [
        DecisionGroup(state=s, label=str(ImplementationState(s).label), rows=by_state[s])
        for s in ImplementationState.values
    ]
    open_ages = [r.age_days for s in OPEN_STATES for r in by_state[s]]
    return DecisionTracking(
        groups=groups,
        total=sum(len(g.rows) for g in groups),
        counts={g.state: len(g.rows) for g in groups},
        median_open_age=median(open_ages),
    )


# --- Action items -------------------------------------------------------------------------------


def action_item_list(
    *,
    user: Any,
    masterplan: Masterplan,
    today: date,
    owner: int | None = None,
    organization: int | None = None,
    overdue: bool = False,
    status: str = "",
    body: int | None = None,
    open_only: bool = False,
) -> QuerySet[ActionItem]:
    """Action items with their owner, meeting and decision; filters as on the list page
    (`organization` is the owner organisation named on the item)."""
    items = visible_action_items(user, masterplan).select_related(
        "owner_person", "owner_organization", "meeting__body", "decision"
    )
    if owner is not None:
        items = items.filter(owner_person_id=owner)
    if organization is not None:
        items = items.filter(owner_organization_id=organization)
    if status:
        items = items.filter(status=status)
    if open_only:
        items = items.filter(status__in=OPEN_ACTIONS)
    if overdue:
        items = items.filter(overdue_q(today))
    if body is not None:
        items = items.filter(meeting__body_id=body)
    return items.order_by("due", "id")


def overdue_q(today: date) -> Q:
    return Q(due__lt=today, status__in=OPEN_ACTIONS)


def days_overdue(item: ActionItem, today: date) -> int:
    """Days overdue (see METHODS["overdue"]); 0 when not overdue."""
    if item.due is None or item.status not in OPEN_ACTIONS or item.due >= today:
        return 0
    return (today - item.due).days


# --- Calendar -----------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    meetings: list[Meeting]


@dataclass
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[CalendarDay]]
    meetings: list[Meeting]
    previous: tuple[int, int]
    next: tuple[int, int]


def calendar_month(
    *, user: Any, masterplan: Masterplan, year: int, month: int, body: int | None = None
) -> CalendarMonth:
    """The month as weeks (Monday first) with the meetings of each day; one query."""
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        raise ValueError("month out of range")
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    meetings = list(
        visible_meetings(user, masterplan)
        .filter(start__gte=local_start(first), start__lt=local_start(last + timedelta(days=1)))
        .select_related("body")
        .order_by("start", "id")
    )
    if body is not None:
        meetings = [m for m in meetings if m.body_id == body]
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    weeks = [
        [CalendarDay(day=d, in_month=d.month == month, meetings=by_day.get(d, [])) for d in week]
        for week in weeks_of_dates
    ]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return CalendarMonth(
        year=year,
        month=month,
        weeks=weeks,
        meetings=[m for m in meetings if timezone.localtime(m.start).month == month],
        previous=previous,
        next=following,
    )


# --- My work ------------------------------------------------------------------------------------


@dataclass
class GovernanceWork:
    """The governance part of "my work"."""

    action_items: list[ActionItem]
    overdue: int
    minutes_pending: list[Meeting]
    open_decisions: list[Decision]


def people_of_user(user: Any, masterplan: Masterplan) -> QuerySet[Person]:
    """The directory entries of a user in this plan: matched by e-mail address."""
    email = getattr(user, "email", "") or ""
    if not email:
        return Person.objects.none()
    return Person.objects.filter(masterplan=masterplan, email__iexact=email)


def my_governance_work(
    *, user: Any, masterplan: Masterplan, today: date, minutes_after_days: int = 14
) -> GovernanceWork:
    """Open action items of the user (as owner person) or of the organisation they act for;
    coordinators without an organisation see all overdue ones. Meetings held more than
    `minutes_after_days` ago whose minutes are not approved, for bodies the user may edit."""
    if not is_plan_member(user, masterplan):
        return GovernanceWork([], 0, [], [])
    organization_id = contributor_organization_id(user, masterplan)
    items = action_item_list(user=user, masterplan=masterplan, today=today, open_only=True)
    mine = Q(owner_person__in=people_of_user(user, masterplan))
    if organization_id is not None:
        mine |= Q(owner_organization_id=organization_id)
    else:
        mine |= overdue_q(today)
    action_items = list(items.filter(mine)[:50])
    meetings = visible_meetings(user, masterplan).filter(
        state=MeetingState.HELD, start__lt=local_start(today - timedelta(days=minutes_after_days))
    )
    if organization_id is not None:
        meetings = meetings.filter(body__organization_id=organization_id)
    decisions = visible_decisions(user, masterplan).filter(
        implementation_state__in=OPEN_STATES, due__isnull=False, due__lt=today
    )
    if organization_id is not None:
        decisions = decisions.filter(responsible_organization_id=organization_id)
    return GovernanceWork(
        action_items=action_items,
        overdue=sum(1 for item in action_items if days_overdue(item, today) > 0),
        minutes_pending=list(meetings.select_related("body").order_by("start", "id")[:20]),
        open_decisions=list(decisions.select_related("meeting").order_by("due", "id")[:20]),
    )


def organizations_with_action_items(user: Any, masterplan: Masterplan) -> QuerySet[Organization]:
    """For the organisation filter of the action-item list."""
    items = visible_action_items(user, masterplan)
    return Organization.objects.filter(
        Exists(items.filter(owner_organization=OuterRef("pk")))
    ).order_by("name")


def owners_with_action_items(user: Any, masterplan: Masterplan) -> QuerySet[Person]:
    items = visible_action_items(user, masterplan)
    return Person.objects.filter(Exists(items.filter(owner_person=OuterRef("pk")))).order_by(
        "family_name", "given_name"
    )


# --- Pages (governance/views.py) ----------------------------------------------------------------


def measures_of_parts(*, user: Any, body: Body) -> list[Measure]:
    """Measures run by the bodies that are part of this one (its operational units)."""
    parts = visible(Body.objects.filter(parent=body), user, body.masterplan)
    return list(
        visible(Measure.objects.filter(operational_body__in=parts), user, body.masterplan)
        .select_related("status", "lead_organization", "operational_body")
        .order_by("operational_body__name", "title", "id")
    )


@dataclass
class AttendanceRow:
    person: Person
    organization: Organization | None
    status: str  # "" while nothing is recorded


def attendance_rows(*, meeting: Meeting) -> list[AttendanceRow]:
    """The attendance sheet: the body's members on the meeting day, then anyone else recorded
    (guests), each with the recorded status. Two queries."""
    day = timezone.localtime(meeting.start).date()
    recorded = {
        a.person_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("person", "organization")
    }
    members = (
        BodyMembership.objects.filter(body_id=meeting.body_id)
        .exclude(start__gt=day)
        .exclude(end__lt=day)
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "id")
    )
    rows: dict[int, AttendanceRow] = {}
    for membership in members:
        if membership.person_id not in rows:
            entry = recorded.get(membership.person_id)
            rows[membership.person_id] = AttendanceRow(
                person=membership.person,
                organization=entry.organization if entry else membership.organization,
                status=entry.status if entry else "",
            )
    for person_id, entry in recorded.items():
        if person_id not in rows:
            rows[person_id] = AttendanceRow(entry.person, entry.organization, entry.status)
    return list(rows.values())


def feed_tokens_of(*, user: Any, masterplan: Masterplan) -> list[FeedToken]:
    """The user's private calendar feeds in this plan, active ones first."""
    return list(
        FeedToken.objects.filter(user=user, masterplan=masterplan)
        .select_related("body")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")
    )
