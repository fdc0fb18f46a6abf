"""REST API of the land module (mounted at /api/plans): core zones and parcels with their
polygons as GeoJSON in WGS84, take-up and site requests (members), the monitoring figures as of
a day and the ranked matches of a request. The same queries and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import shapely.geometry
from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Schema

from masterplan.core import permissions as perms
from masterplan.core.api import Call, Crud, Operations, TrackedOut, actor, patch_of
from masterplan.core.permissions import Level
from masterplan.land import geometry as geo
from masterplan.land import queries, services
from masterplan.land.forms import polygon_from_geojson
from masterplan.land.models import (
    AreaType,
    Availability,
    CoreZone,
    Owner,
    Parcel,
    ParcelStatus,
    RequestStatus,
    Restriction,
    SectorCategory,
    SiteRequest,
    TakeUp,
    TakeUpKind,
)

ops = Operations(
    "land",
    __name__,
    references={
        "core_zone_id": CoreZone,
        "parcel_id": Parcel,
        "placed_parcel_id": Parcel,
    },
)

GEOMETRY = "Polygon or MultiPolygon as GeoJSON in WGS84 (RFC 7946); stored in EPSG:25832."


def polygon_geojson(obj: Any) -> dict[str, Any] | None:
    if getattr(obj, "geometry", None) is None:
        return None
    return dict(shapely.geometry.mapping(geo.to_wgs84(geo.from_wkb(obj.geometry))))


def with_polygon(data: dict[str, Any]) -> dict[str, Any]:
    """The payload with its GeoJSON polygon converted (a missing key keeps the stored one)."""
    if "geometry" in data:
        given = data.pop("geometry")
        try:
            data["geometry"] = None if given is None else polygon_from_geojson(given)
        except ValidationError as error:
            raise ValidationError({"geometry": error.messages}) from error
    return data


class CoreZoneIn(Schema):
    name: str = Field(max_length=200)
    code: str = Field("", max_length=20)
    profile: str = Field("", max_length=200)
    description: str = ""
    sector_priorities: dict[SectorCategory, str] = Field(
        default_factory=dict, description="Per sector category: preferred, permitted, excluded."
    )
    lead_organization_id: int | None = None
    geometry: dict[str, Any] | None = Field(None, description=GEOMETRY)
    is_sample: bool = False
    external_id: str = ""
    publication: str = "draft"


CoreZonePatch = patch_of(CoreZoneIn)


class CoreZoneOut(TrackedOut):
    name: str
    code: str
    profile: str
    description: str
    sector_priorities: dict[str, str]
    area_m2: float | None
    lead_organization_id: int | None
    latitude: float | None
    longitude: float | None
    geometry: dict[str, Any] | None = Field(description=GEOMETRY)

    @staticmethod
    def resolve_geometry(obj: CoreZone) -> dict[str, Any] | None:
        return polygon_geojson(obj)

    @staticmethod
    def resolve_lead_organization_id(obj: CoreZone, context: dict[str, Any]) -> int | None:
        """Null for a reader who may not see the lead organisation (a draft one): the list
        reads it as a column (`queries.zone_list`), a single zone asks `can_view`."""
        if hasattr(obj, "visible_lead_organization_id"):
            shown: int | None = obj.visible_lead_organization_id
            return shown
        lead = obj.lead_organization
        if lead is None or not perms.can_view(actor(context["request"]), lead):
            return None
        return lead.pk


class ParcelIn(Schema):
    name: str = Field(max_length=200)
    cadastral_reference: str = Field("", max_length=120)
    locality: str = Field("", max_length=120)
    area_m2: float | None = Field(
        None, gt=0, description="Only without a polygon; computed from it otherwise."
    )
    area_type: AreaType
    availability: Availability = Availability.IMMEDIATE
    restriction: Restriction = Restriction.NONE
    restriction_reasons: str = ""
    brownfield: bool = False
    owner: Owner | None = None
    status: ParcelStatus = ParcelStatus.AVAILABLE
    available_from: date | None = None
    price_per_m2: float | None = Field(None, ge=0, le=1_000_000)
    motorway_km: float | None = Field(None, ge=0, le=10_000)
    rail_siding: bool = False
    port_km: float | None = Field(None, ge=0, le=10_000)
    distance_to_housing_m: float | None = Field(None, ge=0, le=1_000_000)
    recorded_on: date | None = None
    withdrawn_on: date | None = None
    confirmed_on: date | None = None
    marketing_organization_id: int | None = None
    geometry: dict[str, Any] | None = Field(None, description=GEOMETRY)
    is_sample: bool = False
    external_id: str = ""
    publication: str = "draft"


ParcelPatch = patch_of(ParcelIn)


class ParcelOut(TrackedOut):
    name: str
    cadastral_reference: str
    locality: str
    core_zone_id: int | None
    area_m2: float
    area_type: str
    availability: str
    restriction: str
    brownfield: bool
    status: str
    available_from: date | None
    horizon: str
    price_per_m2: float | None
    motorway_km: float | None
    rail_siding: bool
    port_km: float | None
    distance_to_housing_m: float | None
    recorded_on: date
    withdrawn_on: date | None
    latitude: float | None
    longitude: float | None
    geometry: dict[str, Any] | None = Field(description=GEOMETRY)

    @staticmethod
    def resolve_geometry(obj: Parcel) -> dict[str, Any] | None:
        return polygon_geojson(obj)


class TakeUpIn(Schema):
    parcel_id: int | None = None
    core_zone_id: int | None = None
    on: date
    area_m2: float | None = Field(None, gt=0, description="Default: the whole parcel.")
    organization_id: int | None = None
    company_name: str = Field("", max_length=200)
    wz_code: str = Field("", max_length=10)
    is_craft: bool = False
    jobs_created: int | None = Field(None, ge=0, le=1_000_000)
    jobs_secured: int | None = Field(None, ge=0, le=1_000_000)
    kind: TakeUpKind = TakeUpKind.NEW
    external_id: str = ""


class TakeUpOut(Schema):
    id: int
    version: int
    parcel_id: int | None
    core_zone_id: int | None
    on: date
    area_m2: float
    organization_id: int | None
    company_name: str
    wz_code: str
    is_craft: bool
    jobs_created: int | None
    jobs_secured: int | None
    kind: str
    brownfield: bool
    external_id: str
    modified_at: datetime


class SiteRequestIn(Schema):
    title: str = Field(max_length=200)
    organization_id: int | None = None
    company_name: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    wz_code: str = Field("", max_length=10)
    sector_category: SectorCategory = SectorCategory.PRODUCTION
    area_min_m2: float = Field(gt=0, le=100_000_000)
    area_max_m2: float | None = Field(None, gt=0, le=100_000_000)
    area_types: list[AreaType] = Field(default_factory=list)
    min_distance_to_housing_m: float | None = Field(None, ge=0, le=1_000_000)
    needs_rail: bool = False
    needs_port: bool = False
    max_motorway_km: float | None = Field(None, ge=0, le=10_000)
    needed_by: date | None = None
    max_price_per_m2: float | None = Field(None, ge=0, le=1_000_000)
    jobs: int | None = Field(None, ge=0, le=1_000_000)
    description: str = ""
    external_id: str = ""


SiteRequestPatch = patch_of(
    SiteRequestIn,
    extra={"status": RequestStatus, "lost_reason": str, "lost_note": str, "placed_parcel_id": int},
)


class SiteRequestOut(Schema):
    id: int
    version: int
    title: str
    organization_id: int | None
    company_name: str
    source: str
    sector_category: str
    wz_code: str
    area_min_m2: float
    area_max_m2: float | None
    area_types: list[str]
    needs_rail: bool
    needs_port: bool
    max_motorway_km: float | None
    needed_by: date | None
    max_price_per_m2: float | None
    jobs: int | None
    status: str
    lost_reason: str
    placed_parcel_id: int | None
    created_at: datetime
    modified_at: datetime


zones = Crud(ops, "core_zone", CoreZone, "/{plan}/land/zones", CoreZoneOut)
zones.list(
    queries.ZONES,
    lambda call, filters: call.query(queries.zone_list, filters)[0],
    doc="Core zones with their outline (GeoJSON, WGS84) and sector profile.",
)


@ops.post("/{plan}/land/zones", CoreZoneOut, Level.PLAN_MANAGE, status=201)
def core_zone_create(call: Call, payload: CoreZoneIn) -> CoreZone:
    """A core zone; parcels inside its outline are assigned to it (coordinators)."""
    data = with_polygon(payload.dict())
    return call.write(services.zone_create, data, masterplan=call.masterplan)


zones.detail()


@ops.patch("/{plan}/land/zones/{pk}", CoreZoneOut, Level.OBJECT_EDIT, CoreZone)
def core_zone_update(call: Call, payload: CoreZonePatch) -> CoreZone:  # type: ignore[valid-type]
    """Change a core zone; a new outline derives its parcels' zones again."""
    version, changes = call.changes(payload)
    return call.write(services.zone_update, with_polygon(changes), zone=call.obj, version=version)


