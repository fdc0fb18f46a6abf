"""The import scenario of `masterplan bench`: a CSV file of organisations imported with the
import framework, against a raw bulk insert of the same rows.

`measure_import(...)` is all the bench command calls; it returns the figures. Each measurement
runs in a fresh process of its own (`python -m masterplan.site.import_bench STEP …`, with the
benchmark database's DATABASE_URL), so that neither the file nor another measurement is in
its memory:

- the file is written first, in chunks, to `workdir` (kept for the next run with the same
  number of rows and seed);
- `import` imports it from disk with `import_file(…, dry_run=False)`, as `masterplan import`
  does. Its **peak memory growth** is the process's peak resident memory, which the kernel
  keeps (`ru_maxrss`; on Linux read as VmHWM, see `core.benchtools.peak_memory_mb`), after
  the import minus the same just before it, in a process that has only started Django (the
  database was migrated by a process before): every allocation of the import counts,
  Python's and the database driver's, not only what tracemalloc sees;
- `raw` writes the same rows with `csv.DictReader` and `bulk_create` in batches of 1,000 and
  sets the parents with `bulk_update` (no validation, no audit trail), then once more with one
  INSERT run by `cursor.executemany`;
- with `trace_memory`, `traced` imports the file once more under tracemalloc (several times
  slower) for the peak of Python's own allocations.

The limits the issue set for 1,000,000 rows: growth ≤ MEMORY_TARGET_MB, and import time ÷ raw
bulk insert ≤ TIME_RATIO_TARGET.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from masterplan.core.benchtools import peak_memory_mb

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from masterplan.core.models import Masterplan

MEMORY_TARGET_MB = 300
TIME_RATIO_TARGET = 2.0
IMPORTER = "directory.organizations"
BENCH_USERNAME = "bench-coordinator"
CSV_CHUNK = 5000
BATCH = 1000


@dataclass
class ImportResult:
    rows: int
    import_seconds: float = 0.0
    raw_seconds: float = 0.0
    executemany_seconds: float = 0.0
    import_cpu_seconds: float = 0.0
    raw_cpu_seconds: float = 0.0
    executemany_cpu_seconds: float = 0.0
    created: int = 0
    errors: list[str] = field(default_factory=list)
    tracemalloc_peak_mb: float | None = None
    maxrss_delta_mb: float = 0.0
    csv_megabytes: float = 0.0
    columns: list[str] = field(default_factory=list)

    @property
    def time_ratio(self) -> float:
        """Import time ÷ the time of the raw bulk insert of the same rows."""
        return self.import_seconds / self.raw_seconds if self.raw_seconds else float("nan")

    @property
    def cpu_time_ratio(self) -> float:
        """The same by the CPU time of the measuring processes: what other programs on the
        machine do does not inflate it (the database is embedded, so SQLite's work counts)."""
        if not self.raw_cpu_seconds:
            return float("nan")
        return self.import_cpu_seconds / self.raw_cpu_seconds

    @property
    def meets_targets(self) -> bool:
        return self.maxrss_delta_mb <= MEMORY_TARGET_MB and self.time_ratio <= TIME_RATIO_TARGET


def measure_import(
    *,
    database_url: str,
    rows: int,
    workdir: Path,
    seed: int,
    trace_memory: bool = False,
) -> ImportResult:
    """Import `rows` synthetic organisations into an empty masterplan of the database at
    `database_url` (migrated), then write the same rows raw; every step in its own process."""
    path = workdir / f"organisations-{rows}-{seed}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        write_organization_csv(partial, rows, seed=seed)
        partial.replace(path)
    result = ImportResult(
        rows=rows, columns=importer_columns(), csv_megabytes=path.stat().st_size / 2**20
    )
    run_step("migrate", path, database_url)
    imported = run_step("import", path, database_url)
    result.import_seconds, result.import_cpu_seconds = imported["seconds"]
    result.maxrss_delta_mb = imported["maxrss_delta_mb"]
    result.created, result.errors = imported["created"], imported["errors"]
    raw = run_step("raw", path, database_url)
    result.raw_seconds, result.raw_cpu_seconds = raw["bulk_create"]
    result.executemany_seconds, result.executemany_cpu_seconds = raw["executemany"]
    if trace_memory:
        result.tracemalloc_peak_mb = run_step("traced", path, database_url)["tracemalloc_mb"]
    return result


def run_step(step: str, path: Path, database_url: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # The bench's file is larger than an upload may be.
        "IMPORT_MAX_BYTES": str(max(path.stat().st_size, 1)),
        "IMPORT_MAX_ROWS": str(10**9),
    }
    command = [sys.executable, "-m", "masterplan.site.import_bench", step, str(path)]
    # The command line is our own module and a path we chose.
    completed = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"The import bench step {step} failed:\n{completed.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


# --- the file ------------------------------------------------------------------------------


def importer_columns() -> list[str]:
    """The CSV header of the organisation importer, in its declared order."""
    from masterplan.core.imports.registry import get_importer

    return [column.name for column in get_importer(IMPORTER).columns]


def organization_lines(count: int, *, seed: int) -> Iterator[str]:
    """`count` synthetic organisations as CSV lines for the importer (`;`), header first.

    Drawn in chunks of CSV_CHUNK, each from one municipality; parents refer to large firms
    earlier in the same chunk.
    """
    from masterplan.core import synthetic
    from masterplan.directory import synthetic as directory_synthetic

    columns = importer_columns()
    rng = random.Random(f"{seed}:import")
    buffer = _LineBuffer()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.take()
    for chunk, start in enumerate(range(0, count, CSV_CHUNK)):
        rows = directory_synthetic.organization_rows(
            rng,
            municipality=synthetic.MUNICIPALITIES[chunk % len(synthetic.MUNICIPALITIES)],
            count=min(CSV_CHUNK, count - start),
            id_prefix=f"IMP{chunk:03d}-",
            neighbours=synthetic.MUNICIPALITIES,
            with_institutions=False,
        )
        for row in rows:
            values = {**row.fields, "parent": row.parent}
            writer.writerow(["" if values.get(c) is None else values[c] for c in columns])
        yield buffer.take()


class _LineBuffer:
    """What csv.writer writes, handed on chunk by chunk."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def write_organization_csv(path: Path, count: int, *, seed: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        file.writelines(organization_lines(count, seed=seed))


# --- the steps, each in its own process ----------------------------------------------------


def bench_plan(slug: str) -> tuple[Masterplan, User]:
    """An empty masterplan for one measurement and a coordinator of it."""
    from django.contrib.auth import get_user_model

    from masterplan.core.models import Masterplan, PlanRole, Publication, Role

    masterplan = Masterplan.objects.create(
        name=f"Benchmark {slug}",
        slug=slug,
        city="Düsseldorf",
        ags="05111000",
        publication=Publication.PUBLISHED,
        is_sample=True,
    )
    user, _created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    PlanRole.objects.create(user=user, masterplan=masterplan, role=Role.COORDINATOR)
    return masterplan, user


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(started: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clocks()
    return wall - started[0], cpu - started[1]


def migrate_step(path: Path) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return {}


def import_step(path: Path, slug: str = "bench-import") -> dict[str, Any]:
    from masterplan.core.imports.registry import get_importer
    from masterplan.core.imports.runner import import_file

    masterplan, user = bench_plan(slug)
    get_importer(IMPORTER).bound  # noqa: B018 - loads the apps' importers, not part of the import
    gc.collect()
    before = peak_memory_mb()
    started = clocks()
    with path.open("rb") as file:
        report = import_file(
            importer=IMPORTER,
            masterplan=masterplan,
            actor=user,
            content=file,
            filename=path.name,
        )
    return {
        "seconds": since(started),
        "maxrss_delta_mb": peak_memory_mb() - before,
        "created": report.created,
        "errors": [str(e) for e in report.errors[:5]],
    }


def traced_step(path: Path) -> dict[str, Any]:
    tracemalloc.start()
    try:
        import_step(path, slug="bench-import-traced")
        return {"tracemalloc_mb": tracemalloc.get_traced_memory()[1] / 2**20}
    finally:
        tracemalloc.stop()


def raw_step(path: Path) -> dict[str, Any]:
    figures = {}
    for name, insert, slug in (
        ("bulk_create", raw_insert, "bench-raw"),
        ("executemany", executemany_insert, "bench-executemany"),
    ):
        masterplan, _user = bench_plan(slug)
        gc.collect()
        started = clocks()
        insert(path, masterplan)
        figures[name] = since(started)
    return figures


# The organisation fields the synthetic rows fill; the importer has a column of each name
# (and "parent", the parent's external ID). Its other columns stay empty in the file.
FILE_FIELDS = [
    "external_id",
    "name",
    "legal_name",
    "kind",
    "sector_wz",
    "employees",
    "employees_year",
    "street",
    "postcode",
    "city",
    "ags",
    "website",
    "publication",
]


def raw_insert(path: Path, masterplan: Any) -> int:
    """The same rows without validation and audit: csv.DictReader and bulk_create in batches,
    then the parents set with bulk_update (a parent may come later in the file)."""
    from django.db import transaction

    from masterplan.core.imports.importer import batches
    from masterplan.directory.models import Organization

    count = 0
    by_external_id: dict[str, int] = {}
    children: list[tuple[int, str]] = []
    with path.open(encoding="utf-8", newline="") as file, transaction.atomic():
        for records in batches(csv.DictReader(file, delimiter=";"), BATCH):
            objects = []
            for record in records:
                values: dict[str, Any] = {c: v for c, v in record.items() if c in FILE_FIELDS}
                for number in ("employees", "employees_year"):
                    values[number] = int(values[number]) if values.get(number) else None
                objects.append(Organization(masterplan=masterplan, **values))
            Organization.objects.bulk_create(objects, batch_size=BATCH)
            for obj, record in zip(objects, records, strict=True):
                by_external_id[obj.external_id] = obj.pk
                if record.get("parent"):
                    children.append((obj.pk, record["parent"]))
            count += len(objects)
        updates = [
            Organization(pk=child, parent_id=by_external_id[parent]) for child, parent in children
        ]
        Organization.objects.bulk_update(updates, ["parent"], batch_size=BATCH)
    return count


def executemany_insert(path: Path, masterplan: Any) -> int:
    """The same rows with one prepared INSERT (cursor.executemany), bypassing the ORM; then
    the parents, by id, with one prepared UPDATE."""
    from django.db import connection, transaction
    from django.utils import timezone

    from masterplan.core.imports.importer import batches
    from masterplan.directory.models import Organization

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Organization._meta.db_table)
    names = [
        *FILE_FIELDS,
        "masterplan_id",
        "description",
        "created_at",
        "modified_at",
        "version",
        "is_sample",
    ]
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    placeholders = ", ".join(["%s"] * len(names))
    # Table and column names come from the model; every value is a query parameter.
    insert = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608
    update = f"UPDATE {table} SET parent_id = %s WHERE id = %s"  # noqa: S608
    numbers = (FILE_FIELDS.index("employees"), FILE_FIELDS.index("employees_year"))
    count = 0
    parents = []
    with (
        path.open(encoding="utf-8", newline="") as file,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        for records in batches(csv.DictReader(file, delimiter=";"), BATCH):
            rows = []
            for record in records:
                values: list[Any] = [record[c] for c in FILE_FIELDS]
                for position in numbers:
                    values[position] = int(values[position]) if values[position] else None
                rows.append([*values, masterplan.pk, "", now, now, 1, False])
                if record.get("parent"):
                    parents.append((record["external_id"], record["parent"]))
            cursor.executemany(insert, rows)
            count += len(rows)
        cursor.execute(
            f"SELECT external_id, id FROM {table} WHERE masterplan_id = %s",  # noqa: S608
            [masterplan.pk],
        )
        pk = dict(cursor.fetchall())
        cursor.executemany(update, [(pk[parent], pk[child]) for child, parent in parents])
    return count


STEPS = {"migrate": migrate_step, "import": import_step, "traced": traced_step, "raw": raw_step}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description="One step of the import bench (internal).")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterplan.settings")
    django.setup()
    print(json.dumps(STEPS[args.step](args.file)))


if __name__ == "__main__":
    main(sys.argv[1:])
