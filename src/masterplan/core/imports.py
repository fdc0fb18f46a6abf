"""The import framework: declared columns, reading CSV and XLSX, validation, dry run, upsert.

An importer (see directory/importers.py) declares its columns; this module does the rest:

1. read the file (CSV in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16; `;`, `,` or tab,
   sniffed from the header line; or XLSX) into a header and rows, refusing binary junk, empty
   files and files over the size and row limits;
2. match the header to the columns (names and German/English aliases), refusing unknown,
   duplicate and missing required columns;
3. parse every cell by its declared type and the model field's validators, refusing
   spreadsheet formulas and markup; every error names row, column, value and reason;
4. plan the changes: upsert by external ID within the masterplan, resolve references by
   external ID (to rows of the same file or records already in the plan), detect cycles;
5. unless it is a dry run and only if there is no error at all: write everything in one
   transaction with bulk inserts and updates, bump versions, and record one audit entry per
   created or changed record.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is row 2.
Large imports in the browser run as a background task on an ImportJob (see tasks.py).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, connections, models, router, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, build_entry, jsonable
from masterplan.core.models import AuditEntry, ImportJob, PlanScopedModel
from masterplan.core.permissions import can_manage, ensure
from masterplan.core.services import apply_changes, initial_values

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import QueryDict

    from masterplan.core.models import Masterplan

logger = logging.getLogger(__name__)

CellValue = str | int | float | Decimal | date | datetime | bool | None
Progress = Callable[[int, int], None]
PlanModel = type[PlanScopedModel]

# A report keeps this many errors and changed rows for display; the counts go on.
MAX_ERRORS = 1000
MAX_CHANGES = 500
BATCH_SIZE = 1000
PROGRESS_EVERY = 500


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CHOICE = "choice"
    EMAIL = "email"
    URL = "url"
    REFERENCE = "reference"


def type_labels() -> dict[ColumnType, str]:
    return {
        ColumnType.TEXT: _("text"),
        ColumnType.INT: _("whole number"),
        ColumnType.DECIMAL: _("number (1.234,5)"),
        ColumnType.DATE: _("date (dd.mm.yyyy)"),
        ColumnType.DATETIME: _("date and time (dd.mm.yyyy hh:mm)"),
        ColumnType.BOOL: _("yes/no (ja, nein, x, 1, 0)"),
        ColumnType.CHOICE: _("one of the listed values"),
        ColumnType.EMAIL: _("e-mail address"),
        ColumnType.URL: _("web address"),
        ColumnType.REFERENCE: _("external ID of"),
    }


@dataclass(frozen=True)
class Column:
    """One declared column of an import (and export) format.

    `field` is the model field it fills: "" means a field of the same name, None a column the
    importer handles itself. Limits, choices and validators default to the model field's.
    A REFERENCE column holds the external ID of a `target` record (None: the importer's own
    model, e.g. an organisation's parent), found in the same file or already in the plan.
    """

    name: str
    type: ColumnType = ColumnType.TEXT
    label: StrOrPromise = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    field: str | None = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    choice_aliases: tuple[tuple[str, str], ...] = ()
    target: PlanModel | None = None
    help: StrOrPromise = ""
    example: str = ""

    @property
    def field_name(self) -> str | None:
        return self.name if self.field == "" else self.field


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

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def more_changes(self) -> int:
        return self.created + self.updated - len(self.changes)

    def add_error(self, row: int | None, column: str, value: Any, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, shown(value), reason))

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
        )


def shown(value: Any, limit: int = 200) -> str:
    """A cell value as an error message shows it."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Reading files -------------------------------------------------------------------------


class FileProblem(Exception):
    """The file as a whole cannot be imported."""

    def __init__(self, reason: str, row: int | None = None, value: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.value = value


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, Sequence[CellValue]]]
    file_format: str


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITER_NAMES = {";": "“;”", ",": "“,”", "\t": "tab"}


def not_a_table() -> FileProblem:
    return FileProblem(
        _(
            "This is not a CSV or XLSX file: it contains binary data or cannot be read as "
            "text. Save it from your spreadsheet as “CSV UTF-8” or as “Excel workbook (.xlsx)”."
        )
    )


