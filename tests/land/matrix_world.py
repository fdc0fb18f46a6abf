"""Draft sample objects of the land module for the permission matrix (owned by own_org)."""

from datetime import date
from typing import Any

from django.db.models import Model
from shapely.geometry import box

from masterplan.core.models import Publication
from masterplan.directory.models import Organization
from masterplan.land import geometry as geo
from masterplan.land import services
from masterplan.land.models import CoreZone, Guideline, Parcel, SiteRequest, TakeUp


def objects(base: Any) -> dict[type[Model], Model]:
    plan = base.plan
    own = base.objects[Organization]
    draft = Publication.DRAFT
    zone_shape = box(350_000, 5_670_000, 351_000, 5_670_600)
    zone = CoreZone.objects.create(
        masterplan=plan,
        name="Kernzone Reisholz (Beispiel)",
        lead_organization=own,
        publication=draft,
        is_sample=True,
        **services.located(zone_shape),
        area_m2=geo.area_m2(zone_shape),
    )
    parcel_shape = box(350_100, 5_670_100, 350_300, 5_670_250)
    parcel = Parcel.objects.create(
        masterplan=plan,
        name="Fläche Henkelstraße (Beispiel)",
        area_type="GI",
        area_m2=30_000,
        core_zone=zone,
        marketing_organization=own,
        publication=draft,
        is_sample=True,
        **services.located(parcel_shape),
    )
    return {
        CoreZone: zone,
        Guideline: Guideline.objects.create(
            masterplan=plan, zone=zone, title="Produktion vor Logistik", publication=draft
        ),
        Parcel: parcel,
        TakeUp: TakeUp.objects.create(
            masterplan=plan,
            parcel=parcel,
            core_zone=zone,
            on=date(2024, 5, 2),
            area_m2=5_000,
            company_name="Rheinische Präzisionsteile GmbH",
            publication=draft,
        ),
        SiteRequest: SiteRequest.objects.create(
            masterplan=plan,
            title="Metallbau sucht 1,5 ha",
            organization=own,
            area_min_m2=15_000,
            publication=draft,
        ),
    }


def status_link(world: Any) -> str:
    _request, secret = services.request_submit(
        masterplan=world.plan,
        consent=True,
        title="Tischlerei sucht Werkstatt",
        company_name="Tischlerei Kemper",
        area_min_m2=1_500,
    )
    return secret


route_values = {"secret": status_link}
