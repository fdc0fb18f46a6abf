"""What an import found and did: the report shown on the result page, in the CLI and the API.

Errors are collected in `ErrorList`s, one for each stage of the check (cells, duplicate keys,
the plan against the database), so that a streaming import, which runs the stages row by row
side by side, still reports them in the order of a check that runs one stage after the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from masterplan.core.imports.cells import shown

# A report keeps this many errors and changed rows for display; the counts go on.
MAX_ERRORS = 1000
MAX_CHANGES = 500


@dataclass(frozen=True)
class RowError:
    """A problem with the file: row as a spreadsheet shows it (None: the whole file)."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        if self.value:
            where.append(_("value “%(value)s”") % {"value": self.value})
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


@dataclass
class RowChange:
    """A row that creates or changes a record; `diff` maps column → (old, new) as in a file."""

    row: int
    external_id: str
    label: str
    created: bool
    diff: dict[str, tuple[str, str]]


@dataclass
class ErrorList:
    """Errors in the order they were found: the first MAX_ERRORS kept, all of them counted."""

    kept: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, row: int | None, column: str, value: Any, reason: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(RowError(row, column, shown(value), reason))


@dataclass
class ImportReport:
    """What an import did or, for a dry run, would do."""

    importer: str
    filename: str
    dry_run: bool
    file_format: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    changes: list[RowChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # from the reader, e.g. features skipped

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def more_changes(self) -> int:
        return self.created + self.updated - len(self.changes)

    def labelled_changes(
        self, columns: Iterable[Any]
    ) -> list[tuple[RowChange, list[tuple[str, str, str]]]]:
        """The changes with each column's label (of the importer's `columns`) in the interface
        language instead of its key: the preview reads "Beschäftigte: 120 → 130", not
        "employees"."""
        labels = {column.name: str(column.label or column.name) for column in columns}
        return [
            (
                change,
                [(labels.get(name, name), old, new) for name, (old, new) in change.diff.items()],
            )
            for change in self.changes
        ]

    def add_error(self, row: int | None, column: str, value: Any, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, shown(value), reason))

    def add_errors(self, found: ErrorList) -> None:
        """Errors of one stage, after those already in the report."""
        self.error_count += found.count
        self.errors.extend(found.kept[: MAX_ERRORS - len(self.errors)])

    def add_change(self, change: RowChange) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(change)

    def summary(self) -> str:
        if not self.ok:
            return _("%(errors)s error(s) found in %(rows)s row(s); nothing was saved.") % {
                "errors": self.error_count,
                "rows": self.rows,
            }
        counts = _("%(created)s new, %(updated)s changed, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            return _("Dry run: %(counts)s. Nothing was saved.") % {"counts": counts}
        return _("Imported: %(counts)s.") % {"counts": counts}

    def to_json(self) -> dict[str, Any]:
        return {
            "importer": self.importer,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "file_format": self.file_format,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [[e.row, e.column, e.value, e.reason] for e in self.errors],
            "changes": [
                [c.row, c.external_id, c.label, c.created, {k: list(v) for k, v in c.diff.items()}]
                for c in self.changes
            ],
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            importer=data["importer"],
            filename=data["filename"],
            dry_run=data["dry_run"],
            file_format=data.get("file_format", ""),
            rows=data["rows"],
            created=data["created"],
            updated=data["updated"],
            unchanged=data["unchanged"],
            error_count=data["error_count"],
            errors=[RowError(*e) for e in data["errors"]],
            changes=[
                RowChange(row, ext, label, created, {k: (v[0], v[1]) for k, v in diff.items()})
                for row, ext, label, created, diff in data["changes"]
            ],
            notes=list(data.get("notes", [])),
        )
