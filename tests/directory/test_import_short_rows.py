"""A row with fewer cells than the header is refused: a missing cell never clears a field."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from tests.core.workbooks import xlsx

HEADER = "Externe ID;Name;Art;Übergeordnete Organisation;Beschreibung"
STARTPORT = "DU-STARTPORT;startport;startup;DU-WFD;Gründungszentrum im Duisburger Hafen"


def csv(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def run(plan: Masterplan, actor: Any, content: bytes, filename: str = "x.csv") -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="directory.organizations",
            masterplan=plan,
            actor=actor,
            content=content,
            filename=filename,
        )


def test_a_short_row_is_refused_naming_its_row_and_the_missing_columns(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    assert run(plan, coordinator, csv(STARTPORT)).ok
    entries = AuditEntry.objects.count()

    report = run(plan, coordinator, csv("DU-STARTPORT;startport;startup"))

    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Übergeordnete Organisation", "")
    ]
    assert report.errors[0].reason == (
        "The row has 3 cells but the header 5 columns: the cells of “Übergeordnete "
        "Organisation”, “Beschreibung” are missing (a line break inside a value without "
        "quotation marks?). Write every delimiter, also for empty cells."
    )
    startport = Organization.objects.get(external_id="DU-STARTPORT")
    assert startport.parent == own_org
    assert startport.description == "Gründungszentrum im Duisburger Hafen"
    assert (startport.version, AuditEntry.objects.count()) == (1, entries)


def test_written_empty_cells_still_clear_the_fields(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    run(plan, coordinator, csv(STARTPORT))
    assert run(plan, coordinator, csv("DU-STARTPORT;startport;startup;;")).ok
    startport = Organization.objects.get(external_id="DU-STARTPORT")
    assert (startport.parent, startport.description) == (None, "")


def test_a_spreadsheet_row_ending_in_empty_cells_is_not_short(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    # An XLSX file leaves out the empty cells at the end of a row: they are empty, not lost.
    content = xlsx(HEADER.split(";"), ["DU-HAFEN", "duisport", "company"])
    report = run(plan, coordinator, content, "x.xlsx")
    assert report.ok, report.errors
    assert Organization.objects.get(external_id="DU-HAFEN").parent is None


def test_the_refusal_is_german_in_german(plan: Masterplan, coordinator: Any) -> None:
    with translation.override("de"):
        report = import_file(
            importer="directory.organizations",
            masterplan=plan,
            actor=coordinator,
            content=csv("DU-STARTPORT;startport;startup"),
            filename="organisationen.csv",
        )
    assert report.errors[0].reason.startswith(
        "Die Zeile hat 3 Zellen, die Kopfzeile aber 5 Spalten: Die Zellen von „Übergeordnete "
        "Organisation“, „Beschreibung“ fehlen"
    )
