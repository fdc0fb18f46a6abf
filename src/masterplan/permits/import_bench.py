"""Throughput of the permit imports through the importer: a procedure file of n rows (German
headers, `;`, German dates, ten NRW cities, so ten authorities created by name) and a ZIP of n
XBau messages (five a procedure: application, formal check with defects, amended application,
decision, fee notice), each imported for real (read, checked, planned, written with audit
entries) into a masterplan of its own inside a transaction that is rolled back.

    masterplan shell -c "from masterplan.permits.import_bench import lines; lines(100_000)"

prints both figures: n procedures and n // 10 messages.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from masterplan.core.benchtools import peak_memory_mb, reset_peak_memory, rolled_back
from masterplan.core.imports.registry import importers
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.permits.models import Authority, AuthorityKind

CITIES = (
    "Duisburg",
    "Essen",
    "Köln",
    "Düsseldorf",
    "Dortmund",
    "Bochum",
    "Gelsenkirchen",
    "Oberhausen",
    "Mülheim an der Ruhr",
    "Krefeld",
)
TYPES = ("bauo-nrw-64", "bauo-nrw-65", "bimschg-19", "bimschg-10")
HEADER = (
    "Aktenzeichen;Stadt/Behörde;Verfahrensart;Eingang;vollständig;entschieden;zurückgenommen;"
    "Ergebnis"
)
START = date(2023, 1, 2)


@dataclass(frozen=True)
class ImportBench:
    kind: str
    rows: int  # procedures or messages in the file
    created: int
    seconds: float
    cpu_seconds: float  # of this process: the wall time less waiting (for a busy machine)
    megabytes: float  # the file
    peak_mb: float  # peak resident memory of the process during the import (core.benchtools)
    baseline_mb: float  # … just before it

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.baseline_mb

    @property
    def rows_per_second(self) -> float:
        return self.rows / max(self.seconds, 1e-9)

    def line(self) -> str:
        return (
            f"import {self.kind}: {self.rows:,} rows → {self.created:,} records in "
            f"{self.seconds:,.2f} s = {self.rows_per_second:,.0f} rows/s (CPU "
            f"{self.cpu_seconds:,.2f} s = {self.rows / max(self.cpu_seconds, 1e-9):,.0f} rows/s); "
            f"{self.megabytes:,.1f} MB, peak memory {self.peak_mb:,.0f} MB (before: "
            f"{self.baseline_mb:,.0f} MB)"
        )


def procedure_line(i: int) -> str:
    """One procedure: a quarter open, one in ten withdrawn, the rest decided (some refused)."""
    city = CITIES[i % len(CITIES)]
    received = START + timedelta(days=i % 900)
    complete = received + timedelta(days=7 + i % 30)
    decided = withdrawn = ""
    outcome = "offen"
    if i % 10 == 3:
        withdrawn, outcome = f"{received + timedelta(days=40):%d.%m.%Y}", "zurückgenommen"
    elif i % 4:
        decided = f"{complete + timedelta(days=30 + i % 200):%d.%m.%Y}"
        outcome = "abgelehnt" if i % 17 == 0 else "genehmigt"
    return (
        f"BG-{i:07d};{city};{TYPES[i % len(TYPES)]};{received:%d.%m.%Y};{complete:%d.%m.%Y};"
        f"{decided};{withdrawn};{outcome}"
    )


def write_procedures(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(HEADER + "\r\n")
        for i in range(n):
            file.write(procedure_line(i) + "\r\n")


NAMESPACE = "http://www.xleitstelle.de/xbau/2/3"
ROOTS = {
    "0200": "baugenehmigung.antrag.0200",
    "0201": "baugenehmigung.formellePruefung.0201",
    "0202": "baugenehmigung.antragGeaendert.0202",
    "0205": "baugenehmigung.bescheid.0205",
    "0206": "baugenehmigung.gebuehrenbescheid.0206",
}
# each message of a procedure, with its day counted from the application
STEPS = (
    ("0200", 0),
    ("0201", 12),
    ("0202", 30),
    ("0205", 80),
    ("0206", 80),
)


def message(number: str, day: date, application: str, reference: str) -> bytes:
    root = ROOTS[number]
    if number == "0200":
        body = (
            "<xbau:referenzAntragsservice><referenzAntragsservice>"
            f"{application}</referenzAntragsservice></xbau:referenzAntragsservice>"
        )
    else:
        body = (
            f"<xbau:bezug><referenz>{application}</referenz><vorgang>{reference}</vorgang>"
            "</xbau:bezug>"
        )
    if number == "0201":
        body += (
            "<xbau:befundliste><xbau:befund><xbau:beschreibung><textabsatz>Der amtliche "
            "Lageplan fehlt.</textabsatz></xbau:beschreibung></xbau:befund></xbau:befundliste>"
            f"<xbau:frist>{day + timedelta(days=30):%Y-%m-%d}</xbau:frist>"
        )
    elif number == "0205":
        body += (
            "<xbau:bescheid><xbau:tenor><istGenehmigung>true</istGenehmigung></xbau:tenor>"
            "</xbau:bescheid>"
        )
    elif number == "0206":
        body += f"<xbau:frist>{day + timedelta(days=30):%Y-%m-%d}</xbau:frist>"
    minute = {"0205": "10:15", "0206": "10:16"}.get(number, "09:00")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xbau:{root} xmlns:xbau="{NAMESPACE}" '
        'version="2.3"><nachrichtenkopf><identifikation.nachricht>'
        f"<nachrichtenUUID>{uuid.uuid4()}</nachrichtenUUID>"
        f"<nachrichtentyp><code>{number}</code></nachrichtentyp>"
        f"<erstellungszeitpunkt>{day:%Y-%m-%d}T{minute}:00+01:00</erstellungszeitpunkt>"
        f"</identifikation.nachricht></nachrichtenkopf>{body}</xbau:{root}>"
    ).encode()


def xbau_zip(n: int) -> bytes:
    """n messages, five a procedure, in a ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(n):
            number, after = STEPS[i % len(STEPS)]
            procedure = i // len(STEPS)
            received = START + timedelta(days=procedure % 700)
            application = str(uuid.UUID(int=procedure + 1))
            reference = f"63-BG-{received.year}-{procedure:06d}"
            archive.writestr(
                f"{procedure:06d}/{number}.xml",
                message(number, received + timedelta(days=after), application, reference),
            )
    return buffer.getvalue()