def read_table(content: bytes, filename: str = "") -> Table:
    """The header and the non-blank data rows of a CSV or XLSX file."""
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise FileProblem(
            _(
                "The file is %(size)s; files up to %(limit)s can be imported. Split it into "
                "smaller files."
            )
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(limit)}
        )
    if not content.strip(b" \t\r\n"):
        raise FileProblem(_("The file is empty."))
    if content.startswith(XLS_MAGIC):
        raise FileProblem(
            _(
                "This is an old Excel file (.xls), which cannot be read. Save it as “Excel "
                "workbook (.xlsx)” or as “CSV UTF-8” and upload it again."
            )
        )
    if content.startswith(b"PK\x03\x04"):
        return read_xlsx(content)
    return read_csv(content)


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16, Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8 (BOM)")]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "UTF-16")]
    elif b"\x00" in content:
        raise not_a_table()
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, name in candidates:
        try:
            return content.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise not_a_table()


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of `;`, tab and `,` outside quotes; `;` when there is none."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: ; before tab before ,
    return best if counts[best] else ";"


def read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    text = text.rstrip("\x1a")  # DOS end-of-file marker
    if CONTROL_CHARACTERS.search(text):
        raise not_a_table()
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, Sequence[CellValue]]] = []
    row_number = 0
    try:
        for cells in reader:
            row_number += 1
            if header is None:
                header = [c.strip() for c in cells]
            elif any(c.strip() for c in cells):
                check_row_limit(len(rows))
                rows.append((row_number, cells))
    except csv.Error as error:
        raise FileProblem(
            _(
                "The row cannot be read as CSV (%(detail)s). Check the quotation marks: a "
                "value that contains the delimiter or a line break must be enclosed in "
                "double quotes, and a double quote inside it must be doubled."
            )
            % {"detail": error},
            row=row_number + 1,
        ) from None
    name = _("CSV, %(encoding)s, separated by %(delimiter)s") % {
        "encoding": encoding,
        "delimiter": DELIMITER_NAMES[delimiter],
    }
    return finish_table(header or [], rows, name)


def check_row_limit(rows_so_far: int) -> None:
    limit = settings.IMPORT_MAX_ROWS
    if rows_so_far >= limit:
        raise FileProblem(
            _("The file has more than %(limit)s data rows; split it into smaller files.")
            % {"limit": limit}
        )


def finish_table(
    header: list[str], rows: list[tuple[int, Sequence[CellValue]]], name: str
) -> Table:
    if not any(header):
        raise FileProblem(_("The file is empty."))
    if not rows:
        raise FileProblem(
            _("The file has a header row but no data rows."), row=1, value=";".join(header)
        )
    return Table(header=header, rows=rows, file_format=name)


