"""Publication defaults (issue 10 #4): what is part of a parent's content starts as its parent
does, everything else as a draft, whether it is created through a service, a page's form or the
API (`core.models.initial_publication`)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from masterplan.core.models import Masterplan, Publication
from masterplan.governance import services
from masterplan.governance.models import AgendaItem, Body, BodyKind, Meeting, MeetingState
from tests.factories import PersonFactory
from tests.governance.factories import AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BOTH = [Publication.DRAFT, Publication.PUBLISHED]


def api(plan: Masterplan, path: str) -> str:
    return f"/api/plans/{plan.slug}/governance/{path}"


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data=json.dumps(data), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def form_initial(client: Any, name: str, plan: Masterplan, *args: Any) -> Any:
    response = client.get(reverse(f"governance:{name}", args=[plan.slug, *args]))
    assert response.status_code == 200
    return response.context["form"]


def body_of(plan: Masterplan, publication: str) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Wirtschaft",
        kind=BodyKind.STEERING_COMMITTEE,
        publication=publication,
    )


def held_meeting(body: Body, publication: str) -> Meeting:
    return MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises",
        start=timezone.now() - timedelta(days=2),
        state=MeetingState.HELD,
        publication=publication,
    )


@pytest.mark.parametrize("publication", BOTH)
def test_members_and_meetings_start_as_their_body_on_every_channel(
    plan: Masterplan, coordinator: Any, client_as: Any, publication: str
) -> None:
    body = body_of(plan, publication)
    person = PersonFactory(masterplan=plan)
    client = client_as(coordinator)

    membership = services.membership_create(actor=coordinator, body=body, person=person)
    meeting = services.meeting_create(
        actor=coordinator, body=body, title="Jahresauftakt", start=timezone.now()
    )
    assert membership.publication == meeting.publication == publication

    other = PersonFactory(masterplan=plan)
    by_api = post(client, api(plan, f"bodies/{body.pk}/memberships"), {"person_id": other.pk})
    assert by_api["publication"] == publication
    by_api = post(
        client,
        api(plan, f"bodies/{body.pk}/meetings"),
        {"title": "Frühjahrssitzung", "start": timezone.now().isoformat()},
    )
    assert by_api["publication"] == publication

    assert form_initial(client, "membership_create", plan, body.pk)["publication"].initial == (
        publication
    )
    assert form_initial(client, "meeting_create", plan, body.pk)["publication"].initial == (
        publication
    )


@pytest.mark.parametrize("publication", BOTH)
def test_agenda_items_follow_the_meeting_and_sub_items_their_parent(
    plan: Masterplan, coordinator: Any, client_as: Any, publication: str
) -> None:
    meeting = MeetingFactory(body=body_of(plan, Publication.PUBLISHED), publication=publication)
    client = client_as(coordinator)

    item = services.agenda_item_create(actor=coordinator, meeting=meeting, title="Rückblick")
    assert item.publication == publication
    by_api = post(client, api(plan, f"meetings/{meeting.pk}/agenda-items"), {"title": "Ausblick"})
    assert by_api["publication"] == publication
    assert form_initial(client, "agenda_item_create", plan, meeting.pk)["publication"].initial == (
        publication
    )

    # A sub-item of a draft item in a published meeting is a draft too, and non-public under
    # a non-public item.
    draft_parent = services.agenda_item_create(
        actor=coordinator,
        meeting=meeting,
        title="Vertraulich: Grundstücksverhandlungen",
        is_public=False,
        publication=Publication.DRAFT,
    )
    sub = services.agenda_item_create(
        actor=coordinator, meeting=meeting, parent=draft_parent, title="Angebot Fläche Nord"
    )
    assert (sub.publication, sub.is_public) == (Publication.DRAFT, False)
    by_api = post(
        client,
        api(plan, f"meetings/{meeting.pk}/agenda-items"),
        {"title": "Angebot Fläche Süd", "parent_id": draft_parent.pk},
    )
    assert (by_api["publication"], by_api["is_public"]) == (Publication.DRAFT, False)
    url = reverse("governance:agenda_item_create", args=[plan.slug, meeting.pk])
    form = client.get(f"{url}?parent={draft_parent.pk}").context["form"]
    assert (form["publication"].initial, form["is_public"].initial) == (Publication.DRAFT, False)


@pytest.mark.parametrize("publication", BOTH)
def test_decisions_and_action_items_follow_their_agenda_item(
    plan: Masterplan, coordinator: Any, client_as: Any, publication: str
) -> None:
    meeting = held_meeting(body_of(plan, Publication.PUBLISHED), Publication.PUBLISHED)
    item = AgendaItemFactory(
        meeting=meeting,
        title="Kernzonen-Workshops",
        publication=publication,
        is_public=publication == Publication.PUBLISHED,
    )
    client = client_as(coordinator)

    decision = services.decision_create(
        actor=coordinator, meeting=meeting, agenda_item=item, title="Workshops fortsetzen"
    )
    assert (decision.publication, decision.is_public) == (publication, item.is_public)
    by_api = post(
        client,
        api(plan, f"meetings/{meeting.pk}/decisions"),
        {"title": "Workshop Reisholz ansetzen", "agenda_item_id": item.pk},
    )
    assert (by_api["publication"], by_api["is_public"]) == (publication, item.is_public)
    form = form_initial(client, "decision_create", plan, item.pk)
    assert (form["publication"].initial, form["is_public"].initial) == (
        publication,
        item.is_public,
    )

    action = services.action_item_create(
        actor=coordinator, agenda_item=item, title="Termine abstimmen"
    )
    assert action.publication == publication
    by_api = post(
        client,
        api(plan, "action-items"),
        {"title": "Einladungen verschicken", "agenda_item_id": item.pk},
    )
    assert by_api["publication"] == publication
    assert form_initial(client, "action_create", plan, item.pk)["publication"].initial == (
        publication
    )


@pytest.mark.parametrize("publication", BOTH)
def test_a_decision_by_circulation_follows_its_body(
    plan: Masterplan, coordinator: Any, client_as: Any, publication: str
) -> None:
    body = body_of(plan, publication)
    decided_on = timezone.localdate() - timedelta(days=3)
    client = client_as(coordinator)

    decision = services.decision_create(
        actor=coordinator,
        body=body,
        kind="circulation",
        title="Fortschreibung des Masterplans beauftragt",
        decided_on=decided_on,
    )
    assert (decision.publication, decision.is_public) == (publication, True)
    by_api = post(
        client,
        api(plan, f"bodies/{body.pk}/decisions"),
        {"title": "Arbeitsgruppe Flächen eingesetzt", "decided_on": decided_on.isoformat()},
    )
    assert by_api["publication"] == publication
    form = form_initial(client, "circulated_decision_create", plan, body.pk)
    assert form["publication"].initial == publication


def test_records_on_their_own_start_as_drafts(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    body = post(
        client,
        api(plan, "bodies"),
        {"name": "AG Gewerbeflächen", "kind": BodyKind.WORKING_GROUP},
    )
    assert body["publication"] == Publication.DRAFT
    action = post(
        client,
        api(plan, "action-items"),
        {"title": "Flächenbedarf der Handwerksbetriebe erheben"},
    )
    assert action["publication"] == Publication.DRAFT
    assert AgendaItem.objects.count() == 0