zones.delete(services.zone_delete, Level.PLAN_MANAGE)

parcels = Crud(ops, "parcel", Parcel, "/{plan}/land/parcels", ParcelOut)
parcels.list(
    queries.PARCELS,
    lambda call, filters: call.query(queries.parcel_list, filters)[0].defer(None),
    doc="Parcels of the reserve with the filters of the list page; polygons in WGS84.",
)


@ops.post("/{plan}/land/parcels", ParcelOut, Level.PLAN_CREATE, status=201)
def parcel_create(call: Call, payload: ParcelIn) -> Parcel:
    """A parcel; area and core zone follow from its polygon (contributors: parcels their
    organisation markets)."""
    data = with_polygon(payload.dict())
    for optional in ("area_m2", "recorded_on", "owner"):
        if data.get(optional) is None:
            data.pop(optional)
    if "owner" not in data:
        data["owner"] = ""
    return call.write(services.parcel_create, data, masterplan=call.masterplan)


parcels.detail()


@ops.patch("/{plan}/land/parcels/{pk}", ParcelOut, Level.OBJECT_EDIT, Parcel)
def parcel_update(call: Call, payload: ParcelPatch) -> Parcel:  # type: ignore[valid-type]
    """Change a parcel; a new polygon recomputes its area and core zone."""
    version, changes = call.changes(payload)
    return call.write(
        services.parcel_update, with_polygon(changes), parcel=call.obj, version=version
    )


