"""Throughput of the polygon imports through the importer, not only the reader: a GeoJSON file
and an XPlanGML plan of n features each, imported for real (read, checked, planned with
polygons, areas, zones and the overlap check, written with audit entries) into a masterplan of
their own, inside a transaction that is rolled back, so the measured plan stays as it was.

`masterplan bench` prints the figures through land/bench.py; from the shell:

    masterplan shell -c "from masterplan.land.import_bench import lines; lines(10_000)"
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.test.utils import override_settings

from masterplan.core.benchtools import peak_memory_mb, reset_peak_memory, rolled_back
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.land.readers.bench import write_geojson, write_xplangml

IMPORTERS = {"geojson": "land.parcels_geojson", "xplangml": "land.parcels_xplan"}
WRITERS = {"geojson": write_geojson, "xplangml": write_xplangml}


@dataclass(frozen=True)
class ImportBench:
    kind: str
    features: int  # in the file (XPlanGML: a third are mixed areas, kept as context)
    parcels: int  # created
    seconds: float
    megabytes: float  # the file
    peak_mb: float  # peak resident memory of the process during the import (core.benchtools)
    baseline_mb: float  # … just before it (interpreter, Django, the file's bytes)

    @property
    def features_per_second(self) -> float:
        return self.features / max(self.seconds, 1e-9)

    def line(self) -> str:
        return (
            f"import {self.kind}: {self.features:,} features → {self.parcels:,} parcels in "
            f"{self.seconds:,.2f} s = {self.features_per_second:,.0f} features/s; "
            f"{self.megabytes:,.1f} MB, peak memory {self.peak_mb:,.0f} MB (before: "
            f"{self.baseline_mb:,.0f} MB)"
        )


def bench_import(kind: str, n: int, *, vertices: int = 16) -> ImportBench:
    """Write a file of n features and import it into a throw-away masterplan (rolled back)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench.{kind}"
        WRITERS[kind](path, n, vertices=vertices)
        content = path.read_bytes()
    if kind == "geojson":  # the reader's bench file has no names, which new parcels need
        document = json.loads(content)
        for feature in document["features"]:
            feature["properties"]["name"] = f"Fläche {feature['id']}"
        content = json.dumps(document).encode()
    reset_peak_memory()
    baseline = peak_memory_mb()
    with rolled_back(), override_settings(IMPORT_MAX_BYTES=max(len(content), 1)):
        masterplan = Masterplan.objects.create(
            name="Import bench", slug="land-import-bench", city="Bench"
        )
        started = time.perf_counter()
        report = import_file(
            importer=IMPORTERS[kind],
            masterplan=masterplan,
            actor=None,
            content=content,
            filename=path.name,
        )
        seconds = time.perf_counter() - started
        if not report.ok:
            raise RuntimeError("; ".join(str(error) for error in report.errors[:5]))
    return ImportBench(
        kind=kind,
        features=n,
        parcels=report.created,
        seconds=seconds,
        megabytes=len(content) / 1e6,
        peak_mb=peak_memory_mb(),
        baseline_mb=baseline,
    )


def throughputs(n: int = 10_000) -> list[tuple[str, float, str]]:
    """The figures `masterplan bench` prints (land/bench.py)."""
    return [
        (
            f"Land: {kind} import of {n:,} features through the importer",
            bench_import(kind, n).features_per_second,
            "features/s",
        )
        for kind in ("geojson", "xplangml")
    ]


def lines(n: int) -> None:
    for kind in ("geojson", "xplangml"):
        sys.stdout.write(bench_import(kind, n).line() + "\n")


def features_for(kind: str, megabytes: float, *, vertices: int = 16) -> int:
    """How many features make a file of about `megabytes` (from a sample of 1,000)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sample.{kind}"
        WRITERS[kind](path, 1_000, vertices=vertices)
        per_feature = path.stat().st_size / 1_000
    return int(megabytes * 1e6 / per_feature)


def lines_for_megabytes(kind: str, megabytes: float = 100.0) -> None:
    """The import of one file of about `megabytes` (the upload limit is raised to its size for
    the run; IMPORT_MAX_BYTES sets it for an installation), e.g. 100 MB:

        masterplan shell -c "from masterplan.land import import_bench as b
        b.lines_for_megabytes('xplangml')"
    """
    sys.stdout.write(bench_import(kind, features_for(kind, megabytes)).line() + "\n")
