"""An XLSX workbook's limits, checked before openpyxl reads it.

openpyxl keeps a shared string whole in memory and makes a row for every row number up to the
last one, blank or not. A small workbook can therefore hold what takes gigabytes and minutes
to read: one cell of 400 MB (it compresses to 0.4 MB) or 8 million empty rows. `scan_workbook`
streams the first sheet and the shared strings through expat, keeping nothing but counters,
and refuses a workbook as soon as it exceeds a limit: a cell longer than
`IMPORT_MAX_CELL_CHARS`, more rows than `IMPORT_MAX_ROWS` after the header, blank rows
included. It also finds the sheet that holds the data when the first sheet is empty.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

READ_BYTES = 1 << 16
# workbook.xml and its relations name the sheets: small parts, read whole up to this size.
SMALL_PART_BYTES = 4 * 1024 * 1024
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")


class Problem(Exception):
    """What is wrong with the workbook; reading.py turns it into a FileProblem."""

    def __init__(self, reason: str, row: int | None = None, column: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.column = column


class Unreadable(Exception):
    """The archive is not a workbook openpyxl could read."""


class Found(Exception):
    """Stops a scan early: what it looked for is found."""


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # the path of its XML in the archive
    is_worksheet: bool  # not a chart sheet


def too_long_cell(row: int | None = None, column: str = "") -> Problem:
    limit = settings.IMPORT_MAX_CELL_CHARS
    return Problem(
        _(
            "A cell holds more than %(limit)s characters (%(size)s); cells can hold at most "
            "that much. Shorten the text or leave it out of the import."
        )
        % {"limit": limit, "size": filesizeformat(limit)},
        row=row,
        column=column,
    )


def too_many_rows() -> Problem:
    return Problem(
        _(
            "The first sheet has more than %(limit)s rows after the column names, counting "
            "empty rows too. Delete the empty rows below the data, or split the file."
        )
        % {"limit": settings.IMPORT_MAX_ROWS}
    )


def local(tag: str) -> str:
    """A tag or attribute without its namespace (`x:row`, `{…}row` → `row`)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def part_path(base: str, target: str) -> str:
    """A relationship's target as a path in the archive (relative to the folder `base`)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def elements(archive: zipfile.ZipFile, path: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of a small part (the workbook and its relations): tag and attributes."""
    try:
        if archive.getinfo(path).file_size > SMALL_PART_BYTES:
            raise Unreadable
    except KeyError:
        raise Unreadable from None
    found: list[tuple[str, dict[str, str]]] = []
    stream_part(archive, path, lambda tag, a: found.append((local(tag), a)), None, ignore)
    return found


def ignore(_data: str) -> None:
    pass


def workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook's main part, as the package's relations name it (xl/workbook.xml)."""
    if "_rels/.rels" in archive.namelist():
        for tag, attributes in elements(archive, "_rels/.rels"):
            if tag == "Relationship" and attributes.get("Type", "").endswith("/officeDocument"):
                return part_path("", attributes.get("Target", ""))
    return "xl/workbook.xml"


def workbook_parts(archive: zipfile.ZipFile) -> tuple[list[Sheet], str | None]:
    """The sheets in the workbook's order, and the part of the shared strings if any."""
    main = workbook_part(archive)
    folder, name = posixpath.split(main)
    relations = {}
    shared: str | None = None
    for tag, attributes in elements(archive, posixpath.join(folder, "_rels", f"{name}.rels")):
        if tag != "Relationship":
            continue
        kind = attributes.get("Type", "").rsplit("/", 1)[-1]
        path = part_path(folder, attributes.get("Target", ""))
        relations[attributes.get("Id", "")] = (kind, path)
        if kind == "sharedStrings":
            shared = path
    sheets = []
    for tag, attributes in elements(archive, main):
        if tag != "sheet":
            continue
        ids = [value for key, value in attributes.items() if local(key) == "id"]
        kind, path = relations.get(ids[0] if ids else "", ("", ""))
        sheets.append(Sheet(attributes.get("name", ""), path, kind == "worksheet"))
    return sheets, shared


def refuse_entities(*_arguments: object) -> None:
    raise Unreadable  # no part of a workbook declares entities (“billion laughs”)


