"""Every write of the land module: pages, the API, the importers and the demo call these.

Geometry arrives as a shapely polygon in EPSG:25832 (the readers and forms convert); the
services store it as WKB with its bounding box and WGS84 centroid, compute a parcel's area from
it and derive the parcel's core zone: the zone that holds most of the parcel (more than half its
area), found among the zones whose bounding box meets the parcel's.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_create_in,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
)
from masterplan.core.services import create_tracked, delete_tracked, update_tracked
from masterplan.directory.models import Organization
from masterplan.land import geometry as geo
from masterplan.land.models import (
    CoreZone,
    Guideline,
    LandSettings,
    MeasureSite,
    Offer,
    Parcel,
    ParcelStatus,
    RequestSource,
    RequestStatus,
    SiteRequest,
    TakeUp,
)
from masterplan.plans.models import Measure

UNSET: Any = object()

# A parcel belongs to the core zone that holds more than this share of its area.
ZONE_SHARE = 0.5


def located(geometry: Any) -> dict[str, Any]:
    """The stored fields of a polygon (or of none)."""
    if geometry is None:
        return dict.fromkeys(
            ("geometry", "min_x", "min_y", "max_x", "max_y", "latitude", "longitude")
        )
    min_x, min_y, max_x, max_y = geo.bbox(geometry)
    latitude, longitude = geo.centroid_wgs84(geometry)
    return {
        "geometry": geo.to_wkb(geometry),
        "min_x": min_x,
        "min_y": min_y,
        "max_x": max_x,
        "max_y": max_y,
        "latitude": latitude,
        "longitude": longitude,
    }


def bbox_meets(bounds: tuple[float, float, float, float], prefix: str = "") -> Q:
    min_x, min_y, max_x, max_y = bounds
    return Q(
        **{
            f"{prefix}min_x__lte": max_x,
            f"{prefix}max_x__gte": min_x,
            f"{prefix}min_y__lte": max_y,
            f"{prefix}max_y__gte": min_y,
        }
    )


def zone_of(masterplan: Masterplan, geometry: Any) -> CoreZone | None:
    """The live core zone holding more than half of the polygon, if any."""
    if geometry is None:
        return None
    candidates = CoreZone.objects.filter(masterplan=masterplan, geometry__isnull=False).filter(
        bbox_meets(geo.bbox(geometry))
    )
    return best_zone(geometry, ((zone, geo.from_wkb(zone.geometry or b"")) for zone in candidates))


def best_zone(geometry: Any, zones: Iterable[tuple[CoreZone, Any]]) -> CoreZone | None:
    """Of the (zone, polygon) pairs, the zone holding more than ZONE_SHARE of `geometry`."""
    area = geo.area_m2(geometry)
    best, best_share = None, ZONE_SHARE
    for zone, shape in zones:
        share = geo.area_m2(geometry.intersection(shape)) / area
        if share > best_share:
            best, best_share = zone, share
    return best


def parcel_geometry(parcel: Parcel) -> Any:
    return geo.from_wkb(parcel.geometry) if parcel.geometry is not None else None


# --- Core zones -----------------------------------------------------------------------------


def zone_create(
    *, actor: Actor, masterplan: Masterplan, geometry: Any = None, **fields: Any
) -> CoreZone:
    ensure(can_manage(actor, masterplan))
    fields.update(located(geometry))
    fields["area_m2"] = geo.area_m2(geometry) if geometry is not None else None
    zone = create_tracked(
        actor=actor,
        model=CoreZone,
        action="land.corezone.created",
        masterplan=masterplan,
        **fields,
    )
    if geometry is not None:
        rederive_zones(actor=actor, masterplan=masterplan, around=geometry)
    return zone


@transaction.atomic
def zone_update(
    *,
    actor: Actor,
    zone: CoreZone,
    version: int | None,
    geometry: Any = UNSET,
    **changes: Any,
) -> CoreZone:
    ensure_can_edit(actor, zone)
    before = geo.from_wkb(zone.geometry) if zone.geometry is not None else None
    if geometry is not UNSET:
        changes.update(located(geometry))
        changes["area_m2"] = geo.area_m2(geometry) if geometry is not None else None
    zone = update_tracked(
        actor=actor, obj=zone, version=version, action="land.corezone.updated", changes=changes
    )
    if geometry is not UNSET:
        for around in (before, geometry):
            if around is not None:
                rederive_zones(actor=actor, masterplan=zone.masterplan, around=around)
        if geometry is None:
            for parcel in Parcel.objects.filter(core_zone=zone):
                set_zone(actor=actor, parcel=parcel, zone=None)
    return zone


def zone_delete(*, actor: Actor, zone: CoreZone, version: int | None) -> None:
    ensure(can_manage(actor, zone.masterplan))
    delete_tracked(actor=actor, obj=zone, version=version, action="land.corezone.deleted")
    for parcel in Parcel.objects.filter(core_zone=zone):
        set_zone(actor=actor, parcel=parcel, zone=zone_of(zone.masterplan, parcel_geometry(parcel)))


def rederive_zones(*, actor: Actor | None, masterplan: Masterplan, around: Any) -> int:
    """Parcels whose bounding box meets `around` get their core zone derived again; returns
    how many changed (each an audited update)."""
    changed = 0
    for parcel in Parcel.objects.filter(masterplan=masterplan, geometry__isnull=False).filter(
        bbox_meets(geo.bbox(around))
    ):
        zone = zone_of(masterplan, parcel_geometry(parcel))
        if (zone.pk if zone else None) != parcel.core_zone_id:
            set_zone(actor=actor, parcel=parcel, zone=zone)
            changed += 1
    return changed


def set_zone(*, actor: Actor | None, parcel: Parcel, zone: CoreZone | None) -> None:
    update_tracked(
        actor=actor,
        obj=parcel,
        version=parcel.version,
        action="land.parcel.updated",
        changes={"core_zone": zone},
    )


# --- Guidelines -------------------------------------------------------------------------------


def guideline_create(
    *, actor: Actor, zone: CoreZone, measures: Iterable[Measure] | None = None, **fields: Any
) -> Guideline:
    ensure_can_edit(actor, zone)
    if fields.get("position") is None:
        fields["position"] = Guideline.objects.filter(zone=zone).count() + 1
    guideline = create_tracked(
        actor=actor,
        model=Guideline,
        action="land.guideline.created",
        masterplan=zone.masterplan,
        zone=zone,
        **fields,
    )
    if measures is not None:
        guideline.measures.set(same_plan_measures(zone.masterplan, measures))
    return guideline


def same_plan_measures(masterplan: Masterplan, measures: Iterable[Measure]) -> list[Measure]:
    chosen = list(measures)
    if any(measure.masterplan_id != masterplan.pk for measure in chosen):
        raise ValidationError({"measures": _("Link measures of this masterplan only.")})
    return chosen


def guideline_update(
    *,
    actor: Actor,
    guideline: Guideline,
    version: int | None,
    measures: Iterable[Measure] | None = None,
    **changes: Any,
) -> Guideline:
    ensure_can_edit(actor, guideline)
    changes.pop("zone", None)
    guideline = update_tracked(
        actor=actor,
        obj=guideline,
        version=version,
        action="land.guideline.updated",
        changes=changes,
    )
    if measures is not None:
        guideline.measures.set(same_plan_measures(guideline.masterplan, measures))
    return guideline


def guideline_delete(*, actor: Actor, guideline: Guideline, version: int | None) -> None:
    ensure_can_edit(actor, guideline)
    delete_tracked(actor=actor, obj=guideline, version=version, action="land.guideline.deleted")


# --- Parcels ----------------------------------------------------------------------------------


def ensure_can_market(actor: Actor, masterplan: Masterplan, organization: Any) -> None:
    """Coordinators record any parcel; a contributor only parcels their organisation markets."""
    ensure(can_create_in(actor, masterplan))
    own = contributor_organization_id(actor, masterplan)
    organization_id = getattr(organization, "pk", organization)
    if own is not None and own != organization_id:
        raise PermissionDenied


def own_organization(masterplan: Masterplan, organization_id: int) -> Any:
    """A contributor's organisation: what they record is marketed by it."""
    return Organization.objects.get(masterplan=masterplan, pk=organization_id)