def read_xlsx(content: bytes) -> Table:
    """The first worksheet of a workbook, read in read-only mode (formulas as their text)."""
    import openpyxl

    limit = settings.IMPORT_MAX_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise not_a_table() from None
    if unpacked > 10 * limit:
        raise FileProblem(
            _("The workbook unpacks to %(size)s; at most %(limit)s can be imported.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(10 * limit)}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings about files from other programs
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for broken archives
        raise not_a_table() from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise FileProblem(_("The file is empty."))
        sheet.reset_dimensions()  # some programs write wrong dimensions
        header: list[str] | None = None
        rows: list[tuple[int, Sequence[CellValue]]] = []
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                header = ["" if v is None else str(v).strip() for v in values]
            elif any(v is not None and str(v).strip() for v in values):
                check_row_limit(len(rows))
                rows.append((row_number, values))
    finally:
        workbook.close()
    return finish_table(header or [], rows, _("Excel workbook (XLSX), first sheet"))


def estimate_rows(content: bytes) -> int:
    """A quick estimate of the data rows, to decide whether to run in the background."""
    if not content.startswith(b"PK\x03\x04"):
        return max(0, content.count(b"\n") - 1) + (0 if content.endswith(b"\n") else 1)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = getattr(sheet, "max_row", None)
        finally:
            workbook.close()
    except Exception:  # a broken file is reported by the import itself
        rows = None
    # Without a dimension in the file: roughly one row per 50 bytes of compressed sheet.
    return max(0, rows - 1) if rows else len(content) // 50


# --- Cells ---------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Keep:
    """An empty cell in a column whose field cannot be empty: keep the current value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()

SIGNED_NUMBER_OR_PHONE = re.compile(r"[+-][\d\s().,/-]*\d[\d\s().,/-]*")
MARKUP = re.compile(r"<[A-Za-z/!?]")
GERMAN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
GERMAN_DATETIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "1", "x", "true", "wahr"})
FALSE_WORDS = frozenset({"nein", "n", "no", "0", "false", "falsch"})
NEUTRALISED_START = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """`=…` and `@…`, and `+`/`-` unless a number or phone number follows (OWASP CSV injection)."""
    if text.startswith(("=", "@")):
        return True
    if text.startswith(("+", "-")) and len(text) > 1:
        return not SIGNED_NUMBER_OR_PHONE.fullmatch(text)
    return False


def unescape(text: str) -> str:
    """Remove the apostrophe an export puts before a leading = + - @ (see exports.py)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def parse_number(text: str) -> Decimal:
    """German "1.234,5" and "1234,5"; also "1234.5". A lone "1.234" is one thousand two…"""
    compact = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if GERMAN_NUMBER.fullmatch(compact):
        return Decimal(compact.replace(".", "").replace(",", "."))
    if PLAIN_NUMBER.fullmatch(compact):
        return Decimal(compact)
    raise CellError(_("Not a number. Write numbers like 1234 or 1.234,5."))


def parse_date(text: str) -> date:
    for pattern, order in ((GERMAN_DATE, (3, 2, 1)), (ISO_DATE, (1, 2, 3))):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise CellError(_("Not a valid date. Write dates as dd.mm.yyyy (or yyyy-mm-dd)."))


def aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def parse_datetime(text: str) -> datetime:
    match = GERMAN_DATETIME.fullmatch(text)
    try:
        if match:
            day, month, year, hour, minute = (int(match.group(i)) for i in range(1, 6))
            second = int(match.group(6) or 0)
            return aware(datetime(year, month, day, hour, minute, second))
        if GERMAN_DATE.fullmatch(text) or ISO_DATE.fullmatch(text):
            day_only = parse_date(text)
            return aware(datetime(day_only.year, day_only.month, day_only.day))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}:?\d{2}|Z)?", text):
            return aware(datetime.fromisoformat(text))
    except (ValueError, CellError):
        pass
    raise CellError(_("Not a valid date and time. Write dd.mm.yyyy hh:mm (or ISO 8601)."))