def bench_import(kind: str, n: int) -> ImportBench:
    """Import n procedures ("procedures") or n XBau messages ("xbau"), rolled back."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("bench.csv" if kind == "procedures" else "bench.zip")
        if kind == "procedures":
            write_procedures(path, n)
        else:
            path.write_bytes(xbau_zip(n))
        size = path.stat().st_size
        importers()  # the apps' importer modules are loaded before the clock starts
        reset_peak_memory()
        baseline = peak_memory_mb()
        with rolled_back():
            masterplan = Masterplan.objects.create(
                name="Permit import bench", slug="permits-import-bench", city="Duisburg"
            )
            Authority.objects.create(
                masterplan=masterplan,
                name="Stadt Duisburg – Amt für Baurecht und Bauberatung",
                city="Duisburg",
                kind=AuthorityKind.BUILDING,
            )
            with path.open("rb") as file:
                started, cpu = time.perf_counter(), time.process_time()
                report = import_file(
                    importer=f"permits.{kind}",
                    masterplan=masterplan,
                    actor=None,
                    content=file,
                    filename=path.name,
                )
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
            if not report.ok:
                raise RuntimeError("; ".join(str(error) for error in report.errors[:5]))
    return ImportBench(
        kind=kind,
        rows=n,
        created=report.created,
        seconds=seconds,
        cpu_seconds=cpu,
        megabytes=size / 1e6,
        peak_mb=peak_memory_mb(),
        baseline_mb=baseline,
    )


def bench_import_in_own_process(kind: str, n: int) -> ImportBench:
    """`bench_import` in a fresh Python process with this process's environment (so the same
    database), with no limit on the file's size and rows: its peak memory growth is then the
    import's own (import_step.py)."""
    env = {**os.environ, "IMPORT_MAX_BYTES": str(10**11), "IMPORT_MAX_ROWS": str(10**9)}
    command = [sys.executable, "-m", "masterplan.permits.import_step", kind, str(n)]
    # The command line is our own module and two values we chose.
    completed = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"The permit import bench failed:\n{completed.stderr[-4000:]}")
    return ImportBench(**json.loads(completed.stdout.strip().splitlines()[-1]))


def lines(n: int) -> None:
    """n procedures, then n // 10 XBau messages."""
    sys.stdout.write(bench_import("procedures", n).line() + "\n")
    sys.stdout.write(bench_import("xbau", n // 10).line() + "\n")
