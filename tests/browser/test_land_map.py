"""The land map in the browser: a coordinator records a parcel by pasting its polygon, finds it
on the map and among the matches of a site request; axe-core finds nothing serious on the map."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from shapely.geometry import box, mapping

from masterplan.core.models import Masterplan, Publication
from masterplan.land import geometry as geo
from masterplan.land import services
from masterplan.land.models import Parcel
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references

pytestmark = pytest.mark.browser

# 200 m × 150 m = 3 ha in Düsseldorf-Reisholz, inside the core zone below.
PARCEL = box(350_100, 5_670_100, 350_300, 5_670_250)


@pytest.fixture
def reisholz(plan: Masterplan, coordinator: Any) -> Any:
    services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        sector_priorities={"production": "preferred"},
        geometry=box(350_000, 5_670_000, 351_000, 5_670_600),
        publication=Publication.PUBLISHED,
    )
    return services.request_create(
        actor=coordinator,
        masterplan=plan,
        title="Metallverarbeitung sucht 2–3 ha",
        company_name="Niederrhein Stahlbau GmbH",
        sector_category="production",
        area_min_m2=15_000,
        area_max_m2=35_000,
        area_types=["GI"],
        jobs=60,
    )


def problems_of(page: Any) -> list[str]:
    """Errors in the page's console (a CSP violation shows there) and uncaught exceptions."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_coordinator_records_a_parcel_finds_it_on_the_map_and_among_the_matches(
    page_as: Any, plan: Masterplan, coordinator: Any, reisholz: Any
) -> None:
    page = page_as(coordinator)
    problems = problems_of(page)
    page.goto(f"/p/{plan.slug}/land/parcels/new/")
    drawing = page.locator("#land-draw-map")
    expect(drawing).to_be_visible()
    expect(drawing.locator(".leaflet-pm-toolbar").first).to_be_visible()  # the drawing tools
    expect(drawing.get_by_role("button", name="Polygon zeichnen")).to_be_visible()
    page.locator("#id_name").fill("Werkstatthof Henkelstraße")
    page.locator("#id_area_type").select_option("GI")
    page.locator("#id_publication").select_option("published")
    polygon = json.dumps(mapping(geo.to_wgs84(PARCEL)))
    page.locator("#id_polygon").fill(polygon)
    expect(drawing).to_have_attribute("data-polygons", "1")  # the map follows the field
    expect(drawing.locator("path.leaflet-interactive")).to_have_count(1)
    screenshot(page, "land-parcel-drawn")
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkstatthof Henkelstraße")
    parcel = Parcel.objects.get(name="Werkstatthof Henkelstraße")
    assert abs(parcel.area_m2 - 30_000) < 5
    expect(page.locator(".land-map[data-mode=object] path.leaflet-interactive")).to_have_count(1)
    screenshot(page, "land-parcel-page")

    page.goto(f"/p/{plan.slug}/land/map/")
    land_map = page.locator("#land-map")
    expect(land_map).to_have_attribute("data-loaded", "2")  # the zone and the parcel
    expect(page.locator("#map-status")).to_contain_text("1 Flächen und 1 Kernzonen")
    # The parcel is drawn on top of its zone; its popup names it and links to its page.
    land_map.locator("path.leaflet-interactive").last.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Werkstatthof Henkelstraße")
    expect(popup).to_contain_text("30.000 m²")
    expect(popup.get_by_role("link")).to_have_attribute("href", parcel.get_absolute_url())
    # Leaflet's own words in the page's language (German unless the user chose English).
    with translation.override("de"):
        library = gettext("A JavaScript library for interactive maps")
        close = gettext("Close popup")
    leaflet_link = land_map.locator(".leaflet-control-attribution a[href='https://leafletjs.com']")
    expect(leaflet_link).to_have_attribute("title", library)
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", close)
    page.wait_for_timeout(500)  # the popup fades in while the map pans to it
    screenshot(page, "land-map")

    # A filter that excludes it empties the map.
    page.locator("#id_status").select_option("sold")
    expect(page.locator("#map-status")).to_contain_text("0 Flächen")
    assert "status=sold" in page.url

    page.goto(reisholz.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("Werkstatthof Henkelstraße")
    screenshot(page, "land-request-matches")
    assert problems == []


def test_the_map_pages_have_no_serious_accessibility_violation(
    page_as: Any, plan: Masterplan, coordinator: Any, reisholz: Any
) -> None:
    parcel = services.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Henkelstraße Nord",
        area_type="GI",
        geometry=PARCEL,
        publication=Publication.PUBLISHED,
    )
    page = page_as(None)
    problems = problems_of(page)
    page.goto(f"/p/{plan.slug}/land/map/")
    expect(page.locator("#land-map")).to_have_attribute("data-loaded", "2")
    screenshot(page, "land-map-public")
    assert blocking_violations(page) + broken_references(page) == []
    assert parcel.core_zone is not None
    page.goto(parcel.core_zone.get_absolute_url())
    zone_map = page.locator(".land-map[data-mode=zone]")
    expect(zone_map).to_have_attribute("data-loaded", "2")
    expect(zone_map.get_by_role("button", name="Vergrößern")).to_be_visible()
    screenshot(page, "land-zone-public")
    assert blocking_violations(page) + broken_references(page) == []
    assert problems == []


