"""Geometry of core zones and parcels: EPSG:25832 polygons as WKB (stand-in until the full
module lands; the names and meanings below are the contract)."""

from __future__ import annotations

from functools import cache
from typing import Any

import shapely
from pyproj import Transformer


@cache
def transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_wkb(geom: Any) -> bytes:
    return bytes(shapely.to_wkb(geom))


def from_wkb(data: bytes | memoryview) -> Any:
    return shapely.from_wkb(bytes(data))


def bbox(geom: Any) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = geom.bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def area_m2(geom: Any) -> float:
    return float(geom.area)


def to_wgs84(geom: Any) -> Any:
    return shapely.transform(geom, transformer(25832, 4326).transform, interleaved=False)


def from_wgs84(geom: Any) -> Any:
    return shapely.transform(geom, transformer(4326, 25832).transform, interleaved=False)


def centroid_wgs84(geom: Any) -> tuple[float, float]:
    point = geom.representative_point()
    lon, lat = transformer(25832, 4326).transform(point.x, point.y)
    return float(lat), float(lon)


def check_polygon(geom: Any, *, label: str) -> list[str]:
    from django.utils.translation import gettext as _

    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        return [_("%(label)s is not a polygon.") % {"label": label}]
    if not geom.is_valid:
        return [_("%(label)s is invalid or intersects itself.") % {"label": label}]
    return []
