"""The land map: its page, and the GeoJSON of a box that it loads — only what the reader may see,
narrowed by the box and the list's filters, simplified, capped, in a constant number of queries,
and a clear 400 for a bad box or zoom."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import Point, box

from masterplan.core.models import Masterplan, Publication
from masterplan.land import geometry as geo
from masterplan.land import map_queries, services
from masterplan.land.models import Parcel

pytestmark = pytest.mark.django_db

# Reisholz, Düsseldorf: the box around the test parcels in WGS84 (west, south, east, north).
REISHOLZ = "6.8,51.1,6.95,51.25"


def url(name: str, plan: Masterplan) -> str:
    return reverse(f"land:{name}", args=[plan.slug])


def parcels_in(plan: Masterplan, actor: Any, count: int, *, x0: float = 350_000) -> list[Parcel]:
    """`count` published parcels of 50 m × 50 m in a row, 100 m apart, in Reisholz."""
    return [
        services.parcel_create(
            actor=actor,
            masterplan=plan,
            name=f"Fläche {i}",
            area_type="GI",
            geometry=box(x0 + 100 * i, 5_670_000, x0 + 100 * i + 50, 5_670_050),
            publication=Publication.PUBLISHED,
        )
        for i in range(count)
    ]


def features(response: Any, kind: str = "parcel") -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return [f for f in data["features"] if f["properties"]["kind"] == kind]


def test_the_map_page_has_the_filters_a_legend_and_the_table_as_its_alternative(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    parcels_in(plan, coordinator, 1)
    response = client_as(coordinator).get(url("map", plan), {"status": "available"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="land-map"' in html and "data-bounds=" in html
    assert 'name="availability"' in html  # the list's filters
    assert "Legende" in html and "Verfügbar" in html
    assert f"{url('parcel_list', plan)}?status=available" in html
    assert "<script>" not in html  # CSP: data in json_script and attributes only


def test_the_data_holds_parcels_and_zones_in_wgs84_with_minimal_properties(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        geometry=box(349_900, 5_669_900, 351_000, 5_670_600),
        publication=Publication.PUBLISHED,
    )
    parcels_in(plan, coordinator, 2)
    response = client_as(None).get(url("map_data", plan), {"bbox": REISHOLZ, "zoom": "15"})
    parcels = features(response)
    assert [f["properties"]["name"] for f in parcels] == ["Fläche 0", "Fläche 1"]
    first = parcels[0]
    assert set(first["properties"]) == {
        "kind",
        "id",
        "name",
        "status",
        "availability",
        "area_type",
        "area_m2",
    }
    assert first["properties"]["area_m2"] == 2_500
    lon, lat = first["geometry"]["coordinates"][0][0]
    assert 6.8 < lon < 6.95 and 51.1 < lat < 51.25
    assert len(str(lon).split(".")[1]) <= 6
    assert [f["properties"]["name"] for f in features(response, "zone")] == ["Kernzone Reisholz"]


def test_drafts_are_on_the_map_only_for_those_who_may_see_them(
    plan: Masterplan, client_as: Any, coordinator: Any, viewer: Any
) -> None:
    draft = parcels_in(plan, coordinator, 2)[1]
    services.parcel_update(
        actor=coordinator, parcel=draft, version=draft.version, publication=Publication.DRAFT
    )
    query = {"bbox": REISHOLZ, "zoom": "15"}
    public = features(client_as(None).get(url("map_data", plan), query))
    assert [f["properties"]["name"] for f in public] == ["Fläche 0"]
    members = features(client_as(coordinator).get(url("map_data", plan), query))
    assert [f["properties"]["name"] for f in members] == ["Fläche 0", "Fläche 1"]


def test_only_parcels_in_the_box_and_matching_the_filters_are_sent(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    near = parcels_in(plan, coordinator, 2)
    far = parcels_in(plan, coordinator, 1, x0=400_000)  # about 35 km east
    services.parcel_update(
        actor=coordinator, parcel=near[1], version=near[1].version, status="sold"
    )
    client = client_as(coordinator)
    in_box = features(client.get(url("map_data", plan), {"bbox": REISHOLZ, "zoom": "14"}))
    assert {f["properties"]["id"] for f in in_box} == {near[0].pk, near[1].pk}
    assert far[0].pk not in {f["properties"]["id"] for f in in_box}
    sold = features(
        client.get(url("map_data", plan), {"bbox": REISHOLZ, "zoom": "14", "status": "sold"})
    )
    assert [f["properties"]["id"] for f in sold] == [near[1].pk]


def test_polygons_are_simplified_by_zoom(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    # A circle of 200 m radius with 256 vertices: at zoom 10 (48 m tolerance) few remain.
    circle = Point(350_500, 5_670_300).buffer(200, quad_segs=64)
    services.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Rund",
        area_type="GE",
        geometry=circle,
        publication=Publication.PUBLISHED,
    )
    client = client_as(coordinator)

    def vertices(zoom: int) -> int:
        [found] = features(client.get(url("map_data", plan), {"bbox": REISHOLZ, "zoom": zoom}))
        return len(found["geometry"]["coordinates"][0])

    assert vertices(10) < 20 < vertices(18)


def test_beyond_the_cap_parcels_come_as_counted_clusters(
    plan: Masterplan, client_as: Any, coordinator: Any, monkeypatch: Any
) -> None:
    parcels_in(plan, coordinator, 6)
    monkeypatch.setattr(map_queries, "FEATURE_CAP", 5)
    response = client_as(coordinator).get(url("map_data", plan), {"bbox": REISHOLZ, "zoom": "8"})
    data = response.json()
    assert data["clustered"] is True and data["parcel_count"] == 6
    clusters = features(response, "cluster")
    assert sum(f["properties"]["count"] for f in clusters) == 6
    assert all(f["geometry"]["type"] == "Point" for f in clusters)
    assert features(response, "parcel") == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": "6.8,51.1,6.9"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"bbox": "6.9,51.1,6.8,51.2"}, "west < east"),
        ({"bbox": "6.8,51.1,6.9,nan"}, "finite"),
        ({"bbox": "6.8,51.1,6.9,91"}, "degrees"),
        ({"zoom": "x"}, "zoom"),
        ({"zoom": "40"}, "zoom"),
    ],
)
def test_a_bad_box_or_zoom_is_answered_with_400_and_the_reason(
    plan: Masterplan, client_as: Any, coordinator: Any, params: dict[str, str], message: str
) -> None:
    response = client_as(coordinator).get(url("map_data", plan), params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_box_outside_germany_is_empty_not_an_error(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    parcels_in(plan, coordinator, 1)
    response = client_as(coordinator).get(url("map_data", plan), {"bbox": "-75,40,-73,41"})
    assert features(response) == []


def test_the_data_runs_the_same_queries_for_3_and_30_parcels(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)
    query = {"bbox": REISHOLZ, "zoom": "15", "status": "available"}

    def queries_for_data() -> int:
        with CaptureQueriesContext(connection) as captured:
            features(client.get(url("map_data", plan), query))
        return len(captured)

    parcels_in(plan, coordinator, 3)
    few = queries_for_data()
    parcels_in(plan, coordinator, 27, x0=353_000)
    assert len(features(client.get(url("map_data", plan), query))) == 30
    assert queries_for_data() == few


def test_zone_and_parcel_pages_carry_a_small_map_of_their_polygon(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    zone = services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        geometry=box(349_900, 5_669_900, 351_000, 5_670_600),
        publication=Publication.PUBLISHED,
    )
    [parcel] = parcels_in(plan, coordinator, 1)
    client = client_as(coordinator)
    zone_page = client.get(zone.get_absolute_url()).content.decode()
    assert 'data-mode="zone"' in zone_page and f'data-zone-filter="{zone.pk}"' in zone_page
    parcel_page = client.get(parcel.get_absolute_url()).content.decode()
    assert 'data-mode="object"' in parcel_page and "data-geojson=" in parcel_page
    assert "vendor/leaflet/leaflet.js" in parcel_page


def test_the_parcel_form_carries_the_drawing_map_and_keeps_the_polygon_field(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    [parcel] = parcels_in(plan, coordinator, 1)
    html = client_as(coordinator).get(reverse("land:parcel_edit", args=[plan.slug, parcel.pk]))
    text = html.content.decode()
    assert "leaflet-geoman.js" in text and 'name="land-map-options"' in text
    assert 'name="polygon"' in text and "&quot;Polygon&quot;" in text
    assert geo.STORAGE_SRID == 25832


def test_without_a_tile_setting_the_map_has_no_base_map_and_with_one_it_has(
    plan: Masterplan, client_as: Any, coordinator: Any, settings: Any
) -> None:
    client = client_as(coordinator)
    assert 'data-tiles=""' in client.get(url("map", plan)).content.decode()
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Example"
    html = client.get(url("map", plan)).content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© Example"' in html
