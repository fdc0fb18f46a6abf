"""Governance reads: visibility, decision age (hand-computed), calendar, my work, and a
constant number of queries at two data sizes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance import queries
from masterplan.governance.models import AgendaItem, Body, Decision, Meeting, MeetingState
from tests.factories import GoalFactory, MeasureFactory, PersonFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

TODAY = date(2026, 11, 22)


@pytest.fixture
def body(plan: Masterplan, own_org: Organization) -> Body:
    plan.publication = Publication.PUBLISHED
    plan.save()
    return BodyFactory(masterplan=plan, name="Lenkungskreis", organization=own_org)


def test_decision_age_hand_computed() -> None:
    open_one = Decision(decided_on=date(2026, 1, 20), implementation_state="open")
    assert (
        queries.decision_age(open_one, TODAY) == 306
    )  # 11 + 28 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 22
    done = Decision(
        decided_on=date(2026, 1, 20),
        implementation_state="done",
        implementation_changed_on=date(2026, 3, 1),
    )
    assert queries.decision_age(done, TODAY) == 40  # 11 days of January + 28 of February + 1
    future = Decision(decided_on=date(2026, 12, 1), implementation_state="open")
    assert queries.decision_age(future, TODAY) == 0


def test_decision_tracking_groups_by_state_oldest_first(body: Body, viewer: Any) -> None:
    meeting = MeetingFactory(body=body)
    DecisionFactory(meeting=meeting, title="Jünger", decided_on=date(2026, 6, 1))
    DecisionFactory(
        meeting=meeting, title="Älter", decided_on=date(2026, 2, 1), due=date(2026, 5, 1)
    )
    DecisionFactory(
        meeting=meeting,
        title="Umgesetzt",
        decided_on=date(2026, 2, 1),
        implementation_state="done",
        implementation_changed_on=date(2026, 4, 1),
    )
    tracking = queries.decision_tracking(user=viewer, masterplan=body.masterplan, today=TODAY)
    groups = {g.state: g for g in tracking.groups}
    assert [r.decision.title for r in groups["open"].rows] == ["Älter", "Jünger"]
    assert [r.age_days for r in groups["open"].rows] == [294, 174]
    assert groups["open"].rows[0].overdue and not groups["open"].rows[1].overdue
    assert groups["done"].rows[0].age_days == 59
    assert tracking.median_open_age == 234.0
    assert tracking.counts == {"open": 2, "in_progress": 0, "done": 1, "dropped": 0}


def test_public_sees_only_public_meetings_items_and_decisions(body: Body) -> None:
    public = MeetingFactory(body=body, title="Öffentlich", state=MeetingState.HELD)
    MeetingFactory(body=body, title="Intern", is_public=False)
    MeetingFactory(body=body, title="Entwurf", publication=Publication.DRAFT)
    secret = AgendaItemFactory(meeting=public, is_public=False)
    AgendaItemFactory(meeting=public, parent=secret, title="Unterpunkt")
    AgendaItemFactory(meeting=public, title="Offen")
    DecisionFactory(meeting=public, agenda_item=secret)
    anonymous = AnonymousUser()
    plan = body.masterplan
    assert [m.title for m in Meeting.objects.visible_to(anonymous, plan)] == ["Öffentlich"]
    assert [i.title for i in AgendaItem.objects.visible_to(anonymous, plan)] == ["Offen"]
    assert not Decision.objects.visible_to(anonymous, plan).exists()
    detail = queries.meeting_detail(user=anonymous, meeting=public)
    assert [row.item.title for row in detail.agenda] == ["Offen"]
    assert detail.attendance == [] and detail.action_items == [] and not detail.editable


def test_meeting_detail_orders_the_agenda_and_attaches_decisions(
    body: Body, coordinator: Any
) -> None:
    meeting = MeetingFactory(body=body)
    second = AgendaItemFactory(meeting=meeting, position=2, title="Zwei")
    first = AgendaItemFactory(meeting=meeting, position=1, title="Eins")
    AgendaItemFactory(meeting=meeting, parent=first, position=1, title="Eins.Eins")
    DecisionFactory(meeting=meeting, agenda_item=second)
    detail = queries.meeting_detail(user=coordinator, meeting=meeting)
    assert [(r.item.title, r.depth) for r in detail.agenda] == [
        ("Eins", 0),
        ("Eins.Eins", 1),
        ("Zwei", 0),
    ]
    assert len(detail.agenda[2].decisions) == 1
    assert detail.transitions == ["invited", "held", "cancelled"]


def test_calendar_month(body: Body, viewer: Any) -> None:
    MeetingFactory(body=body, start=datetime(2026, 12, 8, 14, tzinfo=UTC))
    MeetingFactory(body=body, start=datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # 1 Dec in Berlin
    month = queries.calendar_month(user=viewer, masterplan=body.masterplan, year=2026, month=12)
    assert month.weeks[0][0].day == date(2026, 11, 30)  # a Monday
    days = {d.day: len(d.meetings) for week in month.weeks for d in week if d.meetings}
    assert days == {date(2026, 12, 1): 1, date(2026, 12, 8): 1}
    assert (month.previous, month.next) == ((2026, 11), (2027, 1))
    with pytest.raises(ValueError):
        queries.calendar_month(user=viewer, masterplan=body.masterplan, year=2026, month=13)


def test_action_item_list_filters(body: Body, other_org: Organization, viewer: Any) -> None:
    owner = PersonFactory(masterplan=body.masterplan)
    meeting = MeetingFactory(body=body)
    late = ActionItemFactory(meeting=meeting, due=TODAY - timedelta(days=4), owner_person=owner)
    ActionItemFactory(meeting=meeting, due=TODAY + timedelta(days=4), owner_organization=other_org)
    ActionItemFactory(meeting=meeting, due=TODAY - timedelta(days=4), status="done")
    listed = lambda **kw: list(  # noqa: E731
        queries.action_item_list(user=viewer, masterplan=body.masterplan, today=TODAY, **kw)
    )
    assert listed(overdue=True) == [late]
    assert listed(owner=owner.pk) == [late]
    assert len(listed(organization=other_org.pk)) == 1
    assert queries.days_overdue(late, TODAY) == 4
    assert (
        queries.action_item_list(
            user=AnonymousUser(), masterplan=body.masterplan, today=TODAY
        ).count()
        == 0
    )


def test_my_work_shows_governance(
    body: Body, own_org: Organization, contributor: Any, client_as: Any
) -> None:
    meeting = MeetingFactory(body=body, start=datetime(2026, 1, 20, 9, tzinfo=UTC))
    meeting.state = MeetingState.HELD
    meeting.save()
    ActionItemFactory(meeting=meeting, title="Flächenliste liefern", owner_organization=own_org)
    work = queries.my_governance_work(user=contributor, masterplan=body.masterplan, today=TODAY)
    assert [a.title for a in work.action_items] == ["Flächenliste liefern"]
    assert work.overdue == 1 and work.minutes_pending == [meeting]
    page = client_as(contributor).get(reverse("plans:my_work", args=[body.masterplan.slug]))
    assert page.status_code == 200
    assert "Flächenliste liefern" in page.content.decode()


def fill(body: Body, n: int) -> None:
    goal = GoalFactory(field__masterplan=body.masterplan)
    for i in range(n):
        meeting = MeetingFactory(
            body=body, start=datetime(2026, 11, 1, 9, tzinfo=UTC) + timedelta(days=3 * i)
        )
        item = AgendaItemFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting, parent=item)
        item.measures.add(MeasureFactory(goal=goal))
        item.goals.add(goal)
        DecisionFactory(meeting=meeting, agenda_item=item, due=TODAY - timedelta(days=1))
        ActionItemFactory(meeting=meeting, agenda_item=item, due=TODAY - timedelta(days=i))
        meeting.attendances.create(
            masterplan=body.masterplan, person=PersonFactory(masterplan=body.masterplan)
        )
        BodyFactory(masterplan=body.masterplan, parent=body)


READS = {
    "body list": lambda b, u: queries.body_list(user=u, masterplan=b.masterplan, today=TODAY),
    "body detail": lambda b, u: queries.body_detail(user=u, body=b, today=TODAY),
    "meetings": lambda b, u: list(
        queries.meeting_list(user=u, masterplan=b.masterplan, today=TODAY)
    ),
    "meeting detail": lambda b, u: queries.meeting_detail(
        user=u, meeting=b.meetings.order_by("start").first()
    ),
    "decision tracking": lambda b, u: queries.decision_tracking(
        user=u, masterplan=b.masterplan, today=TODAY
    ),
    "action items": lambda b, u: list(
        queries.action_item_list(user=u, masterplan=b.masterplan, today=TODAY)
    ),
    "calendar": lambda b, u: queries.calendar_month(
        user=u, masterplan=b.masterplan, year=2026, month=11
    ),
    "my work": lambda b, u: queries.my_governance_work(
        user=u, masterplan=b.masterplan, today=TODAY
    ),
}


@pytest.mark.parametrize("name", READS)
def test_reads_run_a_constant_number_of_queries(name: str, body: Body, coordinator: Any) -> None:
    counts = []
    for size in (2, 7):
        fill(body, size)
        user = type(coordinator).objects.get(pk=coordinator.pk)  # fresh role cache
        with CaptureQueriesContext(connection) as captured:
            READS[name](body, user)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_body_list_figures(body: Body, viewer: Any) -> None:
    plan = body.masterplan
    for _ in range(2):
        body.memberships.create(masterplan=plan, person=PersonFactory(masterplan=plan))
    past = MeetingFactory(body=body, start=datetime(2026, 9, 1, 9, tzinfo=UTC))
    MeetingFactory(body=body, start=datetime(2026, 10, 1, 9, tzinfo=UTC))
    MeetingFactory(body=body, start=datetime(2026, 12, 3, 9, tzinfo=UTC))
    MeetingFactory(body=body, start=datetime(2027, 1, 20, 9, tzinfo=UTC))
    DecisionFactory(meeting=past)
    DecisionFactory(meeting=past, implementation_state="done")
    MeasureFactory(goal=GoalFactory(field__masterplan=plan), operational_body=body)
    empty = BodyFactory(masterplan=plan, name="Zuletzt")
    rows = {r.body: r for r in queries.body_list(user=viewer, masterplan=plan, today=TODAY)}
    row = rows[body]
    assert (row.members, row.open_decisions, row.measures) == (2, 1, 1)
    assert row.next_meeting == datetime(2026, 12, 3, 9, tzinfo=UTC)
    assert row.last_meeting == datetime(2026, 10, 1, 9, tzinfo=UTC)
    assert (rows[empty].members, rows[empty].next_meeting) == (0, None)
