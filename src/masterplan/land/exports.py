"""Parcels and core zones as GeoJSON (RFC 7946, WGS84): what the list shows the user, with
its filters, in the properties of the GeoJSON import (so a file exported can be imported
again), plus the derived area and core zone. The CSV and Excel exports of parcels and take-up
are the framework's (core/import_views.py, with the importers' columns)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, cast

import numpy as np
import shapely
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from shapely.geometry import mapping

from masterplan.core.access import plan_view
from masterplan.core.audit import jsonable
from masterplan.core.exports import CHUNK_ROWS, export_filename
from masterplan.core.imports import get_importer
from masterplan.core.imports.importer import ModelImporter
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.land import geometry as geo
from masterplan.land.models import CoreZone, Parcel

CONTENT_TYPE = "application/geo+json"


def rounded(coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.round(coords, 7)  # about 1 cm


def feature(importer: ModelImporter, obj: Any, extra: dict[str, Any]) -> dict[str, Any]:
    properties = {c.name: jsonable(importer.export_value(obj, c)) for c in importer.columns}
    properties.update(extra)
    geometry = None
    if obj.geometry is not None:
        geometry = mapping(shapely.transform(geo.to_wgs84(geo.from_wkb(obj.geometry)), rounded))
    found: dict[str, Any] = {"type": "Feature", "properties": properties, "geometry": geometry}
    if obj.external_id:
        found["id"] = obj.external_id
    return found


def geojson_stream(importer: ModelImporter, objects: Iterable[Any], extra: Any) -> Iterator[bytes]:
    """A FeatureCollection, one feature a line, without holding the list in memory."""
    yield b'{"type": "FeatureCollection", "features": ['
    separator = b"\n"
    for obj in objects:
        yield (
            separator + json.dumps(feature(importer, obj, extra(obj)), ensure_ascii=False).encode()
        )
        separator = b",\n"
    yield b"\n]}\n"


def parcel_properties(parcel: Parcel) -> dict[str, Any]:
    return {
        "area_m2": parcel.area_m2,
        "core_zone": parcel.core_zone.name if parcel.core_zone_id and parcel.core_zone else "",
    }


def zone_properties(zone: CoreZone) -> dict[str, Any]:
    return {"area_m2": zone.area_m2}


def geojson_response(
    request: HttpRequest, masterplan: Masterplan, key: str, extra: Any
) -> HttpResponse:
    importer = get_importer(key)
    qs = importer.export_queryset(user=request.user, masterplan=masterplan, filters=request.GET)
    objects = qs.defer(None).iterator(chunk_size=CHUNK_ROWS)
    response = StreamingHttpResponse(
        geojson_stream(importer, objects, extra), content_type=CONTENT_TYPE
    )
    filename = export_filename(masterplan.slug, importer, "geojson")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # plan_view is typed for HttpResponse; a streaming response is served the same way.
    return cast("HttpResponse", response)


@plan_view(Level.PLAN_MEMBER)
def parcel_geojson(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The parcels of the list, with its filters, as GeoJSON."""
    return geojson_response(request, masterplan, "land.parcels_geojson", parcel_properties)


@plan_view(Level.PLAN_MEMBER)
def zone_geojson(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The core zones of the list, with its filters, as GeoJSON."""
    return geojson_response(request, masterplan, "land.zones_geojson", zone_properties)
