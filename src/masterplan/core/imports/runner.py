"""`import_file`: check a file and, if all of it is right, import it in one transaction.

The file is read several times and never held in memory (see reading.py): once to check it
as a whole and count its rows, once for its external IDs (importer.collect_keys), and once in
batches of BATCH_SIZE rows that are parsed, planned against the database and, in a real import
while no error has been found, written. An error anywhere stops the writing; the rest of the
file is still checked so that every error is reported, and the transaction is rolled back at
the end: all or nothing, as if the whole file had been checked before anything was written.

The errors are reported in the order of a check in stages: the file, the header, every cell
(row by row), the external IDs found twice, and only when all of that is right, the plan
against the database (unknown references, deleted records, cycles, the importers' rules).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.imports.importer import ImportRun, ModelImporter, RowPlan, batches
from masterplan.core.imports.reading import FileProblem, Source
from masterplan.core.imports.registry import get_importer
from masterplan.core.imports.report import MAX_CHANGES, ErrorList, ImportReport, RowChange
from masterplan.core.permissions import can_manage, ensure

if TYPE_CHECKING:
    from masterplan.core.models import Masterplan

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500


def import_file(
    *,
    importer: str,
    masterplan: Masterplan,
    actor: Actor | None,
    content: Source,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    options: Mapping[str, Any] | None = None,
) -> ImportReport:
    """Check a file and, unless `dry_run` or on any error, import all of it in one transaction.

    Only coordinators of the plan (and admins) may import; `actor=None` stands for the system
    (the command line without --user). `content` is the file's bytes or a seekable binary
    file. `progress(rows_checked, rows_total)` is called while the rows are checked.
    `options`: the importer's options (the cleaned data of its `options_form`, as an import
    job keeps them); the import runs in the importer's `options(...)` context. Without them
    it runs in whatever context the caller entered (the command line's).
    """
    model_importer = get_importer(importer)
    if actor is not None:
        ensure(can_manage(actor, masterplan))
    context = model_importer.options(options) if options is not None else contextlib.nullcontext()
    with context:
        return run_import(
            model_importer,
            masterplan=masterplan,
            actor=actor,
            content=content,
            filename=filename,
            dry_run=dry_run,
            progress=progress,
        )


def run_import(
    model_importer: ModelImporter,
    *,
    masterplan: Masterplan,
    actor: Actor | None,
    content: Source,
    filename: str,
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    """The passes of `import_file` over the file, in the importer's options context."""
    importer = model_importer.key
    report = ImportReport(importer=importer, filename=filename, dry_run=dry_run)
    try:
        table = model_importer.read(content)
        report.notes = list(table.notes)
        report.file_format = table.file_format
        report.rows = table.row_count
        columns = model_importer.match_header(table.header, report)
        if not report.ok:
            return report
        run = ImportRun(
            importer=model_importer,
            masterplan=masterplan,
            actor=actor,
            report=report,
            table=table,
            columns=columns,
            headers={c.name: table.header[i] for i, c in columns},
            write=not dry_run,
        )
        duplicates = model_importer.collect_keys(run)
        if dry_run:
            check_rows(run, duplicates, progress)
            return report
        with transaction.atomic():
            check_rows(run, duplicates, progress)
            if not report.ok:
                transaction.set_rollback(True)
    except FileProblem as problem:  # the file as a whole; in the transaction: it changed
        report = ImportReport(importer=importer, filename=filename, dry_run=dry_run)
        for each in problem.each():
            report.add_error(each.row, each.column, each.value, each.reason)
    except IntegrityError:
        report = ImportReport(importer=importer, filename=filename, dry_run=dry_run)
        report.add_error(
            None,
            "",
            "",
            _(
                "The data was changed by someone else during the import (a record with the "
                "same external ID was created). Nothing was saved; please import again."
            ),
        )
    return report


def check_rows(run: ImportRun, duplicates: ErrorList, progress: Progress | None) -> None:
    """Parse, plan and (in a real import) write the rows batch by batch, then the checks
    and writes that need the whole file; the report gets the errors or the counts."""
    importer, report = run.importer, run.report
    cells, planned = ErrorList(), ErrorList()
    tally = Tally()
    planning = not duplicates.count
    if planning:
        importer.load(run)
    done, total = 0, run.table.row_count
    for batch in batches(run.table.rows(), importer.batch_size):
        run.errors = cells
        records = []
        for row_number, row in batch:
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            record = importer.parse_row(run, row_number, row)
            if record is not None:
                records.append(record)
        planning = planning and not cells.count
        if not planning:
            continue  # the plan's errors are not reported with those of the cells
        run.errors = planned
        plans = importer.plan_batch(run, records)
        if not planned.count:  # else nothing is written and nothing counted
            if run.write:
                importer.write_batch(run, plans)
            tally.add(run, plans)
    if progress is not None:
        progress(total, total)
    if cells.count or duplicates.count:
        report.add_errors(cells)
        report.add_errors(duplicates)
        return
    run.errors = planned
    importer.check_file(run)
    if planned.count:
        report.add_errors(planned)
        return
    if run.write:
        importer.finish(run)
    tally.report(report)


@dataclass
class Tally:
    """The counts of a report, and the first MAX_CHANGES rows that create or change a record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[RowChange] = field(default_factory=list)

    def add(self, run: ImportRun, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.created:
                self.created += 1
            elif plan.changed:
                self.updated += 1
            else:
                self.unchanged += 1
                continue
            if len(self.changes) < MAX_CHANGES:
                diff = run.importer.created_diff(run.columns, plan) if plan.created else plan.diff
                self.changes.append(
                    RowChange(
                        row=plan.record.row,
                        external_id=plan.obj.external_id,
                        label=str(plan.obj),
                        created=plan.created,
                        diff=dict(diff),
                    )
                )

    def report(self, report: ImportReport) -> None:
        report.created, report.updated, report.unchanged = (
            self.created,
            self.updated,
            self.unchanged,
        )
        for change in self.changes:
            report.add_change(change)