def stream_part(
    archive: zipfile.ZipFile,
    path: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None,
    text: Callable[[str], None],
) -> None:
    """Feed one part of the archive through expat in small pieces. The handlers get the
    tags as written, with their prefix if any (`x:row`)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = READ_BYTES
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = refuse_entities
    try:
        with archive.open(path) as part:
            while chunk := part.read(READ_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (KeyError, expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError):
        raise Unreadable from None


def first_long_string(archive: zipfile.ZipFile, path: str | None) -> int | None:
    """The index of the first shared string longer than a cell may be."""
    if path is None or path not in archive.namelist():
        return None
    limit = settings.IMPORT_MAX_CELL_CHARS
    state = {"index": -1, "chars": 0}

    # Only starts: the text between one string's end and the next is at most white space.
    def start(tag: str, _attributes: dict[str, str]) -> None:
        if tag == "si" or tag.endswith(":si"):
            state["index"] += 1
            state["chars"] = 0

    def text(data: str) -> None:
        state["chars"] += len(data)
        if state["chars"] > limit:
            raise Found

    try:
        stream_part(archive, path, start, None, text)
    except Found:
        return state["index"]
    return None


# The elements inside a cell (its value, formula, inline string with rich-text runs); any
# other element ends the cell, so that the scan needs no call at the end of each element.
CELL_PARTS = frozenset(
    [
        "c",
        "v",
        "f",
        "is",
        "t",
        "r",
        "rPr",
        "rPh",
        "phoneticPr",
        "b",
        "i",
        "strike",
        "condense",
        "extend",
        "outline",
        "shadow",
        "u",
        "vertAlign",
        "sz",
        "color",
        "rFont",
        "family",
        "charset",
        "scheme",
    ]
)


class SheetScan:
    """Counters of one sheet's scan: rows (blank ones too), the cell being read.

    Only the starts of elements and the text are handled, one call each: this pass over the
    sheet comes before every import of a workbook."""

    def __init__(self, *, long_string: int | None, max_rows: int | None) -> None:
        # the index of a shared string too long for a cell, as a cell would name it
        self.long_string = None if long_string is None else str(long_string)
        self.max_rows = max_rows  # rows after the header; None: only look for a value
        self.cell_limit = settings.IMPORT_MAX_CELL_CHARS
        self.row = 0
        self.cell = ""  # the reference of the cell being read, "" outside cells
        self.shared = False  # the cell holds the index of a shared string
        self.chars = 0
        self.index = ""  # that index as read so far
        self.has_values = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if ":" in tag:
            tag = tag.rsplit(":", 1)[1]
        if tag in CELL_PARTS and tag != "c":
            return
        if self.shared:
            self.check_shared()
        if tag == "c":
            self.cell = attributes.get("r") or "?"
            self.shared = attributes.get("t") == "s" and self.long_string is not None
            self.chars = 0
            self.index = ""
            return
        self.cell = ""
        if tag == "row":
            number = attributes.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            if self.max_rows is not None and self.row - 1 > self.max_rows:
                raise too_many_rows()

    def text(self, data: str) -> None:
        if not self.cell:
            return
        if not self.has_values and data.strip():
            self.has_values = True
            if self.max_rows is None:
                raise Found
        self.chars += len(data)
        if self.chars > self.cell_limit:
            raise self.too_long()
        if self.shared:
            self.index += data

    def check_shared(self) -> None:
        self.shared = False
        if self.index.strip() == self.long_string:
            raise self.too_long()

    def done(self) -> None:
        if self.shared:
            self.check_shared()

    def too_long(self) -> Problem:
        match = CELL_REFERENCE.fullmatch(self.cell)
        if match is None:
            return too_long_cell(row=self.row or None)
        return too_long_cell(row=int(match.group(2)), column=match.group(1))


def scan_workbook(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook over the cell or row limits before openpyxl reads it; point to the
    sheet with the data when the first one is empty."""
    sheets, shared = workbook_parts(archive)
    if not sheets:
        raise Unreadable
    long_string = first_long_string(archive, shared)
    first = sheets[0]
    scan = SheetScan(long_string=long_string, max_rows=settings.IMPORT_MAX_ROWS)
    if first.is_worksheet:
        stream_part(archive, first.part, scan.start, None, scan.text)
        scan.done()
    if long_string is not None:
        raise too_long_cell()  # in no cell of the first sheet, but openpyxl would read it
    if scan.has_values:
        return
    for other in sheets[1:]:
        look = SheetScan(long_string=None, max_rows=None)
        try:
            if other.is_worksheet:
                stream_part(archive, other.part, look.start, None, look.text)
        except Found:
            raise Problem(
                _(
                    "The first sheet (“%(first)s”) is empty; the data is on the sheet "
                    "“%(sheet)s”. Only the first sheet is imported: move that sheet to the "
                    "front, or delete the empty sheets, and save the file again."
                )
                % {"first": first.name, "sheet": other.name}
            ) from None
        except Problem:
            continue  # a sheet too large to look at holds no data for the message


def dimension_rows(archive: zipfile.ZipFile) -> int | None:
    """The last row of the first sheet as its `<dimension>` states it (read up to the rows,
    not further), for an estimate of its size; None without one."""
    sheets, _shared = workbook_parts(archive)
    if not sheets or not sheets[0].is_worksheet:
        return None
    found: list[int] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "dimension":
            match = CELL_REFERENCE.search(attributes.get("ref", "").rsplit(":", 1)[-1])
            if match is not None:
                found.append(int(match.group(2)))
            raise Found
        if tag == "sheetData":
            raise Found

    with contextlib.suppress(Found):
        stream_part(archive, sheets[0].part, start, None, ignore)
    return found[0] if found else None