def normalise_header(text: str) -> str:
    """Header matching ignores case, spaces, punctuation and ß/ss: "E-Mail" = "email"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(text: StrOrPromise) -> set[str]:
    names = {str(text)}
    for code in language_codes():
        with translation.override(code):
            names.add(str(text))
    return names


def column_letter(index: int) -> str:
    """A spreadsheet's name of the column with this 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class BoundColumn:
    """A column prepared for one model: model field, limits, validators, accepted words."""

    def __init__(self, column: Column, model: type[PlanScopedModel]) -> None:
        self.column = column
        self.name = column.name
        self.type = column.type
        self.model_field: models.Field[Any, Any] | None = None
        if column.field_name:
            found = model._meta.get_field(column.field_name)
            assert isinstance(found, models.Field)
            self.model_field = found
        mf = self.model_field
        self.attname = mf.attname if mf is not None else None
        self.target = column.target or (model if column.type == ColumnType.REFERENCE else None)
        length = column.max_length or (getattr(mf, "max_length", None) if mf else None)
        if column.type == ColumnType.REFERENCE and length is None:
            length = PlanScopedModel._meta.get_field("external_id").max_length
        self.max_length: int | None = length
        model_choices: Any = (mf.choices if mf else None) or ()
        self.choices: tuple[tuple[str, StrOrPromise], ...] = column.choices or tuple(
            (str(value), label) for value, label in model_choices
        )
        self.validators: tuple[Callable[[Any], None], ...] = ()
        if mf is not None and column.type != ColumnType.REFERENCE:
            self.validators = tuple(
                v for v in mf.validators if not isinstance(v, MaxLengthValidator)
            )
        if mf is None:
            self.empty: Any = "" if column.type in TEXT_TYPES else None
        elif column.type in TEXT_TYPES or column.type == ColumnType.CHOICE:
            self.empty = "" if mf.blank else KEEP
        elif column.type == ColumnType.BOOL:
            self.empty = KEEP
        else:
            self.empty = None if mf.null else KEEP
        self.choice_lookup: dict[str, str] = {}
        for value, label in self.choices:
            for word in {value, *in_every_language(label)}:
                self.choice_lookup[word.casefold()] = value
        for word, value in column.choice_aliases:
            self.choice_lookup[word.casefold()] = value
        self.headers = {
            normalise_header(h)
            for h in (column.name, *column.aliases, *in_every_language(column.label))
            if h
        }

    def parse(self, raw: CellValue) -> Any:
        """The value for the model, KEEP, or CellError with a reason the user can act on."""
        if isinstance(raw, str):
            raw = unescape(raw.strip())
        if raw is None or raw == "":
            if self.column.required:
                raise CellError(_("A value is required in this column."))
            return self.empty
        if isinstance(raw, str):
            return self.validated(self.parse_text(raw))
        return self.validated(self.parse_native(raw))

    def parse_text(self, text: str) -> Any:
        if CONTROL_CHARACTERS.search(text):
            raise CellError(_("Contains control characters (binary data)."))
        if looks_like_formula(text):
            raise CellError(
                _(
                    "Looks like a spreadsheet formula (starts with “%(start)s”); formulas are "
                    "not imported. Remove the leading character."
                )
                % {"start": text[0]}
            )
        kind = self.type
        if kind in TEXT_TYPES:
            if kind == ColumnType.TEXT and (markup := MARKUP.search(text)):
                raise CellError(
                    _("Contains HTML or script markup (“%(snippet)s…”), which is not allowed.")
                    % {"snippet": text[markup.start() : markup.start() + 8]}
                )
            if kind == ColumnType.URL and "://" not in text and "." in text and " " not in text:
                text = f"https://{text}"
            if self.max_length is not None and len(text) > self.max_length:
                raise CellError(
                    _("Too long: %(length)s characters, at most %(max)s are allowed.")
                    % {"length": len(text), "max": self.max_length}
                )
            return text
        if kind in (ColumnType.INT, ColumnType.DECIMAL):
            return self.finish_number(parse_number(text))
        if kind == ColumnType.DATE:
            return parse_date(text)
        if kind == ColumnType.DATETIME:
            return parse_datetime(text)
        if kind == ColumnType.BOOL:
            word = text.casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise CellError(_("Not a yes/no value. Write ja, nein, yes, no, x, 1 or 0."))
        # CHOICE
        value = self.choice_lookup.get(text.casefold())
        if value is None:
            allowed = ", ".join(f"{v} ({label})" for v, label in self.choices)
            raise CellError(_("Not an allowed value. Allowed: %(allowed)s.") % {"allowed": allowed})
        return value

    def parse_native(self, raw: CellValue) -> Any:
        """A typed XLSX cell: numbers, dates and booleans as Excel stored them."""
        kind = self.type
        if isinstance(raw, bool):
            if kind == ColumnType.BOOL:
                return raw
            return self.parse_text("1" if raw else "0")
        if isinstance(raw, (int, float, Decimal)):
            if kind in (ColumnType.INT, ColumnType.DECIMAL):
                try:
                    return self.finish_number(Decimal(str(raw)))
                except InvalidOperation:
                    raise CellError(_("Not a number.")) from None
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            return self.parse_text(str(raw))
        if isinstance(raw, datetime):
            # Excel stores times as fractions of a day: round to whole seconds.
            raw = (raw + timedelta(microseconds=500_000)).replace(microsecond=0)
            if kind == ColumnType.DATE:
                return raw.date()
            if kind == ColumnType.DATETIME:
                return aware(raw)
            return self.parse_text(raw.strftime("%d.%m.%Y %H:%M"))
        if isinstance(raw, date):
            if kind == ColumnType.DATE:
                return raw
            if kind == ColumnType.DATETIME:
                return aware(datetime(raw.year, raw.month, raw.day))
            return self.parse_text(raw.strftime("%d.%m.%Y"))
        return self.parse_text(str(raw))

    def finish_number(self, number: Decimal) -> int | Decimal:
        if self.type == ColumnType.INT:
            if number != number.to_integral_value():
                raise CellError(_("Not a whole number."))
            value: int | Decimal = int(number)
        else:
            value = number
        low, high = self.column.min_value, self.column.max_value
        if low is not None and value < low:
            if low == 0:
                raise CellError(_("Must not be negative."))
            raise CellError(_("Must be at least %(min)s.") % {"min": low})
        if high is not None and value > high:
            raise CellError(_("Must be at most %(max)s.") % {"max": high})
        return value

    def validated(self, value: Any) -> Any:
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                raise CellError(" ".join(error.messages)) from None
        return value

    def same(self, old: Any, new: Any) -> bool:
        """Equal as far as the file can express it (times to the second)."""
        if old == new and type(old) is type(new):
            return True
        if isinstance(old, datetime) and isinstance(new, datetime):
            return old.replace(microsecond=0) == new.replace(microsecond=0)
        return bool(jsonable(old) == jsonable(new))


