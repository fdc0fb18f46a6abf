"""Reads of the land map: what lies in the box the map shows, simplified for its zoom.

The map asks for its visible box (WGS84) and zoom. The bounding-box columns narrow the rows in
SQL before any geometry is read; a box holding more parcels than `FEATURE_CAP` is answered with
clusters of their centroids instead of polygons, so that a state's 50,000 parcels never become
one document of 50 MB. Every answer runs the same few queries, however many rows it covers.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from shapely.geometry import box as shapely_box

from masterplan.core.actors import Actor
from masterplan.core.filters import ListContext
from masterplan.core.models import Masterplan
from masterplan.land import geometry as geo
from masterplan.land.models import CoreZone, Parcel
from masterplan.land.queries import PARCELS

FEATURE_CAP = 5_000  # polygons per answer; above it, clusters of centroids
ZONE_CAP = 2_000  # core-zone outlines per answer (a state has about 2,000)
CLUSTER_GRID = 48  # cells per side of the box when parcels are clustered
MIN_ZOOM, MAX_ZOOM = 0, 22
# Where the map opens when there is nothing to show: Düsseldorf.
DEFAULT_BOUNDS = (6.68, 51.12, 6.94, 51.29)

WGS84Box = tuple[float, float, float, float]  # west, south, east, north


class MapRequestError(ValueError):
    """A map request the server cannot answer (bad box or zoom); the message says why."""


@dataclass(frozen=True)
class MapData:
    parcels: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    parcel_count: int
    clustered: bool

    def as_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection (RFC 7946); `parcel_count` and `clustered` are foreign
        members that tell the map what it got."""
        return {
            "type": "FeatureCollection",
            "features": [*self.zones, *self.parcels],
            "parcel_count": self.parcel_count,
            "clustered": self.clustered,
        }


def parse_bbox(value: str | None) -> WGS84Box:
    """`west,south,east,north` in degrees, as Leaflet's `getBounds().toBBoxString()` writes it;
    none given: the box around Germany. Clipped to Germany, where all the data lies."""
    if not value:
        return geo.GERMANY_WGS84
    parts = value.split(",")
    if len(parts) != 4:
        raise MapRequestError("bbox must be four numbers: west,south,east,north (WGS84).")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as error:
        raise MapRequestError("bbox must be four numbers: west,south,east,north.") from error
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise MapRequestError("bbox must be finite numbers.")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise MapRequestError(
            "bbox must be west,south,east,north in degrees, west < east and south < north."
        )
    gw, gs, ge, gn = geo.GERMANY_WGS84
    return (max(west, gw), max(south, gs), min(east, ge), min(north, gn))


def parse_zoom(value: str | None) -> int:
    """The map's zoom level, a whole number from 0 to 22 (none given: 12)."""
    if not value:
        return 12
    try:
        zoom = int(value)
    except ValueError as error:
        raise MapRequestError("zoom must be a whole number from 0 to 22.") from error
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise MapRequestError("zoom must be a whole number from 0 to 22.")
    return zoom


def in_box(box: tuple[float, float, float, float]) -> Q:
    """Rows whose bounding box meets the EPSG:25832 box (the index columns, no geometry)."""
    minx, miny, maxx, maxy = box
    return Q(min_x__lte=maxx, max_x__gte=minx, min_y__lte=maxy, max_y__gte=miny)


def filtered_parcels(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Parcel]:
    """The parcels the user may see, narrowed by the parcel list's filters."""
    context = ListContext(user=user, masterplan=masterplan)
    return PARCELS.apply(PARCELS.rows(context), filters, context)


