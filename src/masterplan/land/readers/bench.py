"""How fast the readers are and how much memory they need, on generated files.

`bench_read(n)` writes an XPlanGML plan of n building-area parts into a temporary file and
reads it in a fresh Python process, so that the peak resident memory it reports is that of the
read alone (plus the interpreter and imports, reported as `baseline_mb`).
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_MODULE = "masterplan.land.readers.bench"
_COLUMNS = 300
_CELL_M = 50.0
_RADIUS_M = 20.0
_ORIGIN = (340_000.0, 5_660_000.0)  # EPSG:25832, south-west of Düsseldorf


@dataclass(frozen=True)
class ReadBench:
    """One measured read. `peak_mb` is the peak resident memory of the reading process,
    `baseline_mb` the same process before it read (interpreter and imports)."""

    kind: str
    features: int
    megabytes: float
    seconds: float
    features_per_second: float
    baseline_mb: float
    peak_mb: float

    def line(self) -> str:
        return (
            f"{self.kind}: {self.features:,} features, {self.megabytes:,.1f} MB in "
            f"{self.seconds:,.2f} s = {self.features_per_second:,.0f} features/s; "
            f"peak memory {self.peak_mb:,.0f} MB (of which {self.baseline_mb:,.0f} MB before "
            "reading)"
        )


def _ring(index: int, vertices: int) -> list[tuple[float, float]]:
    row, column = divmod(index, _COLUMNS)
    cx = _ORIGIN[0] + column * _CELL_M + _CELL_M / 2
    cy = _ORIGIN[1] + row * _CELL_M + _CELL_M / 2
    points = [
        (
            round(cx + _RADIUS_M * math.cos(2 * math.pi * k / vertices), 3),
            round(cy + _RADIUS_M * math.sin(2 * math.pi * k / vertices), 3),
        )
        for k in range(vertices)
    ]
    return [*points, points[0]]


_XPLAN_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/5/4"
 xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink"
 gml:id="GML_bench">
 <gml:featureMember>
  <xplan:BP_Plan gml:id="GML_plan"><xplan:name>Benchmark plan (generated)</xplan:name>
  </xplan:BP_Plan>
 </gml:featureMember>
"""
_XPLAN_FEATURE = """ <gml:featureMember>
  <xplan:BP_BaugebietsTeilFlaeche gml:id="GML_f{index}">
   <xplan:ebene>0</xplan:ebene>
   <xplan:rechtscharakter>1000</xplan:rechtscharakter>
   <xplan:position>
    <gml:Polygon gml:id="GML_f{index}_g" srsName="EPSG:25832">
     <gml:exterior><gml:LinearRing>
      <gml:posList srsDimension="2">{pos_list}</gml:posList>
     </gml:LinearRing></gml:exterior>
    </gml:Polygon>
   </xplan:position>
   <xplan:flaechenschluss>true</xplan:flaechenschluss>
   <xplan:allgArtDerBaulNutzung>3000</xplan:allgArtDerBaulNutzung>
   <xplan:besondereArtDerBaulNutzung>{code}</xplan:besondereArtDerBaulNutzung>
  </xplan:BP_BaugebietsTeilFlaeche>
 </gml:featureMember>
"""


_XPLAN_CONTEXT = """ <gml:featureMember>
  <xplan:BP_StrassenVerkehrsFlaeche gml:id="GML_s{index}">
   <xplan:position>
    <gml:Polygon gml:id="GML_s{index}_g" srsName="EPSG:25832">
     <gml:exterior><gml:LinearRing>
      <gml:posList srsDimension="2">{pos_list}</gml:posList>
     </gml:LinearRing></gml:exterior>
    </gml:Polygon>
   </xplan:position>
  </xplan:BP_StrassenVerkehrsFlaeche>
 </gml:featureMember>
"""


def write_xplangml(path: Path, n: int, *, vertices: int = 16, other_features: int = 0) -> int:
    """An XPlanGML 5.4 plan with n non-overlapping building-area parts; returns its size.
    With 16 vertices a feature takes about 1 KB: 100,000 features are about 100 MB.
    `other_features` adds street areas the reader passes over (of `vertices` × 16 vertices)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(_XPLAN_HEAD)
        for index in range(other_features):
            pos_list = " ".join(f"{x} {y}" for x, y in _ring(index, vertices * 16))
            out.write(_XPLAN_CONTEXT.format(index=index, pos_list=pos_list))
        for index in range(n):
            pos_list = " ".join(f"{x} {y}" for x, y in _ring(index, vertices))
            code = ("1700", "1800", "1500")[index % 3]
            out.write(_XPLAN_FEATURE.format(index=index, pos_list=pos_list, code=code))
        out.write("</xplan:XPlanAuszug>\n")
    return path.stat().st_size


def write_geojson(path: Path, n: int, *, vertices: int = 16) -> int:
    """A GeoJSON FeatureCollection (EPSG:25832 via a legacy crs member, so that no coordinate is
    transformed while writing) of n non-overlapping parcels; returns its size."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:EPSG::25832"}}, "features": [\n'
        )
        for index in range(n):
            feature = {
                "type": "Feature",
                "id": f"P-{index}",
                "properties": {"area_type": "GE"},
                "geometry": {"type": "Polygon", "coordinates": [_ring(index, vertices)]},
            }
            out.write(("" if index == 0 else ",\n") + json.dumps(feature))
        out.write("\n]}\n")
    return path.stat().st_size


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: str) -> None:
    """Run in the child process: read the file, print the figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterplan.settings")
    django.setup()
    from masterplan.land.readers import read_geojson, read_xplangml

    baseline = _rss_mb()
    started = time.perf_counter()
    if kind == "xplangml":
        count = len(read_xplangml(Path(path), max_bytes=2**40, max_features=10**9).features)
    else:
        count = len(read_geojson(Path(path).read_bytes(), max_bytes=2**40))
    seconds = time.perf_counter() - started
    print(json.dumps({"count": count, "seconds": seconds, "baseline": baseline, "peak": _rss_mb()}))


def _run(kind: str, path: Path, size: int) -> ReadBench:
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", f"from {_MODULE} import measure; measure({kind!r}, {str(path)!r})"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    if completed.returncode:
        raise RuntimeError(completed.stderr)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    return ReadBench(
        kind=kind,
        features=figures["count"],
        megabytes=size / 1e6,
        seconds=figures["seconds"],
        features_per_second=figures["count"] / max(figures["seconds"], 1e-9),
        baseline_mb=figures["baseline"],
        peak_mb=figures["peak"],
    )


def bench_read(
    n: int, *, vertices: int = 16, other_features: int = 0, directory: str | None = None
) -> ReadBench:
    """Write an XPlanGML plan of n features into a temporary file and read it."""
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        path = Path(tmp) / "bench.gml"
        size = write_xplangml(path, n, vertices=vertices, other_features=other_features)
        return _run("xplangml", path, size)


def bench_read_geojson(n: int, *, vertices: int = 16, directory: str | None = None) -> ReadBench:
    """Write a GeoJSON FeatureCollection of n parcels into a temporary file and read it."""
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        path = Path(tmp) / "bench.geojson"
        size = write_geojson(path, n, vertices=vertices)
        return _run("geojson", path, size)


if __name__ == "__main__":
    for count in [int(argument) for argument in sys.argv[1:]] or [10_000]:
        print(bench_read(count).line())
        print(bench_read_geojson(count).line())