TEXT_TYPES = (ColumnType.TEXT, ColumnType.EMAIL, ColumnType.URL, ColumnType.REFERENCE)


def format_cell(column_type: ColumnType, value: Any) -> str:
    """A value as written in a CSV file for German Excel (also shown in dry-run diffs)."""
    if value is None or value is KEEP:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return str(value)


# --- Importers -----------------------------------------------------------------------------


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
    # attname → external ID of a record created by this import (known after the insert)
    deferred: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.diff)


@dataclass
class ImportRun:
    """Everything one import knows while it plans and writes."""

    importer: ModelImporter
    masterplan: Masterplan
    actor: Actor | None
    report: ImportReport
    columns: list[tuple[int, BoundColumn]]
    headers: dict[str, str]
    existing: dict[str, PlanScopedModel] = field(default_factory=dict)
    references: dict[type[models.Model], dict[str, int]] = field(default_factory=dict)
    reference_labels: dict[type[models.Model], dict[int, str]] = field(default_factory=dict)
    plans: list[RowPlan] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.headers

    def error(self, row: int, column: str, value: Any, reason: str) -> None:
        self.report.add_error(row, self.headers.get(column, column), value, reason)

    def reference_label(self, target: type[models.Model], pk: int | None) -> str:
        if pk is None:
            return ""
        return self.reference_labels[target].get(pk) or _("(record %(pk)s without external ID)") % {
            "pk": pk
        }


