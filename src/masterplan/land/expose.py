"""The exposé of a parcel (PDF): its outline on a small map, its figures and a named contact.

The map is an SVG drawn from the stored polygons (the parcel and its core zone, EPSG:25832
metres, north up), so the PDF needs no tiles and no network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from masterplan.land import geometry as geo

WIDTH, HEIGHT, MARGIN = 480.0, 320.0, 16.0


@dataclass(frozen=True)
class Outline:
    zone_path: str
    parcel_path: str
    scale_m: int  # length of the scale bar in metres
    scale_px: float


def rings(shape: Any) -> list[Any]:
    polygons = getattr(shape, "geoms", [shape])
    found = []
    for polygon in polygons:
        found.append(polygon.exterior)
        found.extend(polygon.interiors)
    return found


def svg_outline(parcel: Any, zone: Any | None) -> Outline | None:
    """SVG paths of the parcel (and its zone) fitted into WIDTH × HEIGHT, with a scale bar
    of a round length; None without a polygon."""
    if parcel is None:
        return None
    frame = zone if zone is not None else parcel
    minx, miny, maxx, maxy = geo.bbox(frame.union(parcel) if zone is not None else parcel)
    span = max(maxx - minx, maxy - miny, 1.0)
    scale = min(
        (WIDTH - 2 * MARGIN) / max(maxx - minx, 1.0), (HEIGHT - 2 * MARGIN) / max(maxy - miny, 1.0)
    )

    def path(shape: Any) -> str:
        parts = []
        for ring in rings(shape):
            points = [
                f"{MARGIN + (x - minx) * scale:.1f},{HEIGHT - MARGIN - (y - miny) * scale:.1f}"
                for x, y in ring.coords
            ]
            parts.append("M" + " L".join(points) + " Z")
        return " ".join(parts)

    bar = next((m for m in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if m >= span / 5), 5000)
    return Outline(
        zone_path=path(zone) if zone is not None else "",
        parcel_path=path(parcel),
        scale_m=bar,
        scale_px=bar * scale,
    )