def test_a_polygon_drawn_on_the_map_fills_the_field(
    page_as: Any, plan: Masterplan, coordinator: Any
) -> None:
    page = page_as(coordinator)
    problems = problems_of(page)
    page.goto(f"/p/{plan.slug}/land/zones/new/")
    drawing = page.locator("#land-draw-map")
    for _ in range(3):  # from the whole city to a district: a zone of a few km²
        drawing.get_by_role("button", name="Vergrößern").click()
        page.wait_for_timeout(400)  # the zoom animation
    drawing.get_by_role("button", name="Polygon zeichnen").click()
    corners = [(300, 100), (500, 110), (490, 300), (310, 290)]
    for x, y in [*corners, corners[0]]:  # the first corner again closes the outline
        drawing.click(position={"x": x, "y": y})
    expect(drawing).to_have_attribute("data-polygons", "1")
    drawn = json.loads(page.locator("#id_polygon").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    screenshot(page, "land-zone-drawn")
    page.locator("#id_name").fill("Kernzone gezeichnet")
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kernzone gezeichnet")
    expect(page.locator(".land-map[data-mode=zone] path.leaflet-interactive")).to_have_count(1)
    assert problems == []


def test_coordinator_uploads_a_parcel_file_sees_it_on_the_map_and_matches_a_request(
    page_as: Any, plan: Masterplan, coordinator: Any, reisholz: Any, tmp_path: Any
) -> None:
    """The parcel's outline comes as a GeoJSON file, as a surveyor or the planning office
    sends it; a file with several polygons is refused with the count, and nothing is saved."""
    outline = tmp_path / "hafenflaeche.geojson"
    outline.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Hafenfläche Reisholz"},
                        "geometry": mapping(geo.to_wgs84(PARCEL)),
                    }
                ],
            }
        )
    )
    several = tmp_path / "mehrere.geojson"
    several.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": mapping(geo.to_wgs84(shape))}
                    for shape in (PARCEL, box(350_400, 5_670_100, 350_500, 5_670_200))
                ],
            }
        )
    )
    page = page_as(coordinator)
    problems = problems_of(page)
    page.goto(f"/p/{plan.slug}/land/parcels/new/")
    page.locator("#id_name").fill("Hafenfläche Reisholz")
    page.locator("#id_area_type").select_option("GI")
    page.locator("#id_publication").select_option("published")
    upload = page.get_by_label("… oder eine Polygondatei hochladen")
    upload.set_input_files(str(several))
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("main")).to_contain_text("Die Datei enthält 2 Polygone")
    assert not Parcel.objects.filter(name="Hafenfläche Reisholz").exists()
    screenshot(page, "land-parcel-upload-refused")
    assert blocking_violations(page) + broken_references(page) == []

    page.get_by_label("… oder eine Polygondatei hochladen").set_input_files(str(outline))
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hafenfläche Reisholz")
    parcel = Parcel.objects.get(name="Hafenfläche Reisholz")
    assert abs(parcel.area_m2 - 30_000) < 5
    assert parcel.core_zone is not None and parcel.core_zone.name == "Kernzone Reisholz"
    expect(page.locator(".land-map[data-mode=object] path.leaflet-interactive")).to_have_count(1)

    page.goto(f"/p/{plan.slug}/land/map/")
    expect(page.locator("#land-map")).to_have_attribute("data-loaded", "2")
    expect(page.locator("#map-status")).to_contain_text("1 Flächen und 1 Kernzonen")
    page.locator("#land-map path.leaflet-interactive").last.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Hafenfläche Reisholz")

    page.goto(reisholz.get_absolute_url())
    ranked = page.get_by_role("table").first.get_by_role("row").nth(1)  # rank 1
    expect(ranked).to_contain_text("Hafenfläche Reisholz")
    expect(ranked).to_contain_text("30.000 m²")
    screenshot(page, "land-request-matches-uploaded")
    refused = "the server responded with a status of 400"  # the refused file, answered 400
    assert [problem for problem in problems if refused not in problem] == []
