"""GeoJSON (RFC 7946) FeatureCollections of core zones and parcels."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from masterplan.land.geometry import check_polygon, from_wgs84
from masterplan.land.readers.common import (
    Feature,
    Problems,
    ReadError,
    check_features,
    epsg_code,
    feature_label,
    is_crs84,
)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
_POLYGONS = ("Polygon", "MultiPolygon")


def _crs_name(document: dict[str, Any]) -> str | None:
    """The name in a legacy (GeoJSON 2008) `crs` member, "" if it has an unnamed one."""
    crs = document.get("crs")
    if crs is None:
        return None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = crs["properties"].get("name")
        if isinstance(name, str):
            return name
    return ""


def _positions(coordinates: Any) -> list[tuple[float, float]]:
    """All positions in nested coordinate arrays (ValueError if they are not numbers)."""
    if (
        isinstance(coordinates, list)
        and coordinates
        and all(
            isinstance(value, (int, float)) and not isinstance(value, bool) for value in coordinates
        )
    ):
        if len(coordinates) < 2:
            raise ValueError
        return [(float(coordinates[0]), float(coordinates[1]))]
    if not isinstance(coordinates, list):
        raise ValueError
    found: list[tuple[float, float]] = []
    for part in coordinates:
        found.extend(_positions(part))
    return found


def _geometry(
    raw: Any, *, label: Callable[[], str], projected: bool
) -> tuple[BaseGeometry | None, list[str]]:
    if not isinstance(raw, dict) or raw.get("type") is None:
        return None, [_("%(label)s has no geometry.") % {"label": label()}]
    kind = raw.get("type")
    if kind not in _POLYGONS:
        return None, [
            _("%(label)s: a %(type)s is not a polygon; only Polygon and MultiPolygon are read.")
            % {"label": label(), "type": str(kind)}
        ]
    try:
        positions = _positions(raw.get("coordinates"))
    except (ValueError, RecursionError):
        return None, [
            _("%(label)s: the coordinates are not lists of numbers.") % {"label": label()}
        ]
    if not all(math.isfinite(x) and math.isfinite(y) for x, y in positions):
        return None, [
            _("%(label)s: the coordinates are not lists of numbers.") % {"label": label()}
        ]
    if not projected:
        outside = next(
            ((x, y) for x, y in positions if not (-180 <= x <= 180 and -90 <= y <= 90)), None
        )
        if outside is not None:
            return None, [
                _(
                    "%(label)s: the coordinates %(x)s, %(y)s are no longitude and latitude; they "
                    "look like projected coordinates — wrong CRS? GeoJSON is read in WGS84 "
                    "(longitude, latitude) or with a crs member naming EPSG:25832."
                )
                % {"label": label(), "x": f"{outside[0]:.10g}", "y": f"{outside[1]:.10g}"}
            ]
    try:
        geom = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        return None, [
            _("%(label)s: the polygon cannot be built (%(reason)s).")
            % {"label": label(), "reason": str(error)}
        ]
    if not projected:
        geom = from_wgs84(geom)
    return geom, []


def read_geojson(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, check_overlaps: bool = True
) -> list[Feature]:
    """The polygons of a GeoJSON FeatureCollection, in EPSG:25832; all of them or ReadError.

    Coordinates are WGS84 (longitude, latitude) as RFC 7946 says; a legacy `crs` member naming
    EPSG:25832 (or OGC CRS84) is accepted, any other CRS refused. Only Polygon and MultiPolygon
    features are read; each is checked with `check_polygon`, and polygons overlapping each other
    are refused unless `check_overlaps` is False.
    """
    if len(data) > max_bytes:
        raise ReadError.single(
            _("The file has %(size)s; at most %(max)s are read.")
            % {"size": filesizeformat(len(data)), "max": filesizeformat(max_bytes)}
        )
    if not data.strip():
        raise ReadError.single(_("The file is empty."))
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise ReadError.single(_("The file is not text in UTF-8, so it is no GeoJSON.")) from None
    except json.JSONDecodeError as error:
        raise ReadError.single(
            _("The file is not JSON: %(reason)s (column %(column)s).")
            % {"reason": error.msg, "column": error.colno},
            line=error.lineno,
        ) from None
    except RecursionError:
        raise ReadError.single(_("The file is nested too deeply to be GeoJSON.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise ReadError.single(
            _("The file is no GeoJSON FeatureCollection (its type is “%(type)s”).")
            % {"type": str(found)}
        )
    crs = _crs_name(document)
    projected = False
    if crs is not None:
        if epsg_code(crs) == 25832:
            projected = True
        elif not is_crs84(crs):
            raise ReadError.single(
                _(
                    "The file names the coordinate reference system “%(crs)s”; GeoJSON is read "
                    "in WGS84 (longitude, latitude) or EPSG:25832 (ETRS89 / UTM 32N)."
                )
                % {"crs": crs}
            )
    raw_features = document.get("features")
    if not isinstance(raw_features, list):
        raise ReadError.single(_("The FeatureCollection has no list of features."))
    if not raw_features:
        raise ReadError.single(_("The FeatureCollection has no features."))

    problems = Problems()
    features: list[Feature] = []
    for index, raw in enumerate(raw_features, start=1):
        # Each feature's parsed JSON is freed once it is read: the polygons take its place.
        raw_features[index - 1] = None
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.add(
                _("%(label)s is not a GeoJSON Feature.") % {"label": feature_label(index, "")},
                index=index,
            )
            continue
        ref = raw.get("id")
        ref = "" if ref is None or isinstance(ref, (dict, list)) else str(ref)

        def label(index: int = index, ref: str = ref) -> str:
            return feature_label(index, ref)

        properties = raw.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            problems.add(
                _("%(label)s: its properties are not an object.") % {"label": label()},
                index=index,
                ref=ref,
            )
            continue
        geom, messages = _geometry(raw.get("geometry"), label=label, projected=projected)
        if geom is not None:
            messages = check_polygon(geom, label=label)
        for message in messages:
            problems.add(message, index=index, ref=ref)
        if geom is not None and not messages:
            features.append(Feature(index=index, ref=ref, properties=properties, geometry=geom))
    check_features(features, problems, check_overlaps=check_overlaps)
    problems.raise_if_any()
    return features
