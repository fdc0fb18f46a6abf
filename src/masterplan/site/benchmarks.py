"""What `masterplan bench` measures, run inside one Django process per database.

The command (site/management/commands/bench.py) prepares a city-scale and a state-scale
database and runs `measure_lists` in each, and the import scenario (site/import_bench.py) in
a third, each in its own process so that the databases and the memory figures do not
influence each other. This module holds the measurements of the lists and the table that
compares everything; the pages measured are the ones the apps register in core/bench.py.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from masterplan.core import bench, synthetic
from masterplan.core.bench import ListScenario
from masterplan.core.models import Masterplan, PlanRole, Role
from masterplan.directory.models import Affiliation, Organization, Person
from masterplan.site.import_bench import (
    IMPORTER,
    MEMORY_TARGET_MB,
    TIME_RATIO_TARGET,
    ImportResult,
)

BENCH_USERNAME = "bench-coordinator"
WIDTH = 96  # of the printed report


REFERENCE_PAGE = "orgs_page"  # the main pages are compared with this list page
MAIN_PAGE_TARGET = 5.0  # × the reference page's median, in the same run (issue 10, #25)
PDF_TARGET_SECONDS = 2.0
PDF_POLLS = 60  # a PDF still being prepared (202) is asked for again, once a second

ROUND_BUDGET = 5.0  # seconds of warm-up, and of timed requests, per list and round
MINIMUM_SAMPLES = 5


def scenario_paths(masterplan: Masterplan) -> list[tuple[ListScenario, str]]:
    """Every registered scenario with its concrete path for this masterplan, in app order."""
    return [(scenario, scenario.path_for(masterplan)) for scenario in bench.scenarios()]


class PhaseClock:
    """Wall and CPU time of the phases of one measuring process: `with clock("generate"):`."""

    def __init__(self) -> None:
        self.phases: dict[str, tuple[float, float]] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.phases[name] = (time.perf_counter() - wall, time.process_time() - cpu)


# --- lists ---------------------------------------------------------------------------------


@dataclass
class ListMeasurement:
    key: str
    label: str
    path: str
    queries: int
    times_ms: list[float]  # wall time of each timed request
    bytes: int
    cpu_ms: list[float] = field(default_factory=list)  # CPU time of this process per request

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def median_cpu_ms(self) -> float:
        return statistics.median(self.cpu_ms) if self.cpu_ms else float("nan")


@dataclass
class ListResult:
    database: str
    database_version: str
    masterplans: int
    organizations: int
    people: int
    affiliations: int
    plan_slug: str
    plan_organizations: int
    plan_people: int
    repeat: int
    warmup: int
    rounds: int = 1
    measurements: list[ListMeasurement] = field(default_factory=list)
    # (label, unit, value of each round) from the apps' bench.throughputs()
    throughputs: list[tuple[str, str, list[float]]] = field(default_factory=list)
    pdfs: list[PdfMeasurement] = field(default_factory=list)


@dataclass
class PdfMeasurement:
    """A PDF asked for twice: the first request renders it, the second may hit the cache.

    `first_ms` is the time until the PDF arrived, waiting through "being prepared" pages
    (`prepared` says how many); None when the server cannot render PDFs (503)."""

    key: str
    label: str
    path: str
    first_ms: list[float] = field(default_factory=list)
    again_ms: list[float] = field(default_factory=list)
    prepared: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class MainPageRatio:
    key: str
    label: str
    median_ms: float
    ratio: float  # median ÷ the reference page's median

    @property
    def met(self) -> bool:
        return self.ratio <= MAIN_PAGE_TARGET


def main_page_ratios(result: ListResult, main_keys: set[str]) -> list[MainPageRatio]:
    """Each main page's median divided by that of the organisation list page of the same run."""
    reference = next((m for m in result.measurements if m.key == REFERENCE_PAGE), None)
    if reference is None or not reference.median_ms:
        return []
    return [
        MainPageRatio(m.key, m.label, m.median_ms, m.median_ms / reference.median_ms)
        for m in result.measurements
        if m.key in main_keys
    ]


def main_page_keys() -> set[str]:
    return bench.main_page_keys()


def database_version() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        number = int(getattr(connection, "pg_version", 0))
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    return connection.vendor


def largest_masterplan() -> tuple[Masterplan, int]:
    """The masterplan with the most organisations, and that number."""
    row = (
        Organization.objects.values("masterplan")
        .annotate(n=Count("id"))
        .order_by("-n", "masterplan")
        .first()
    )
    if row is None:
        raise RuntimeError("The database holds no organisations: run `masterplan generate`.")
    return Masterplan.objects.get(pk=row["masterplan"]), int(row["n"])


