"""`ModelImporter`: how the rows of a file become records of one plan-scoped model.

An app declares a subclass in its importers.py (see registry.py). The runner (runner.py)
hands it the file in batches of BATCH_SIZE rows; for each batch the importer parses the rows,
loads what the batch needs from the database (the records its external IDs match, the records
its references name), plans every row (new, changed with its diff, or unchanged) and, in a
real import without any error so far, writes the batch. What needs the whole file is kept as
keys and ids only: the file's external IDs (`FileKeys`, for duplicates and for references to
rows further down), the self-references the file changes (for cycles), and the few rows whose
reference waits for a record further down the file.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, build_entry
from masterplan.core.bulk import insert_rows, update_rows
from masterplan.core.imports.cells import (
    KEEP,
    CellError,
    CellValue,
    ColumnType,
    format_cell,
    has_value,
)
from masterplan.core.imports.columns import BoundColumn, Column, column_letter, normalise_header
from masterplan.core.imports.reading import Source, Table, estimate_rows, read_table
from masterplan.core.imports.report import ErrorList, ImportReport
from masterplan.core.models import AuditEntry, PlanScopedModel
from masterplan.core.services import apply_changes, initial_values

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import QueryDict

    from masterplan.core.imports.options import ImportOptionsForm
    from masterplan.core.models import Masterplan

BATCH_SIZE = 1000
# Cells parsed per column are remembered, up to this many different ones: values recur in a
# column (kinds, cities, years), and parsing one is a few microseconds of checks.
PARSED_CELLS_KEPT = 2000
KEEP_LOOKING = object()
# Node of the graph of self-references: the primary key of a record that existed before the
# import, or the external ID of a record the import creates.
Node = int | str


@dataclass
class Record:
    """One parsed data row: column name → value (absent columns are missing)."""

    row: int
    values: dict[str, Any]


@dataclass
class RowPlan:
    """What the import does with one row."""

    record: Record
    obj: PlanScopedModel
    created: bool
    audit_changes: dict[str, list[Any]] = field(default_factory=dict)
    diff: dict[str, tuple[str, str]] = field(default_factory=dict)
    # field name → external ID of a record created by this import (its key is known after
    # the insert)
    deferred: dict[str, str] = field(default_factory=dict)
    # Fields an importer fills in only after the last batch (in finish), e.g. with a record it
    # makes once for the whole file: the row is saved and audited then.
    waits: set[str] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.diff)


class FileKeys:
    """The external IDs of a file's rows with the row of each: all that is kept of the rows.

    A key is marked when the import plans to create its record, so that a reference to it
    waits for the record's primary key instead of being looked up in the database.
    """

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}  # key → its row, negative once its record is created

    def add(self, key: str, row: int) -> int | None:
        """Add a key; for a key already in the file, the row it was first seen in."""
        first = self.rows.setdefault(key, row)
        return None if first == row else abs(first)

    def __contains__(self, key: object) -> bool:
        return key in self.rows

    def row(self, key: str) -> int:
        return abs(self.rows[key])

    def mark_created(self, key: str) -> None:
        self.rows[key] = -abs(self.rows[key])

    def created(self, key: str) -> bool:
        return self.rows.get(key, 0) < 0


@dataclass
class ImportRun:
    """Everything one import knows while it checks, plans and writes."""

    importer: ModelImporter
    masterplan: Masterplan
    actor: Actor | None
    report: ImportReport
    table: Table
    columns: list[tuple[int, BoundColumn]]
    headers: dict[str, str]
    write: bool = False  # a real import, in a transaction: rows are locked and written
    file_keys: FileKeys = field(default_factory=FileKeys)
    errors: ErrorList = field(default_factory=ErrorList)  # those of the stage being checked
    # The current batch: its records matched by external ID, and the records its references
    # name (external ID → primary key, and back for the labels in diffs).
    existing: dict[str, PlanScopedModel] = field(default_factory=dict)
    references: dict[type[models.Model], dict[str, int]] = field(default_factory=dict)
    reference_labels: dict[type[models.Model], dict[int, str]] = field(default_factory=dict)
    deleted_keys: set[str] = field(default_factory=set)  # of the importer's model
    # Self-references the file changes, per field: record → its new parent (None: none).
    parents: dict[str, dict[Node, Node | None]] = field(default_factory=dict)
    waiting: list[RowPlan] = field(default_factory=list)  # for a record further down
    # column index → (type, cell) → the parsed value or the CellError (see PARSED_CELLS_KEPT)
    parsed_cells: defaultdict[int, dict[tuple[type, CellValue], Any]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    cache: dict[str, Any] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.headers

    def error(self, row: int, column: str, value: Any, reason: str) -> None:
        self.errors.add(row, self.headers.get(column, column), value, reason)

    def reference_label(self, target: type[models.Model], pk: int | None) -> str:
        if pk is None:
            return ""
        return self.reference_labels[target].get(pk) or _("(record %(pk)s without external ID)") % {
            "pk": pk
        }

    @cached_property
    def blank_header_indexes(self) -> list[int]:
        return [i for i, h in enumerate(self.table.header) if not h]

    @cached_property
    def field_columns(self) -> list[BoundColumn]:
        return [c for _i, c in self.columns if c.model_field is not None]

    @cached_property
    def self_references(self) -> list[BoundColumn]:
        """The file's columns that refer to records of the importer's own model."""
        return [c for _i, c in self.columns if c.target is self.importer.model and c.attname]


class ModelImporter:
    """Imports rows into one plan-scoped model, upserting by external ID.

    Subclasses declare `key`, `model`, `columns`, `action` (audit prefix) and `title`, and may
    override the hooks `check_record`, `load`, `plan_extra`, `write_extra`, `check_file`,
    `finish`, `export_value` and `export_queryset`; one that needs options besides the file
    declares `options_form` and `options`.
    """

    key: ClassVar[str]
    model: ClassVar[type[PlanScopedModel]]
    columns: ClassVar[tuple[Column, ...]]
    action: ClassVar[str]
    title: ClassVar[StrOrPromise]
    file_stem: ClassVar[str]
    key_column: ClassVar[str] = "external_id"
    list_url_name: ClassVar[str] = ""  # the list page, for links back from import pages
    batch_size: int = BATCH_SIZE  # rows checked, planned and written together
    # What the upload form accepts, and its help; an importer of another format overrides
    # `read` too (land/importers.py reads GeoJSON and XPlanGML into a Table).
    accept: ClassVar[str] = ".csv,.txt,.tsv,.xlsx"
    file_help: ClassVar[StrOrPromise] = ""
    # How a file of another format must look, shown on the upload page instead of the rules
    # of a table (header row, cells); its `columns` are then what is read from the file.
    format_rules: ClassVar[tuple[StrOrPromise, ...]] = ()
    has_template: ClassVar[bool] = True  # an empty CSV file with the header to download
    # What the upload page asks for besides the file, when the file does not say everything
    # the import needs (options.py); its cleaned data is handed to `options`.
    options_form: ClassVar[type[ImportOptionsForm] | None] = None

    @cached_property
    def bound(self) -> list[BoundColumn]:
        bound = [BoundColumn(c, self.model) for c in self.columns]
        seen: dict[str, str] = {}
        for column in bound:
            for header in column.headers:
                if seen.setdefault(header, column.name) != column.name:
                    raise ImproperlyConfigured(
                        f"{self.key}: header “{header}” is claimed by {seen[header]} and "
                        f"{column.name}"
                    )
        return bound

    def known_columns(self) -> str:
        return ", ".join(c.name for c in self.columns)

    # --- hooks

    def options(self, values: Mapping[str, Any]) -> contextlib.AbstractContextManager[object]:
        """The context an import with these options (the cleaned data of `options_form`)
        runs in; the command line enters the same context with its arguments."""
        return contextlib.nullcontext()

    def read(self, content: Source) -> Table:
        """The file as a checked table (FileProblem if it cannot be imported at all)."""
        return read_table(content)

    def estimate_rows(self, content: bytes) -> int:
        """A quick estimate of the records in a file, to decide whether to run in the
        background."""
        return estimate_rows(content)

    def check_record(self, run: ImportRun, record: Record) -> None:
        """Rules across the cells of one row."""

    def load(self, run: ImportRun) -> None:
        """Before the first batch is planned: what every batch needs (catalogues, …)."""

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        """Plan the columns without a model field (field=None)."""

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        """Write what plan_extra planned, after the batch's records; return audit entries."""
        return []

    def check_file(self, run: ImportRun) -> None:
        """After the last batch: rules across the whole file. Cycles of self-references."""
        self.check_cycles(run)

    def finish(self, run: ImportRun) -> None:
        """After the last batch of a real import without errors: what waits for the whole
        file. Rows whose reference waited for a record further down the file."""
        self.save_waiting(run)

    def export_value(self, obj: Any, column: Column) -> Any:
        name = column.field_name
        if name is None:
            raise NotImplementedError(f"{self.key}: export of column {column.name}")
        if column.type == ColumnType.REFERENCE:
            related = getattr(obj, name)
            return related.external_id if related is not None else ""
        return getattr(obj, name)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        raise NotImplementedError

    # --- reading and checking

    def match_header(
        self, header: list[str], report: ImportReport
    ) -> list[tuple[int, BoundColumn]]:
        by_header = {h: c for c in self.bound for h in c.headers}
        found: dict[str, tuple[int, str]] = {}
        columns: list[tuple[int, BoundColumn]] = []
        for index, text in enumerate(header):
            if not text:
                continue
            column = by_header.get(normalise_header(text))
            if column is None:
                report.add_error(
                    1,
                    text,
                    text,
                    _("Unknown column. Known columns: %(known)s.")
                    % {"known": self.known_columns()},
                )
                continue
            if column.name in found:
                first_index, first_text = found[column.name]
                report.add_error(
                    1,
                    text,
                    text,
                    _(
                        "Duplicate column: “%(first)s” (column %(letter)s) and “%(this)s” both "
                        "mean %(name)s."
                    )
                    % {
                        "first": first_text,
                        "letter": column_letter(first_index),
                        "this": text,
                        "name": column.name,
                    },
                )
                continue
            found[column.name] = (index, text)
            columns.append((index, column))
        for column in self.bound:
            if column.column.required and column.name not in found:
                report.add_error(
                    1,
                    column.name,
                    "",
                    _("Required column “%(name)s” is missing (also accepted: %(aliases)s).")
                    % {
                        "name": column.name,
                        "aliases": ", ".join(column.column.aliases) or "–",
                    },
                )
        return columns

    def parse_row(
        self, run: ImportRun, row_number: int, cells: Sequence[CellValue]
    ) -> Record | None:
        """The row's values by column; every cell that cannot be read is an error."""
        width = len(run.table.header)
        extra = extra_cell(cells, width)
        if extra is not None:
            run.errors.add(
                row_number,
                column_letter(extra),
                cells[extra],
                _(
                    "The row has %(cells)s cells but the header only %(columns)s columns "
                    "(a value with an unquoted delimiter?)."
                )
                % {"cells": len(cells), "columns": width},
            )
            return None
        missing = [h for h in run.table.header[len(cells) :] if h]
        if missing:
            # Read as empty, the missing cells would clear what is stored (a parent, a
            # dependency) or change a row's meaning (an observation without its scope).
            run.errors.add(
                row_number,
                missing[0],
                "",
                _(
                    "The row has %(cells)s cells but the header %(columns)s columns: the "
                    "cells of %(missing)s are missing (a line break inside a value without "
                    "quotation marks?). Write every delimiter, also for empty cells."
                )
                % {
                    "cells": len(cells),
                    "columns": width,
                    "missing": ", ".join(_("“%(column)s”") % {"column": h} for h in missing),
                },
            )
            return None
        for index in run.blank_header_indexes:
            if index < len(cells) and has_value(cells[index]):
                run.errors.add(
                    row_number,
                    column_letter(index),
                    cells[index],
                    _("A value in a column without a header."),
                )
        values: dict[str, Any] = {}
        header = run.table.header
        for index, column in run.columns:
            raw = cells[index] if index < len(cells) else None
            parsed = run.parsed_cells[index]
            found = parsed.get((type(raw), raw), KEEP_LOOKING)
            if found is KEEP_LOOKING:
                try:
                    found = column.parse(raw)
                except CellError as error:
                    found = error
                if len(parsed) < PARSED_CELLS_KEPT:
                    parsed[(type(raw), raw)] = found
            if isinstance(found, CellError):
                run.errors.add(row_number, header[index], raw, found.reason)
            else:
                values[column.name] = found
        record = Record(row_number, values)
        self.check_record(run, record)
        return record

    def collect_keys(self, run: ImportRun) -> ErrorList:
        """Read the file's external IDs into `run.file_keys`; an ID twice is an error.

        A pass of its own over the file, before the rows are checked, so that a reference to
        a row further down is known to be one, and so that the duplicates are reported after
        the errors of the cells, as when the whole file was read first.
        """
        duplicates = ErrorList()
        key_index = next((i for i, c in run.columns if c.name == self.key_column), None)
        if key_index is None:
            return duplicates
        column = dict(run.columns)[key_index]
        width = len(run.table.header)
        for row_number, cells in run.table.rows():
            if extra_cell(cells, width) is not None:
                continue  # no record (reported when the rows are checked)
            try:
                key = column.parse(cells[key_index] if key_index < len(cells) else None)
            except CellError:
                continue
            if not isinstance(key, str) or not key:
                continue
            first = run.file_keys.add(key, row_number)
            if first is not None:
                duplicates.add(
                    row_number,
                    run.headers.get(self.key_column, self.key_column),
                    key,
                    _(
                        "External ID “%(key)s” appears more than once in the file (first in "
                        "row %(row)s)."
                    )
                    % {"key": key, "row": first},
                )
        return duplicates

    # --- planning

    def plan_batch(self, run: ImportRun, records: list[Record]) -> list[RowPlan]:
        """Decide for every row of a batch: new record, changed record (with its diff), or
        unchanged."""
        self.load_batch(run, records)
        plans = []
        for record in records:
            plan = self.plan_row(run, record)
            if plan is not None:
                self.plan_extra(run, plan)
                self.note_parents(run, plan)
                plans.append(plan)
        return plans

    def load_batch(self, run: ImportRun, records: list[Record]) -> None:
        """The batch's records with an external ID (locked in a real import) and the records
        its references name, with the labels the diffs show."""
        keys = {key for r in records if (key := r.values.get(self.key_column))}
        run.existing = {}
        if keys:
            existing = with_keys(self.model.all_objects, run.masterplan, keys)
            if run.write:
                existing = existing.select_for_update()
            run.existing = {obj.external_id: obj for obj in existing}
        wanted: dict[type[PlanScopedModel], set[str]] = {}
        stored: dict[type[PlanScopedModel], set[int]] = {}
        for _index, column in run.columns:
            if column.target is None:
                continue
            names = wanted.setdefault(column.target, set())
            for record in records:
                key = record.values.get(column.name)
                if isinstance(key, str) and key:
                    names.add(key)
            if column.attname is not None:
                pks = stored.setdefault(column.target, set())
                pks.update(getattr(obj, column.attname) for obj in run.existing.values())
        run.references, run.reference_labels, run.deleted_keys = {}, {}, set()
        for target, names in wanted.items():
            if target is self.model:  # records this file creates are not in the database yet
                names = {key for key in names if not run.file_keys.created(key)}
            found = (
                dict(
                    with_keys(target._default_manager, run.masterplan, names).values_list(
                        "external_id", "pk"
                    )
                )
                if names
                else {}
            )
            run.references[target] = found
            labels = run.reference_labels[target] = {pk: key for key, pk in found.items()}
            if target is self.model and len(found) < len(names):
                run.deleted_keys = set(
                    with_keys(self.model.all_objects, run.masterplan, names - found.keys())
                    .filter(deleted_at__isnull=False)
                    .values_list("external_id", flat=True)
                )
            pks = {pk for pk in stored.get(target, ()) if pk} - labels.keys()
            if pks:
                labels.update(
                    target._default_manager.filter(masterplan=run.masterplan, pk__in=pks)
                    .order_by()
                    .values_list("pk", "external_id")
                )

    def plan_row(self, run: ImportRun, record: Record) -> RowPlan | None:
        key = record.values.get(self.key_column) or ""
        obj = run.existing.get(key) if key else None
        if obj is not None and obj.deleted_at is not None:
            run.error(
                record.row,
                self.key_column,
                key,
                _(
                    "A deleted record has this external ID; it cannot be used again. "
                    "Use another external ID."
                ),
            )
            return None
        created = obj is None
        if created and key:
            run.file_keys.mark_created(key)
        plan = RowPlan(
            record=record, obj=obj or self.model(masterplan=run.masterplan), created=created
        )
        changes: dict[str, Any] = {}
        for column in run.field_columns:
            new = record.values.get(column.name, KEEP)
            if new is KEEP:
                continue
            assert column.model_field is not None and column.attname is not None
            name = column.model_field.name
            if column.type == ColumnType.REFERENCE:
                new = self.resolve_reference(run, plan, column, new)
                if new is KEEP:
                    continue
            if created:
                setattr(plan.obj, column.attname, new)
                continue
            old = getattr(plan.obj, column.attname)
            if column.same(old, new):
                continue
            changes[name] = new
            if column.type == ColumnType.REFERENCE:
                assert column.target is not None
                plan.diff[column.name] = (
                    run.reference_label(column.target, old),
                    run.reference_label(column.target, new),
                )
            else:
                plan.diff[column.name] = (
                    format_cell(column.type, old),
                    format_cell(column.type, new),
                )
        if changes:
            plan.audit_changes = apply_changes(plan.obj, changes)
        return plan

    def resolve_reference(
        self, run: ImportRun, plan: RowPlan, column: BoundColumn, key: str
    ) -> Any:
        """The primary key for an external ID, or KEEP when it is deferred or unknown."""
        target = column.target
        assert target is not None and column.model_field is not None
        if not key:
            return None
        own_model = target is self.model
        if not (own_model and run.file_keys.created(key)):
            found = run.references[target].get(key)
            if found is not None:
                return found
        row = plan.record.row
        if own_model and key in run.file_keys and key not in run.deleted_keys:
            # A record created by this file: its primary key is known after the insert.
            if key == plan.record.values.get(self.key_column):
                run.error(row, column.name, key, _("A record cannot refer to itself."))
            plan.deferred[column.model_field.name] = key
            old = getattr(plan.obj, column.model_field.attname)
            if not plan.created:
                plan.diff[column.name] = (run.reference_label(target, old), key)
            return KEEP
        run.error(
            row,
            column.name,
            key,
            _(
                "Unknown reference: no %(model)s with this external ID in the file or in this "
                "masterplan."
            )
            % {"model": target._meta.verbose_name},
        )
        return KEEP

    def created_diff(
        self, columns: list[tuple[int, BoundColumn]], plan: RowPlan
    ) -> dict[str, tuple[str, str]]:
        """For a new record: every value it gets from the file (references as external IDs)."""
        diff = {}
        for _index, column in columns:
            if column.name in plan.diff:
                diff[column.name] = plan.diff[column.name]
                continue
            value = plan.record.values.get(column.name)
            if value is not KEEP and value not in (None, ""):
                diff[column.name] = ("", format_cell(column.type, value))
        return diff

    def note_parents(self, run: ImportRun, plan: RowPlan) -> None:
        """Remember the self-references this row sets or changes, for the cycle check."""
        for column in run.self_references:
            assert column.model_field is not None and column.attname is not None
            name = column.model_field.name
            key = plan.record.values.get(self.key_column) or ""
            if plan.created and not key:
                continue  # nothing can refer to it, so it lies on no cycle
            node: Node = key if plan.created else plan.obj.pk
            parent: Node | None = getattr(plan.obj, column.attname)
            if name in plan.deferred:
                parent = plan.deferred[name]
            elif (plan.created and parent is None) or (
                not plan.created and name not in plan.audit_changes
            ):
                continue  # the parent as stored
            run.parents.setdefault(name, {})[node] = parent

    def check_cycles(self, run: ImportRun) -> None:
        """Self-references (e.g. parent organisations) must not form a cycle.

        Any new cycle runs through a record whose reference the file sets, so the graph is
        those records' new references completed with the stored references they lead to.
        """
        for column in run.self_references:
            assert column.attname is not None and column.model_field is not None
            parent: dict[Node, Node | None] = dict(run.parents.get(column.model_field.name, {}))
            frontier = {p for p in parent.values() if isinstance(p, int) and p not in parent}
            while frontier:
                for chunk in chunks(sorted(frontier), BATCH_SIZE):
                    stored = dict(
                        self.model.objects.filter(masterplan=run.masterplan, pk__in=chunk)
                        .order_by()
                        .values_list("pk", column.attname)
                    )
                    parent.update({pk: stored.get(pk) for pk in chunk})
                frontier = {p for p in parent.values() if isinstance(p, int) and p not in parent}
            on_cycle = nodes_on_cycles(parent)
            if on_cycle:
                self.report_cycles(run, column, on_cycle)

    def report_cycles(self, run: ImportRun, column: BoundColumn, on_cycle: set[Node]) -> None:
        """One error for each row of the file on a cycle, with the reference in its cell."""
        keys = {node for node in on_cycle if isinstance(node, str)}
        pks = [node for node in on_cycle if isinstance(node, int)]
        for chunk in chunks(pks, BATCH_SIZE):
            keys.update(
                self.model.all_objects.filter(pk__in=chunk)
                .exclude(external_id="")
                .order_by()
                .values_list("external_id", flat=True)
            )
        rows = {run.file_keys.row(key) for key in keys if key in run.file_keys}
        index = next(i for i, c in run.columns if c is column)
        for row_number, cells in run.table.rows():
            if row_number in rows:
                value = column.parse(cells[index] if index < len(cells) else None)
                run.error(
                    row_number,
                    column.name,
                    value,
                    _("This reference would make the record its own ancestor (a cycle)."),
                )

    # --- writing

    def write_batch(self, run: ImportRun, plans: list[RowPlan]) -> None:
        """Insert the new records and save the changed ones of a batch, with their audit
        entries; a row whose reference waits for a record further down is saved by finish."""
        created = [p for p in plans if p.created]
        updated = [p for p in plans if not p.created and p.changed]
        insert_rows(self.model, [p.obj for p in created])
        keys = self.created_keys(
            run,
            {k for p in created + updated for k in p.deferred.values() if run.file_keys.created(k)},
            created,
        )
        ready = []
        for plan in created + updated:
            if plan.waits or not all(key in keys for key in plan.deferred.values()):
                run.waiting.append(plan)
            else:
                ready.append(plan)
        entries = self.save_rows(run, ready, keys)
        append_entries([*entries, *self.write_extra(run, plans)])

    def save_waiting(self, run: ImportRun) -> None:
        """The rows that waited for records further down the file, now all inserted, or for
        what the importer filled in after the last batch (`RowPlan.waits`)."""
        if run.waiting:
            keys = self.created_keys(run, {k for p in run.waiting for k in p.deferred.values()}, [])
            append_entries(self.save_rows(run, run.waiting, keys))
            run.waiting = []

    def created_keys(
        self, run: ImportRun, keys: set[str], created: list[RowPlan]
    ) -> dict[str, int]:
        """The primary keys of records this import has inserted, by external ID."""
        found = {p.obj.external_id: p.obj.pk for p in created if p.obj.external_id in keys}
        missing = sorted(keys - found.keys())
        for chunk in chunks(missing, BATCH_SIZE):
            found.update(
                with_keys(self.model.all_objects, run.masterplan, chunk).values_list(
                    "external_id", "pk"
                )
            )
        return found

    def save_rows(
        self, run: ImportRun, plans: list[RowPlan], keys: dict[str, int]
    ) -> list[AuditEntry]:
        """Fill in the deferred references, save the changes with a new version, and return
        the audit entries: new records first, then changed ones, each in file order."""
        now = timezone.now()
        fields: set[str] = set()
        to_update = []
        for plan in plans:
            for name, key in plan.deferred.items():
                attname = attname_of(self.model, name)
                old = getattr(plan.obj, attname)
                setattr(plan.obj, attname, keys[key])
                fields.add(name)
                if not plan.created:
                    plan.audit_changes[name] = [old, keys[key]]
            fields.update(plan.waits)
            if plan.created:
                if plan.deferred or plan.waits:
                    to_update.append(plan.obj)
            elif plan.audit_changes:
                plan.obj.version += 1
                plan.obj.modified_at = now
                fields.update(plan.audit_changes)
                to_update.append(plan.obj)
        update_rows(self.model, to_update, sorted(fields | {"version", "modified_at"}))
        names = [c.model_field.name for c in run.field_columns if c.model_field is not None]
        entries = [
            build_entry(
                actor=run.actor,
                action=f"{self.action}.imported",
                obj=p.obj,
                changes=initial_values(p.obj, names),
            )
            for p in plans
            if p.created
        ]
        entries += [
            build_entry(
                actor=run.actor,
                action=f"{self.action}.import_updated",
                obj=p.obj,
                changes=p.audit_changes,
            )
            for p in plans
            if not p.created and p.audit_changes
        ]
        return entries


def extra_cell(cells: Sequence[CellValue], width: int) -> int | None:
    """The first cell with a value beyond the header: such a row is no record."""
    if len(cells) <= width:
        return None
    return next((i for i in range(width, len(cells)) if has_value(cells[i])), None)


def with_keys(
    manager: models.Manager[Any], masterplan: Masterplan, keys: Iterable[str]
) -> QuerySet[Any]:
    """The plan's records with these external IDs, found through the unique index of
    (masterplan, external ID): SQLite uses that partial index only when the query repeats its
    condition and asks for no order (the models' default order would choose another)."""
    return (
        manager.filter(masterplan=masterplan, external_id__in=keys)
        .exclude(external_id="")
        .order_by()
    )


def attname_of(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found.attname


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def nodes_on_cycles(parent: dict[Any, Any]) -> set[Any]:
    """The nodes of a functional graph (each node → its parent or None) that lie on a cycle."""
    state: dict[Any, int] = {}  # 1: on the current path, 2: finished
    cyclic: set[Any] = set()
    for start in parent:
        path = []
        node = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            cyclic.update(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return cyclic


def batches(rows: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
