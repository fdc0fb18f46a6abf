"""Land's panels on the pages of other modules (see core/panels.py): where a measure happens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.panels import register_object_panel
from masterplan.land.models import CoreZone, MeasureSite, Parcel


@register_object_panel(
    "land.measure_sites", on="plans.measure", template="land/_measure_sites.html"
)
def measure_sites(
    request: HttpRequest, masterplan: Masterplan, measure: Any
) -> dict[str, Any] | None:
    """On a measure's page: the core zones and parcels it happens in (none: no panel)."""
    user = request.user
    sites = list(
        MeasureSite.objects.visible_to(user, masterplan)
        .filter(measure=measure)
        .select_related("core_zone", "parcel")
    )
    if not sites:
        return None
    zones = set(
        CoreZone.objects.visible_to(user, masterplan)
        .filter(pk__in=[site.core_zone_id for site in sites if site.core_zone_id])
        .values_list("pk", flat=True)
    )
    parcels = set(
        Parcel.objects.visible_to(user, masterplan)
        .filter(pk__in=[site.parcel_id for site in sites if site.parcel_id])
        .values_list("pk", flat=True)
    )
    places = [
        (
            site.core_zone if site.core_zone_id in zones else None,
            site.parcel if site.parcel_id in parcels else None,
        )
        for site in sites
    ]
    shown = [(zone, parcel) for zone, parcel in places if zone or parcel]
    return {"measure_sites": shown, "masterplan": masterplan} if shown else None