def bench_coordinator(masterplan: Masterplan) -> Any:
    user, _created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    PlanRole.objects.update_or_create(
        user=user, masterplan=masterplan, defaults={"role": Role.COORDINATOR}
    )
    return user


def measure_path(
    client: Client, scenario: ListScenario, path: str, *, repeat: int, warmup: int
) -> ListMeasurement:
    """Query count of one request, then `repeat` timed requests.

    A slow page gets fewer: warm-up and timing each stop after ROUND_BUDGET seconds, though
    never before MINIMUM_SAMPLES timed requests, so that one slow page cannot stretch the
    run by minutes.
    """
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200.")
    for _ in range(warmup):
        if time.perf_counter() - started > ROUND_BUDGET:
            break
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Read now: the next request clears the connection's query log (request_started).
    queries = len(captured.captured_queries)
    times: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    while len(times) < repeat and (
        len(times) < MINIMUM_SAMPLES or time.perf_counter() - started < ROUND_BUDGET
    ):
        request_started, request_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - request_started) * 1000)
        cpu.append((time.process_time() - request_cpu) * 1000)
    return ListMeasurement(
        key=scenario.key,
        label=scenario.label,
        path=path,
        queries=queries,
        times_ms=times,
        cpu_ms=cpu,
        bytes=len(response.content),
    )


def fetch_pdf(client: Client, path: str) -> tuple[float, int, bytes | None]:
    """(milliseconds, "being prepared" pages, PDF or None) until the PDF arrives."""
    started = time.perf_counter()
    for prepared in range(PDF_POLLS):
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"] == "application/pdf":
            return (time.perf_counter() - started) * 1000, prepared, response.content
        if response.status_code == 503:  # no PDF renderer on this machine
            return (time.perf_counter() - started) * 1000, prepared, None
        if response.status_code != 202:
            raise RuntimeError(f"GET {path} answered {response.status_code}, not a PDF.")
        time.sleep(1.0)
    raise RuntimeError(f"GET {path}: no PDF after {PDF_POLLS} seconds.")


def measure_pdf(client: Client, scenario: ListScenario, path: str) -> PdfMeasurement:
    measurement = PdfMeasurement(key=scenario.key, label=scenario.label, path=path)
    first, prepared, pdf = fetch_pdf(client, path)
    if pdf is None:
        return measurement
    again, _prepared, _pdf = fetch_pdf(client, path)
    measurement.first_ms.append(first)
    measurement.again_ms.append(again)
    measurement.prepared = prepared
    measurement.bytes = len(pdf)
    return measurement


def measure_lists(*, repeat: int = 15, warmup: int = 3) -> ListResult:
    """Every list scenario on the largest masterplan, as its coordinator."""
    masterplan, organizations = largest_masterplan()
    client = Client()
    client.force_login(bench_coordinator(masterplan))
    result = ListResult(
        database=connection.vendor,
        database_version=database_version(),
        masterplans=Masterplan.objects.count(),
        organizations=Organization.objects.count(),
        people=Person.objects.count(),
        affiliations=Affiliation.objects.count(),
        plan_slug=masterplan.slug,
        plan_organizations=organizations,
        plan_people=Person.objects.filter(masterplan=masterplan).count(),
        repeat=repeat,
        warmup=warmup,
    )
    # The test client's host name must be allowed even with production settings.
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        for scenario, path in scenario_paths(masterplan):
            result.measurements.append(
                measure_path(client, scenario, path, repeat=repeat, warmup=warmup)
            )
        # An empty PDF cache, so that the first request of each PDF renders it.
        with (
            tempfile.TemporaryDirectory() as pdf_cache,
            override_settings(PDF_CACHE_DIR=Path(pdf_cache)),
        ):
            for scenario in bench.pdf_scenarios():
                result.pdfs.append(measure_pdf(client, scenario, scenario.path_for(masterplan)))
        for throughputs in bench.throughput_functions():
            for label, value, unit in throughputs(masterplan, client):
                result.throughputs.append((label, unit, [value]))
    return result


# --- the report ----------------------------------------------------------------------------


@dataclass
class BenchReport:
    config: dict[str, Any]
    database: str
    generation: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: dict[str, ListResult] = field(default_factory=dict)
    imports: ImportResult | None = None
    phases: list[tuple[str, float, float]] = field(default_factory=list)  # name, wall, CPU
    total_seconds: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0

    def differing_query_counts(self) -> list[str]:
        city, state = self.lists.get("city"), self.lists.get("state")
        if city is None or state is None:
            return []
        return [
            c.label.strip(" …")
            for c, s in zip(city.measurements, state.measurements, strict=True)
            if c.queries != s.queries
        ]