class ModelImporter:
    """Imports rows into one plan-scoped model, upserting by external ID.

    Subclasses declare `key`, `model`, `columns`, `action` (audit prefix) and `title`, and may
    override the hooks `check_record`, `plan_extra`, `write_extra`, `export_value` and
    `export_queryset`.
    """

    key: ClassVar[str]
    model: ClassVar[type[PlanScopedModel]]
    columns: ClassVar[tuple[Column, ...]]
    action: ClassVar[str]
    title: ClassVar[StrOrPromise]
    file_stem: ClassVar[str]
    key_column: ClassVar[str] = "external_id"
    list_url_name: ClassVar[str] = ""  # the list page, for links back from import pages

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

    def check_record(self, run: ImportRun, record: Record) -> None:
        """Rules across the cells of one row."""

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        """Plan the columns without a model field (field=None)."""

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        """Write what plan_extra planned, after the records themselves; return audit entries."""
        return []

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

    def parse_rows(self, run: ImportRun, table: Table, progress: Progress | None) -> list[Record]:
        width = len(table.header)
        blank_headers = [i for i, h in enumerate(table.header) if not h]
        records = []
        total = len(table.rows)
        for done, (row_number, cells) in enumerate(table.rows, start=1):
            if done % PROGRESS_EVERY == 0 and progress is not None:
                progress(done, total)
            if len(cells) > width and any(has_value(c) for c in cells[width:]):
                extra = next(i for i in range(width, len(cells)) if has_value(cells[i]))
                run.report.add_error(
                    row_number,
                    column_letter(extra),
                    cells[extra],
                    _(
                        "The row has %(cells)s cells but the header only %(columns)s columns "
                        "(a value with an unquoted delimiter?)."
                    )
                    % {"cells": len(cells), "columns": width},
                )
                continue
            for index in blank_headers:
                if index < len(cells) and has_value(cells[index]):
                    run.report.add_error(
                        row_number,
                        column_letter(index),
                        cells[index],
                        _("A value in a column without a header."),
                    )
            values: dict[str, Any] = {}
            for index, column in run.columns:
                raw = cells[index] if index < len(cells) else None
                try:
                    values[column.name] = column.parse(raw)
                except CellError as error:
                    run.report.add_error(row_number, table.header[index], raw, error.reason)
            record = Record(row_number, values)
            self.check_record(run, record)
            records.append(record)
        if progress is not None:
            progress(total, total)
        return records

    def check_duplicates(self, run: ImportRun, records: list[Record]) -> None:
        first_row: dict[str, int] = {}
        for record in records:
            key = record.values.get(self.key_column)
            if not isinstance(key, str) or not key:
                continue
            if key in first_row:
                run.error(
                    record.row,
                    self.key_column,
                    key,
                    _(
                        "External ID “%(key)s” appears more than once in the file (first in "
                        "row %(row)s)."
                    )
                    % {"key": key, "row": first_row[key]},
                )
            else:
                first_row[key] = record.row

    # --- planning

    def load(self, run: ImportRun, *, lock: bool) -> None:
        """The plan's records with an external ID (locked for a real import), and references."""
        qs = self.model.all_objects.filter(masterplan=run.masterplan).exclude(external_id="")
        if lock:
            qs = qs.select_for_update()
        run.existing = {obj.external_id: obj for obj in qs}
        for _index, column in run.columns:
            target = column.target
            if target is None or target in run.references:
                continue
            pairs = list(
                target._default_manager.filter(masterplan=run.masterplan).values_list(
                    "pk", "external_id"
                )
            )
            run.references[target] = {ext: pk for pk, ext in pairs if ext}
            run.reference_labels[target] = {pk: ext for pk, ext in pairs}

    def plan(self, run: ImportRun, records: list[Record]) -> None:
        """Decide for every row: new record, changed record (with its diff), or unchanged."""
        new_keys = {
            key
            for r in records
            if (key := r.values.get(self.key_column)) and key not in run.existing
        }
        field_columns = [c for _i, c in run.columns if c.model_field is not None]
        for record in records:
            plan = self.plan_row(run, record, field_columns, new_keys)
            if plan is not None:
                self.plan_extra(run, plan)
                run.plans.append(plan)
        self.check_cycles(run)

    def plan_row(
        self,
        run: ImportRun,
        record: Record,
        field_columns: list[BoundColumn],
        new_keys: set[str],
    ) -> RowPlan | None:
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
        plan = RowPlan(
            record=record, obj=obj or self.model(masterplan=run.masterplan), created=created
        )
        changes: dict[str, Any] = {}
        for column in field_columns:
            new = record.values.get(column.name, KEEP)
            if new is KEEP:
                continue
            assert column.model_field is not None and column.attname is not None
            name = column.model_field.name
            if column.type == ColumnType.REFERENCE:
                new = self.resolve_reference(run, plan, column, new, new_keys)
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
        self, run: ImportRun, plan: RowPlan, column: BoundColumn, key: str, new_keys: set[str]
    ) -> Any:
        """The primary key for an external ID, or KEEP when it is deferred or unknown."""
        target = column.target
        assert target is not None and column.model_field is not None
        if not key:
            return None
        found = run.references[target].get(key)
        if found is not None:
            return found
        row = plan.record.row
        if target is self.model and key in new_keys:
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

    def check_cycles(self, run: ImportRun) -> None:
        """Self-references (e.g. parent organisations) must not form a cycle."""
        self_refs = [c for _i, c in run.columns if c.target is self.model and c.attname]
        for column in self_refs:
            attname = column.attname
            assert attname is not None and column.model_field is not None
            name = column.model_field.name
            # node: ("pk", pk) for stored records, ("new", external ID) for created ones
            parent: dict[tuple[str, Any], tuple[str, Any] | None] = {
                ("pk", pk): (("pk", up) if up else None)
                for pk, up in self.model.objects.filter(masterplan=run.masterplan).values_list(
                    "pk", attname
                )
            }
            rows: dict[tuple[str, Any], RowPlan] = {}
            for plan in run.plans:
                node = (
                    ("new", plan.record.values.get(self.key_column) or id(plan))
                    if plan.created
                    else ("pk", plan.obj.pk)
                )
                rows[node] = plan
                if name in plan.deferred:
                    parent[node] = ("new", plan.deferred[name])
                else:
                    up = getattr(plan.obj, attname)
                    parent[node] = ("pk", up) if up else None
            on_cycle = nodes_on_cycles(parent)
            for node, plan in rows.items():  # in file order
                if node in on_cycle:
                    run.error(
                        plan.record.row,
                        column.name,
                        plan.record.values.get(column.name),
                        _("This reference would make the record its own ancestor (a cycle)."),
                    )

    # --- writing

    def write(self, run: ImportRun) -> None:
        now = timezone.now()
        created = [p for p in run.plans if p.created]
        updated = [p for p in run.plans if not p.created and p.changed]
        self.model.objects.bulk_create([p.obj for p in created], batch_size=BATCH_SIZE)
        by_key = {p.obj.external_id: p.obj for p in created if p.obj.external_id}
        fields: set[str] = set()
        for plan in created + updated:
            for name, key in plan.deferred.items():
                attname = attname_of(self.model, name)
                old = getattr(plan.obj, attname)
                setattr(plan.obj, attname, by_key[key].pk)
                fields.add(name)
                if not plan.created:
                    plan.audit_changes[name] = [old, by_key[key].pk]
        for plan in updated:
            if plan.audit_changes:
                plan.obj.version += 1
                plan.obj.modified_at = now
                fields.update(plan.audit_changes)
        to_update = [p.obj for p in updated if p.audit_changes]
        to_update += [p.obj for p in created if p.deferred]
        update_rows(self.model, to_update, sorted(fields | {"version", "modified_at"}))
        names = [c.model_field.name for _i, c in run.columns if c.model_field is not None]
        entries = [
            build_entry(
                actor=run.actor,
                action=f"{self.action}.imported",
                obj=p.obj,
                changes=initial_values(p.obj, names),
            )
            for p in created
        ]
        entries += [
            build_entry(
                actor=run.actor,
                action=f"{self.action}.import_updated",
                obj=p.obj,
                changes=p.audit_changes,
            )
            for p in updated
            if p.audit_changes
        ]
        entries += self.write_extra(run, run.plans)
        append_entries(entries)


