"""Reading CSV and XLSX files into a header and numbered rows."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from masterplan.core.imports.reading import (
    FileProblem,
    estimate_rows,
    read_table,
    sniff_delimiter,
)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def xlsx(*rows: list[Any]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("Name;Art;Stadt", ";"),
        ("Name\tArt\tStadt", "\t"),
        ("Name,Art,Stadt", ","),
        ('"Name, rechtlich";Art', ";"),  # the comma is quoted
        ("Name", ";"),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header_line(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


def test_row_numbers_are_those_a_spreadsheet_shows() -> None:
    content = b'Name;Beschreibung\r\nstartport;"zwei\r\nZeilen"\r\n;\r\n\r\nduisport;Hafen\r\n'
    table = read_table(content)
    assert table.header == ["Name", "Beschreibung"]
    assert [row for row, _cells in table.rows()] == [2, 5]  # blank rows skipped, not renumbered


def test_utf16_with_bom_as_saved_by_excel_as_unicode_text() -> None:
    table = read_table("Name\tStadt\r\nIHK Düsseldorf\tDüsseldorf\r\n".encode("utf-16"))
    assert next(table.rows())[1] == ["IHK Düsseldorf", "Düsseldorf"]
    assert "UTF-16" in table.file_format


def test_utf8_is_preferred_over_windows_1252() -> None:
    table = read_table("Name\nMülheim an der Ruhr\n".encode())
    assert next(table.rows())[1] == ["Mülheim an der Ruhr"]
    assert "Windows-1252" in read_table("Name\nMülheim\n".encode("cp1252")).file_format


def test_xlsx_rows_keep_their_types_and_numbers() -> None:
    table = read_table(xlsx(["Name", "Beschäftigte"], [None, None], ["startport", 25]))
    assert table.header == ["Name", "Beschäftigte"]
    assert list(table.rows()) == [(3, ("startport", 25))]


def test_xlsx_formulas_arrive_as_their_text() -> None:
    table = read_table(xlsx(["Name"], ["=1+1"]))
    assert next(table.rows())[1][0] == "=1+1"


def test_xlsx_that_unpacks_to_too_much_is_refused(settings: Any) -> None:
    content = xlsx(["Name"], *[["Ruhrort Logistik GmbH"]] * 5000)  # compresses very well
    settings.IMPORT_MAX_BYTES = len(content)
    with pytest.raises(FileProblem, match="unpacks to"):
        read_table(content)


def test_control_characters_make_a_file_binary() -> None:
    with pytest.raises(FileProblem, match="not a CSV or XLSX file"):
        read_table(b"Name\r\nstart\x07port\r\n")


def test_a_header_of_empty_cells_is_an_empty_file() -> None:
    with pytest.raises(FileProblem, match="The file is empty"):
        read_table(b";;;\r\n\r\n")


def test_row_estimate_for_choosing_the_background() -> None:
    assert estimate_rows(b"Name\r\na\r\nb\r\nc\r\n") == 3
    assert estimate_rows(b"Name\na\nb") == 2
    assert estimate_rows(xlsx(["Name"], *[["a"]] * 40)) == 40