def list_result_from(data: dict[str, Any]) -> ListResult:
    measurements = [ListMeasurement(**m) for m in data.pop("measurements")]
    throughputs = [tuple(t) for t in data.pop("throughputs", [])]
    pdfs = [PdfMeasurement(**p) for p in data.pop("pdfs", [])]
    return ListResult(**data, measurements=measurements, throughputs=throughputs, pdfs=pdfs)


def add_round(result: ListResult, more: ListResult) -> None:
    """Pool the timings of another round of the same lists on the same database."""
    for mine, theirs in zip(result.measurements, more.measurements, strict=True):
        mine.times_ms.extend(theirs.times_ms)
        mine.cpu_ms.extend(theirs.cpu_ms)
        mine.queries = max(mine.queries, theirs.queries)
    for (_label, _unit, values), (_l, _u, others) in zip(
        result.throughputs, more.throughputs, strict=True
    ):
        values.extend(others)
    for pdf, again in zip(result.pdfs, more.pdfs, strict=True):
        pdf.first_ms.extend(again.first_ms)
        pdf.again_ms.extend(again.again_ms)
    result.rounds += more.rounds


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


# Printed under the table: (figure, what it means), wrapped to the report's width.
EXPLANATION = (
    (
        "SQL queries",
        "Statements one request sends to the database (CaptureQueriesContext). A list must "
        "send the same number at both scales; a count that grows with the data is an N+1 "
        '(one query per row shown) and is marked with "!".',
    ),
    (
        "median",
        "The middle of the n timed requests (time.perf_counter): {rounds} round(s) of up to "
        "{repeat}, each round in a new process after {warmup} untimed requests, the rounds "
        "alternating between the city and the state database so that other load on the "
        "machine hits both alike. A request goes through the whole Django stack "
        "(django.test.Client: middleware, permission checks, queries, template or JSON) "
        "without a network.",
    ),
    (
        "state ÷ city",
        "Median at state scale divided by the median at city scale, each measured on the "
        "largest masterplan of its database; the state database holds {factor}× the rows of "
        "the city database. A ratio near 1 means that the cost of a list does not grow with "
        "the amount of data in the installation, only with the page size; well above 1 points "
        "to a missing "
        'index or a query that reads rows of other masterplans. "wall" compares the elapsed '
        'times, "CPU" the CPU time the measuring process spent per request, which waiting '
        "for other programs does not inflate (sharing the processor's caches with them still "
        "does; with PostgreSQL it leaves out the server's own work).",
    ),
    (
        "import",
        "Rows of the CSV divided by the wall time of import_file(): decoding, validation of "
        "every row, upsert by external ID and an audit entry per row, in one transaction, as "
        "an upload or `masterplan import` does it, reading the file from disk in batches. "
        "bulk_create: the same file read with csv.DictReader and written with bulk_create in "
        "batches of {batch}, without validation and audit trail; import ÷ raw is the price of "
        "validation and audit (target ≤ {ratio_target}). executemany: the same rows through "
        "one INSERT that the database driver runs for every row, without the ORM's work per "
        "object. Each of the three runs in a fresh process.",
    ),
    (
        "peak memory",
        "How far the import raised the peak resident memory of its process: ru_maxrss after "
        "the import minus ru_maxrss just before it, in a process that had only started Django "
        "(the file is read from disk, not held in memory). Target ≤ {memory_target} MB for "
        "1,000,000 rows: the rows are checked and written in batches, and what the import "
        "keeps of the whole file is its external IDs (about 140 bytes each). With "
        "--trace-memory also the tracemalloc peak of Python's allocations during a second, "
        "identical import.",
    ),
)


def explanation_lines(config: dict[str, Any]) -> list[str]:
    values = {
        "repeat": config["repeat"],
        "rounds": config.get("rounds", 1),
        "warmup": config["warmup"],
        "factor": round(config["state_scale"] / config["city_scale"]),
        "batch": f"{synthetic.BATCH_SIZE:,}",
        "ratio_target": f"{TIME_RATIO_TARGET:.1f}",
        "memory_target": MEMORY_TARGET_MB,
    }
    lines = ["What the figures mean"]
    for term, text in EXPLANATION:
        wrapped = textwrap.wrap(text.format(**values), width=WIDTH - 16)
        lines.append(f"  {term:<14}{wrapped[0]}")
        lines += [f"{'':<16}{line}" for line in wrapped[1:]]
    return lines