def update_rows(model: type[models.Model], objs: list[Any], names: list[str]) -> None:
    """Save these fields of many objects: one UPDATE statement executed for each row.

    Django's bulk_update builds one CASE expression per field over the whole batch, which
    grows quadratically; a plain parameterised UPDATE run with executemany is portable
    (SQLite and PostgreSQL) and in our measurements some twenty times faster.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    assert len(concrete) == len(fields) and model._meta.pk is not None
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in concrete)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608 - identifiers quoted
        f"WHERE {quote(str(model._meta.pk.column))} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
                    + [obj.pk]
                    for obj in objs[start : start + BATCH_SIZE]
                ],
            )


def attname_of(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found.attname


def has_value(cell: CellValue) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


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


# --- Registry ------------------------------------------------------------------------------

_registry: dict[str, ModelImporter] = {}


def register(cls: type[ModelImporter]) -> type[ModelImporter]:
    """Class decorator for an app's importers.py: `@register class …(ModelImporter)`."""
    _registry[cls.key] = cls()
    return cls


def importers() -> dict[str, ModelImporter]:
    """Every importer, from the `importers` module of each installed app."""
    autodiscover_modules("importers")
    return dict(_registry)


def get_importer(key: str) -> ModelImporter:
    found = importers().get(key)
    if found is None:
        raise LookupError(f"No importer “{key}”. Known: {', '.join(sorted(_registry))}")
    return found


# --- The entry point -----------------------------------------------------------------------


