"""Land pages as their users meet them: the dashboard's figures (checked by hand), what the
public sees, a parcel recorded with a drawn polygon, a request matched with reasons and an
offer recorded, the company's own request through the public form, and constant queries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import box, mapping

from masterplan.core.models import Masterplan, Publication
from masterplan.land import geometry as geo
from masterplan.land import services
from masterplan.land.models import CoreZone, Offer, Parcel, RequestStatus, SiteRequest

pytestmark = pytest.mark.django_db


def url(name: str, plan: Masterplan, *args: Any) -> str:
    return reverse(f"land:{name}", args=[plan.slug, *args])


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


@pytest.fixture
def world(plan: Masterplan, coordinator: Any) -> dict[str, Any]:
    """Reisholz (sample): two parcels of 3 ha and 2 ha in the reserve, one of 1 ha with a
    severe restriction, and take-up of 10,000 m² a year for the last five years."""
    today = timezone.localdate()
    zone = services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        sector_priorities={"production": "preferred", "logistics": "excluded"},
        geometry=box(350_000, 5_670_000, 351_000, 5_670_600),
        publication=Publication.PUBLISHED,
        is_sample=True,
    )
    recorded = today - timedelta(days=3_000)
    common = {
        "actor": coordinator,
        "masterplan": plan,
        "area_type": "GI",
        "recorded_on": recorded,
        "publication": Publication.PUBLISHED,
    }
    north = services.parcel_create(
        name="Henkelstraße Nord",
        geometry=box(350_100, 5_670_100, 350_300, 5_670_250),  # 30,000 m²
        motorway_km=1.0,
        price_per_m2=120,
        **common,
    )
    south = services.parcel_create(
        name="Henkelstraße Süd",
        geometry=box(350_400, 5_670_100, 350_600, 5_670_200),  # 20,000 m²
        motorway_km=4.0,
        price_per_m2=150,
        **common,
    )
    restricted = services.parcel_create(
        name="Altlastenfläche Ost",
        geometry=box(350_700, 5_670_100, 350_800, 5_670_200),  # 10,000 m²
        restriction="severe",
        restriction_reasons="Altlasten",
        **common,
    )
    for years_ago in range(1, 6):
        services.take_up_create(
            actor=coordinator,
            masterplan=plan,
            on=today - timedelta(days=365 * years_ago - 30),
            area_m2=10_000,
            company_name=f"Stahlbau {years_ago}",
            wz_code="25.11",
            jobs_created=20,
            core_zone=zone,
        )
    return {"zone": zone, "north": north, "south": south, "restricted": restricted}


def test_the_dashboard_shows_reserve_take_up_and_reach_as_computed_by_hand(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    html = page(client_as(coordinator).get(url("dashboard", plan)))
    # G = 3 + 2 + 1 = 6 ha; N = 5 ha; (G − N)/G = 16.7 %; Ā = 5 × 1 ha / 5 = 1 ha a year;
    # reach N/Ā = 5 years, G/Ā = 6 years.
    assert "6,00 ha" in html and "5,00 ha" in html
    assert "16,7 %" in html
    assert "1,00 ha / Jahr" in html
    assert "5,0 Jahre" in html and "6,0 Jahre" in html
    # Per zone: the take-ups were recorded in Reisholz, and so are the parcels.
    assert "Kernzone Reisholz" in html


def test_figures_as_of_a_past_day_ignore_what_came_later(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    before_any = timezone.localdate() - timedelta(days=3_100)
    html = page(
        client_as(coordinator).get(url("dashboard", plan), {"as_of": before_any.isoformat()})
    )
    assert "nicht aussagekräftig" in html  # no take-up yet: reach is not meaningful
    assert "0,00 ha" in html
    # A malformed day counts as not given, never a 500.
    assert (
        client_as(coordinator).get(url("dashboard", plan), {"as_of": "31.12."}).status_code == 200
    )


def test_the_public_sees_published_land_but_no_requests_or_take_up_records(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    anonymous = client_as(None)
    html = page(anonymous.get(url("parcel_list", plan)))
    assert "Henkelstraße Nord" in html and "Daten bestätigt" not in html
    assert anonymous.get(url("takeup_list", plan)).status_code in (302, 403, 404)
    assert anonymous.get(url("request_list", plan)).status_code in (302, 403, 404)
    hidden = world["south"]
    services.parcel_update(
        actor=coordinator,
        parcel=hidden,
        version=hidden.version,
        publication=Publication.DRAFT,
    )
    assert "Henkelstraße Süd" not in page(anonymous.get(url("parcel_list", plan)))
    assert anonymous.get(url("parcel_detail", plan, hidden.pk)).status_code in (302, 404)
    dashboard = page(anonymous.get(url("dashboard", plan)))
    assert "Ansiedlungsanfragen" not in dashboard


def test_a_parcel_is_recorded_with_a_drawn_polygon(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    drawn = geo.to_wgs84(box(350_100, 5_670_300, 350_200, 5_670_400))  # 10,000 m²
    response = client_as(coordinator).post(
        url("parcel_create", plan),
        {
            "name": "Werkstatthof Reisholz",
            "area_type": "GE",
            "availability": "immediate",
            "restriction": "none",
            "status": "available",
            "recorded_on": timezone.localdate().isoformat(),
            "polygon": json.dumps({"type": "Feature", "geometry": mapping(drawn)}),
            "publication": "draft",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    parcel = Parcel.objects.get(name="Werkstatthof Reisholz")
    assert abs(parcel.area_m2 - 10_000) < 1
    assert parcel.core_zone == world["zone"]


def test_a_polygon_in_projected_coordinates_is_refused_with_a_clear_message(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    projected = mapping(box(350_100, 5_670_300, 350_200, 5_670_400))
    response = client_as(coordinator).post(
        url("parcel_create", plan),
        {
            "name": "Falsches Koordinatensystem",
            "area_type": "GE",
            "availability": "immediate",
            "restriction": "none",
            "status": "available",
            "recorded_on": timezone.localdate().isoformat(),
            "polygon": json.dumps(projected),
            "publication": "draft",
        },
    )
    assert response.status_code == 400
    assert "WGS84" in response.content.decode()
    assert not Parcel.objects.filter(name="Falsches Koordinatensystem").exists()


def test_a_request_lists_ranked_parcels_with_reasons_and_records_an_offer(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    request = services.request_create(
        actor=coordinator,
        masterplan=plan,
        title="Metallverarbeitung sucht 2–3 ha",
        company_name="Niederrhein Stahlbau GmbH",
        sector_category="production",
        area_min_m2=15_000,
        area_max_m2=35_000,
        area_types=["GI"],
        max_motorway_km=5,
        jobs=60,
    )
    client = client_as(coordinator)
    html = page(client.get(url("request_detail", plan, request.pk)))
    # North: motorway 1 − 1/10 = 0.9, sector preferred 1, jobs 60 per 30,000 m² = 2 per
    # 1,000 m² → 2/4 = 0.5, price the cheapest 120/120 = 1 → 0.3·0.9 + 0.3 + 0.2·0.5 + 0.2 = 0.87.
    # South: 0.6, 1, 3/4 = 0.75, 120/150 = 0.8 → 0.18 + 0.3 + 0.15 + 0.16 = 0.79.
    assert html.index("Henkelstraße Nord") < html.index("Henkelstraße Süd")
    assert "87 %" in html and "79 %" in html
    assert "Altlastenfläche Ost" in html  # rejected, with its rule
    assert "Zu klein" in html or "kleiner als" in html
    response = client.post(
        url("request_offer", plan, request.pk), {"parcel": world["north"].pk, "score": "0.8"}
    )
    assert response.status_code == 302
    assert Offer.objects.filter(request=request, parcel=world["north"]).exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OFFERED


def test_a_company_sends_its_request_and_follows_it_on_its_link(
    plan: Masterplan, client_as: Any
) -> None:
    anonymous = client_as(None)
    form = {
        "company_name": "Tischlerei Kemper",
        "contact_name": "Anna Kemper",
        "contact_email": "a.kemper@example.org",
        "title": "Werkstatt mit Lager",
        "sector_category": "craft",
        "area_min_m2": "1500",
    }
    refused = anonymous.post(url("public_request", plan), form)
    assert refused.status_code == 400 and not SiteRequest.objects.exists()
    sent = anonymous.post(url("public_request", plan), {**form, "consent": "on"})
    assert sent.status_code == 302
    status_page = page(anonymous.get(sent["Location"]))
    assert "Werkstatt mit Lager" in status_page and "Offen" in status_page
    assert anonymous.get(url("public_request_status", plan, "erraten")).status_code == 404


def test_the_parcel_list_runs_the_same_queries_for_3_and_30_parcels(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client.get(url("parcel_list", plan)))
        return len(captured)

    few = queries()
    for number in range(27):
        Parcel.objects.create(
            masterplan=plan,
            name=f"Reservefläche {number}",
            area_type="GE",
            area_m2=5_000,
            core_zone=world["zone"],
            publication=Publication.PUBLISHED,
        )
    assert queries() == few


def test_zone_page_shows_profile_guidelines_parcels_and_measures(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    zone: CoreZone = world["zone"]
    services.guideline_create(
        actor=coordinator,
        zone=zone,
        title="Produktion und Handwerk vor Logistik",
        publication=Publication.PUBLISHED,
    )
    html = page(client_as(coordinator).get(url("zone_detail", plan, zone.pk)))
    assert "Produktion und Handwerk vor Logistik" in html
    assert "Vorrangig" in html and "Ausgeschlossen" in html
    assert "Henkelstraße Nord" in html


def test_the_dashboard_date_cannot_lie_in_the_future(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    later = date(timezone.localdate().year + 3, 1, 1)
    html = page(client_as(coordinator).get(url("dashboard", plan), {"as_of": later.isoformat()}))
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_the_expose_is_a_pdf_with_map_figures_and_contact(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    parcel = world["north"]
    response = client_as(coordinator).get(url("parcel_expose", plan, parcel.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "expose-henkelstrasse-nord" in response["Content-Disposition"]


def test_the_expose_outline_fits_the_parcel_into_its_zone() -> None:
    from masterplan.land.expose import HEIGHT, WIDTH, svg_outline

    zone = box(350_000, 5_670_000, 351_000, 5_670_600)
    outline = svg_outline(box(350_100, 5_670_100, 350_300, 5_670_250), zone)
    assert outline is not None
    # The zone's 1,000 m fill the width less the margins: 448 px, so 0.448 px per metre; the
    # scale bar is the first round length of at least a fifth of the span: 200 m → 89.6 px.
    assert outline.scale_m == 200 and abs(outline.scale_px - 89.6) < 0.01
    first = outline.parcel_path.split()[0].removeprefix("M")
    x, y = (float(v) for v in first.split(","))
    assert 0 < x < WIDTH and 0 < y < HEIGHT


def test_a_draft_organisation_is_not_named_on_public_zone_pages(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    from tests.factories import OrganizationFactory

    zone = world["zone"]
    hidden = OrganizationFactory(
        masterplan=plan, name="Entwurf Entwicklungsgesellschaft", publication=Publication.DRAFT
    )
    services.zone_update(
        actor=coordinator, zone=zone, version=zone.version, lead_organization=hidden
    )
    assert "Entwurf Entwicklungsgesellschaft" not in page(
        client_as(None).get(url("zone_detail", plan, zone.pk))
    )
    assert "Entwurf Entwicklungsgesellschaft" in page(
        client_as(coordinator).get(url("zone_detail", plan, zone.pk))
    )


def test_a_plan_with_many_zones_shows_those_with_the_largest_reserve_on_the_dashboard(
    plan: Masterplan, coordinator: Any, client_as: Any, monkeypatch: Any
) -> None:
    from masterplan.land import queries

    monkeypatch.setattr(queries, "DASHBOARD_ZONES", 2)
    for index, width in enumerate((100, 300, 200)):  # reserves of 1, 3 and 2 ha
        east = 350_000 + index * 1_000
        zone = services.zone_create(
            actor=coordinator,
            masterplan=plan,
            name=f"Kernzone {chr(65 + index)}",
            geometry=box(east, 5_670_000, east + 900, 5_670_900),
            publication=Publication.PUBLISHED,
        )
        services.parcel_create(
            actor=coordinator,
            masterplan=plan,
            name=f"Fläche in {zone.name}",
            area_type="GI",
            geometry=box(east + 10, 5_670_010, east + 10 + width, 5_670_110),
            recorded_on=timezone.localdate() - timedelta(days=30),
            publication=Publication.PUBLISHED,
        )
    text = page(client_as(coordinator).get(url("dashboard", plan)))
    assert "Kernzone B" in text and "Kernzone C" in text
    assert ">Kernzone A<" not in text
    assert "alle 3 stehen in der" in text
