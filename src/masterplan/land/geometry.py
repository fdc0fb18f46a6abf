"""Geometry of core zones and parcels, free of Django models.

Geometries are stored in EPSG:25832 (ETRS89 / UTM zone 32N, the official system of
North Rhine-Westphalia) as WKB bytes, so that areas and distances are planar metres. The map and
GeoJSON speak WGS84 (EPSG:4326, longitude first); the transformers between the two are built once
from pyproj's bundled database (no grid is ever downloaded).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import shapely
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

STORAGE_SRID = 25832
WGS84_SRID = 4326

# Germany with a margin of a few kilometres (Germany spans 5.87–15.04° E, 47.27–55.06° N). The
# check compares a geometry's EPSG:25832 bounds with this box transformed into EPSG:25832, so it
# is a coarse "is this anywhere near Germany" test that catches wrong coordinate systems and
# swapped axes, not a border test.
GERMANY_WGS84 = (5.8, 47.2, 15.1, 55.1)

MIN_AREA_M2 = 1.0
MAX_AREA_M2 = 50_000_000.0  # 50 km²: larger than any core zone, let alone a parcel
OVERLAP_TOLERANCE_M2 = 1.0

# Ground resolution of a Web Mercator tile pyramid (256 px tiles) at the equator, metres per pixel
# at zoom 0; at latitude φ it is multiplied by cos φ. Düsseldorf lies at about 51.2° N.
_EQUATOR_M_PER_PX = 156_543.033_928
_MAP_LATITUDE = 51.2


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(STORAGE_SRID, WGS84_SRID, always_xy=True)


@cache
def _from_wgs84() -> Transformer:
    return Transformer.from_crs(WGS84_SRID, STORAGE_SRID, always_xy=True)


def _transform(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def apply(coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))

    return shapely.transform(geom, apply)


def to_wkb(geom: BaseGeometry) -> bytes:
    """The geometry as WKB (2D, EPSG:25832 coordinates as they are; the SRID is implied)."""
    data: bytes = shapely.to_wkb(geom, output_dimension=2)
    return data


def from_wkb(data: bytes | memoryview) -> BaseGeometry:
    """The stored polygon (PostgreSQL hands binary columns over as memoryview)."""
    geom: BaseGeometry = shapely.from_wkb(bytes(data))
    return geom


def bbox(geom: BaseGeometry) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) in the geometry's own coordinates."""
    minx, miny, maxx, maxy = geom.bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def area_m2(geom: BaseGeometry) -> float:
    """Planar area in square metres of a geometry in EPSG:25832 (UTM: scale error < 0.1 %)."""
    return float(geom.area)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:25832 → WGS84 (x = longitude, y = latitude)."""
    return _transform(geom, _to_wgs84())


def from_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 (x = longitude, y = latitude) → EPSG:25832."""
    return _transform(geom, _from_wgs84())


def centroid_wgs84(geom: BaseGeometry) -> tuple[float, float]:
    """(latitude, longitude) of the planar centroid of a geometry in EPSG:25832."""
    point = geom.centroid
    lon, lat = _to_wgs84().transform(point.x, point.y)
    return (float(lat), float(lon))


def bbox_from_wgs84(
    bounds: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """A WGS84 box (west, south, east, north), as the map sends it, as an EPSG:25832 box that
    contains it (edges densified, so the curved edges of the transformed box are included)."""
    minx, miny, maxx, maxy = _from_wgs84().transform_bounds(*bounds, densify_pts=21)
    return (float(minx), float(miny), float(maxx), float(maxy))


@cache
def germany_bbox_25832() -> tuple[float, float, float, float]:
    return bbox_from_wgs84(GERMANY_WGS84)


def shown_number(value: float, decimals: int, *, grouping: bool = False) -> str:
    """A number as the interface language writes it (German: 7.500,5)."""
    # Django's number_format cuts off the further decimals; round first.
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=grouping)


def _where(x: float, y: float) -> str:
    lon, lat = _to_wgs84().transform(x, y)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return _("at E %(x)s, N %(y)s") % {"x": shown_number(x, 1), "y": shown_number(y, 1)}
    return _("at E %(x)s, N %(y)s (latitude %(lat)s, longitude %(lon)s)") % {
        "x": shown_number(x, 1),
        "y": shown_number(y, 1),
        "lat": shown_number(lat, 6),
        "lon": shown_number(lon, 6),
    }


def _validity_message(geom: BaseGeometry, *, label: str) -> str:
    explanation = explain_validity(geom)
    reason, _bracket, rest = explanation.partition("[")
    location = ""
    if rest:
        try:
            x, y = (float(part) for part in rest.rstrip("]").split()[:2])
            location = " " + _where(x, y)
        except ValueError:
            location = ""
    if reason.strip() in ("Self-intersection", "Ring Self-intersection"):
        return _("%(label)s: the outline crosses itself%(location)s.") % {
            "label": label,
            "location": location,
        }
    return _("%(label)s: the polygon is not valid (%(reason)s)%(location)s.") % {
        "label": label,
        "reason": reason.strip(),
        "location": location,
    }


def _middle(geom: BaseGeometry) -> tuple[float, float]:
    minx, miny, maxx, maxy = bbox(geom)
    return ((minx + maxx) / 2, (miny + maxy) / 2)


