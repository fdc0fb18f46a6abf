"""The land pages in the browser: a coordinator matches a request and offers a parcel; the
dashboard, zone, parcel and request pages and the public form are clean for axe-core, also
at phone width (tables scroll by keyboard)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from shapely.geometry import box

from masterplan.core.models import Masterplan, Publication
from masterplan.land import services
from masterplan.land.models import Offer, SiteRequest
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references

pytestmark = pytest.mark.browser


@pytest.fixture
def land(plan: Masterplan, coordinator: Any) -> dict[str, Any]:
    today = timezone.localdate()
    zone = services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Hafen Duisburg",
        profile="Hafen und Logistik",
        sector_priorities={"production": "preferred", "large_retail": "excluded"},
        geometry=box(340_000, 5_700_000, 341_000, 5_700_800),
        publication=Publication.PUBLISHED,
        is_sample=True,
    )
    services.guideline_create(
        actor=coordinator,
        zone=zone,
        title="Hafenaffine Produktion vor reiner Lagerung",
        publication=Publication.PUBLISHED,
    )
    parcel = services.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Logport Süd, Baufeld 3",
        area_type="GI",
        geometry=box(340_100, 5_700_100, 340_250, 5_700_200),
        motorway_km=1.5,
        price_per_m2=95,
        rail_siding=True,
        recorded_on=today - timedelta(days=2_000),
        publication=Publication.PUBLISHED,
        is_sample=True,
    )
    for years_ago in range(1, 4):
        services.take_up_create(
            actor=coordinator,
            masterplan=plan,
            on=today - timedelta(days=365 * years_ago),
            area_m2=12_000,
            company_name=f"Hafenbetrieb {years_ago}",
            wz_code="25.11",
            core_zone=zone,
        )
    request = services.request_create(
        actor=coordinator,
        masterplan=plan,
        title="Stahlhandel sucht Fläche mit Gleisanschluss",
        company_name="Rhein-Ruhr Stahlhandel GmbH",
        area_min_m2=10_000,
        area_max_m2=20_000,
        area_types=["GI"],
        needs_rail=True,
    )
    return {"zone": zone, "parcel": parcel, "request": request}


def test_coordinator_offers_the_best_parcel_to_a_request(
    page_as: Any, plan: Masterplan, coordinator: Any, land: dict[str, Any]
) -> None:
    page = page_as(coordinator)
    request: SiteRequest = land["request"]
    page.goto(request.get_absolute_url())
    best = page.get_by_role("row").filter(has_text="Logport Süd, Baufeld 3")
    # Each criterion with its reason: 0.3 · 0.85 (1.5 km) + 0.3 · 1 (production preferred)
    # + 0.2 · 0 (no jobs given) + 0.2 · 1 (the cheapest) = 0.755.
    expect(best).to_contain_text("1,5 km bis zur Autobahnanschlussstelle")
    expect(best).to_contain_text("Branche „Produktion“ in dieser Kernzone bevorzugt")
    screenshot(page, "land-request-matches")
    best.get_by_role("button", name="Anbieten").click()
    page.wait_for_load_state()
    screenshot(page, "land-request-offered")
    expect(page.get_by_text("Das Angebot wurde erfasst.")).to_be_visible()
    assert Offer.objects.filter(request=request, parcel=land["parcel"]).exists()


@pytest.mark.parametrize("where", ["dashboard", "zone", "parcel", "request", "form"])
@pytest.mark.parametrize("width", [1280, 375])
def test_land_pages_pass_axe(
    page_as: Any,
    plan: Masterplan,
    coordinator: Any,
    land: dict[str, Any],
    where: str,
    width: int,
) -> None:
    page = page_as(coordinator if where != "form" else None)
    page.set_viewport_size({"width": width, "height": 900})
    paths = {
        "dashboard": f"/p/{plan.slug}/land/",
        "zone": land["zone"].get_absolute_url(),
        "parcel": land["parcel"].get_absolute_url(),
        "request": land["request"].get_absolute_url(),
        "form": f"/p/{plan.slug}/land/site-request/",
    }
    page.goto(paths[where])
    screenshot(page, f"land-axe-{where}-{width}")
    assert blocking_violations(page) + broken_references(page) == []