def parcel_fields(masterplan: Masterplan, geometry: Any, fields: dict[str, Any]) -> None:
    fields.update(located(geometry))
    if geometry is not None:
        fields["area_m2"] = round(geo.area_m2(geometry), 1)
        fields["core_zone"] = zone_of(masterplan, geometry)
    elif not fields.get("area_m2"):
        raise ValidationError({"area_m2": _("Give the area, or the parcel's polygon.")})


def parcel_create(
    *, actor: Actor, masterplan: Masterplan, geometry: Any = None, **fields: Any
) -> Parcel:
    own = contributor_organization_id(actor, masterplan)
    if own is not None and fields.get("marketing_organization") is None:
        fields.pop("marketing_organization_id", None)
        fields["marketing_organization"] = own_organization(masterplan, own)
    ensure_can_market(actor, masterplan, fields.get("marketing_organization"))
    parcel_fields(masterplan, geometry, fields)
    if fields.get("confirmed_on") is None:
        fields["confirmed_on"] = timezone.localdate()  # entered now: confirmed now
    return create_tracked(
        actor=actor, model=Parcel, action="land.parcel.created", masterplan=masterplan, **fields
    )


def parcel_update(
    *,
    actor: Actor,
    parcel: Parcel,
    version: int | None,
    geometry: Any = UNSET,
    **changes: Any,
) -> Parcel:
    ensure_can_edit(actor, parcel)
    if "marketing_organization" in changes:
        ensure_can_market(actor, parcel.masterplan, changes["marketing_organization"])
    if geometry is not UNSET:
        parcel_fields(parcel.masterplan, geometry, changes)
    elif parcel.geometry is not None:
        # Area and core zone follow from the polygon.
        changes.pop("area_m2", None)
        changes.pop("core_zone", None)
    return update_tracked(
        actor=actor, obj=parcel, version=version, action="land.parcel.updated", changes=changes
    )


