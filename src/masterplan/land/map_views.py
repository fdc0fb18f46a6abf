"""The land map: the page with its filters and legend, and the GeoJSON it loads for its box."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from masterplan.core.access import plan_view
from masterplan.core.filters import ListContext
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.land import map_queries, queries
from masterplan.land.models import Availability, ParcelStatus


def map_options(masterplan: Masterplan) -> dict[str, str]:
    """What every map of the plan needs to know (data attributes of its element)."""
    return {
        "data_url": reverse("land:map_data", args=[masterplan.slug]),
        "parcel_url": reverse("land:parcel_detail", args=[masterplan.slug, 0]),
        "zone_url": reverse("land:zone_detail", args=[masterplan.slug, 0]),
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def map_labels() -> dict[str, list[tuple[str, str]]]:
    """The names of the parcel statuses and availabilities: legend and popups."""
    return {
        "status": [(key, str(label)) for key, label in ParcelStatus.choices],
        "availability": [(key, str(label)) for key, label in Availability.choices],
    }


@plan_view(Level.PLAN_VIEW)
def land_map(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Core zones and parcels on a map, with the parcel list's filters; the list is its
    accessible table."""
    filters = queries.PARCELS.form(request.GET, ListContext(request.user, masterplan))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "land/map.html",
        {
            "masterplan": masterplan,
            "filters": filters,
            "table_query": query.urlencode(),
            "bounds": ",".join(
                str(v) for v in map_queries.map_extent(user=request.user, masterplan=masterplan)
            ),
            "map": map_options(masterplan),
            "legend": map_labels(),
        },
    )


@plan_view(Level.PLAN_VIEW)
def map_data(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """GeoJSON (WGS84) of the parcels and core zones in `bbox=west,south,east,north`, simplified
    for `zoom`, filtered like the parcel list. A bad box or zoom answers 400 with the reason."""
    try:
        bbox = map_queries.parse_bbox(request.GET.get("bbox"))
        zoom = map_queries.parse_zoom(request.GET.get("zoom"))
    except map_queries.MapRequestError as error:
        return JsonResponse({"error": str(error)}, status=400)
    filters = queries.PARCELS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    values.pop("per_page", None)
    values.pop("sort", None)
    data = map_queries.map_data(
        user=request.user, masterplan=masterplan, bbox=bbox, zoom=zoom, **values
    )
    response = JsonResponse(data.as_geojson(), json_dumps_params={"separators": (",", ":")})
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, no-cache"
    return response
