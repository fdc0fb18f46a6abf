"""Exports in the columns of the import: CSV for German Excel, XLSX and JSON.

Because the columns are the importer's, an export can be edited in a spreadsheet and imported
again; importing an unchanged export reports "0 changed". CSV is written for German Excel:
UTF-8 with BOM, `;`, CRLF, decimal comma, dd.mm.yyyy, ja/nein. Text cells that start with
= + - @ get an apostrophe in front in CSV and XLSX, so that a spreadsheet shows them as text
instead of running them as formulas ("CSV injection"); the importer removes it again. Numbers,
dates and yes/no values are written by us and are never formulas, so they stay as they are.

Rows are produced one by one from an iterator, so a CSV or JSON export streams with a
constant number of queries whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

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


def xlsx_cell(column: Column, value: Any) -> Any:
    """A value as an Excel cell: numbers, dates and booleans typed, text neutralised."""
    if value is None or value == "":
        return None
    if is_text(column):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if isinstance(value, datetime):
        # Excel has no time zones; whole seconds survive its floating-point day fractions.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, (bool, int, Decimal, date)):
        return value
    return str(value)


NUMBER_FORMATS = {ColumnType.DATE: "DD.MM.YYYY", ColumnType.DATETIME: "DD.MM.YYYY HH:MM:SS"}


def xlsx_bytes(importer: ModelImporter, objects: Iterable[Any]) -> bytes:
    """A workbook with one sheet, written in openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(importer.title)[:31])
    columns = importer.columns
    sheet.append([c.name for c in columns])
    for values in export_rows(importer, objects):
        row = []
        for column, value in zip(columns, values, strict=True):
            cell = WriteOnlyCell(sheet, value=xlsx_cell(column, value))
            if column.type in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.type]
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def export_filename(slug: str, importer: ModelImporter, fmt: str) -> str:
    return f"{slug}-{importer.file_stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
