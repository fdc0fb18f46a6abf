"""Governance pages send the same number of queries for 3 and for 15 records: no query per row.

Each page is requested once with a small governance structure, then again after five times
as much was added (bodies with members, meetings with agenda items, decisions, action items
and attendance; some of them drafts or not public).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance.models import Attendance, Body, BodyMembership, Meeting
from tests.factories import MeasureFactory, PersonFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

PAGES = {
    "body list": lambda plan, body, meeting: reverse("governance:body_list", args=[plan.slug]),
    "body page": lambda plan, body, meeting: body.get_absolute_url(),
    "meeting page": lambda plan, body, meeting: meeting.get_absolute_url(),
    "decision tracking": lambda plan, body, meeting: reverse(
        "governance:decision_list", args=[plan.slug]
    ),
    "action items": lambda plan, body, meeting: reverse("governance:action_list", args=[plan.slug]),
    "calendar": lambda plan, body, meeting: reverse(
        "governance:calendar_month", args=[plan.slug, 2026, 1]
    ),
}
ROLES = ("anonymous", "viewer", "contributor", "coordinator")


def add_records(plan: Masterplan, body: Body, meeting: Meeting, count: int) -> None:
    """`count` of everything around the body and the meeting; every 3rd a draft or not public."""
    organization = Organization.objects.filter(masterplan=plan).first()
    for n in range(count):
        hidden = n % 3 == 2
        person = PersonFactory(masterplan=plan)
        BodyMembership.objects.create(
            masterplan=plan,
            body=body,
            person=person,
            organization=organization,
            publication=Publication.PUBLISHED,
        )
        Attendance.objects.create(masterplan=plan, meeting=meeting, person=person)
        other = BodyFactory(
            masterplan=plan,
            parent=body,
            organization=organization,
            publication=Publication.DRAFT if hidden else Publication.PUBLISHED,
        )
        measure = MeasureFactory(
            goal__field__masterplan=plan,
            lead_organization=organization,
            operational_body=other if n % 2 else body,
        )
        other_meeting = MeetingFactory(
            body=other, start=datetime(2026, 1, 1 + n, 9, 0, tzinfo=UTC), is_public=not hidden
        )
        item = AgendaItemFactory(meeting=meeting, is_public=not hidden)
        AgendaItemFactory(meeting=meeting, parent=item, number=f"{item.number}.1")
        decision = DecisionFactory(meeting=meeting, agenda_item=item, is_public=not hidden)
        DecisionFactory(meeting=other_meeting)
        ActionItemFactory(meeting=meeting, agenda_item=item, decision=decision, owner_person=person)
        ActionItemFactory(meeting=other_meeting, owner_organization=organization)
        item.goals.add(measure.goal)
        item.measures.add(measure)


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# The action-item list is for members of the plan only: no anonymous case.
CASES = [
    pytest.param(page, role, id=f"{name}-{role}")
    for name, page in PAGES.items()
    for role in ROLES
    if not (name == "action items" and role == "anonymous")
]


@pytest.mark.parametrize(("page", "role"), CASES)
def test_page_sends_as_many_queries_for_15_records_as_for_3(
    role: str,
    page: Any,
    plan: Masterplan,
    own_org: Organization,
    request: pytest.FixtureRequest,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_as(user)
    body = BodyFactory(masterplan=plan, name="Lenkungskreis", organization=own_org)
    meeting = MeetingFactory(body=body, title="Jahresauftakt im Rathaus")
    url = page(plan, body, meeting)
    add_records(plan, body, meeting, 3)
    client.get(url)  # warm-up: caches that fill once per process are not the point here
    with_3 = queries_for(client, url)

    add_records(plan, body, meeting, 12)
    with django_assert_num_queries(with_3):
        response = client.get(url)
    assert response.status_code == 200
