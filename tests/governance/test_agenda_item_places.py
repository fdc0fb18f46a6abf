"""An agenda item's "where": the core zones and parcels it is about, set and read through the
API and shown on the meeting page; a draft zone or parcel is named to no one who may not see
it, through neither channel (the goals and measures of an item follow the same rule)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from shapely.geometry import box

from masterplan.core.models import Masterplan, Publication
from masterplan.governance.models import AgendaItem, BodyKind, Meeting, MeetingState
from masterplan.land import services as land
from masterplan.land.models import CoreZone, Parcel
from tests.factories import GoalFactory
from tests.governance.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = "" if data is None else json.dumps(data)
    return client.generic(method, url, data=body, content_type="application/json")


@pytest.fixture
def workshop(plan: Masterplan) -> Meeting:
    """The Reisholz core-zone workshop, invited: its agenda is public."""
    body = BodyFactory(
        masterplan=plan, name="Werkstattreihe Kernzonen", kind=BodyKind.WORKING_GROUP
    )
    return MeetingFactory(
        body=body, title="Werkstatt Kernzone Reisholz", state=MeetingState.INVITED, is_public=True
    )


@pytest.fixture
def places(plan: Masterplan, coordinator: Any) -> dict[str, Any]:
    zone = land.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        geometry=box(350_000, 5_670_000, 351_000, 5_670_600),
        publication=Publication.PUBLISHED,
    )
    draft_zone = land.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Lierenfeld (Entwurf)",
        geometry=box(352_000, 5_672_000, 353_000, 5_672_600),
    )
    parcel = land.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Henkelstraße Nord",
        area_type="GI",
        geometry=box(350_100, 5_670_100, 350_300, 5_670_250),
        publication=Publication.PUBLISHED,
    )
    draft_parcel = land.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Reserve am Hafen (Entwurf)",
        area_type="GI",
        geometry=box(350_400, 5_670_100, 350_500, 5_670_200),
    )
    return {"zone": zone, "draft_zone": draft_zone, "parcel": parcel, "draft_parcel": draft_parcel}


def test_the_api_sets_and_answers_an_items_zones_and_parcels(
    plan: Masterplan, workshop: Meeting, places: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    url = f"/api/plans/{plan.slug}/governance"
    created = send(
        client_as(coordinator),
        "POST",
        f"{url}/meetings/{workshop.pk}/agenda-items",
        {
            "title": "Leitlinien der Kernzone Reisholz",
            "core_zone_ids": [places["zone"].pk, places["draft_zone"].pk],
            "parcel_ids": [places["parcel"].pk],
        },
    )
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["core_zone_ids"] == sorted([places["zone"].pk, places["draft_zone"].pk])
    assert answer["parcel_ids"] == [places["parcel"].pk]
    item = AgendaItem.objects.get(pk=answer["id"])
    assert set(item.core_zones.all()) == {places["zone"], places["draft_zone"]}

    changed = send(
        client_as(coordinator),
        "PATCH",
        f"{url}/agenda-items/{item.pk}",
        {"version": answer["version"], "parcel_ids": [places["draft_parcel"].pk]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["parcel_ids"] == [places["draft_parcel"].pk]
    assert changed.json()["core_zone_ids"] == answer["core_zone_ids"]  # left out = unchanged


def test_an_unknown_or_foreign_zone_is_refused(
    plan: Masterplan,
    other_plan: Masterplan,
    workshop: Meeting,
    client_as: Any,
    coordinator: Any,
    other_coordinator: Any,
) -> None:
    foreign = land.zone_create(
        actor=other_coordinator,
        masterplan=other_plan,
        name="Kernzone Hafen Duisburg",
        geometry=box(340_000, 5_700_000, 341_000, 5_700_600),
    )
    response = send(
        client_as(coordinator),
        "POST",
        f"/api/plans/{plan.slug}/governance/meetings/{workshop.pk}/agenda-items",
        {"title": "Fremde Kernzone", "core_zone_ids": [foreign.pk]},
    )
    assert response.status_code == 422
    assert "core_zone_ids" in response.content.decode()
    assert not AgendaItem.objects.filter(title="Fremde Kernzone").exists()


def linked_item(workshop: Meeting, places: dict[str, Any], plan: Masterplan) -> AgendaItem:
    item = AgendaItem.objects.create(
        masterplan=plan,
        meeting=workshop,
        position=1,
        number="1",
        title="Leitlinien der Kernzone Reisholz",
        publication=Publication.PUBLISHED,
        is_public=True,
        ancestors_public=True,
    )
    item.core_zones.set([places["zone"], places["draft_zone"]])
    item.parcels.set([places["parcel"], places["draft_parcel"]])
    item.goals.set([GoalFactory(field__masterplan=plan, publication=Publication.DRAFT)])
    return item


def test_the_public_sees_only_published_places_through_the_api(
    plan: Masterplan, workshop: Meeting, places: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    item = linked_item(workshop, places, plan)
    url = f"/api/plans/{plan.slug}/governance/agenda-items"
    for answer in (
        send(client_as(None), "GET", f"{url}/{item.pk}").json(),
        send(client_as(None), "GET", url).json()["items"][0],
    ):
        assert answer["core_zone_ids"] == [places["zone"].pk]
        assert answer["parcel_ids"] == [places["parcel"].pk]
        assert answer["goal_ids"] == []  # the goal is a draft
    member = send(client_as(coordinator), "GET", f"{url}/{item.pk}").json()
    assert len(member["core_zone_ids"]) == 2 and len(member["parcel_ids"]) == 2
    assert len(member["goal_ids"]) == 1


def test_the_meeting_page_names_the_items_places_to_those_who_may_see_them(
    plan: Masterplan, workshop: Meeting, places: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    linked_item(workshop, places, plan)
    public = client_as(None).get(workshop.get_absolute_url()).content.decode()
    assert "Kernzone: <a" in public and "Kernzone Reisholz" in public
    assert f'href="{places["parcel"].get_absolute_url()}"' in public
    assert "Lierenfeld" not in public and "Reserve am Hafen" not in public
    members = client_as(coordinator).get(workshop.get_absolute_url()).content.decode()
    assert "Kernzone Lierenfeld (Entwurf)" in members and "Reserve am Hafen (Entwurf)" in members
    assert CoreZone.objects.count() == 2 and Parcel.objects.count() == 2


def test_the_meeting_page_reads_places_in_a_fixed_number_of_queries(
    plan: Masterplan, workshop: Meeting, places: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client_as(coordinator).get(workshop.get_absolute_url())
        assert response.status_code == 200
        return len(captured)

    linked_item(workshop, places, plan)
    before = count()
    for position in range(2, 8):
        item = AgendaItem.objects.create(
            masterplan=plan,
            meeting=workshop,
            position=position,
            number=str(position),
            title=f"Fläche {position}",
            publication=Publication.PUBLISHED,
            is_public=True,
            ancestors_public=True,
        )
        item.core_zones.set([places["zone"], places["draft_zone"]])
        item.parcels.set([places["parcel"]])
    assert count() == before
