"""Workbooks for the import tests, also hostile ones: a cell of hundreds of megabytes or
millions of empty rows, written part by part so that they are made in a second or two."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl

PLACEHOLDER = "PLATZHALTER"


def xlsx(*rows: list[Any], formats: dict[str, str] | None = None, sheets: int = 1) -> bytes:
    """A workbook with the rows on its first sheet; `formats`: cell → number format. With
    `sheets` > 1, empty sheets follow (or, if the rows are empty, the rows go on the last)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tabelle1"
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    for index in range(2, sheets + 1):
        workbook.create_sheet(f"Tabelle{index}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


Chunks = Callable[[bytes], Iterable[bytes]]
SST = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1">'
)
SHARED_STRINGS_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
SHARED_STRINGS_CONTENT = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def rewritten(content: bytes, changes: dict[str, Chunks]) -> bytes:
    """The workbook with parts replaced by the pieces a change makes of their old text (a
    new part gets b"")."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        for name in [*names, *(n for n in changes if n not in names)]:
            data = source.read(name) if name in names else b""
            if name not in changes:
                target.writestr(name, data)
                continue
            with target.open(name, "w", force_zip64=True) as written:
                for chunk in changes[name](data):
                    written.write(chunk)
    return buffer.getvalue()


def replace(old: str, new: str) -> Chunks:
    return lambda data: [data.replace(old.encode(), new.encode())]


def huge_cell(megabytes: int, *, inline: bool = False) -> bytes:
    """Organisations whose second row names one of `megabytes` MB (a shared string, or an
    inline string in the sheet), in a workbook of less than a megabyte."""
    content = xlsx(["Name", "Art"], [PLACEHOLDER, "company"])
    mb = b"Ruhrort " * (1 << 17)

    def text(before: bytes, after: bytes) -> Iterable[bytes]:
        yield before
        for _ in range(megabytes):
            yield mb
        yield after

    if inline:
        return rewritten(
            content,
            {"xl/worksheets/sheet1.xml": lambda data: text(*data.split(PLACEHOLDER.encode()))},
        )
    return rewritten(
        content,
        {
            "xl/worksheets/sheet1.xml": replace(
                f'<c r="A2" t="inlineStr"><is><t>{PLACEHOLDER}</t></is></c>',
                '<c r="A2" t="s"><v>0</v></c>',
            ),
            "xl/sharedStrings.xml": lambda _data: text(SST + b"<si><t>", b"</t></si></sst>"),
            "xl/_rels/workbook.xml.rels": replace(
                "</Relationships>",
                f'<Relationship Id="rIdS" Type="{SHARED_STRINGS_TYPE}" '
                'Target="sharedStrings.xml"/></Relationships>',
            ),
            "[Content_Types].xml": replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{SHARED_STRINGS_CONTENT}"/></Types>',
            ),
        },
    )


def empty_rows(count: int) -> bytes:
    """Organisations: one row of data, then `count` empty rows."""
    content = xlsx(["Name", "Art"], ["Ruhrort Logistik GmbH", "company"])

    numbered = min(count, 300_000)  # as Excel writes them; the rest without a number

    def pad(data: bytes) -> Iterable[bytes]:
        before, after = data.split(b"</sheetData>")
        yield before
        yield b"".join(b'<row r="%d" spans="1:2"/>' % n for n in range(3, numbered + 3))
        rest = count - numbered
        block = b"<row/>" * 100_000
        for _ in range(rest // 100_000):
            yield block
        yield b"<row/>" * (rest % 100_000)
        yield b"</sheetData>" + after

    return rewritten(content, {"xl/worksheets/sheet1.xml": pad})


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
