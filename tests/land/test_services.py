"""Writes of the land module: geometry stored with its box and centroid, areas computed in
EPSG:25832, the core zone derived from the polygon, take-up ending a parcel's reserve, site
requests from staff and from the public form, offers, permissions and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from shapely.geometry import box

from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.land import services
from masterplan.land.models import (
    CoreZone,
    Parcel,
    ParcelStatus,
    RequestSource,
    RequestStatus,
    SiteRequest,
)
from tests.factories import GoalFactory, MeasureFactory

pytestmark = pytest.mark.django_db

# Düsseldorf-Reisholz, in EPSG:25832 (sample geometry): a 1,000 m × 600 m core zone.
REISHOLZ = box(350_000, 5_670_000, 351_000, 5_670_600)


def reisholz(plan: Masterplan, coordinator: Any) -> CoreZone:
    return services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Kernzone Reisholz",
        profile="Klassische Industrie",
        sector_priorities={"production": "preferred", "logistics": "excluded"},
        geometry=REISHOLZ,
        publication=Publication.PUBLISHED,
    )


def parcel(plan: Masterplan, actor: Any, geometry: Any, **fields: Any) -> Parcel:
    fields.setdefault("name", "Fläche Henkelstraße")
    fields.setdefault("area_type", "GI")
    return services.parcel_create(actor=actor, masterplan=plan, geometry=geometry, **fields)


def test_a_parcel_gets_its_area_box_centroid_and_core_zone_from_the_polygon(
    plan: Masterplan, coordinator: Any
) -> None:
    zone = reisholz(plan, coordinator)
    # 200 m × 150 m = 30,000 m² inside the zone.
    inside = parcel(plan, coordinator, box(350_100, 5_670_100, 350_300, 5_670_250))
    assert inside.area_m2 == 30_000
    assert (inside.min_x, inside.min_y, inside.max_x, inside.max_y) == (
        350_100,
        5_670_100,
        350_300,
        5_670_250,
    )
    assert inside.core_zone == zone
    # Düsseldorf lies at about 51.1° N, 6.8° E.
    assert inside.latitude is not None and 51.0 < inside.latitude < 51.3
    assert inside.longitude is not None and 6.7 < inside.longitude < 6.95
    # A parcel with 40 % of its area in the zone is not in it (the zone must hold over half).
    straddling = parcel(
        plan, coordinator, box(350_900, 5_670_000, 351_150, 5_670_100), name="Am Rand"
    )
    assert straddling.area_m2 == 25_000 and straddling.core_zone is None


def test_moving_a_zone_derives_the_parcels_zones_again_with_audit(
    plan: Masterplan, coordinator: Any
) -> None:
    zone = reisholz(plan, coordinator)
    outside = parcel(plan, coordinator, box(351_100, 5_670_100, 351_200, 5_670_200))
    assert outside.core_zone is None
    services.zone_update(
        actor=coordinator,
        zone=zone,
        version=zone.version,
        geometry=box(350_000, 5_670_000, 351_500, 5_670_600),
    )
    outside.refresh_from_db()
    assert outside.core_zone == zone
    assert AuditEntry.objects.filter(
        action="land.parcel.updated", object_id=str(outside.pk)
    ).exists()
    zone.refresh_from_db()
    services.zone_delete(actor=coordinator, zone=zone, version=zone.version)
    outside.refresh_from_db()
    assert outside.core_zone is None


def test_a_parcel_without_a_polygon_needs_its_area(plan: Masterplan, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        parcel(plan, coordinator, None)
    assert "area_m2" in refused.value.message_dict
    entered = parcel(plan, coordinator, None, area_m2=12_500)
    assert entered.area_m2 == 12_500 and entered.geometry is None


def test_contributors_record_only_parcels_their_organisation_markets(
    plan: Masterplan, contributor: Any, own_org: Organization, other_org: Organization
) -> None:
    with pytest.raises(PermissionDenied):
        parcel(plan, contributor, None, area_m2=8_000, marketing_organization=other_org)
    mine = parcel(plan, contributor, None, area_m2=8_000, marketing_organization=own_org)
    assert mine.marketing_organization == own_org
    with pytest.raises(PermissionDenied):
        services.zone_create(actor=contributor, masterplan=plan, name="Kernzone Hafen")


def test_a_take_up_ends_the_parcels_reserve_and_takes_zone_and_brownfield(
    plan: Masterplan, coordinator: Any
) -> None:
    zone = reisholz(plan, coordinator)
    plot = parcel(plan, coordinator, box(350_100, 5_670_100, 350_300, 5_670_250), brownfield=True)
    take_up = services.take_up_create(
        actor=coordinator,
        masterplan=plan,
        parcel=plot,
        on=date(2025, 6, 30),
        company_name="Rheinische Präzisionsteile GmbH",
        wz_code="25.62",
        jobs_created=40,
    )
    assert (take_up.area_m2, take_up.core_zone, take_up.brownfield) == (30_000, zone, True)
    plot.refresh_from_db()
    assert plot.status == ParcelStatus.IN_USE
    with pytest.raises(ValidationError):
        services.parcel_delete(actor=coordinator, parcel=plot, version=plot.version)


def test_staff_enter_requests_and_offer_parcels(plan: Masterplan, coordinator: Any) -> None:
    request = services.request_create(
        actor=coordinator,
        masterplan=plan,
        title="Metallverarbeitung sucht 2 ha",
        company_name="Niederrhein Stahlbau GmbH",
        area_min_m2=15_000,
        area_max_m2=25_000,
        area_types=["GI"],
    )
    assert request.source == RequestSource.STAFF and request.status == RequestStatus.OPEN
    plot = parcel(plan, coordinator, None, area_m2=20_000)
    offer = services.request_offer(actor=coordinator, request=request, parcel=plot, score=0.8)
    request.refresh_from_db()
    assert request.status == RequestStatus.OFFERED and offer.parcel == plot
    with pytest.raises(ValidationError):
        services.request_offer(actor=coordinator, request=request, parcel=plot)
    with pytest.raises(ValidationError) as refused:
        services.request_update(
            actor=coordinator, request=request, version=request.version, status="lost"
        )
    assert "lost_reason" in refused.value.message_dict
    lost = services.request_update(
        actor=coordinator,
        request=request,
        version=request.version,
        status="lost",
        lost_reason="too_small",
    )
    assert lost.get_lost_reason_display()


def test_the_public_form_needs_consent_and_gives_a_status_link(
    plan: Masterplan, coordinator: Any
) -> None:
    fields = {
        "title": "Tischlerei sucht Werkstattfläche",
        "company_name": "Tischlerei Kemper",
        "contact_name": "Anna Kemper",
        "contact_email": "a.kemper@example.org",
        "area_min_m2": 1_500,
        "sector_category": "craft",
    }
    with pytest.raises(ValidationError):
        services.request_submit(masterplan=plan, consent=False, **fields)
    assert not SiteRequest.objects.exists()
    request, secret = services.request_submit(masterplan=plan, consent=True, **fields)
    assert request.source == RequestSource.PUBLIC_FORM and request.consent_at is not None
    assert secret not in request.status_token
    assert services.request_for_secret(plan, secret) == request
    assert services.request_for_secret(plan, secret + "x") is None
    assert services.request_for_secret(plan, "") is None


def test_measures_say_where_they_happen(plan: Masterplan, coordinator: Any) -> None:
    zone = reisholz(plan, coordinator)
    plot = parcel(plan, coordinator, box(350_100, 5_670_100, 350_300, 5_670_250))
    measure = MeasureFactory(goal=GoalFactory(field__masterplan=plan))
    site = services.measure_site_add(actor=coordinator, measure=measure, parcel=plot)
    assert (site.core_zone, site.parcel) == (zone, plot)
    guideline = services.guideline_create(
        actor=coordinator,
        zone=zone,
        title="Produktion und Handwerk vor Logistik",
        measures=[measure],
    )
    assert list(guideline.measures.all()) == [measure] and guideline.position == 1


def test_weights_are_kept_per_masterplan_by_coordinators(
    plan: Masterplan, coordinator: Any, contributor: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=contributor, masterplan=plan, weight_price=0.5)
    settings = services.settings_update(actor=coordinator, masterplan=plan, weight_price=0.5)
    assert settings.weight_price == 0.5
    again = services.settings_update(actor=coordinator, masterplan=plan, take_up_years=10)
    assert again.pk == settings.pk and again.take_up_years == 10
    with pytest.raises(ValidationError):
        services.settings_update(
            actor=coordinator,
            masterplan=plan,
            weight_motorway=0,
            weight_sector_fit=0,
            weight_jobs_density=0,
            weight_price=0,
        )