def import_file(
    *,
    importer: str,
    masterplan: Masterplan,
    actor: Actor | None,
    content: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a file and, unless `dry_run` or on any error, import all of it in one transaction.

    Only coordinators of the plan (and admins) may import; `actor=None` stands for the system
    (the command line without --user). `progress(rows_checked, rows_total)` is called while
    the rows are checked; the write that follows is one transaction.
    """
    model_importer = get_importer(importer)
    if actor is not None:
        ensure(can_manage(actor, masterplan))
    report = ImportReport(importer=importer, filename=filename, dry_run=dry_run)
    try:
        table = read_table(content, filename)
    except FileProblem as problem:
        report.add_error(problem.row, "", problem.value, problem.reason)
        return report
    report.file_format = table.file_format
    report.rows = len(table.rows)
    columns = model_importer.match_header(table.header, report)
    if not report.ok:
        return report
    run = ImportRun(
        importer=model_importer,
        masterplan=masterplan,
        actor=actor,
        report=report,
        columns=columns,
        headers={c.name: table.header[i] for i, c in columns},
    )
    records = model_importer.parse_rows(run, table, progress)
    model_importer.check_duplicates(run, records)
    if not report.ok:
        return report
    if dry_run:
        model_importer.load(run, lock=False)
        model_importer.plan(run, records)
        count(run)
        return report
    try:
        with transaction.atomic():
            model_importer.load(run, lock=True)
            model_importer.plan(run, records)
            if report.ok:
                model_importer.write(run)
    except IntegrityError:
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
    count(run)
    return report


def count(run: ImportRun) -> None:
    report = run.report
    if not report.ok:
        return
    for plan in run.plans:
        if plan.created:
            report.created += 1
        elif plan.changed:
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        if len(report.changes) < MAX_CHANGES:
            diff = run.importer.created_diff(run.columns, plan) if plan.created else plan.diff
            report.add_change(
                RowChange(
                    row=plan.record.row,
                    external_id=plan.obj.external_id,
                    label=str(plan.obj),
                    created=plan.created,
                    diff=diff,
                )
            )


# --- Import jobs (browser) -----------------------------------------------------------------


def import_job_create(
    *,
    importer: str,
    masterplan: Masterplan,
    actor: Actor,
    content: bytes,
    filename: str,
    dry_run: bool,
) -> ImportJob:
    """A job for an uploaded file; the current language is kept for its messages."""
    get_importer(importer)
    ensure(can_manage(actor, masterplan))
    return ImportJob.objects.create(
        masterplan=masterplan,
        actor=actor if actor.is_authenticated else None,
        importer=importer,
        filename=filename[:255],
        content=content,
        dry_run=dry_run,
        rows_total=estimate_rows(content),
        result={"language": translation.get_language() or settings.LANGUAGE_CODE},
    )


def runs_in_background(job: ImportJob) -> bool:
    return job.rows_total > settings.IMPORT_BACKGROUND_ROWS


def import_job_start(job: ImportJob) -> None:
    """Small files are imported right away; large ones by the worker after the commit."""
    if not runs_in_background(job):
        import_job_run(job.pk)
        return
    from masterplan.core.tasks import run_import_job

    job_id = job.pk
    transaction.on_commit(lambda: run_import_job.enqueue(job_id))


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a waiting job; a job that is already running or done is left alone (idempotent)."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(
        state=ImportJob.State.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("masterplan", "actor").get(pk=job_id)
    language = job.result.get("language") or settings.LANGUAGE_CODE
    last_update = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last_update[0] >= 0.5:
            last_update[0] = now
            ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    try:
        with translation.override(language):
            report = run_job_import(job, progress)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    result = {"language": language, "report": report.to_json()}
    done = {
        "state": ImportJob.State.DONE,
        "finished_at": timezone.now(),
        "result": result,
        "rows_done": report.rows,
        "rows_total": report.rows,
    }
    if not job.dry_run:
        done["content"] = b""  # imported: the upload is no longer needed
    ImportJob.objects.filter(pk=job_id).update(**done)
    job.refresh_from_db()
    return job


def run_job_import(job: ImportJob, progress: Progress) -> ImportReport:
    """The import of a job, as the user who uploaded it and only while they may import."""
    report = ImportReport(importer=job.importer, filename=job.filename, dry_run=job.dry_run)
    # A job's actor is None only when that user was deleted: never run it as "the system".
    if job.actor is None or not can_manage(job.actor, job.masterplan):
        report.add_error(
            None, "", "", _("The user who uploaded the file may no longer import into this plan.")
        )
        return report
    return import_file(
        importer=job.importer,
        masterplan=job.masterplan,
        actor=job.actor,
        content=bytes(job.content),
        filename=job.filename,
        dry_run=job.dry_run,
        progress=progress,
    )


def import_job_apply(job: ImportJob) -> bool:
    """Turn a successful dry run into the real import of the same file (only once)."""
    report = import_job_report(job)
    if report is None or not report.ok or not job.dry_run:
        return False
    language = job.result.get("language")
    claimed = ImportJob.objects.filter(pk=job.pk, dry_run=True, state=ImportJob.State.DONE).update(
        dry_run=False,
        state=ImportJob.State.PENDING,
        rows_done=0,
        rows_total=report.rows,
        finished_at=None,
        result={"language": language},
    )
    if not claimed:
        return False
    job.refresh_from_db()
    import_job_start(job)
    return True


def import_job_report(job: ImportJob) -> ImportReport | None:
    data = job.result.get("report")
    return ImportReport.from_json(data) if data else None


def iter_columns_help(importer: ModelImporter) -> Iterator[dict[str, Any]]:
    """The column table shown on the upload page and in the docs."""
    labels = type_labels()
    for column in importer.bound:
        c = column.column
        kind = str(labels[c.type])
        if c.type == ColumnType.REFERENCE and column.target is not None:
            kind = f"{kind} {column.target._meta.verbose_name}"
        yield {
            "name": c.name,
            "label": c.label,
            "aliases": ", ".join(c.aliases),
            "type": kind,
            "required": c.required,
            "max_length": column.max_length if c.type in TEXT_TYPES else None,
            "choices": [(v, label) for v, label in column.choices],
            "help": c.help,
            "example": c.example,
        }