def parcel_delete(*, actor: Actor, parcel: Parcel, version: int | None) -> None:
    ensure_can_edit(actor, parcel)
    if parcel.take_ups.exists():
        raise ValidationError(
            _("The parcel has take-ups; withdraw it from the reserve instead of deleting it.")
        )
    delete_tracked(actor=actor, obj=parcel, version=version, action="land.parcel.deleted")


def parcel_confirm(*, actor: Actor, parcel: Parcel, version: int | None) -> Parcel:
    """The data has been checked today ("Daten bestätigt")."""
    return parcel_update(
        actor=actor, parcel=parcel, version=version, confirmed_on=timezone.localdate()
    )


# --- Take-up ----------------------------------------------------------------------------------


def take_up_create(
    *, actor: Actor, masterplan: Masterplan, parcel: Parcel | None = None, **fields: Any
) -> TakeUp:
    """Record land taken up. On a parcel of the reserve the parcel is then in use (it leaves
    the reserve from the take-up's day); zone and brownfield flag come from the parcel."""
    ensure(can_manage(actor, masterplan))
    if parcel is not None:
        if parcel.masterplan_id != masterplan.pk:
            raise ValidationError({"parcel": _("The parcel belongs to another masterplan.")})
        fields.setdefault("core_zone", parcel.core_zone)
        fields.setdefault("brownfield", parcel.brownfield)
        if not fields.get("area_m2"):
            fields["area_m2"] = parcel.area_m2
    with transaction.atomic():
        take_up = create_tracked(
            actor=actor,
            model=TakeUp,
            action="land.takeup.created",
            masterplan=masterplan,
            parcel=parcel,
            **fields,
        )
        if parcel is not None and parcel.status in (ParcelStatus.AVAILABLE, ParcelStatus.RESERVED):
            update_tracked(
                actor=actor,
                obj=parcel,
                version=parcel.version,
                action="land.parcel.updated",
                changes={"status": ParcelStatus.IN_USE},
            )
    return take_up


def take_up_update(*, actor: Actor, take_up: TakeUp, version: int | None, **changes: Any) -> TakeUp:
    ensure(can_manage(actor, take_up.masterplan))
    return update_tracked(
        actor=actor, obj=take_up, version=version, action="land.takeup.updated", changes=changes
    )


def take_up_delete(*, actor: Actor, take_up: TakeUp, version: int | None) -> None:
    ensure(can_manage(actor, take_up.masterplan))
    delete_tracked(actor=actor, obj=take_up, version=version, action="land.takeup.deleted")


# --- Site requests ------------------------------------------------------------------------------


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def request_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> SiteRequest:
    ensure(can_create_in(actor, masterplan))
    own = contributor_organization_id(actor, masterplan)
    if own is not None:  # a contributor records requests of their own organisation
        fields.pop("organization_id", None)
        fields["organization"] = own_organization(masterplan, own)
    fields["source"] = RequestSource.STAFF
    return create_tracked(
        actor=actor,
        model=SiteRequest,
        action="land.siterequest.created",
        masterplan=masterplan,
        **fields,
    )


