"""Benchmark hooks of the permit monitor (registered with core/bench.py).

SCENARIOS: the permit dashboard, the procedure list, the API's procedure list and its
statistics at city and state scale (constant queries). `throughputs`:

- the full statistics of the dashboard (Kaplan–Meier per authority × type, cumulative
  incidence, shares, bootstrap ranking with 1,000 resamples: `survival.dashboard_statistics`)
  on the procedures of a state (100 × the plan's: 1,000,000 in a full run, 50,000 with
  `--quick`) of 100 authorities × 5 types, against the pandas + lifelines script
  `bench/permits_reference.py` on the same file (issue 12: at least 10× faster). The
  reference's bootstrap takes about an hour at 1,000 resamples, so it runs
  5 of them (see below) and is extrapolated linearly (its cost is proportional to the
  number of resamples); the label says so. The file is written once under var/bench/.
- the plan's own dashboard and its ranking among peers, read from the database;
- the import of a peer city's procedure file (ten times the plan's procedures: 100,000 rows in
  a full run) and of a ZIP of a tenth as many XBau messages through the importer, rolled
  back: rows per second, wall and CPU, and the peak memory above the start of the import.

Sizes from the environment, to override: MASTERPLAN_BENCH_PERMIT_RECORDS (procedures) and
MASTERPLAN_BENCH_PERMIT_RESAMPLES (reference resamples actually run, 5) and
MASTERPLAN_BENCH_PERMIT_IMPORT_ROWS (rows of the procedure file). Without the
script (an installed package without the repository's bench/ folder) only the plan's figures
are given.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.benchtools import best_of
from masterplan.core.models import Masterplan
from masterplan.permits import queries
from masterplan.permits.import_bench import ImportBench, bench_import_in_own_process
from masterplan.permits.models import Procedure

SCENARIOS = [
    ListScenario("permits_dashboard", "Permit dashboard (figures per type)", "/p/{slug}/permits/"),
    ListScenario("permits_procedures", "Procedure list", "/p/{slug}/permits/procedures/"),
    ListScenario(
        "permits_api_procedures",
        "API procedures (first page)",
        "/api/plans/{slug}/permits/procedures",
    ),
    ListScenario(
        "permits_api_statistics", "API permit statistics", "/api/plans/{slug}/permits/statistics"
    ),
]
MAIN_PAGES = ["permits_dashboard"]

AS_OF = date(2026, 6, 30)  # the reference script's default day
RESAMPLES = 1000


def setting(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def reference_module() -> ModuleType | None:
    """bench/permits_reference.py of the repository (not part of the package), or None."""
    path = Path(settings.PROJECT_DIR) / "bench" / "permits_reference.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("permits_reference", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def reference_csv(reference: Any, records: int) -> Path:
    path = Path(settings.VAR_DIR) / "bench" / f"permits-{records}.csv"
    if not path.exists():
        reference.generate_csv(path, records=records, as_of=AS_OF)
    return path


def state_records(masterplan: Masterplan) -> int:
    """Procedures of a state of 100 plans of this plan's size, to the nearest 10,000: the
    issue's 1,000,000 for a full run, 50,000 for `--quick` (5 % content)."""
    count = Procedure.objects.filter(masterplan=masterplan).count()
    return max(10_000, round(100 * count, -4))


def import_rows(masterplan: Masterplan) -> int:
    """Rows of the import measured: ten times the plan's procedures (100,000 in a full run,
    5,000 with `--quick`)."""
    count = Procedure.objects.filter(masterplan=masterplan).count()
    return max(1_000, round(10 * count, -3))


