"""Reads of the governance module for pages, the REST API, feeds and reports.

Visibility: `Model.objects.visible_to(user, masterplan)`; what the public may see is each
model's `public_filter` (governance/models.py). Every function here runs a fixed number of
queries whatever the amount of data (asserted in tests/governance/test_queries.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Count,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.filters import (
    Choice,
    FilterSpec,
    Flag,
    ListContext,
    Ref,
    Search,
    Text,
    per_page,
    sort,
    visible,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_edit,
    contributor_organization_id,
    is_plan_member,
)
from masterplan.directory.models import Organization, Person
from masterplan.governance.models import (
    AGENDA_ITEM_LINKS,
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
    MeetingMailing,
    MeetingRsvp,
    MeetingState,
    RsvpAnswer,
)
from masterplan.governance.services import allowed_transitions
from masterplan.land.models import CoreZone, Parcel
from masterplan.plans.models import Goal, Measure

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


# --- Visibility (the models' public_filter) ----------------------------------------------------


def can_view_meeting(user: Actor, meeting: Meeting) -> bool:
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
    *, user: Actor, masterplan: Masterplan, kind: str = "", today: date | None = None
) -> list[BodyRow]:
    """The plan's bodies with members, next and last meeting, open decisions: one query."""
    now = timezone.now() if today is None else local_start(today)
    meetings = Meeting.objects.visible_to(user, masterplan).exclude(state=MeetingState.CANCELLED)
    decisions = Decision.objects.visible_to(user, masterplan).filter(
        implementation_state__in=OPEN_STATES
    )
    measures = Measure.objects.visible_to(user, masterplan)
    bodies = Body.objects.select_related("parent", "organization", "chair").visible_to(
        user, masterplan
    )
    if kind:
        bodies = bodies.filter(kind=kind)
    # Correlated subqueries, not joins: a body with thousands of meetings stays one row.
    here = OuterRef("pk")
    annotated = bodies.annotate(
        member_count=count_of(BodyMembership.objects.filter(body=here)),
        next_start=Subquery(
            meetings.filter(body=here, start__gte=now).order_by("start").values("start")[:1]
        ),
        last_start=Subquery(
            meetings.filter(body=here, start__lt=now).order_by("-start").values("start")[:1]
        ),
        open_decisions=count_of(decisions.filter(Q(meeting__body=here) | Q(body=here))),
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
        for b in annotated
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
    chair: Person | None  # None also when the viewer may not see the person


def current_memberships(body: Body, today: date) -> QuerySet[BodyMembership]:
    return (
        BodyMembership.objects.filter(body=body)
        .exclude(end__lt=today)
        .select_related("person", "organization")
        .order_by("role", "person__family_name", "person__given_name", "id")
    )


def body_detail(*, user: Actor, body: Body, today: date, past_limit: int = 20) -> BodyDetail:
    """A body's page: members, its parts, upcoming and past meetings, decisions, measures."""
    masterplan = body.masterplan
    now = local_start(today)
    memberships = current_memberships(body, today).filter(
        BodyMembership.visibility_filter(user, masterplan)
    )
    meetings = Meeting.objects.visible_to(user, masterplan).filter(body=body)
    return BodyDetail(
        body=body,
        memberships=list(memberships),
        parts=list(Body.objects.filter(parent=body).visible_to(user, masterplan)),
        upcoming=list(meetings.filter(start__gte=now).order_by("start", "id")),
        past=list(meetings.filter(start__lt=now).order_by("-start", "-id")[:past_limit]),
        decisions=list(
            Decision.objects.visible_to(user, masterplan)
            .filter(Q(meeting__body=body) | Q(body=body))
            .select_related("meeting", "responsible_organization")
            .order_by("-decided_on", "-id")
        ),
        measures=list(
            Measure.objects.filter(operational_body=body)
            .visible_to(user, masterplan)
            .select_related("status", "lead_organization")
            .order_by("title", "id")
        ),
        editable=can_edit(user, body),
        chair=(
            Person.objects.visible_to(user, masterplan).filter(pk=body.chair_id).first()
            if body.chair_id
            else None
        ),
    )


# --- Meetings -----------------------------------------------------------------------------------


def body_filter(lookup: str, condition: Any = None) -> Ref:
    """The body drop-down of the governance lists (meetings, decisions, action items)."""
    return Ref(
        "body",
        label=_("Body"),
        lookup=lookup,
        condition=condition,
        empty=_("All bodies"),
        choices=visible(Body),
    )


def decided_by(body_id: int, context: ListContext) -> Q:
    """Decisions of a body: taken in its meetings or by circulation."""
    return Q(meeting__body_id=body_id) | Q(body_id=body_id)


def meetings_when(when: str, context: ListContext) -> Q:
    """ "upcoming": from today on; "past": before today; anything else: all."""
    if when == "upcoming":
        return Q(start__gte=local_start(context.today))
    if when == "past":
        return Q(start__lt=local_start(context.today))
    return Q()


MEETINGS = FilterSpec(
    Meeting,
    body_filter("body_id"),
    Text(
        "when",
        condition=meetings_when,
        api_max_length=10,
        description="upcoming, past or empty for all",
        form=False,
    ),
    Text("state", form=False),
)
CALENDAR = MEETINGS.only("body")


def meeting_list(
    *, user: Actor, masterplan: Masterplan, today: date | None = None, **filters: Any
) -> QuerySet[Meeting]:
    """Meetings of the plan (MEETINGS): `when` = "upcoming" (from today on, soonest first),
    "past" (before today, latest first) or "" (all, by start)."""
    context = ListContext(user=user, masterplan=masterplan, today=today or timezone.localdate())
    meetings = MEETINGS.apply(MEETINGS.rows(context).select_related("body"), filters, context)
    if filters.get("when") == "past":
        return meetings.order_by("-start", "-id")
    return meetings.order_by("start", "id")


@dataclass
class AgendaRow:
    item: AgendaItem
    depth: int
    decisions: list[Decision] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def agenda_item_of(meeting: Meeting, pk: int) -> AgendaItem | None:
    """A live item of the meeting (for the editors of its agenda), or None."""
    return AgendaItem.objects.filter(meeting=meeting, pk=pk).first()


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
    editable: bool  # the user may edit the meeting
    attendance_counts: dict[str, int]
    # Approved minutes: the record (details, agenda, decisions, documents, attendance) is
    # locked; editors may only correct the minutes.
    locked: bool = False

    @property
    def record_editable(self) -> bool:
        return self.editable and not self.locked

    @property
    def correctable(self) -> bool:
        return self.editable and self.locked


def item_links(user: Actor, masterplan: Masterplan) -> list[Prefetch[Any]]:
    """Prefetches of an agenda item's goals, measures, core zones and parcels: only those the
    user may see, so that a draft goal or parcel is named nowhere (AGENDA_ITEM_LINKS)."""
    models = {"goals": Goal, "measures": Measure, "core_zones": CoreZone, "parcels": Parcel}
    return [
        Prefetch(name, queryset=models[name].objects.visible_to(user, masterplan))
        for name in AGENDA_ITEM_LINKS
    ]


def meeting_detail(*, user: Actor, meeting: Meeting) -> MeetingDetail:
    """The meeting page: agenda with results, decisions and action items per item, attendance,
    minutes and documents. Seven queries whatever the size of the meeting."""
    masterplan = meeting.masterplan
    items = list(
        AgendaItem.objects.visible_to(user, masterplan)
        .filter(meeting=meeting)
        .prefetch_related(*item_links(user, masterplan))
    )
    decisions = list(
        Decision.objects.visible_to(user, masterplan)
        .filter(meeting=meeting)
        .select_related("responsible_organization")
        .order_by("reference", "id")
    )
    action_items = list(
        ActionItem.objects.visible_to(user, masterplan)
        .filter(meeting=meeting)
        .select_related("owner_person", "owner_organization")
        .order_by("due", "id")
    )
    documents = list(
        Document.objects.visible_to(user, masterplan)
        .filter(meeting=meeting)
        .order_by("kind", "name", "id")
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
        decision.meeting = meeting  # no query per decision for `is_locked`
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
        locked=meeting.minutes_locked,
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


DECISIONS = FilterSpec(
    Decision,
    body_filter("meeting__body_id", decided_by),
    Ref("meeting", lookup="meeting_id", form=False),
    Choice(
        "state",
        label=_("Implementation"),
        lookup="implementation_state",
        choices=ImplementationState.choices,
    ),
    Ref("organization", lookup="responsible_organization_id", form=False),
)


def decision_list(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Decision]:
    """Decisions the user may see (DECISIONS), latest first."""
    context = ListContext(user=user, masterplan=masterplan)
    return DECISIONS.apply(DECISIONS.rows(context), filters, context).order_by("-decided_on", "-id")


def decision_tracking(
    *,
    user: Actor,
    masterplan: Masterplan,
    today: date,
    **filters: Any,
) -> DecisionTracking:
    """The decisions of the plan (DECISIONS: of one body, …) grouped by implementation state,
    with age.

    Open, in progress, done, dropped — in that order; within a group the oldest first.
    Two queries.
    """
    context = ListContext(user=user, masterplan=masterplan, today=today)
    decisions = (
        DECISIONS.apply(DECISIONS.rows(context), filters, context)
        .select_related("meeting__body", "body", "responsible_organization")
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


ACTION_SORTS = (
    SortOption("due", _("Due"), ("due", "id")),
    SortOption("title", _("Title"), ("title", "id")),
    SortOption("status", _("Status"), ("status", "due", "id")),
    SortOption("owner", _("Owner"), ("owner_person__family_name", "due", "id")),
)


def full_name(person: Person) -> str:
    return person.full_name


ACTION_ITEMS = FilterSpec(
    ActionItem,
    Search("q", fields=("title", "description"), api=False),
    Ref(
        "owner",
        label=_("Owner"),
        lookup="owner_person_id",
        empty=_("All people"),
        choices=visible(Person, full_name),
    ),
    # The owner organisation named on the item.
    Ref(
        "organization",
        label=_("Organisation"),
        lookup="owner_organization_id",
        empty=_("All organisations"),
        choices=visible(Organization),
    ),
    Flag(
        "overdue",
        label=_("Only overdue"),
        condition=lambda value, context: overdue_q(context.today),
    ),
    Choice("status", label=_("Status"), choices=ActionStatus.choices),
    body_filter("meeting__body_id"),
    Ref("meeting", lookup="meeting_id", form=False),
    Ref("decision", lookup="decision_id", form=False),
    Flag(
        "open_only",
        condition=lambda value, context: Q(status__in=OPEN_ACTIONS),
        form=False,
        api=False,
    ),
    sort(ACTION_SORTS, api=False),
    per_page(),
)


def action_item_list(
    *, user: Actor, masterplan: Masterplan, today: date, **filters: Any
) -> QuerySet[ActionItem]:
    """Action items (ACTION_ITEMS) with their owner, meeting and decision, by due date."""
    context = ListContext(user=user, masterplan=masterplan, today=today)
    items = ActionItem.objects.visible_to(user, masterplan).select_related(
        "owner_person", "owner_organization", "meeting__body", "decision"
    )
    return ACTION_ITEMS.apply(items, filters, context).order_by("due", "id")


def action_item_page(
    *, user: Actor, masterplan: Masterplan, today: date, **filters: Any
) -> tuple[QuerySet[ActionItem], str]:
    """The action-item list page: as `action_item_list`, in the order chosen on the page."""
    items = action_item_list(user=user, masterplan=masterplan, today=today, **filters)
    return ACTION_ITEMS.order(items, filters)


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
    previous: tuple[int, int] | None  # None at the edge of the calendar's reach
    next: tuple[int, int] | None


# The calendar reaches this many months beyond the first and the last meeting (or today, if it
# is further out); past that there are no more links, so a crawler following "next month"
# comes to an end, and such months answer 404.
CALENDAR_REACH_MONTHS = 24


def calendar_reach(context: ListContext) -> tuple[int, int]:
    """The first and last month the calendar shows, as month numbers (year * 12 + month - 1)."""
    today = timezone.localdate()
    span = CALENDAR.rows(context).aggregate(first=Min("start"), last=Max("start"))
    months = [today.year * 12 + today.month - 1]
    for moment in (span["first"], span["last"]):
        if moment is not None:
            local = timezone.localtime(moment)
            months.append(local.year * 12 + local.month - 1)
    return min(months) - CALENDAR_REACH_MONTHS, max(months) + CALENDAR_REACH_MONTHS


def year_month(number: int) -> tuple[int, int]:
    return number // 12, number % 12 + 1


def calendar_month(
    *, user: Actor, masterplan: Masterplan, year: int, month: int, **filters: Any
) -> CalendarMonth:
    """The month as weeks (Monday first) with the meetings (CALENDAR: of one body) of each
    day; one query."""
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        raise ValueError("month out of range")
    context = ListContext(user=user, masterplan=masterplan)
    first_month, last_month = calendar_reach(context)
    number = year * 12 + month - 1
    if not first_month <= number <= last_month:
        raise ValueError("month beyond the calendar's reach")
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    in_weeks = CALENDAR.rows(context).filter(
        start__gte=local_start(first), start__lt=local_start(last + timedelta(days=1))
    )
    meetings = list(
        CALENDAR.apply(in_weeks, filters, context).select_related("body").order_by("start", "id")
    )
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    weeks = [
        [CalendarDay(day=d, in_month=d.month == month, meetings=by_day.get(d, [])) for d in week]
        for week in weeks_of_dates
    ]
    previous = year_month(number - 1) if number > first_month else None
    following = year_month(number + 1) if number < last_month else None
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


def people_of_user(user: Actor, masterplan: Masterplan) -> QuerySet[Person]:
    """The directory entries of a user in this plan: matched by e-mail address."""
    email = getattr(user, "email", "") or ""
    if not email:
        return Person.objects.none()
    return Person.objects.filter(masterplan=masterplan, email__iexact=email)


def my_governance_work(
    *, user: Actor, masterplan: Masterplan, today: date, minutes_after_days: int = 14
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
    meetings = Meeting.objects.visible_to(user, masterplan).filter(
        state=MeetingState.HELD, start__lt=local_start(today - timedelta(days=minutes_after_days))
    )
    if organization_id is not None:
        meetings = meetings.filter(body__organization_id=organization_id)
    decisions = Decision.objects.visible_to(user, masterplan).filter(
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


# --- Lists of the API -------------------------------------------------------------------------

BODIES = FilterSpec(
    Body,
    Text("kind"),
    Ref("parent", lookup="parent_id"),
    Text("q", lookup="name__casefold_contains", api_max_length=200),
)
MEMBERSHIPS = FilterSpec(
    BodyMembership,
    Ref("body", lookup="body_id"),
    Ref("person", lookup="person_id"),
    # Not ended before today.
    Flag("current", condition=lambda value, context: ~Q(end__lt=context.today)),
)
ATTENDANCE = FilterSpec(Attendance, Ref("meeting", lookup="meeting_id"))
AGENDA_ITEMS = FilterSpec(AgendaItem, Ref("meeting", lookup="meeting_id"))
DOCUMENTS = FilterSpec(
    Document,
    Ref("meeting", lookup="meeting_id"),
    Choice("kind", choices=DocumentKind.choices, api_type=DocumentKind),
)


def bodies(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Body]:
    """Bodies the user may see (BODIES), by name."""
    context = ListContext(user=user, masterplan=masterplan)
    return BODIES.apply(BODIES.rows(context), filters, context).order_by("name", "id")


def memberships(
    *, user: Actor, masterplan: Masterplan, today: date, **filters: Any
) -> QuerySet[BodyMembership]:
    """Memberships the user may see (MEMBERSHIPS), with the person."""
    context = ListContext(user=user, masterplan=masterplan, today=today)
    rows = MEMBERSHIPS.rows(context).select_related("person")
    return MEMBERSHIPS.apply(rows, filters, context).order_by("body_id", "role", "id")


def attendance(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Attendance]:
    """Attendance the user may see (ATTENDANCE: members of the plan only)."""
    context = ListContext(user=user, masterplan=masterplan)
    rows = ATTENDANCE.rows(context).select_related("person")
    return ATTENDANCE.apply(rows, filters, context).order_by("meeting_id", "id")


def agenda_items(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[AgendaItem]:
    """Agenda items the user may see (AGENDA_ITEMS) by meeting and position, with the goals,
    measures, core zones and parcels they point at (those the user may see)."""
    context = ListContext(user=user, masterplan=masterplan)
    rows = AGENDA_ITEMS.rows(context).prefetch_related(*item_links(user, masterplan))
    rows = AGENDA_ITEMS.apply(rows, filters, context)
    return rows.order_by("meeting_id", "parent_id", "position", "id")


def documents(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Document]:
    """Documents' metadata the user may see (DOCUMENTS)."""
    context = ListContext(user=user, masterplan=masterplan)
    rows = DOCUMENTS.apply(DOCUMENTS.rows(context), filters, context)
    return rows.order_by("meeting_id", "kind", "name", "id")


# --- Pages (governance/views.py) ----------------------------------------------------------------


def measures_of_parts(*, user: Actor, body: Body) -> list[Measure]:
    """Measures run by the bodies that are part of this one (its operational units)."""
    parts = Body.objects.filter(parent=body).visible_to(user, body.masterplan)
    return list(
        Measure.objects.filter(operational_body__in=parts)
        .visible_to(user, body.masterplan)
        .select_related("status", "lead_organization", "operational_body")
        .order_by("operational_body__name", "title", "id")
    )


@dataclass
class AttendanceRow:
    person: Person
    organization: Organization | None
    status: str  # "" while nothing is recorded


def members_on_meeting_day(meeting: Meeting) -> QuerySet[BodyMembership]:
    """The body's memberships current on the day of the meeting, by name."""
    day = timezone.localtime(meeting.start).date()
    return (
        BodyMembership.objects.filter(body_id=meeting.body_id)
        .exclude(start__gt=day)
        .exclude(end__lt=day)
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "id")
    )


def attendance_rows(*, meeting: Meeting) -> list[AttendanceRow]:
    """The attendance sheet: the body's members on the meeting day, then anyone else recorded
    (guests), each with the recorded status. Two queries."""
    recorded = {
        a.person_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("person", "organization")
    }
    members = members_on_meeting_day(meeting)
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


def feed_tokens_of(*, user: Actor, masterplan: Masterplan) -> list[FeedToken]:
    """The user's private calendar feeds in this plan, active ones first (none for a visitor)."""
    if not user.is_authenticated:
        return []
    return list(
        FeedToken.objects.filter(user=user, masterplan=masterplan)
        .select_related("body")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")
    )


# --- Invitations, answers and mailings ----------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """A member of the body on the meeting day, to be invited (by e-mail, if they have one)."""

    person: Person
    organization: Organization | None

    @property
    def email(self) -> str:
        return self.person.email.strip()


def invitees(*, meeting: Meeting) -> list[Invitee]:
    """Each person once, whatever the number of their memberships. One query."""
    found: dict[int, Invitee] = {}
    for membership in members_on_meeting_day(meeting):
        found.setdefault(membership.person_id, Invitee(membership.person, membership.organization))
    return list(found.values())


@dataclass
class RsvpSummary:
    """The answers to the invitation, for the meeting's editors: counts and names."""

    attending: list[MeetingRsvp]
    not_attending: list[MeetingRsvp]
    unanswered: list[Invitee]


def rsvp_summary(*, meeting: Meeting) -> RsvpSummary:
    answers = list(
        MeetingRsvp.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )
    answered = {rsvp.person_id for rsvp in answers}
    return RsvpSummary(
        attending=[a for a in answers if a.answer == RsvpAnswer.YES],
        not_attending=[a for a in answers if a.answer == RsvpAnswer.NO],
        unanswered=[i for i in invitees(meeting=meeting) if i.person.pk not in answered],
    )


def mailings_of(*, meeting: Meeting) -> list[MeetingMailing]:
    """The send log of a meeting, newest first."""
    return list(
        MeetingMailing.objects.filter(meeting=meeting)
        .select_related("sent_by")
        .order_by("-sent_at", "-id")
    )
