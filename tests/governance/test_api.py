"""REST API of the governance module: CRUD, versions, visibility and query counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Body,
    BodyKind,
    Meeting,
    MeetingState,
)
from tests.factories import GoalFactory, MeasureFactory, PersonFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)


def base(plan: Masterplan) -> str:
    return f"/api/plans/{plan.slug}/governance"


def send(client: Client, method: str, url: str, data: Any = None, **headers: str) -> Any:
    return client.generic(
        method,
        url,
        data="" if data is None else json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def body(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Industrie",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
    )


def test_a_meeting_from_planning_to_approved_minutes(
    plan: Masterplan, body: Body, client_as: Any, contributor: Any
) -> None:
    client = client_as(contributor)
    url = base(plan)
    created = send(
        client,
        "POST",
        f"{url}/bodies/{body.pk}/meetings",
        {
            "title": "Jahresauftakt im Rathaus",
            "start": "2026-01-20T09:00:00+01:00",
            "end": "2026-01-20T12:00:00+01:00",
            "location_name": "Rathaus Düsseldorf",
            "street_address": "Marktplatz 2",
            "postal_code": "40213",
            "locality": "Düsseldorf",
            "latitude": "51.225600",
            "longitude": "6.772600",
            "is_public": True,
        },
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert created["ETag"] == '"1"' and meeting["sequence"] == 0
    mid = meeting["id"]
    goal = GoalFactory(field__masterplan=plan)
    measure = MeasureFactory(goal=goal)
    item = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/agenda-items",
        {"title": "Rückblick", "goal_ids": [goal.pk], "measure_ids": [measure.pk]},
    )
    assert item.status_code == 201, item.content
    assert item.json()["number"] == "1" and item.json()["measure_ids"] == [measure.pk]
    sub = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/agenda-items",
        {"title": "Meilensteine", "parent_id": item.json()["id"]},
    ).json()
    assert sub["number"] == "1.1"
    invited = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/transition",
        {"state": "invited"},
        **{"If-Match": '"1"'},
    )
    assert invited.status_code == 200 and invited.json()["sequence"] == 1
    person = PersonFactory(masterplan=plan)
    present = send(client, "POST", f"{url}/meetings/{mid}/attendance", {"person_id": person.pk})
    assert present.status_code == 200 and present.json()["status"] == "present"
    held = send(client, "POST", f"{url}/meetings/{mid}/transition", {"state": "held", "version": 2})
    assert held.status_code == 200
    decision = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/decisions",
        {
            "title": "Kernzonen-Workshops fortsetzen",
            "agenda_item_id": item.json()["id"],
            "reference": "LK-2026-01",
            "vote_kind": "vote",
            "votes_yes": 9,
            "votes_no": 0,
            "votes_abstain": 1,
        },
    )
    assert decision.status_code == 201, decision.content
    assert decision.json()["decided_on"] == "2026-01-20"
    action = send(
        client,
        "POST",
        f"{url}/action-items",
        {
            "title": "Termine mit den Eigentümern abstimmen",
            "decision_id": decision.json()["id"],
            "owner_person_id": person.pk,
            "due": "2026-03-31",
        },
    )
    assert action.status_code == 201, action.content
    assert action.json()["meeting_id"] == mid
    refused = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/transition",
        {"state": "minutes_approved", "version": 3},
    )
    assert refused.status_code == 422 and "Protokoll" in refused.json()["errors"]["state"][0]
    minutes = send(
        client, "PATCH", f"{url}/meetings/{mid}", {"minutes_text": "Protokoll", "version": 3}
    )
    assert minutes.status_code == 200 and minutes.json()["sequence"] == 2
    approved = send(
        client,
        "POST",
        f"{url}/meetings/{mid}/transition",
        {"state": "minutes_approved", "version": 4},
    )
    assert approved.status_code == 200 and approved.json()["state"] == "minutes_approved"
    done = send(
        client,
        "PATCH",
        f"{url}/decisions/{decision.json()['id']}",
        {"implementation_state": "done", "version": 1},
    )
    assert done.status_code == 422 and "implementation_evidence" in done.json()["errors"]
    done = send(
        client,
        "PATCH",
        f"{url}/decisions/{decision.json()['id']}",
        {
            "implementation_state": "done",
            "implementation_evidence": "Workshops terminiert",
            "version": 1,
        },
    )
    assert done.status_code == 200 and done.json()["implementation_state"] == "done"
    assert AuditEntry.objects.filter(action__startswith="governance.").count() >= 10


def test_stale_if_match_is_412(
    plan: Masterplan, body: Body, client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)
    url = f"{base(plan)}/bodies/{body.pk}"
    assert (
        send(client, "PATCH", url, {"purpose": "Sparring"}, **{"If-Match": '"1"'}).status_code
        == 200
    )
    stale = send(client, "PATCH", url, {"purpose": "Alt"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert send(client, "PATCH", url, {"purpose": "x"}).status_code == 428


def test_unknown_ids_are_invalid_data(
    plan: Masterplan, other_plan: Masterplan, body: Body, client_as: Any, coordinator: Any
) -> None:
    stranger = PersonFactory(masterplan=other_plan)
    response = send(
        client_as(coordinator),
        "POST",
        f"{base(plan)}/bodies/{body.pk}/memberships",
        {"person_id": stranger.pk},
    )
    assert response.status_code == 422 and "person_id" in response.json()["errors"]


def test_the_public_sees_only_public_records(plan: Masterplan, body: Body, client_as: Any) -> None:
    plan.publication = Publication.PUBLISHED
    plan.save()
    public = MeetingFactory(body=body, title="Öffentlich", state=MeetingState.HELD)
    closed = MeetingFactory(body=body, title="Nichtöffentlich", is_public=False)
    AgendaItemFactory(meeting=public, title="Offen")
    secret = AgendaItemFactory(meeting=public, title="Vertraulich", is_public=False)
    AgendaItemFactory(meeting=closed, title="Im geschlossenen Termin")
    DecisionFactory(meeting=public, title="Sichtbar")
    DecisionFactory(meeting=public, title="Geheim", agenda_item=secret)
    ActionItemFactory(meeting=public)
    anonymous = Client()
    url = base(plan)
    titles = lambda path: [r["title"] for r in anonymous.get(f"{url}/{path}").json()["items"]]  # noqa: E731
    assert titles("meetings") == ["Öffentlich"]
    assert titles("agenda-items") == ["Offen"]
    assert titles("decisions") == ["Sichtbar"]
    assert titles("action-items") == []
    assert anonymous.get(f"{url}/meetings/{closed.pk}").status_code == 404
    assert anonymous.get(f"{url}/agenda-items/{secret.pk}").status_code == 404


def test_action_item_filters(
    plan: Masterplan,
    body: Body,
    own_org: Organization,
    other_org: Organization,
    client_as: Any,
    viewer: Any,
) -> None:
    today = timezone.localdate()  # the site's day (Berlin), as the API counts overdue days
    owner = PersonFactory(masterplan=plan)
    meeting = MeetingFactory(body=body)
    ActionItemFactory(
        meeting=meeting, title="Überfällig", due=today - timedelta(days=3), owner_person=owner
    )
    ActionItemFactory(
        meeting=meeting,
        title="Später",
        due=today + timedelta(days=30),
        owner_organization=other_org,
    )
    ActionItemFactory(
        meeting=meeting, title="Erledigt", due=today - timedelta(days=3), status="done"
    )
    client = client_as(viewer)

    def titles(q: str) -> list[str]:
        rows = client.get(f"{base(plan)}/action-items?{q}").json()["items"]
        return [r["title"] for r in rows]

    assert titles("overdue=true") == ["Überfällig"]
    assert titles(f"owner={owner.pk}") == ["Überfällig"]
    assert titles(f"organization={other_org.pk}") == ["Später"]
    assert titles("status=done") == ["Erledigt"]
    overdue = client.get(f"{base(plan)}/action-items?overdue=true").json()["items"][0]
    assert overdue["days_overdue"] == 3


def fill(plan: Masterplan, body: Body, n: int) -> None:
    goal = GoalFactory(field__masterplan=plan)
    for i in range(n):
        meeting = MeetingFactory(
            body=body, start=datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=i)
        )
        item = AgendaItemFactory(meeting=meeting)
        item.goals.add(goal)
        item.measures.add(MeasureFactory(goal=goal))
        DecisionFactory(meeting=meeting, agenda_item=item)
        ActionItemFactory(meeting=meeting, owner_person=PersonFactory(masterplan=plan))
        meeting.body.memberships.create(masterplan=plan, person=PersonFactory(masterplan=plan))


@pytest.mark.parametrize(
    "path",
    [
        "bodies",
        "memberships",
        "meetings",
        "agenda-items",
        "decisions",
        "action-items",
        "attendance",
        "documents",
    ],
)
def test_lists_run_a_constant_number_of_queries(
    path: str, plan: Masterplan, body: Body, client_as: Any, viewer: Any
) -> None:
    client = client_as(viewer)
    counts = []
    for size in (2, 8):
        fill(plan, body, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{base(plan)}/{path}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_generate_agenda_endpoint(
    plan: Masterplan, body: Body, client_as: Any, coordinator: Any
) -> None:
    meeting = MeetingFactory(body=body, start=datetime(2026, 12, 1, 9, tzinfo=UTC))
    response = send(
        client_as(coordinator), "POST", f"{base(plan)}/meetings/{meeting.pk}/generate-agenda"
    )
    assert response.status_code == 201
    numbers = [row["number"] for row in response.json()]
    assert numbers[0] == "1" and AgendaItem.objects.filter(meeting=meeting).count() == len(numbers)


def test_delete_meeting_and_action_item(
    plan: Masterplan, body: Body, client_as: Any, coordinator: Any
) -> None:
    meeting = MeetingFactory(body=body)
    item = ActionItemFactory(meeting=meeting)
    client = client_as(coordinator)
    assert (
        send(
            client, "DELETE", f"{base(plan)}/action-items/{item.pk}", **{"If-Match": '"1"'}
        ).status_code
        == 204
    )
    assert (
        send(
            client, "DELETE", f"{base(plan)}/meetings/{meeting.pk}", **{"If-Match": '"1"'}
        ).status_code
        == 204
    )
    assert not ActionItem.objects.filter(pk=item.pk).exists()
    assert Meeting.all_objects.get(pk=meeting.pk).sequence == 1
    held = MeetingFactory(body=body, state=MeetingState.HELD)
    refused = send(client, "DELETE", f"{base(plan)}/meetings/{held.pk}", **{"If-Match": '"1"'})
    assert refused.status_code == 422