def request_submit(
    *, masterplan: Masterplan, consent: bool, **fields: Any
) -> tuple[SiteRequest, str]:
    """A company's own request through the public form: stored only with its consent. Returns
    the request and the secret of the link on which the company follows its state (only the
    secret's digest is stored)."""
    if not masterplan.is_published:
        raise PermissionDenied
    if not consent:
        raise ValidationError(
            {"consent": _("Agree that your details are stored to handle the request.")}
        )
    secret = secrets.token_urlsafe(24)
    request = create_tracked(
        actor=None,
        model=SiteRequest,
        action="land.siterequest.submitted",
        masterplan=masterplan,
        source=RequestSource.PUBLIC_FORM,
        consent_at=timezone.now(),
        status_token=token_digest(secret),
        **fields,
    )
    return request, secret


def request_for_secret(masterplan: Masterplan, secret: str) -> SiteRequest | None:
    if not secret:
        return None
    return SiteRequest.objects.filter(
        masterplan=masterplan, status_token=token_digest(secret)
    ).first()


def request_update(
    *, actor: Actor, request: SiteRequest, version: int | None, **changes: Any
) -> SiteRequest:
    ensure_can_edit(actor, request)
    for derived in ("source", "consent_at", "status_token"):
        changes.pop(derived, None)
    if changes.get("status") == RequestStatus.PLACED and not (
        changes.get("placed_parcel") or request.placed_parcel_id
    ):
        raise ValidationError({"placed_parcel": _("Name the parcel the company was placed on.")})
    if changes.get("status") and changes["status"] != RequestStatus.LOST:
        changes.setdefault("lost_reason", "")
    return update_tracked(
        actor=actor,
        obj=request,
        version=version,
        action="land.siterequest.updated",
        changes=changes,
    )


def request_delete(*, actor: Actor, request: SiteRequest, version: int | None) -> None:
    ensure_can_edit(actor, request)
    delete_tracked(actor=actor, obj=request, version=version, action="land.siterequest.deleted")


@transaction.atomic
def request_offer(
    *,
    actor: Actor,
    request: SiteRequest,
    parcel: Parcel,
    score: float | None = None,
    note: str = "",
) -> Offer:
    """Record that a parcel was offered to the request; an open request is then "offered"."""
    ensure_can_edit(actor, request)
    if parcel.masterplan_id != request.masterplan_id:
        raise ValidationError({"parcel": _("The parcel belongs to another masterplan.")})
    if Offer.objects.filter(request=request, parcel=parcel).exists():
        raise ValidationError({"parcel": _("This parcel has already been offered.")})
    offer = create_tracked(
        actor=actor,
        model=Offer,
        action="land.offer.created",
        masterplan=request.masterplan,
        request=request,
        parcel=parcel,
        score=score,
        note=note,
    )
    if request.status == RequestStatus.OPEN:
        update_tracked(
            actor=actor,
            obj=request,
            version=request.version,
            action="land.siterequest.updated",
            changes={"status": RequestStatus.OFFERED},
        )
    return offer


# --- Settings and links -----------------------------------------------------------------------


def settings_update(
    *, actor: Actor, masterplan: Masterplan, version: int | None = None, **changes: Any
) -> LandSettings:
    """The plan's matching weights and monitoring parameters (coordinators)."""
    ensure(can_manage(actor, masterplan))
    current = LandSettings.objects.filter(masterplan=masterplan).first()
    if current is None:
        return create_tracked(
            actor=actor,
            model=LandSettings,
            action="land.landsettings.created",
            masterplan=masterplan,
            **changes,
        )
    return update_tracked(
        actor=actor,
        obj=current,
        version=current.version if version is None else version,
        action="land.landsettings.updated",
        changes=changes,
    )


def measure_site_add(
    *,
    actor: Actor,
    measure: Measure,
    core_zone: CoreZone | None = None,
    parcel: Parcel | None = None,
) -> MeasureSite:
    """Say where a measure happens: a core zone, a parcel (its zone follows), or both."""
    ensure_can_edit(actor, measure)
    for place in (core_zone, parcel):
        if place is not None and place.masterplan_id != measure.masterplan_id:
            raise ValidationError(_("The place belongs to another masterplan."))
    if core_zone is None and parcel is not None:
        core_zone = parcel.core_zone
    return create_tracked(
        actor=actor,
        model=MeasureSite,
        action="land.measuresite.created",
        masterplan=measure.masterplan,
        measure=measure,
        core_zone=core_zone,
        parcel=parcel,
        publication=measure.publication,
    )


def measure_site_delete(*, actor: Actor, site: MeasureSite) -> None:
    ensure_can_edit(actor, site.measure)
    delete_tracked(actor=actor, obj=site, version=site.version, action="land.measuresite.deleted")
