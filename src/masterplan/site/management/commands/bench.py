"""`masterplan bench`: how the cost of lists and imports grows from city to state scale.

One run prepares three databases (city scale, state scale, and an empty one for the import),
measures each in its own process and prints one table. With SQLite the databases are files
under var/bench/; with `--database-url postgresql://…` they are the schemas bench_city,
bench_state and bench_import of that database. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from masterplan.core import synthetic
from masterplan.core.models import Masterplan
from masterplan.directory.synthetic import ORGANIZATIONS_PER_PLAN, PEOPLE_PER_PLAN
from masterplan.plans.synthetic import MEASURES_PER_PLAN
from masterplan.site import benchmarks, import_bench

PLAN_PREFIX = "bench"


@dataclass(frozen=True)
class BenchConfig:
    city_scale: int
    state_scale: int
    organizations: int
    people: int
    measures: int
    import_rows: int
    repeat: int
    warmup: int
    rounds: int
    seed: int
    trace_memory: bool = False
    content_size: float = 1.0  # share of the apps' default content per masterplan


FULL = BenchConfig(
    city_scale=1,
    state_scale=100,
    organizations=ORGANIZATIONS_PER_PLAN,
    people=PEOPLE_PER_PLAN,
    measures=MEASURES_PER_PLAN,
    import_rows=1_000_000,
    repeat=15,
    warmup=3,
    rounds=3,
    seed=synthetic.DEFAULT_SEED,
)
QUICK = BenchConfig(
    city_scale=1,
    state_scale=5,
    organizations=200,
    people=500,
    measures=20,
    import_rows=2_000,
    repeat=5,
    warmup=1,
    rounds=1,
    seed=synthetic.DEFAULT_SEED,
    content_size=0.05,
)


@dataclass
class Target:
    """One benchmark database: a SQLite file or a PostgreSQL schema."""

    label: str
    url: str
    sqlite_path: Path | None = None
    schema: str = ""
    server_url: str = ""

    def exists(self) -> bool:
        if self.sqlite_path is not None:
            return self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(self.server_url) as conn:
            found = conn.execute(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [self.schema]
            ).fetchone()
        return found is not None

    def reset(self, *, template: Path | None = None) -> None:
        """An empty database; SQLite copies an already migrated one when there is one."""
        if self.sqlite_path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            if template is not None and template.exists():
                shutil.copyfile(template, self.sqlite_path)
            return
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{self.schema}"')


def target_for(label: str, *, database_url: str, output_dir: Path) -> Target:
    if not database_url:
        path = (output_dir / f"{label}.sqlite3").resolve()
        return Target(label=label, url=f"sqlite:///{path}", sqlite_path=path)
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise CommandError("--database-url: only postgresql://… URLs (SQLite is the default).")
    schema = f"bench_{label}"
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema}"))
    url = urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
    return Target(label=label, url=url, schema=schema, server_url=database_url)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Refuse a second run on the same databases: it would replace them under the first."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(
                f"Another `masterplan bench` is using {path.parent}; wait for it to finish or "
                "give this run its own --output-dir (and its own --database-url)."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


class Command(BaseCommand):
    help = (
        "Measure list pages, API lists and a CSV import at city scale (1 masterplan) and at "
        "state scale (100 masterplans) in one run and print the comparison. Uses fresh SQLite "
        "files under var/bench/ unless --database-url names a PostgreSQL database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Small and fast (scales 1 and 5, 200 organisations, 500 people and 20 measures "
            "per plan, 5 %% of the other content, 2,000 import rows, 5 repetitions), for the "
            "test suite.",
        )
        parser.add_argument("--city-scale", type=positive, help="Masterplans at city scale (1).")
        parser.add_argument(
            "--state-scale", type=positive, help="Masterplans at state scale (100)."
        )
        parser.add_argument(
            "--organizations", type=positive, help="Organisations per masterplan (2,000)."
        )
        parser.add_argument("--people", type=positive, help="People per masterplan (5,000).")
        parser.add_argument("--measures", type=positive, help="Measures per masterplan (200).")
        parser.add_argument(
            "--content-size",
            type=synthetic.content_size,
            help="Share of the default governance, indicator and climate content per "
            "masterplan (1: 1,000 meetings, 100 indicators, 25 member companies).",
        )
        parser.add_argument(
            "--import-rows", type=positive, help="Rows of the CSV import (1,000,000)."
        )
        parser.add_argument("--repeat", type=positive, help="Timed requests per list (15).")
        parser.add_argument("--warmup", type=int, help="Untimed requests before (3).")
        parser.add_argument(
            "--rounds",
            type=positive,
            help="Rounds of measurements, alternating city and state, each in a new process, "
            "so that a passing load on the machine hits both scales alike (3).",
        )
        parser.add_argument("--skip-import", action="store_true", help="Only the lists.")
        parser.add_argument(
            "--skip-lists",
            action="store_true",
            help="Only the import (no city and state databases are generated).",
        )
        parser.add_argument(
            "--trace-memory",
            action="store_true",
            help="Also import the file a second time under tracemalloc for the peak of "
            "Python's allocations (slow: several times the import's duration; use it with "
            "fewer --import-rows).",
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="A PostgreSQL database to run in (schemas bench_city, bench_state and "
            "bench_import are dropped and created); default: SQLite files.",
        )
        parser.add_argument(
            "--output-dir", type=Path, help="Where the SQLite files go (default: var/bench)."
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Keep generated databases of an earlier run with the same sizes.",
        )
        parser.add_argument("--json", type=Path, help="Also write the results to this file.")
        # Internal: the measuring processes.
        parser.add_argument("--worker", choices=["scale", "lists"], help=argparse.SUPPRESS)
        parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
        parser.add_argument("--scale", type=int, default=0, help=argparse.SUPPRESS)
        parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--template", type=Path, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        base = QUICK if options["quick"] else FULL
        config = BenchConfig(
            city_scale=options["city_scale"] or base.city_scale,
            state_scale=options["state_scale"] or base.state_scale,
            organizations=options["organizations"] or base.organizations,
            people=options["people"] or base.people,
            measures=options["measures"] or base.measures,
            import_rows=options["import_rows"] or base.import_rows,
            repeat=options["repeat"] or base.repeat,
            warmup=base.warmup if options["warmup"] is None else options["warmup"],
            rounds=options["rounds"] or base.rounds,
            seed=options["seed"] or base.seed,
            trace_memory=options["trace_memory"],
            content_size=options["content_size"] or base.content_size,
        )
        if options["worker"]:
            if options["result"] is None:
                raise CommandError("--worker needs --result.")
            data = self.work(
                options["worker"], config, scale=options["scale"], template=options["template"]
            )
            options["result"].write_text(json.dumps(data, default=str))
            return
        output_dir = options["output_dir"] or Path(settings.VAR_DIR) / "bench"
        output_dir.mkdir(parents=True, exist_ok=True)
        with exclusive(output_dir / ".lock"):
            report = self.orchestrate(
                config,
                database_url=options["database_url"],
                output_dir=output_dir,
                reuse=options["reuse"],
                skip_import=options["skip_import"],
                skip_lists=options["skip_lists"],
            )
        if options["json"]:
            options["json"].write_text(json.dumps(asdict(report), indent=2, default=str))
        self.stdout.write("\n" + benchmarks.render_report(report))

    # --- orchestration (this process never opens the benchmark databases) -----------------

    def orchestrate(
        self,
        config: BenchConfig,
        *,
        database_url: str,
        output_dir: Path,
        reuse: bool,
        skip_import: bool,
        skip_lists: bool = False,
    ) -> benchmarks.BenchReport:
        started = time.perf_counter()
        report = benchmarks.BenchReport(
            config=asdict(config),
            database="PostgreSQL" if database_url else "SQLite",
            load_before=os.getloadavg()[0],
        )
        # SQLite: the first fresh database is migrated and copied, which spares the others
        # the migrations.
        template = output_dir / "migrated.sqlite3"
        template.unlink(missing_ok=True)
        scales = () if skip_lists else (("city", config.city_scale), ("state", config.state_scale))
        for label, scale in scales:
            target = target_for(label, database_url=database_url, output_dir=output_dir)
            marker = output_dir / f"{label}.json"
            wanted = {
                "scale": scale,
                "organizations": config.organizations,
                "people": config.people,
                "measures": config.measures,
                "content_size": config.content_size,
                "seed": config.seed,
                "url": target.url,
            }
            previous = json.loads(marker.read_text()) if reuse and marker.exists() else {}
            reused = previous.get("wanted") == wanted and target.exists()
            if not reused:
                marker.unlink(missing_ok=True)
                target.reset(template=template)
            data = self.run_worker(
                "scale", target, config, scale=0 if reused else scale, template=template
            )
            phases = data["phases"]
            if reused:
                generation, phases["generate"] = previous["generation"], previous["clock"]
            else:
                generation = data["generation"]
                marker.write_text(
                    json.dumps(
                        {"wanted": wanted, "generation": generation, "clock": phases["generate"]}
                    )
                )
            suffix = " (reused)" if reused else ""
            report.phases += [
                (f"{label}: migrate", *phases["migrate"]),
                (f"{label}: generate scale {scale}{suffix}", *phases["generate"]),
                *([(f"{label}: analyze", *phases["analyze"])] if "analyze" in phases else []),
                (f"{label}: measure lists", *phases["lists"]),
            ]
            report.generation[label] = generation
            report.lists[label] = benchmarks.list_result_from(data["lists"])
        for round_ in range(2, 1 if skip_lists else config.rounds + 1):
            for label in ("city", "state"):
                target = target_for(label, database_url=database_url, output_dir=output_dir)
                data = self.run_worker("lists", target, config)
                benchmarks.add_round(
                    report.lists[label], benchmarks.list_result_from(data["lists"])
                )
                report.phases.append(
                    (f"{label}: measure lists, round {round_}", *data["phases"]["lists"])
                )
        if not skip_import:
            target = target_for("import", database_url=database_url, output_dir=output_dir)
            target.reset(template=template)
            self.stdout.write(f"import: {config.import_rows:,} rows …")
            self.stdout.flush()
            started = time.perf_counter()
            imported = import_bench.measure_import(
                database_url=target.url,
                rows=config.import_rows,
                workdir=output_dir,
                seed=config.seed,
                trace_memory=config.trace_memory,
            )
            traced = ", traced import" if config.trace_memory else ""
            cpu = imported.import_cpu_seconds + imported.raw_cpu_seconds
            report.phases.append(
                (
                    f"import: {config.import_rows:,} rows, 2 raw inserts{traced}",
                    time.perf_counter() - started,
                    cpu + imported.executemany_cpu_seconds,
                )
            )
            report.imports = imported
        report.total_seconds = time.perf_counter() - started
        report.load_after = os.getloadavg()[0]
        return report

    def run_worker(
        self,
        worker: str,
        target: Target,
        config: BenchConfig,
        *,
        scale: int = 0,
        template: Path | None = None,
    ) -> dict[str, Any]:
        """Run one measuring process against the target database and return its result."""
        step = {"scale": "measure the lists", "lists": "measure the lists"}
        step["scale"] = f"generate scale {scale} and measure the lists" if scale else step["lists"]
        self.stdout.write(f"{target.label}: {step[worker]} …")
        self.stdout.flush()
        with tempfile.TemporaryDirectory() as scratch:
            result_path = Path(scratch) / "result.json"
            command = [
                sys.executable, "-m", "masterplan.cli", "bench", "--worker", worker,
                "--result", str(result_path), "--scale", str(scale),
                "--organizations", str(config.organizations), "--people", str(config.people),
                "--measures", str(config.measures), "--content-size", str(config.content_size),
                "--import-rows", str(config.import_rows), "--repeat", str(config.repeat),
                "--warmup", str(config.warmup), "--seed", str(config.seed),
                *(["--trace-memory"] if config.trace_memory else []),
                *(["--template", str(template)] if template and target.sqlite_path else []),
            ]  # fmt: skip
            env = {**os.environ, "DATABASE_URL": target.url}
            # The command line is built here from numbers and our own module name.
            completed = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
            if completed.returncode != 0:
                raise CommandError(
                    f"The {worker} step for {target.label} failed:\n{completed.stderr[-4000:]}"
                )
            data: dict[str, Any] = json.loads(result_path.read_text())
        return data

    # --- the measuring processes -----------------------------------------------------------

    def work(
        self, worker: str, config: BenchConfig, *, scale: int, template: Path | None
    ) -> dict[str, Any]:
        """Runs in the process of one benchmark database (DATABASE_URL)."""
        data: dict[str, Any] = {}
        clock = benchmarks.PhaseClock()
        if worker == "scale":
            with clock("migrate"):
                call_command("migrate", interactive=False, verbosity=0)
            if template is not None and not template.exists() and not scale_has_data():
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM INTO %s", [str(template)])
        if worker == "scale":
            generation = synthetic.GenerationResult()
            with clock("generate"):
                if scale:
                    generation = synthetic.generate(
                        scale=scale,
                        amounts={
                            "organizations": config.organizations,
                            "people": config.people,
                            "measures": config.measures,
                        },
                        content_size=config.content_size,
                        prefix=PLAN_PREFIX,
                        seed=config.seed,
                    )
            data["generation"] = asdict(generation)
            if connection.vendor == "postgresql":
                # What autovacuum does a minute after a bulk load in any normal installation;
                # without statistics the planner scans whole tables (autovacuum may be off on
                # a development server).
                with clock("analyze"), connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            gc.collect()
        with clock("lists"):
            lists = benchmarks.measure_lists(repeat=config.repeat, warmup=config.warmup)
        return {**data, "phases": clock.phases, "lists": asdict(lists)}


def scale_has_data() -> bool:
    return Masterplan.all_objects.exists()
