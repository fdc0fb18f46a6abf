"""The land API: polygons in and out as GeoJSON (WGS84), figures as of a day, ranked matches,
requests for members only, and clear 422s for bad polygons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import box, mapping

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.land import geometry as geo
from masterplan.land.models import CoreZone, Parcel

pytestmark = pytest.mark.django_db


def base(plan: Masterplan) -> str:
    return f"/api/plans/{plan.slug}/land"


def send(client: Any, method: str, url: str, data: Any = None, **headers: str) -> Any:
    return client.generic(
        method,
        url,
        data="" if data is None else json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


def wgs84(shape: Any) -> dict[str, Any]:
    return dict(mapping(geo.to_wgs84(shape)))


def test_zones_and_parcels_with_polygons_round_trip(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)
    zone = send(
        client,
        "POST",
        f"{base(plan)}/zones",
        {
            "name": "Kernzone Reisholz",
            "sector_priorities": {"production": "preferred", "logistics": "excluded"},
            "geometry": wgs84(box(350_000, 5_670_000, 351_000, 5_670_600)),
            "publication": "published",
        },
    )
    assert zone.status_code == 201, zone.content
    assert abs(zone.json()["area_m2"] - 600_000) < 50
    parcel = send(
        client,
        "POST",
        f"{base(plan)}/parcels",
        {
            "name": "Henkelstraße Nord",
            "area_type": "GI",
            "geometry": wgs84(box(350_100, 5_670_100, 350_300, 5_670_250)),
            "publication": "published",
        },
    )
    assert parcel.status_code == 201, parcel.content
    body = parcel.json()
    assert abs(body["area_m2"] - 30_000) < 5 and body["core_zone_id"] == zone.json()["id"]
    assert body["geometry"]["type"] == "Polygon"
    listed = client_as(None).get(f"{base(plan)}/parcels")
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["items"]] == ["Henkelstraße Nord"]
    moved = send(
        client,
        "PATCH",
        f"{base(plan)}/parcels/{body['id']}",
        {"geometry": wgs84(box(351_100, 5_670_100, 351_200, 5_670_200)), "version": 1},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["core_zone_id"] is None and abs(moved.json()["area_m2"] - 10_000) < 5


@pytest.mark.parametrize(
    ("geometry", "fragment"),
    [
        ({"type": "Point", "coordinates": [6.8, 51.2]}, "Polygon"),
        (dict(mapping(box(350_100, 5_670_100, 350_300, 5_670_250))), "WGS84"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[6.8, 51.2], [6.81, 51.21], [6.81, 51.2], [6.8, 51.21], [6.8, 51.2]]
                ],
            },
            "",
        ),
    ],
)
def test_a_bad_polygon_gets_a_422_naming_the_field_and_nothing_is_stored(
    plan: Masterplan, client_as: Any, coordinator: Any, geometry: Any, fragment: str
) -> None:
    response = send(
        client_as(coordinator),
        "POST",
        f"{base(plan)}/parcels",
        {"name": "Fehlerhaft", "area_type": "GE", "geometry": geometry},
    )
    assert response.status_code == 422, response.content
    assert "geometry" in response.content.decode() and fragment in response.content.decode()
    assert not Parcel.objects.exists()


def test_requests_are_for_members_and_matches_are_ranked(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)
    for name, size, km in (("Nord", 200, 1.0), ("Süd", 150, 4.0)):
        created = send(
            client,
            "POST",
            f"{base(plan)}/parcels",
            {
                "name": f"Henkelstraße {name}",
                "area_type": "GI",
                "area_m2": size * 100,
                "motorway_km": km,
                "price_per_m2": 120,
            },
        )
        assert created.status_code == 201, created.content
    request = send(
        client,
        "POST",
        f"{base(plan)}/requests",
        {"title": "Stahlbau sucht 1–3 ha", "area_min_m2": 10_000, "area_types": ["GI"]},
    )
    assert request.status_code == 201, request.content
    pk = request.json()["id"]
    matches = client.get(f"{base(plan)}/requests/{pk}/matches")
    assert matches.status_code == 200
    ranked = [m["parcel_name"] for m in matches.json()["matches"]]
    assert ranked == ["Henkelstraße Nord", "Henkelstraße Süd"]
    assert all(len(m["criteria"]) == 4 for m in matches.json()["matches"])
    assert client_as(None).get(f"{base(plan)}/requests").status_code in (401, 403, 404)
    assert client_as(None).get(f"{base(plan)}/requests/{pk}/matches").status_code in (401, 404)


def test_figures_as_of_a_day(plan: Masterplan, client_as: Any, coordinator: Any) -> None:
    client = client_as(coordinator)
    send(
        client,
        "POST",
        f"{base(plan)}/parcels",
        {"name": "Reserve", "area_type": "GE", "area_m2": 20_000, "recorded_on": "2020-01-01"},
    )
    figures = client.get(f"{base(plan)}/figures", {"as_of": "2021-06-30"})
    assert figures.status_code == 200
    body = figures.json()["figures"]
    assert body["gross_reserve_m2"] == 20_000 and body["reach_net_years"] is None
    before = client.get(f"{base(plan)}/figures", {"as_of": "2019-06-30"}).json()["figures"]
    assert before["gross_reserve_m2"] == 0
    assert client.get(f"{base(plan)}/figures", {"as_of": "kein Datum"}).status_code == 422


def test_a_contributors_request_is_their_organisations_and_odd_years_answer_empty(
    plan: Masterplan, client_as: Any, contributor: Any, coordinator: Any, own_org: Any
) -> None:
    created = send(
        client_as(contributor),
        "POST",
        f"{base(plan)}/requests",
        {"title": "Erweiterung der Fertigung", "area_min_m2": 5_000},
    )
    assert created.status_code == 201, created.content
    assert created.json()["organization_id"] == own_org.pk
    for year in ("0", "99999", "2024"):
        listed = client_as(coordinator).get(f"{base(plan)}/take-ups", {"year": year})
        assert listed.status_code == 200 and listed.json()["count"] == 0


def test_a_zone_names_its_lead_organisation_only_to_readers_who_may_see_it(
    plan: Masterplan,
    client_as: Any,
    coordinator: Any,
    viewer: Any,
    own_org: Organization,
    other_org: Organization,
    django_assert_num_queries: Any,
) -> None:
    """A draft organisation's id reaches the public through no zone, listed or single, and
    the list reads the visibility as a column, not per row."""
    Organization.objects.filter(pk=own_org.pk).update(publication=Publication.DRAFT)
    Organization.objects.filter(pk=other_org.pk).update(publication=Publication.PUBLISHED)
    published = Publication.PUBLISHED
    hochfeld = CoreZone.objects.create(
        masterplan=plan, name="Kernzone Hochfeld", lead_organization=own_org, publication=published
    )
    CoreZone.objects.create(
        masterplan=plan, name="Kernzone Logport", lead_organization=other_org, publication=published
    )

    def leads(client: Any) -> dict[str, int | None]:
        response = client.get(f"{base(plan)}/zones")
        assert response.status_code == 200, response.content
        return {z["name"]: z["lead_organization_id"] for z in response.json()["items"]}

    anonymous = client_as(None)
    assert leads(anonymous) == {"Kernzone Hochfeld": None, "Kernzone Logport": other_org.pk}
    single = anonymous.get(f"{base(plan)}/zones/{hochfeld.pk}")
    assert single.status_code == 200 and single.json()["lead_organization_id"] is None
    assert leads(client_as(viewer))["Kernzone Hochfeld"] == own_org.pk
    detail = client_as(viewer).get(f"{base(plan)}/zones/{hochfeld.pk}")
    assert detail.json()["lead_organization_id"] == own_org.pk
    # As many queries for many zones as for two.
    with CaptureQueriesContext(connection) as two:
        leads(anonymous)
    for i in range(8):
        CoreZone.objects.create(
            masterplan=plan,
            name=f"Kernzone Rheinhausen {i}",
            lead_organization=own_org if i % 2 else other_org,
            publication=published,
        )
    with django_assert_num_queries(len(two)):
        assert list(leads(anonymous).values()).count(None) == 5