def header_lines(report: BenchReport) -> list[str]:
    city, state = report.lists.get("city"), report.lists.get("state")
    measured = city or state
    version = measured.database_version if measured else report.database
    lines = [
        f"Masterplan benchmark · {version} · Python {platform.python_version()} · "
        f"Django {django.get_version()} · {os.cpu_count()} CPUs"
    ]
    for label, result in (("City scale", city), ("State scale", state)):
        if result is not None:
            lines.append(
                f"{label + ':':<13}{result.masterplans:>4,} masterplan(s) "
                f"{result.organizations:>9,} organisations {result.people:>9,} people "
                f"{result.affiliations:>9,} affiliations"
            )
    return lines


def list_lines(city: ListResult, state: ListResult, differing: list[str]) -> list[str]:
    measured = (
        "Measured: the largest masterplan of each database, logged in as its coordinator "
        f"(city {city.plan_slug}: {city.plan_organizations:,} organisations, "
        f"{city.plan_people:,} people; state {state.plan_slug}: "
        f"{state.plan_organizations:,} organisations, {state.plan_people:,} people); "
        f"median of n requests ({city.rounds} round(s) of up to {city.repeat}, each after "
        f"{city.warmup} warm-up requests; a page gets fewer when a round of it would take more "
        f"than {ROUND_BUDGET:.0f} seconds, but at least {MINIMUM_SAMPLES})."
    )
    lines = [
        *textwrap.wrap(measured, width=WIDTH),
        "",
        f"{'':<34}{'SQL queries':>12}{'median (ms)':>18}{'state ÷ city':>16}",
        f"{'List':<34}{'city':>6}{'state':>6}{'city':>9}{'state':>9}{'wall':>9}{'CPU':>7}{'n':>5}",
    ]
    for c, s in zip(city.measurements, state.measurements, strict=True):
        flag = " !" if c.queries != s.queries else ""
        ratio = s.median_ms / c.median_ms if c.median_ms else float("nan")
        cpu_ratio = s.median_cpu_ms / c.median_cpu_ms if c.median_cpu_ms else float("nan")
        lines.append(
            f"{c.label:<34}{c.queries:>6}{s.queries:>6}{c.median_ms:>9.1f}"
            f"{s.median_ms:>9.1f}{ratio:>9.2f}{cpu_ratio:>7.2f}"
            f"{min(len(c.times_ms), len(s.times_ms)):>5}{flag}"
        )
    if differing:
        warning = (
            "! The query count differs between city and state scale for: "
            + ", ".join(differing)
            + ". Look for a query per row (N+1) in the view, template or schema."
        )
        lines += textwrap.wrap(warning, width=WIDTH)
    else:
        lines.append("The query counts are the same at both scales.")
    return lines


def throughput_lines(city: ListResult, state: ListResult) -> list[str]:
    """The apps' throughput figures (median over the rounds) at both scales."""
    if not city.throughputs:
        return []
    lines = [
        "Throughputs on the largest masterplan (median of the rounds)",
        f"{'':<46}{'city':>12}{'state':>12}{'state ÷ city':>14}",
    ]
    for (label, unit, c), (_label, _unit, s) in zip(
        city.throughputs, state.throughputs, strict=True
    ):
        c_value, s_value = statistics.median(c), statistics.median(s)
        ratio = s_value / c_value if c_value else float("nan")
        lines.append(
            f"  {label + ' (' + unit + ')':<44}{c_value:>12,.1f}{s_value:>12,.1f}{ratio:>14.2f}"
        )
    return lines


def ratio_lines(city: ListResult, state: ListResult, main_keys: set[str]) -> list[str]:
    """The main pages as multiples of the organisation list page of the same run."""
    city_ratios = main_page_ratios(city, main_keys)
    if not city_ratios:
        return []
    state_ratios = {r.key: r for r in main_page_ratios(state, main_keys)}
    lines = [
        f"Main pages ÷ organisation list page of the same run (target ≤ {MAIN_PAGE_TARGET:.0f} ×)",
        f"{'':<36}{'city':>8}{'state':>8}",
    ]
    for c in city_ratios:
        s = state_ratios.get(c.key)
        met = c.met and (s is None or s.met)
        state_ratio = f"{s.ratio:>8.1f}" if s else f"{'–':>8}"
        lines.append(f"  {c.label:<34}{c.ratio:>8.1f}{state_ratio}   {'met' if met else 'NOT met'}")
    return lines


