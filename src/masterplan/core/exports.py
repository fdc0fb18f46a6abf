"""Exports in the columns of the import: CSV for German Excel, XLSX and JSON.

Because the columns are the importer's, an export can be edited in a spreadsheet and imported
again; importing an unchanged export reports "0 changed". CSV is written for German Excel:
UTF-8 with BOM, `;`, CRLF, decimal comma, dd.mm.yyyy, ja/nein. Text cells that start with
= + - @ get an apostrophe in front in CSV and XLSX, so that a spreadsheet shows them as text
instead of running them as formulas ("CSV injection"); the importer removes it again. Numbers,
dates and yes/no values are written by us and are never formulas, so they stay as they are.

Rows are produced one by one from an iterator, so a CSV or JSON export streams with a
constant number of queries whatever the number of rows.

Besides this round-trip format there is a readable list (`readable_xlsx`): headers, choices,
yes/no and referenced records in the interface language, as people read them, for any table
of `TableColumn`s (a list's import columns, the audit trail, decisions). Every workbook has a
frozen header row, an autofilter and column widths that fit the content.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from masterplan.core.audit import jsonable
from masterplan.core.imports.cells import NEUTRALISED_START, TEXT_TYPES, ColumnType, format_cell
from masterplan.core.imports.columns import Column
from masterplan.core.imports.importer import ModelImporter

FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK_ROWS = 2000  # rows fetched per query (and per prefetch) while exporting
FLUSH_BYTES = 64 * 1024


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made plain text by a leading apostrophe."""
    return f"'{text}" if text.startswith(NEUTRALISED_START) else text


def is_text(column: Column) -> bool:
    return column.type in TEXT_TYPES or column.type == ColumnType.CHOICE


def export_rows(importer: ModelImporter, objects: Iterable[Any]) -> Iterator[list[Any]]:
    """The values of each object in the importer's columns (references as external IDs)."""
    columns = importer.columns
    for obj in objects:
        yield [importer.export_value(obj, column) for column in columns]


def csv_stream(importer: ModelImporter, objects: Iterable[Any]) -> Iterator[bytes]:
    """A CSV file for German Excel, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    columns = importer.columns
    writer.writerow([c.name for c in columns])
    yield "\ufeff".encode()
    for values in export_rows(importer, objects):
        writer.writerow(
            [
                neutralise(format_cell(c.type, v)) if is_text(c) else format_cell(c.type, v)
                for c, v in zip(columns, values, strict=True)
            ]
        )
        if buffer.tell() > FLUSH_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def template_csv(importer: ModelImporter) -> bytes:
    """An empty file with the header row, to fill in and import."""
    return b"".join(csv_stream(importer, []))


NUMBER_FORMATS = {ColumnType.DATE: "DD.MM.YYYY", ColumnType.DATETIME: "DD.MM.YYYY HH:MM:SS"}


def xlsx_bytes(importer: ModelImporter, objects: Iterable[Any]) -> bytes:
    """A workbook with one sheet in the import's columns (the round-trip format)."""
    columns = [
        TableColumn(c.name, itemgetter(i), c.type, text=is_text(c))
        for i, c in enumerate(importer.columns)
    ]
    return table_xlsx(str(importer.title), columns, export_rows(importer, objects))


# --- Tables: any rows under headers, as a workbook people can read ---------------------------


@dataclass(frozen=True)
class TableColumn:
    """A column of an exported table: its header and how a row gives its cell."""

    header: StrOrPromise
    value: Callable[[Any], Any]
    type: ColumnType = ColumnType.TEXT
    text: bool = True  # text that must never run as a formula (neutralised)


WIDTH_SAMPLE_ROWS = 500  # rows read ahead to size the columns (a write-only sheet can't later)
MIN_WIDTH, MAX_WIDTH = 8, 60


def cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def table_xlsx(title: str, columns: list[TableColumn], rows: Iterable[Any]) -> bytes:
    """A workbook with one sheet, written in openpyxl's write-only mode: a frozen header row
    with an autofilter, column widths from the header and the first rows, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    rows = iter(rows)
    ahead = [[column.value(row) for column in columns] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    for index, column in enumerate(columns):
        widest = max([len(str(column.header)), *(cell_width(v[index]) for v in ahead)])
        width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([str(column.header) for column in columns])
    count = 0
    rest = ([column.value(row) for column in columns] for row in rows)
    for row_values in chain(ahead, rest):
        cells = []
        for column, value in zip(columns, row_values, strict=True):
            cell = WriteOnlyCell(sheet, value=typed_cell(column, value))
            if column.type in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.type]
            cells.append(cell)
        sheet.append(cells)
        count += 1
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def typed_cell(column: TableColumn, value: Any) -> Any:
    """A value as an Excel cell: numbers, dates and booleans typed, text neutralised."""
    if value is None or value == "":
        return None
    if column.text:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if isinstance(value, datetime):
        # Excel has no time zones; whole seconds survive its floating-point day fractions.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, (bool, int, Decimal, date)):
        return value
    return str(value)


def table_response(
    slug: str, stem: str, title: str, columns: list[TableColumn], rows: Iterable[Any]
) -> HttpResponse:
    """`table_xlsx` as a download named `<plan>-<stem>-<date>.xlsx`."""
    response = HttpResponse(table_xlsx(title, columns, rows), content_type=FORMATS["xlsx"])
    filename = f"{slug}-{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def readable_value(importer: ModelImporter, column: Column, obj: Any) -> Any:
    """A column's value as the pages show it: choice labels, yes/no, names of records."""
    name = column.field_name
    if name is None:
        return importer.export_value(obj, column)
    if column.type == ColumnType.REFERENCE:
        related = getattr(obj, name)
        return str(related) if related is not None else ""
    value = getattr(obj, name)
    if column.type == ColumnType.CHOICE:
        choices = column.choices or obj._meta.get_field(name).flatchoices
        return str(dict(choices).get(value, value))
    if column.type == ColumnType.BOOL and value is not None:
        return _("yes") if value else _("no")
    return value


def readable_columns(importer: ModelImporter) -> list[TableColumn]:
    """The import's columns, for people: headers and values in the interface language."""
    return [
        TableColumn(
            column.label or column.name,
            partial(readable_value, importer, column),
            column.type,
            text=is_text(column) or column.type in (ColumnType.REFERENCE, ColumnType.BOOL),
        )
        for column in importer.columns
    ]


def readable_xlsx(importer: ModelImporter, objects: Iterable[Any]) -> bytes:
    return table_xlsx(str(importer.title), readable_columns(importer), objects)


def json_stream(importer: ModelImporter, objects: Iterable[Any]) -> Iterator[bytes]:
    """A JSON array of objects keyed by column name (dates ISO 8601, decimals as strings)."""
    names = [c.name for c in importer.columns]
    yield b"["
    separator = b"\n"
    for values in export_rows(importer, objects):
        record = {name: jsonable(value) for name, value in zip(names, values, strict=True)}
        yield separator + json.dumps(record, ensure_ascii=False).encode()
        separator = b",\n"
    yield b"\n]\n"


def export_chunks(importer: ModelImporter, objects: Iterable[Any], fmt: str) -> Iterator[bytes]:
    """The file in the given format ("csv", "xlsx" or "json"), as chunks of bytes."""
    if fmt == "csv":
        return csv_stream(importer, objects)
    if fmt == "json":
        return json_stream(importer, objects)
    if fmt == "xlsx":
        return iter([xlsx_bytes(importer, objects)])
    raise ValueError(f"unknown export format {fmt!r}")


def export_filename(slug: str, importer: ModelImporter, fmt: str, *, readable: bool = False) -> str:
    stem = f"{importer.file_stem}-{_('list')}" if readable else importer.file_stem
    return f"{slug}-{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