def map_data(
    *, user: Actor, masterplan: Masterplan, bbox: WGS84Box, zoom: int, **filters: Any
) -> MapData:
    """Parcels (filtered as on the list page) and core zones in the box, for the map at `zoom`.

    Three queries: the number of parcels in the box, then either their geometries or (above
    `FEATURE_CAP`) their centroids, and the zones' geometries."""
    west, south, east, north = bbox
    if west >= east or south >= north:  # outside Germany: nothing there
        return MapData(parcels=[], zones=[], parcel_count=0, clustered=False)
    box = geo.bbox_from_wgs84(bbox)
    parcels = filtered_parcels(user=user, masterplan=masterplan, **filters).filter(
        in_box(box), geometry__isnull=False
    )
    count = parcels.count()
    clustered = count > FEATURE_CAP
    return MapData(
        parcels=clusters(parcels, bbox) if clustered else parcel_features(parcels, zoom),
        zones=zone_features(user=user, masterplan=masterplan, box=box, zoom=zoom),
        parcel_count=count,
        clustered=clustered,
    )


def parcel_features(parcels: QuerySet[Parcel], zoom: int) -> list[dict[str, Any]]:
    rows = parcels.order_by("id").values_list(
        "id", "name", "status", "availability", "area_type", "area_m2", "geometry"
    )
    return [
        feature(
            geometry,
            zoom,
            kind="parcel",
            id=pk,
            name=name,
            status=status,
            availability=availability,
            area_type=area_type,
            area_m2=round(area or 0),
        )
        for pk, name, status, availability, area_type, area, geometry in rows
    ]


def zone_features(
    *, user: Actor, masterplan: Masterplan, box: tuple[float, float, float, float], zoom: int
) -> list[dict[str, Any]]:
    rows = (
        CoreZone.objects.visible_to(user, masterplan)
        .filter(in_box(box), geometry__isnull=False)
        .order_by("id")
        .values_list("id", "name", "geometry")[:ZONE_CAP]
    )
    return [feature(geometry, zoom, kind="zone", id=pk, name=name) for pk, name, geometry in rows]


def feature(geometry: bytes | memoryview | None, zoom: int, **properties: Any) -> dict[str, Any]:
    assert geometry is not None  # the queries ask for rows with a geometry
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geo.map_geometry(geo.from_wkb(geometry), zoom=zoom),
    }


def clusters(parcels: QuerySet[Parcel], bbox: WGS84Box) -> list[dict[str, Any]]:
    """Point features, one per occupied cell of a CLUSTER_GRID × CLUSTER_GRID grid over the
    box, at the mean centroid of its parcels, with their number (`count`)."""
    west, south, east, north = bbox
    width, height = (east - west) / CLUSTER_GRID, (north - south) / CLUSTER_GRID
    counts: Counter[tuple[int, int]] = Counter()
    sums: dict[tuple[int, int], list[float]] = {}
    for lat, lon in parcels.values_list("latitude", "longitude").iterator(chunk_size=10_000):
        if lat is None or lon is None:
            continue
        cell = (
            min(int((lon - west) / width), CLUSTER_GRID - 1),
            min(int((lat - south) / height), CLUSTER_GRID - 1),
        )
        counts[cell] += 1
        total = sums.setdefault(cell, [0.0, 0.0])
        total[0] += lon
        total[1] += lat
    return [
        {
            "type": "Feature",
            "properties": {"kind": "cluster", "count": n},
            "geometry": {
                "type": "Point",
                "coordinates": [round(sums[cell][0] / n, 6), round(sums[cell][1] / n, 6)],
            },
        }
        for cell, n in sorted(counts.items())
    ]


def map_extent(*, user: Actor, masterplan: Masterplan) -> WGS84Box:
    """The WGS84 box around the zones and parcels the user may see (where the map opens)."""
    boxes = [
        model.objects.visible_to(user, masterplan).aggregate(
            minx=Min("min_x"), miny=Min("min_y"), maxx=Max("max_x"), maxy=Max("max_y")
        )
        for model in (CoreZone, Parcel)
    ]
    found = [b for b in boxes if b["minx"] is not None]
    if not found:
        return DEFAULT_BOUNDS
    box = (
        min(b["minx"] for b in found),
        min(b["miny"] for b in found),
        max(b["maxx"] for b in found),
        max(b["maxy"] for b in found),
    )
    return extent_wgs84(box)


def extent_wgs84(box: tuple[float, float, float, float]) -> WGS84Box:
    west, south, east, north = geo.to_wgs84(shapely_box(*box)).bounds
    return (round(west, 6), round(south, 6), round(east, 6), round(north, 6))