def _inside_germany(geom: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    gminx, gminy, gmaxx, gmaxy = germany_bbox_25832()
    return bool(gminx <= minx and maxx <= gmaxx and gminy <= miny and maxy <= gmaxy)


def _plausible(geom: BaseGeometry) -> bool:
    """The quick answer for the common case: nothing to report."""
    return bool(
        not geom.is_empty
        and geom.is_valid
        and _inside_germany(geom)
        and MIN_AREA_M2 <= geom.area <= MAX_AREA_M2
    )


def check_polygon(geom: BaseGeometry, *, label: str | Callable[[], str]) -> list[str]:
    """What is wrong with a polygon in EPSG:25832, one message per problem; empty if nothing.

    `label` names the feature in the messages ("Feature 3 (GE_1)"); a callable is called only
    when there is something to say (a reader of 50,000 features saves translating 50,000
    labels). Checked: a Polygon or
    MultiPolygon, not empty, valid (no self-intersection, closed rings, holes inside), inside
    the box around Germany (GERMANY_WGS84), and an area between 1 m² and 50 km².
    """
    if isinstance(geom, (Polygon, MultiPolygon)) and _plausible(geom):
        return []
    if callable(label):
        label = label()
    if not isinstance(geom, (Polygon, MultiPolygon)):
        return [
            _("%(label)s: a %(type)s is not a polygon; only Polygon and MultiPolygon are read.")
            % {"label": label, "type": geom.geom_type}
        ]
    if geom.is_empty:
        return [_("%(label)s: the polygon is empty.") % {"label": label}]
    problems = []
    if not geom.is_valid:
        problems.append(_validity_message(geom, label=label))
    if not _inside_germany(geom):
        problems.append(
            _("%(label)s: the polygon lies outside Germany (%(where)s) — wrong coordinates?")
            % {"label": label, "where": _where(*_middle(geom))}
        )
    elif geom.is_valid:
        area = area_m2(geom)
        if area < MIN_AREA_M2:
            problems.append(
                _("%(label)s: an area of %(area)s m² is implausibly small (at least 1 m²).")
                % {"label": label, "area": shown_number(area, 2)}
            )
        elif area > MAX_AREA_M2:
            problems.append(
                _("%(label)s: an area of %(area)s km² is implausibly large (at most 50 km²).")
                % {"label": label, "area": shown_number(area / 1e6, 1, grouping=True)}
            )
    return problems


def overlaps(
    geoms: Sequence[BaseGeometry], *, tolerance_m2: float = OVERLAP_TOLERANCE_M2
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, overlap in m²) with i < j of polygons whose interiors overlap by more than
    `tolerance_m2`. Neighbours that only share an edge do not count. An STRtree finds the
    candidate pairs by bounding box, so 50,000 parcels take seconds."""
    if len(geoms) < 2:
        return []
    array = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(array)
    left, right = tree.query(array, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    # Only pairs whose interiors meet, before the (costlier) intersection.
    inner = shapely.relate_pattern(array[left], array[right], "T********")
    left, right = left[inner], right[inner]
    areas = shapely.area(shapely.intersection(array[left], array[right]))
    found = areas > tolerance_m2
    return [
        (int(i), int(j), float(a))
        for i, j, a in zip(left[found], right[found], areas[found], strict=True)
    ]


def simplify_tolerance_m(zoom: int) -> float:
    """Simplification tolerance for a map zoom level: half a screen pixel in metres at
    Düsseldorf's latitude (zoom 10: 48 m, zoom 14: 3 m, zoom 17: 0.37 m), so that the
    simplification cannot be seen on screen."""
    metres_per_px = _EQUATOR_M_PER_PX * math.cos(math.radians(_MAP_LATITUDE)) / 2**zoom
    return float(metres_per_px / 2)


def _rounded(coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.round(coords, 6)


def map_geometry(geom: BaseGeometry, *, zoom: int) -> dict[str, Any]:
    """A GeoJSON geometry for the map: simplified for `zoom` (topology kept, so a polygon never
    vanishes or crosses itself), in WGS84, coordinates rounded to 6 decimals (about 0.1 m)."""
    simple = shapely.simplify(geom, simplify_tolerance_m(zoom), preserve_topology=True)
    wgs84 = shapely.transform(to_wgs84(simple), _rounded)
    result: dict[str, Any] = mapping(wgs84)
    return result


def simplified_geojson(
    items: Sequence[tuple[dict[str, Any], BaseGeometry]], *, zoom: int
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946, WGS84) of (properties, EPSG:25832 geometry) pairs
    for the map at `zoom`; callers first narrow the items to the visible box (`BBoxIndex`)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": properties, "geometry": map_geometry(geom, zoom=zoom)}
            for properties, geom in items
        ],
    }


@dataclass(frozen=True)
class BBoxIndex:
    """Answers "which geometries lie in this box" for map requests, with an STRtree built once
    over EPSG:25832 geometries (or their bounding boxes) and keys of the caller's choosing."""

    keys: tuple[Any, ...]
    tree: shapely.STRtree

    @classmethod
    def build(cls, keys: Sequence[Any], geoms: Sequence[BaseGeometry]) -> BBoxIndex:
        return cls(keys=tuple(keys), tree=shapely.STRtree(np.asarray(geoms, dtype=object)))

    @classmethod
    def from_bboxes(
        cls, keys: Sequence[Any], boxes: Sequence[tuple[float, float, float, float]]
    ) -> BBoxIndex:
        """From bounding-box columns, without loading the geometries."""
        geoms = shapely.box(*np.asarray(boxes, dtype=float).reshape(-1, 4).T)
        return cls(keys=tuple(keys), tree=shapely.STRtree(geoms))

    def within(self, box: tuple[float, float, float, float]) -> list[Any]:
        """Keys of the geometries that intersect the EPSG:25832 box, in the order given."""
        found = sorted(int(i) for i in self.tree.query(shapely.box(*box)))
        return [self.keys[i] for i in found]

    def within_wgs84(self, box: tuple[float, float, float, float]) -> list[Any]:
        """The same for a map's WGS84 box (west, south, east, north)."""
        return self.within(bbox_from_wgs84(box))
