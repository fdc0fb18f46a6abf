"""XPlanGML 5.x and 6.0 development plans (Bebauungspläne): their building-area parts.

The file is read as a stream (lxml iterparse, each feature member cleared when it has been
read), so a 100 MB plan needs memory for its features' polygons, not for its XML tree. It is
parsed safely: a DOCTYPE (and with it any entity declaration) is refused before parsing, entities
are never resolved, nothing is loaded from the network, and the size is limited.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import shapely
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from masterplan.land.geometry import check_polygon
from masterplan.land.readers.common import (
    Feature,
    Problems,
    ReadError,
    check_features,
    epsg_code,
    feature_label,
)

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_FEATURES = 200_000

GML = "http://www.opengis.net/gml/3.2"
XPLAN_VERSIONS = {
    "http://www.xplanung.de/xplangml/5/0": "5.0",
    "http://www.xplanung.de/xplangml/5/1": "5.1",
    "http://www.xplanung.de/xplangml/5/2": "5.2",
    "http://www.xplanung.de/xplangml/5/3": "5.3",
    "http://www.xplanung.de/xplangml/5/4": "5.4",
    "http://www.xplanung.de/xplangml/6/0": "6.0",
}

# besondereArtDerBaulNutzung (XPlanung code list) → abbreviation; BauNVO area types of parcels.
SPECIAL_USE_CODES = {
    "1000": "WS",
    "1100": "WR",
    "1200": "WA",
    "1300": "WB",
    "1400": "MD",
    "1450": "MDW",
    "1500": "MI",
    "1550": "MU",
    "1600": "MK",
    "1700": "GE",  # § 8 BauNVO
    "1800": "GI",  # § 9 BauNVO
    "2000": "SO",
    "2100": "SO",
}
PARCEL_AREA_TYPES = ("GE", "GI", "MI", "MU", "SO")
# Commercial and industrial areas are what land management is about; the rest is context.
TARGET_AREA_TYPES = ("GE", "GI")

# GML curve segments and curves that are not made of straight lines.
CURVED = frozenset(
    {
        "Arc",
        "ArcString",
        "ArcByBulge",
        "ArcStringByBulge",
        "ArcByCenterPoint",
        "CircleByCenterPoint",
        "Circle",
        "CubicSpline",
        "BSpline",
        "Bezier",
        "Clothoid",
        "OffsetCurve",
        "Geodesic",
        "GeodesicString",
    }
)

_HEAD_BYTES = 64 * 1024
_DECLARATIONS = re.compile(
    rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C|E\x00N\x00T)|\x00<\x00!\x00(?:D|E)"
)


@dataclass
class XPlanDocument:
    """What was read: the plan's name (BP_Plan/name), the XPlanGML version and the
    BP_BaugebietsTeilFlaeche features with their properties."""

    version: str
    plan_name: str
    features: list[Feature] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _GuardedStream:
    """A binary stream that refuses more than `max_bytes` and any DOCTYPE or ENTITY
    declaration near its start, before the parser sees them."""

    def __init__(self, raw: IO[bytes], max_bytes: int) -> None:
        self.raw = raw
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.head = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.read_bytes += len(chunk)
        if self.read_bytes > self.max_bytes:
            raise _Refused(
                _("The file has more than %(max)s; at most %(max)s are read.")
                % {"max": filesizeformat(self.max_bytes)}
            )
        if len(self.head) < _HEAD_BYTES:
            self.head += chunk[:_HEAD_BYTES]
            if _DECLARATIONS.search(self.head):
                raise _refused_doctype()
        return chunk


def _refused_doctype() -> _Refused:
    return _Refused(
        _(
            "The file contains a DOCTYPE or ENTITY declaration. XPlanGML needs none, and such "
            "declarations can make a parser expand entities without end or read other files, "
            "so the file is refused."
        )
    )


_CURVED_TAGS = tuple(f"{{{GML}}}{name}" for name in sorted(CURVED))


def _local(element: Any) -> str:
    return str(element.tag).rpartition("}")[2]


def _namespace(element: Any) -> str:
    return str(etree.QName(element).namespace or "")


def _text(element: Any) -> str:
    return (element.text or "").strip() if element is not None else ""


def _coordinates(element: Any, dimension: int) -> np.ndarray[Any, Any]:
    values = np.array((element.text or "").split(), dtype=float)
    if not np.isfinite(values).all():
        raise ValueError(_("coordinates that are not finite numbers"))
    dimension = int(element.get("srsDimension") or dimension)
    if dimension < 2 or len(values) % dimension:
        raise ValueError(
            _("%(count)s numbers are no list of %(dimension)s-dimensional positions")
            % {"count": len(values), "dimension": dimension}
        )
    return values.reshape(-1, dimension)[:, :2]


def _line_points(element: Any, dimension: int) -> np.ndarray[Any, Any]:
    """The points of a LinearRing, LineString or LineStringSegment (posList or pos)."""
    pos_list = element.find(f"{{{GML}}}posList")
    if pos_list is not None:
        return _coordinates(pos_list, dimension)
    positions = element.findall(f"{{{GML}}}pos")
    if positions:
        return np.vstack([_coordinates(pos, dimension) for pos in positions])
    if element.find(f"{{{GML}}}coordinates") is not None:
        raise ValueError(_("gml:coordinates (GML 2) is not read; use gml:posList"))
    raise ValueError(_("gml:%(element)s has no coordinates") % {"element": _local(element)})


def _ring(boundary: Any, dimension: int) -> np.ndarray[Any, Any]:
    """The points of gml:exterior or gml:interior: a LinearRing or a Ring of straight curves."""
    linear = boundary.find(f"{{{GML}}}LinearRing")
    if linear is not None:
        return _line_points(linear, dimension)
    ring = boundary.find(f"{{{GML}}}Ring")
    if ring is None:
        raise ValueError(_("a boundary without gml:LinearRing or gml:Ring"))
    parts: list[np.ndarray[Any, Any]] = []
    for line in ring.iter(f"{{{GML}}}LineString", f"{{{GML}}}LineStringSegment"):
        points = _line_points(line, dimension)
        if parts and len(points) and np.array_equal(parts[-1][-1], points[0]):
            points = points[1:]
        parts.append(points)
    if not parts:
        raise ValueError(_("a gml:Ring without straight segments"))
    return np.vstack(parts)


def _polygon(element: Any, dimension: int) -> Polygon:
    exterior = element.find(f"{{{GML}}}exterior")
    if exterior is None:
        raise ValueError(_("a polygon without gml:exterior"))
    holes = [
        shapely.linearrings(_ring(interior, dimension))
        for interior in element.findall(f"{{{GML}}}interior")
    ]
    polygon: Polygon = shapely.polygons(
        shapely.linearrings(_ring(exterior, dimension)), holes=holes or None
    )
    return polygon


def _position_geometry(
    position: Any, *, label: Callable[[], str], default_srs: str
) -> tuple[BaseGeometry | None, list[str]]:
    geometries = [child for child in position if isinstance(child.tag, str)]
    if not geometries:
        return None, [_("%(label)s has no geometry in xplan:position.") % {"label": label()}]
    geometry = geometries[0]
    curve = next(geometry.iter(*_CURVED_TAGS), None)
    if curve is not None:
        return None, [
            _(
                "%(label)s: the outline contains a curved segment (gml:%(element)s in line "
                "%(line)s). Curves are not read: convert arcs into straight segments (for "
                "example with “Segmentize” in QGIS) and export the plan again."
            )
            % {"label": label(), "element": _local(curve), "line": curve.sourceline}
        ]
    srs = geometry.get("srsName") or default_srs
    if not srs:
        return None, [
            _("%(label)s: the geometry names no coordinate reference system (srsName).")
            % {"label": label()}
        ]
    if epsg_code(srs) != 25832:
        return None, [
            _(
                "%(label)s: the geometry is in “%(srs)s”; XPlanGML is read in EPSG:25832 "
                "(ETRS89 / UTM 32N) only."
            )
            % {"label": label(), "srs": srs}
        ]
    dimension = int(geometry.get("srsDimension") or 2)
    kind = _local(geometry)
    try:
        if kind == "Polygon":
            polygons = [_polygon(geometry, dimension)]
        elif kind in ("MultiSurface", "Surface", "CompositeSurface"):
            polygons = [
                _polygon(part, dimension)
                for part in geometry.iter(f"{{{GML}}}Polygon", f"{{{GML}}}PolygonPatch")
            ]
            if not polygons:
                raise ValueError(_("gml:%(element)s without polygons") % {"element": kind})
        else:
            return None, [
                _("%(label)s: a gml:%(element)s is not a surface; only polygons are read.")
                % {"label": label(), "element": kind}
            ]
    except (ValueError, ShapelyError) as error:
        return None, [
            _("%(label)s: the polygon cannot be read (%(reason)s).")
            % {"label": label(), "reason": str(error)}
        ]
    return (polygons[0] if kind == "Polygon" else MultiPolygon(polygons)), []


def _area_properties(element: Any, namespace: str) -> dict[str, Any]:
    special = _text(element.find(f"{{{namespace}}}besondereArtDerBaulNutzung"))
    general = _text(element.find(f"{{{namespace}}}allgArtDerBaulNutzung"))
    abbreviation = SPECIAL_USE_CODES.get(special, "")
    return {
        "besondereArtDerBaulNutzung": special,
        "allgArtDerBaulNutzung": general,
        "abbreviation": abbreviation,
        "area_type": abbreviation if abbreviation in PARCEL_AREA_TYPES else "",
        "context": abbreviation not in TARGET_AREA_TYPES,
    }


def _open(source: bytes | IO[bytes] | os.PathLike[str]) -> tuple[IO[bytes], bool]:
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(source), True
    if isinstance(source, os.PathLike):
        return open(source, "rb"), True
    return source, False


def _events(stream: _GuardedStream) -> Iterator[tuple[str, Any]]:
    events: Iterator[tuple[str, Any]] = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    return events


def read_xplangml(
    source: bytes | IO[bytes] | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_features: int = DEFAULT_MAX_FEATURES,
    check_overlaps: bool = True,
) -> XPlanDocument:
    """The BP_BaugebietsTeilFlaeche features of an XPlanGML 5.0–5.4 or 6.0 plan with their
    polygons in EPSG:25832; all of them, or ReadError with every problem found.

    Each feature's properties: besondereArtDerBaulNutzung and allgArtDerBaulNutzung (codes as
    in the file), abbreviation (1700 → GE, 1800 → GI, 1500 → MI, …), area_type (GE, GI, MI, MU
    or SO, else "") and context (True unless GE or GI: kept for the map, not as parcels).
    """
    raw, close = _open(source)
    try:
        return _read(_GuardedStream(raw, max_bytes), max_features, check_overlaps)
    finally:
        if close:
            raw.close()


def _read(stream: _GuardedStream, max_features: int, check_overlaps: bool) -> XPlanDocument:
    problems = Problems()
    features: list[Feature] = []
    lines: list[int | None] = []
    document = XPlanDocument(version="", plan_name="")
    namespace = ""
    default_srs = ""
    depth = 0
    count = 0
    try:
        for event, element in _events(stream):
            if event == "start":
                if depth == 0:
                    namespace = _check_root(element)
                    document.version = XPLAN_VERSIONS[namespace]
                depth += 1
                continue
            depth -= 1
            if depth > 2:
                continue
            tag = element.tag
            if tag == f"{{{namespace}}}BP_BaugebietsTeilFlaeche":
                count += 1
                if count > max_features:
                    raise _Refused(
                        _(
                            "The plan has more than %(max)s building-area parts; at most "
                            "%(max)s are read."
                        )
                        % {"max": f"{max_features:,}"}
                    )
                feature, messages = _feature(element, count, namespace, default_srs)
                for message in messages:
                    problems.add(message, index=count, ref=feature.ref, line=element.sourceline)
                if not messages:
                    features.append(feature)
                    lines.append(element.sourceline)
            elif tag == f"{{{namespace}}}BP_Plan" and not document.plan_name:
                document.plan_name = _text(element.find(f"{{{namespace}}}name"))
            elif tag == f"{{{GML}}}Envelope" and depth == 2:
                # The plan's gml:boundedBy: its srsName holds for geometries that name none.
                default_srs = element.get("srsName") or default_srs
            if depth in (1, 2):
                # Done with this member: free it and everything before it.
                element.clear(keep_tail=True)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except _Refused as refused:
        raise ReadError.single(refused.message) from None
    except etree.XMLSyntaxError as error:
        if not stream.head.strip():
            raise ReadError.single(_("The file is empty.")) from None
        problems.add(
            _("The file is not well-formed XML: %(reason)s") % {"reason": error.msg},
            line=error.lineno,
        )
        problems.raise_if_any()
    if not namespace:
        raise ReadError.single(_("The file is empty."))
    if count == 0:
        problems.add(
            _("The plan “%(plan)s” has no building-area parts (BP_BaugebietsTeilFlaeche).")
            % {"plan": document.plan_name}
        )
    check_features(features, problems, lines=lines, check_overlaps=check_overlaps)
    problems.raise_if_any()
    document.features = features
    return document


def _check_root(element: Any) -> str:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _refused_doctype()
    namespace = _namespace(element)
    if namespace in XPLAN_VERSIONS:
        return namespace
    if "xplanung.de/xplangml" in namespace:
        raise _Refused(
            _(
                "XPlanGML with the namespace “%(namespace)s” is not read; the versions read are "
                "5.0 to 5.4 and 6.0."
            )
            % {"namespace": namespace}
        )
    raise _Refused(
        _("The file is no XPlanGML plan: its root element is “%(element)s”.")
        % {"element": _local(element)}
    )


def _feature(
    element: Any, index: int, namespace: str, default_srs: str
) -> tuple[Feature, list[str]]:
    ref = element.get(f"{{{GML}}}id") or ""

    def label() -> str:
        return feature_label(index, ref)

    properties = _area_properties(element, namespace)
    position = element.find(f"{{{namespace}}}position")
    if position is None:
        return Feature(index, ref, properties, Polygon()), [
            _("%(label)s has no xplan:position.") % {"label": label()}
        ]
    geometry, messages = _position_geometry(position, label=label, default_srs=default_srs)
    if geometry is None:
        return Feature(index, ref, properties, Polygon()), messages
    return Feature(index, ref, properties, geometry), check_polygon(geometry, label=label)