parcels.delete(services.parcel_delete)

take_ups = Crud(ops, "take_up", TakeUp, "/{plan}/land/take-ups", TakeUpOut)
take_ups.list(
    queries.TAKE_UPS,
    lambda call, filters: call.query(queries.take_up_list, filters)[0],
    doc="Take-up records (members of the plan; the public sees the sums on the dashboard).",
    level=Level.PLAN_MEMBER,
)
take_ups.create(TakeUpIn, services.take_up_create, Level.PLAN_MANAGE)

requests = Crud(ops, "site_request", SiteRequest, "/{plan}/land/requests", SiteRequestOut)
requests.list(
    queries.REQUESTS,
    lambda call, filters: call.query(queries.request_list, filters)[0],
    doc="Site requests (members of the plan).",
    level=Level.PLAN_MEMBER,
)
requests.create(SiteRequestIn, services.request_create, Level.PLAN_CREATE)
requests.detail()
requests.update(SiteRequestPatch, services.request_update)
requests.delete(services.request_delete)


class AvailabilityOut(Schema):
    years: int
    on: date
    supply_m2: float
    demand_m2: float


class FiguresOut(Schema):
    as_of: date
    years: int
    reserve_parcels: int
    gross_reserve_m2: float
    net_reserve_m2: float
    restriction_share: float | None
    annual_take_up_m2: float
    reach_net_years: float | None = Field(description="N / Ā; null when Ā = 0.")
    reach_gross_years: float | None = Field(description="G / Ā; null when Ā = 0.")
    brownfield_share: float | None
    production_or_craft_share: float | None
    jobs_per_ha: float | None
    availability: list[AvailabilityOut]
    first_shortfall_year: int | None


class ZoneFiguresOut(FiguresOut):
    core_zone_id: int
    core_zone_name: str


class DashboardOut(Schema):
    figures: FiguresOut
    zones: list[ZoneFiguresOut]


class AsOf(Schema):
    as_of: date | None = Field(None, description="Default: today. The data as it stood then.")


@ops.get("/{plan}/land/figures", DashboardOut, Level.PLAN_VIEW)
def land_figures(call: Call, filters: Query[AsOf]) -> dict[str, Any]:
    """Reserve, take-up and reach of the plan and of each core zone, as of a day."""
    today = timezone.localdate()
    as_of = min(filters.as_of or today, today)
    board = queries.land_dashboard(user=call.user, masterplan=call.masterplan, as_of=as_of)
    return {
        "figures": board.figures,
        "zones": [
            {**row.figures.__dict__, "core_zone_id": row.zone.pk, "core_zone_name": row.zone.name}
            for row in board.zones
        ],
    }


class CriterionOut(Schema):
    key: str
    label: str
    value: float
    weight: float
    contribution: float
    reason: str


class MatchOut(Schema):
    parcel_id: int
    parcel_name: str
    rank: int
    score: float
    criteria: list[CriterionOut]


class RejectionOut(Schema):
    parcel_id: int
    rule: str
    message: str


class MatchesOut(Schema):
    matches: list[MatchOut]
    rejected: list[RejectionOut]
    rejection_counts: dict[str, int]
    weights: dict[str, float]


@ops.get("/{plan}/land/requests/{pk}/matches", MatchesOut, Level.OBJECT_VIEW, SiteRequest)
def request_matches(call: Call) -> dict[str, Any]:
    """The parcels for a request, ranked, with the reason for every criterion; the rejected
    ones with the first rule that excluded them (the first 20 of each)."""
    found = queries.request_matches(user=call.user, request=call.obj)
    return {
        "matches": [
            {
                "parcel_id": match.parcel_id,
                "parcel_name": parcel.name,
                "rank": match.rank,
                "score": match.score,
                "criteria": [criterion.__dict__ for criterion in match.criteria],
            }
            for match, parcel in found.matches
        ],
        "rejected": [rejection.__dict__ for rejection, _parcel in found.rejections],
        "rejection_counts": found.result.rejection_counts(),
        "weights": found.result.weights.as_dict(),
    }