def pdf_lines(city: ListResult, state: ListResult) -> list[str]:
    """The PDFs: time to the first PDF (rendering) and to the second one (cache)."""
    if not city.pdfs:
        return []
    lines = [
        "PDFs on the largest masterplan (median of the rounds; target < "
        f"{PDF_TARGET_SECONDS:.0f} s or from the cache)",
        f"{'':<36}{'first':>10}{'again':>10}{'first':>10}{'again':>10}",
        f"{'':<36}{'city':>20}{'state':>20}",
    ]
    for c, s in zip(city.pdfs, state.pdfs, strict=True):
        if not c.first_ms or not s.first_ms:
            lines.append(f"  {c.label:<34}  not measured: no PDF renderer on this machine")
            continue
        figures = [
            statistics.median(v) / 1000 for v in (c.first_ms, c.again_ms, s.first_ms, s.again_ms)
        ]
        lines.append(f"  {c.label:<34}" + "".join(f"{f:>9.2f}s" for f in figures))
    return lines


def import_lines(imported: ImportResult) -> list[str]:
    def row(name: str, wall: float, cpu: float, note: str) -> str:
        rate = imported.rows / wall if wall else 0.0
        return f"  {name:<20}{rate:>10,.0f}{duration(wall):>14}{duration(cpu):>14}   {note}"

    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    floor = (
        imported.import_seconds / imported.executemany_seconds
        if imported.executemany_seconds
        else 0.0
    )
    ratio = imported.time_ratio
    lines = [
        f"CSV import of {imported.rows:,} organisations ({IMPORTER}, "
        f"{imported.csv_megabytes:.1f} MB)",
        f"{'':<22}{'rows/s':>10}{'wall':>14}{'CPU':>14}",
        row("import_file()", imported.import_seconds, imported.import_cpu_seconds,
            f"{imported.created:,} created"),
        row("raw: bulk_create", imported.raw_seconds, imported.raw_cpu_seconds,
            "no validation, no audit trail"),
        row("raw: executemany", imported.executemany_seconds, imported.executemany_cpu_seconds,
            "one INSERT for all rows, no ORM"),
        f"  {'import ÷ raw':<20}{ratio:>10.2f} × the time of bulk_create "
        f"(target ≤ {TIME_RATIO_TARGET:.1f}: {verdict(ratio <= TIME_RATIO_TARGET)}), "
        f"{floor:.1f} × that of executemany",
        f"  {'':<20}{imported.cpu_time_ratio:>10.2f} × by CPU time (what a busy machine does "
        "not inflate)",
        f"  {'peak memory':<20}{imported.maxrss_delta_mb:>10,.0f} MB growth of ru_maxrss "
        f"during the import (target ≤ {MEMORY_TARGET_MB} MB: "
        f"{verdict(imported.maxrss_delta_mb <= MEMORY_TARGET_MB)})",
    ]  # fmt: skip
    if imported.tracemalloc_peak_mb is not None:
        lines.append(
            f"  {'':<20}{imported.tracemalloc_peak_mb:>10,.0f} MB tracemalloc peak of an "
            "identical import"
        )
    lines.extend(f"  error: {error}" for error in imported.errors)
    return lines


def render_report(report: BenchReport) -> str:
    """The comparison table with the explanation of each figure under it."""
    lines = header_lines(report)
    city, state = report.lists.get("city"), report.lists.get("state")
    if city and state:
        lines += list_lines(city, state, report.differing_query_counts())
        for more in (
            ratio_lines(city, state, main_page_keys()),
            pdf_lines(city, state),
            throughput_lines(city, state),
        ):
            if more:
                lines += ["", *more]
    if report.imports is not None:
        lines += ["", *import_lines(report.imports)]
    lines += ["", f"{'Phases':<36}{'wall':>12}{'CPU':>12}"]
    lines += [
        f"  {name:<34}{duration(wall):>12}{duration(cpu):>12}" for name, wall, cpu in report.phases
    ]
    lines += [f"  {'total':<34}{duration(report.total_seconds):>12}"]
    lines += textwrap.wrap(
        "CPU is the time the measuring process itself computed; a wall time well above it means "
        "that the process waited for the disk or for other programs (load average "
        f"{report.load_before:.1f} at the start, {report.load_after:.1f} at the end, "
        f"{os.cpu_count()} CPUs).",
        width=WIDTH,
    )
    lines += ["", *explanation_lines(report.config)]
    return "\n".join(lines)