def statistics_against_reference(records: int) -> list[tuple[str, float, str]]:
    """Ours (all 1,000 resamples) and the reference (bootstrap extrapolated) on one file.

    Measured once per `masterplan bench` run: the scale workers are processes of one parent,
    which names the file the first worker leaves its timings in for the others (the figure
    does not depend on the scale; a reference run takes minutes)."""
    reference = reference_module()
    if reference is None:
        return []
    records = setting("MASTERPLAN_BENCH_PERMIT_RECORDS", records)
    run = setting("MASTERPLAN_BENCH_PERMIT_RESAMPLES", 5)
    cache = Path(settings.VAR_DIR) / "bench" / f"permits-timings-{os.getppid()}-{records}-{run}"
    if cache.exists():
        ours_seconds, groups_seconds, theirs_seconds = json.loads(cache.read_text())
    else:
        path = reference_csv(reference, records)
        ours = reference.time_dashboard(path, as_of=AS_OF, resamples=RESAMPLES)
        theirs = reference.time_reference(
            path, as_of=AS_OF, resamples=run, target_resamples=RESAMPLES
        )
        ours_seconds = ours.groups_seconds
        groups_seconds = theirs.groups_seconds
        theirs_seconds = theirs.statistics_seconds
        cache.write_text(json.dumps([ours_seconds, groups_seconds, theirs_seconds]))
    sys.stderr.write(
        f"Permits: the reference's bootstrap ran {run} of {RESAMPLES:,} resamples; its time "
        f"is extrapolated linearly to {RESAMPLES:,}.\n"
    )
    size = f"{records:,} procedures, 100 authorities"
    return [
        (f"Permits: dashboard statistics, {size}", ours_seconds, "s"),
        (
            f"Permits: pandas + lifelines, same, bootstrap EXTRAPOLATED from {run} of "
            f"{RESAMPLES:,} resamples",
            theirs_seconds,
            "s",
        ),
        ("Permits: of which the reference's KM + AJ + shares", groups_seconds, "s"),
        (
            "Permits: speed-up over the reference (≥ 10× wanted)",
            theirs_seconds / ours_seconds,
            "×",
        ),
    ]


def import_figures(rows: int) -> list[tuple[str, float, str]]:
    """The procedure file of `rows` rows and a ZIP of `rows // 10` XBau messages, each
    imported through the importer and rolled back (permits/import_bench.py), each in a fresh
    process, with the rate and the import's own peak memory. Measured once per `masterplan
    bench` run, like the statistics above: the figures do not depend on the scale, and the
    import takes a minute."""
    rows = setting("MASTERPLAN_BENCH_PERMIT_IMPORT_ROWS", rows)
    cache = Path(settings.VAR_DIR) / "bench" / f"permits-imports-{os.getppid()}-{rows}"
    if cache.exists():
        measured = [ImportBench(**figures) for figures in json.loads(cache.read_text())]
    else:
        measured = [
            bench_import_in_own_process("procedures", rows),
            bench_import_in_own_process("xbau", rows // 10),
        ]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps([asdict(figures) for figures in measured]))
    procedures, xbau = measured
    return [
        (
            f"Permits: procedure CSV import, {procedures.rows:,} rows ({procedures.megabytes:,.1f}"
            " MB), wall",
            procedures.rows_per_second,
            "rows/s",
        ),
        ("Permits: … CPU", procedures.rows / max(procedures.cpu_seconds, 1e-9), "rows/s"),
        ("Permits: … peak memory above the start", procedures.growth_mb, "MB"),
        (
            f"Permits: XBau import, {xbau.rows:,} messages in a ZIP ({xbau.megabytes:,.1f} MB),"
            " wall",
            xbau.rows_per_second,
            "messages/s",
        ),
        ("Permits: … CPU", xbau.rows / max(xbau.cpu_seconds, 1e-9), "messages/s"),
        ("Permits: … peak memory above the start", xbau.growth_mb, "MB"),
    ]


def throughputs(masterplan: Masterplan, client: Client) -> list[tuple[str, float, str]]:
    user = AnonymousUser()
    today = timezone.localdate()
    procedures = Procedure.objects.filter(masterplan=masterplan).count()
    dashboard = best_of(
        3, lambda: queries.permit_dashboard(masterplan=masterplan, as_of=today, user=user)
    )
    ranking = best_of(1, lambda: queries.compute_benchmark(masterplan=masterplan, as_of=today))
    return [
        ("Permits: procedures of the plan", float(procedures), "procedures"),
        ("Permits: dashboard figures of the plan from the database", dashboard * 1000, "ms"),
        (
            "Permits: ranking among peers from the database (1,000 resamples)",
            ranking * 1000,
            "ms",
        ),
        *statistics_against_reference(state_records(masterplan)),
        *import_figures(import_rows(masterplan)),
    ]


register_bench("permits", scenarios=SCENARIOS, throughputs=throughputs, main_pages=MAIN_PAGES)
