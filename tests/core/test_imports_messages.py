"""Files that are wrong in a way people do not expect get a message that says what is wrong."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from masterplan.core.imports.reading import FileProblem, read_table
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Person
from tests.core.workbooks import xlsx


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def problem(content: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as raised:
        read_table(content)
    return raised.value


def test_a_blank_first_line_is_not_an_empty_file() -> None:
    found = problem(b"\r\nName;Art\r\nRuhrort Logistik GmbH;company\r\n")
    assert found.row == 1
    assert found.reason == (
        "Row 1 is empty, but it must hold the column names; the first row with values is "
        "row 2. Delete the empty rows above the column names."
    )


def test_a_blank_first_row_of_a_workbook_is_named_too() -> None:
    found = problem(xlsx([None], [None], ["Name", "Art"], ["Ruhrort Logistik GmbH", "company"]))
    assert "the first row with values is row 3" in found.reason


def test_data_only_on_the_second_sheet_is_pointed_to() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Tabelle1"
    companies = workbook.create_sheet("Unternehmen")
    companies.append(["Name", "Art"])
    companies.append(["Ruhrort Logistik GmbH", "company"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert problem(buffer.getvalue()).reason == (
        "The first sheet (“Tabelle1”) is empty; the data is on the sheet “Unternehmen”. Only "
        "the first sheet is imported: move that sheet to the front, or delete the empty "
        "sheets, and save the file again."
    )


def test_an_empty_workbook_is_still_an_empty_file() -> None:
    assert problem(xlsx(sheets=2)).reason == "The file is empty."


def test_a_cell_over_128_kb_is_named_as_such_not_as_broken_quotes() -> None:
    found = problem(("Name;Beschreibung\r\nHenkel AG;" + "x" * 140_000 + "\r\n").encode())
    assert found.row == 2
    assert "quotation marks" not in found.reason
    assert found.reason.startswith("A cell holds more than 131072 characters (128.0\xa0KB)")


def test_xml_given_to_a_csv_importer_is_named() -> None:
    found = problem(b'<?xml version="1.0" encoding="UTF-8"?>\n<organisationen/>\n')
    assert found.reason.startswith("This is an XML or HTML file, not a CSV or XLSX file.")


def test_an_html_page_saved_as_csv_is_named() -> None:
    assert "XML or HTML" in problem(b"<!DOCTYPE html>\n<html><body></body></html>\n").reason


@pytest.mark.parametrize("cell", ["45292", 45292, 45292.0])
def test_an_excel_serial_number_in_a_date_column_is_explained(
    cell: Any, plan: Masterplan, coordinator: Any
) -> None:
    header = ["Vorname", "Nachname", "Einwilligung", "Einwilligung am"]
    row = ["Anna", "Schmitz", "ja", cell]
    if isinstance(cell, str):  # a CSV file
        content = (";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode()
    else:  # a number cell of a workbook, without a date format
        content = xlsx(header, row)
    report = import_file(
        importer="directory.people",
        masterplan=plan,
        actor=coordinator,
        content=content,
        filename="personen",
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "Einwilligung am")]
    assert report.errors[0].reason == (
        "This is a number (45292), not a date: the cell has lost its date format (Excel "
        "counts 45292 days to 01.01.2024). Format the cells as a date (dd.mm.yyyy), or write "
        "the date as text."
    )
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("content", "german"),
    [
        (b"\r\nName;Art\r\nHenkel AG;company\r\n", "Zeile 1 ist leer"),
        (b"<?xml version='1.0'?>\n<a/>\n", "Das ist eine XML- oder HTML-Datei"),
        (
            "Name\r\nDüsseldorf\r\nM\xfclheim\r\n".encode("latin-1").replace(
                b"D\xfc", "Dü".encode()
            ),
            "Die Datei mischt Zeichenkodierungen",
        ),
        (("Name\r\n" + "x" * 140_000 + "\r\n").encode(), "Eine Zelle enthält mehr als 131072"),
    ],
)
def test_the_messages_are_german_in_german(content: bytes, german: str) -> None:
    with translation.override("de"):
        assert problem(content).reason.startswith(german)
