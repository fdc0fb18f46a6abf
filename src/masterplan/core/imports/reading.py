"""Reading CSV and XLSX files row by row, without holding the file's rows in memory.

`read_table` checks the whole file first, exactly as a user should hear about it: size,
binary junk and encoding, empty files, broken quoting, the row limit. It reads the data rows
once for that and keeps only their number; `Table.rows()` reads them again, as often as the
import needs (the rows are decoded and split anew each time, which costs a few microseconds
a row, against kilobytes of memory a row if they were kept).

A file comes as bytes or as a seekable binary file (the command line and the benchmark pass
an open file, so that not even its bytes are in memory); it is read from its beginning.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from masterplan.core.imports.cells import CONTROL_CHARACTERS, CellValue
from masterplan.core.imports.columns import column_letter
from masterplan.core.imports.workbook import (
    Problem,
    Unreadable,
    dimension_rows,
    scan_workbook,
    too_long_cell,
)

Source = bytes | IO[bytes]
Row = tuple[int, Sequence[CellValue]]  # the row number a spreadsheet shows, and the cells

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DELIMITER_NAMES = {";": "“;”", ",": "“,”", "\t": "tab"}
CHUNK_BYTES = 1 << 20
DOS_END_OF_FILE = "\x1a"
MARKUP_START = re.compile(r"\s*<[?!A-Za-z]")


class FileProblem(Exception):
    """The file as a whole cannot be imported."""

    def __init__(
        self, reason: str, row: int | None = None, value: str = "", column: str = ""
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row
        self.value = value
        self.column = column
        # Further problems found with this one (a reader that reports all of them at once).
        self.more: list[FileProblem] = []

    def each(self) -> list[FileProblem]:
        return [self, *self.more]


@dataclass(frozen=True)
class Table:
    """A checked file: its header, its format, how many data rows it has, and the rows."""

    header: list[str]
    file_format: str
    row_count: int
    records: Callable[[], Iterator[Row]]  # every row read anew, the header first
    notes: tuple[str, ...] = ()  # what the reader tells the preview (e.g. features skipped)

    def rows(self) -> Iterator[Row]:
        """The non-blank data rows with their row numbers (the header is row 1)."""
        records = self.records()
        next(records, None)
        yield from records


def not_a_table() -> FileProblem:
    return FileProblem(
        _(
            "This is not a CSV or XLSX file: it contains binary data or cannot be read as "
            "text. Save it from your spreadsheet as “CSV UTF-8” or as “Excel workbook (.xlsx)”."
        )
    )


def empty_file() -> FileProblem:
    return FileProblem(_("The file is empty."))


def read_table(source: Source) -> Table:
    """The header and the number of non-blank data rows of a CSV or XLSX file, all checked."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    size = stream.seek(0, io.SEEK_END)
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileProblem(
            _(
                "The file is %(size)s; files up to %(limit)s can be imported. Split it into "
                "smaller files."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if not any(chunk.strip(b" \t\r\n") for chunk in byte_chunks(stream)):
        raise empty_file()
    stream.seek(0)
    start = stream.read(len(XLS_MAGIC))
    if start.startswith(XLS_MAGIC):
        raise FileProblem(
            _(
                "This is an old Excel file (.xls), which cannot be read. Save it as “Excel "
                "workbook (.xlsx)” or as “CSV UTF-8” and upload it again."
            )
        )
    if start.startswith(ZIP_MAGIC):
        check_unpacked_size(stream)
        check_workbook(stream)
        records: Callable[[], Iterator[Row]] = lambda: xlsx_records(stream)  # noqa: E731
        file_format = _("Excel workbook (XLSX), first sheet")
    else:
        text = inspect_text(stream)
        line = first_line(stream, text)
        if MARKUP_START.match(line):
            raise FileProblem(
                _(
                    "This is an XML or HTML file, not a CSV or XLSX file. Open it in your "
                    "spreadsheet and save it as “CSV UTF-8” or as “Excel workbook (.xlsx)”."
                ),
                row=1,
                value=line[:200],
            )
        delimiter = sniff_delimiter(line)
        records = lambda: csv_records(stream, text, delimiter)  # noqa: E731
        file_format = _("CSV, %(encoding)s, separated by %(delimiter)s") % {
            "encoding": text.name,
            "delimiter": DELIMITER_NAMES[delimiter],
        }
    header, count = count_rows(records())
    return Table(header=header, file_format=file_format, row_count=count, records=records)


def byte_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def count_rows(records: Iterator[Row]) -> tuple[list[str], int]:
    """Read every row once: the header, and the number of data rows within the limit (rows
    after the header, blank ones included)."""
    header: list[str] | None = None
    count = 0
    first_data_row = None
    limit = settings.IMPORT_MAX_ROWS
    for number, cells in records:
        if header is None:
            header = ["" if c is None else str(c).strip() for c in cells]
            continue
        count += 1
        if number > limit:  # only then can a limit be exceeded
            check_row_limit(rows=number - 1, data_rows=count)
        if first_data_row is None:
            first_data_row = number
    if header is None or not any(header):
        if first_data_row is not None:
            raise FileProblem(
                _(
                    "Row 1 is empty, but it must hold the column names; the first row with "
                    "values is row %(row)s. Delete the empty rows above the column names."
                )
                % {"row": first_data_row},
                row=1,
            )
        raise empty_file()
    if not count:
        raise FileProblem(
            _("The file has a header row but no data rows."), row=1, value=";".join(header)
        )
    return header, count


def check_row_limit(*, rows: int, data_rows: int) -> None:
    """At most IMPORT_MAX_ROWS rows after the header; blank rows count, as reading them
    costs time too."""
    limit = settings.IMPORT_MAX_ROWS
    if data_rows > limit:
        raise FileProblem(
            _("The file has more than %(limit)s data rows; split it into smaller files.")
            % {"limit": limit}
        )
    if rows > limit:
        raise FileProblem(
            _(
                "The file has more than %(limit)s rows after the column names, counting empty "
                "rows too. Delete the empty rows, or split the file."
            )
            % {"limit": limit}
        )


# --- CSV -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextFormat:
    codec: str
    name: str
    ends_with_eof_marker: bool  # DOS end-of-file characters at the very end, not read


def inspect_text(stream: IO[bytes]) -> TextFormat:
    """The encoding: UTF-8 (with or without BOM), UTF-16 or Windows-1252, checked over the
    whole file, which must be text without control characters and not only blanks."""
    stream.seek(0)
    start = stream.read(4)
    if start.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8 (BOM)")]
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    elif any(b"\x00" in chunk for chunk in byte_chunks(stream)):
        raise not_a_table()
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    for codec, name in candidates:
        try:
            ends_with_marker = check_text(stream, codec)
        except UnicodeDecodeError:
            if codec in ("utf-8", "utf-8-sig"):
                refuse_mixed_encodings(stream)
            continue
        return TextFormat(codec=codec, name=name, ends_with_eof_marker=ends_with_marker)
    raise not_a_table()


UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def has_utf8_letter(stream: IO[bytes]) -> bool:
    """Whether the file has a letter beyond ASCII that is valid UTF-8 (“ü” as C3 BC)."""
    tail = b""
    for chunk in byte_chunks(stream):
        data = tail + chunk
        for match in UTF8_LETTER.finditer(data):
            try:
                match.group().decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
        tail = data[-3:]
    return False


def refuse_mixed_encodings(stream: IO[bytes]) -> None:
    """A file that is UTF-8 in one place (“ü” as two bytes) and not in another (a Windows-1252
    “ü” pasted in) is refused, naming the line: read as Windows-1252 throughout, every UTF-8
    letter would be stored garbled (“DÃ¼sseldorf”). A file with no UTF-8 letter at all is
    Windows-1252 and is read as such."""
    if not has_utf8_letter(stream):
        return
    stream.seek(0)
    number = 0
    for line in iter(stream.readline, b""):
        number += 1
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = line[error.start : error.start + 1]
            break
    else:  # pragma: no cover - check_text found the error in some line
        return
    text = line.decode("utf-8", errors="replace").rstrip("\r\n")
    raise FileProblem(
        _(
            "The file mixes encodings: it is UTF-8, but line %(line)s contains a character "
            "in another encoding (the byte %(byte)s, “%(char)s” in Windows-1252). Read as "
            "either, some letters would be stored garbled. Correct the character, or save "
            "the file again as “CSV UTF-8”."
        )
        % {
            "line": number,
            "byte": f"0x{bad.hex().upper()}",
            "char": bad.decode("cp1252", errors="replace"),
        },
        row=number,
        value=text[:200],
    )


def check_text(stream: IO[bytes], codec: str) -> bool:
    """Decode the whole file (UnicodeDecodeError when it is not in `codec`); refuse control
    characters and blank text. True when DOS end-of-file markers end the text: they are
    ignored, as anywhere else they are control characters."""
    decoder = codecs.getincrementaldecoder(codec)()
    markers = 0  # end-of-file markers at the end of the text decoded so far
    control = has_text = False
    for chunk in itertools.chain(byte_chunks(stream), [b""]):
        text = decoder.decode(chunk, final=not chunk)
        body = text.rstrip(DOS_END_OF_FILE)
        if body:
            control = control or bool(markers) or bool(CONTROL_CHARACTERS.search(body))
            has_text = has_text or bool(body.strip())
            markers = len(text) - len(body)
        else:
            markers += len(text)
    if control:
        raise not_a_table()
    if not has_text:
        raise empty_file()
    return bool(markers)


def text_lines(stream: IO[bytes], text: TextFormat) -> Iterator[str]:
    """The file's lines as text (line ends kept), without the end-of-file markers."""
    stream.seek(0)
    wrapper = io.TextIOWrapper(stream, encoding=text.codec, newline="")
    try:
        # Not `yield from wrapper`: closing this generator early would close the wrapper,
        # and with it the stream.
        for line in wrapper:
            yield line.replace(DOS_END_OF_FILE, "") if text.ends_with_eof_marker else line
    finally:
        # The stream stays open for the next reading. A generator left unfinished by an
        # error may be collected after its stream: then there is nothing left to keep open.
        with contextlib.suppress(ValueError):
            wrapper.detach()


def first_line(stream: IO[bytes], text: TextFormat) -> str:
    """The text up to the first line feed, from which the delimiter is guessed."""
    parts = []
    for line in text_lines(stream, text):
        parts.append(line)
        if line.endswith("\n"):
            break
    return "".join(parts).split("\n", 1)[0]


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of `;`, tab and `,` outside quotes; `;` when there is none."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: ; before tab before ,
    return best if counts[best] else ";"


def csv_records(stream: IO[bytes], text: TextFormat, delimiter: str) -> Iterator[Row]:
    """The header and the non-blank rows, numbered as a spreadsheet numbers them."""
    reader = csv.reader(text_lines(stream, text), delimiter=delimiter, strict=True)
    row_number = 0
    # The csv module refuses cells over its own limit (131072 characters); a lower setting
    # is checked here.
    row_limit = settings.IMPORT_MAX_ROWS
    cell_limit = settings.IMPORT_MAX_CELL_CHARS
    if cell_limit >= csv.field_size_limit():
        cell_limit = 0
    try:
        for cells in reader:
            row_number += 1
            if row_number == 1 or any(c.strip() for c in cells):
                if cell_limit and max(map(len, cells), default=0) > cell_limit:
                    long = next(i for i, c in enumerate(cells) if len(c) > cell_limit)
                    raise file_problem(too_long_cell(row_number, column_letter(long)))
                yield row_number, cells
            elif row_number > row_limit:  # blank rows count too (non-blank: count_rows)
                check_row_limit(rows=row_number - 1, data_rows=0)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise file_problem(too_long_cell(row=row_number + 1)) from None
        raise FileProblem(
            _(
                "The row cannot be read as CSV (%(detail)s). Check the quotation marks: a "
                "value that contains the delimiter or a line break must be enclosed in "
                "double quotes, and a double quote inside it must be doubled."
            )
            % {"detail": error},
            row=row_number + 1,
        ) from None


# --- XLSX ----------------------------------------------------------------------------------


def check_unpacked_size(stream: IO[bytes]) -> None:
    """Refuse a workbook that unpacks to much more than the upload limit (a zip bomb)."""
    limit = 10 * settings.IMPORT_MAX_BYTES
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise not_a_table() from None
    if unpacked > limit:
        raise FileProblem(
            _("The workbook unpacks to %(size)s; at most %(limit)s can be imported.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)}
        )


def open_workbook(stream: IO[bytes]) -> Any:
    """The workbook in read-only mode, which reads the rows as they are asked for."""
    import openpyxl

    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings about files from other programs
            return openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for broken archives
        raise not_a_table() from None


def check_workbook(stream: IO[bytes]) -> None:
    """The limits of cells and rows, before openpyxl reads the workbook (workbook.py)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            scan_workbook(archive)
    except Unreadable:
        raise not_a_table() from None
    except Problem as problem:
        raise file_problem(problem) from None


def file_problem(problem: Problem) -> FileProblem:
    return FileProblem(problem.reason, row=problem.row, column=problem.column)


# A number format of zeros only ("00000" for a postcode): the number is shown with leading
# zeros, and that text is what the user typed and sees.
ZERO_PADDED = re.compile(r"0+")


def padded(cell: Any) -> CellValue:
    """A number cell's value as the user sees it where its format adds leading zeros."""
    value = cell.value
    number_format = getattr(cell, "number_format", "") or ""
    if (
        not isinstance(value, bool)
        and ZERO_PADDED.fullmatch(number_format)
        and float(value).is_integer()
        and value >= 0
    ):
        return str(int(value)).zfill(len(number_format))
    return value  # type: ignore[no-any-return]


def xlsx_records(stream: IO[bytes]) -> Iterator[Row]:
    """The header and the non-blank rows of the first worksheet (formulas as their text),
    each row as wide as the header at least: a spreadsheet leaves out empty cells at the end
    of a row, which are empty cells all the same."""
    workbook = open_workbook(stream)
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise empty_file()
        sheet.reset_dimensions()  # some programs write wrong dimensions
        width = 0
        for row_number, cells in enumerate(sheet.iter_rows(), start=1):
            values = tuple(
                padded(cell) if isinstance(value := cell.value, (int, float)) else value
                for cell in cells
            )
            if row_number == 1:
                width = len(values)
                yield row_number, values
            elif any(v is not None and str(v).strip() for v in values):
                yield row_number, values + (None,) * (width - len(values))
    finally:
        workbook.close()


def estimate_rows(content: bytes) -> int:
    """A quick estimate of the data rows, to decide whether to run in the background."""
    if not content.startswith(ZIP_MAGIC):
        return max(0, content.count(b"\n") - 1) + (0 if content.endswith(b"\n") else 1)
    try:  # not through openpyxl, which would load every shared string of the workbook
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            rows = dimension_rows(archive)
    except (Unreadable, zipfile.BadZipFile, ValueError):  # reported by the import itself
        rows = None
    # Without a dimension in the file: roughly one row per 50 bytes of compressed sheet.
    return max(0, rows - 1) if rows else len(content) // 50
