"""Every file in tests/data/bad is refused with its specific message, and nothing is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.utils import translation

from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Affiliation, Organization, Person

BAD = Path(__file__).parent.parent / "data" / "bad"
ORGS = "directory.organizations"
PEOPLE = "directory.people"


class Expected(NamedTuple):
    row: int | None
    column: str
    reason: str


CASES: dict[str, tuple[str, list[Expected]]] = {
    "leer.csv": (ORGS, [Expected(None, "", "The file is empty.")]),
    "nur_kopfzeile.csv": (ORGS, [Expected(1, "", "header row but no data rows")]),
    "binaerdaten.csv": (ORGS, [Expected(None, "", "not a CSV or XLSX file")]),
    "kaputt.xlsx": (ORGS, [Expected(None, "", "not a CSV or XLSX file")]),
    "altes_excel.xls": (ORGS, [Expected(None, "", "old Excel file (.xls)")]),
    "nicht_dekodierbar.csv": (ORGS, [Expected(None, "", "not a CSV or XLSX file")]),
    "pflichtspalte_fehlt.csv": (ORGS, [Expected(1, "kind", "Required column “kind” is missing")]),
    "unbekannte_spalte.csv": (
        ORGS,
        [Expected(1, "Umsatz", "Unknown column. Known columns: external_id, name, legal_name")],
    ),
    "doppelte_spalte.csv": (
        ORGS,
        [Expected(1, "Ort", "“Stadt” (column D) and “Ort” both mean city")],
    ),
    "doppelte_externe_id.csv": (
        ORGS,
        [
            Expected(
                3, "Externe ID", "“DU-RUHRORT” appears more than once in the file (first in row 2)"
            )
        ],
    ),
    "keine_zahl.csv": (ORGS, [Expected(3, "Beschäftigte", "Not a number.")]),
    "keine_ganze_zahl.csv": (ORGS, [Expected(2, "Beschäftigte", "Not a whole number.")]),
    "negative_beschaeftigte.csv": (ORGS, [Expected(2, "Beschäftigte", "Must not be negative.")]),
    "jahr_zu_frueh.csv": (ORGS, [Expected(2, "Stand (Jahr)", "Must be at least 1900.")]),
    "name_zu_lang.csv": (ORGS, [Expected(2, "Name", "Too long: 209 characters, at most 200")]),
    "ungueltige_art.csv": (
        ORGS,
        [Expected(2, "Art", "Not an allowed value. Allowed: city (City), city_department")],
    ),
    "ungueltige_url.csv": (ORGS, [Expected(2, "Webseite", "Enter a valid URL.")]),
    "ungueltiger_ags.csv": (ORGS, [Expected(2, "AGS", "An AGS has exactly 8 digits.")]),
    "ungueltiger_wz_code.csv": (ORGS, [Expected(2, "WZ", "A WZ 2008 code looks like")]),
    "unbekannte_uebergeordnete.csv": (
        ORGS,
        [Expected(2, "Übergeordnete Organisation", "Unknown reference: no organisation")],
    ),
    "zyklus.csv": (
        ORGS,
        [
            Expected(2, "Übergeordnete Organisation", "its own ancestor"),
            Expected(3, "Übergeordnete Organisation", "its own ancestor"),
        ],
    ),
    "selbstreferenz.csv": (
        ORGS,
        [
            Expected(2, "Übergeordnete Organisation", "cannot refer to itself"),
            Expected(2, "Übergeordnete Organisation", "its own ancestor"),
        ],
    ),
    "formel_gleich.csv": (ORGS, [Expected(3, "Name", "Looks like a spreadsheet formula")]),
    "formel_at.csv": (ORGS, [Expected(2, "Name", "Looks like a spreadsheet formula")]),
    "formel_minus_dde.csv": (ORGS, [Expected(2, "Name", "Looks like a spreadsheet formula")]),
    "html_im_namen.csv": (ORGS, [Expected(2, "Name", "Contains HTML or script markup")]),
    "html_kommentar.csv": (ORGS, [Expected(2, "Name", "Contains HTML or script markup")]),
    "zu_viele_zellen.csv": (
        ORGS,
        [Expected(3, "E", "The row has 5 cells but the header only 4 columns")],
    ),
    "anfuehrungszeichen_kaputt.csv": (
        ORGS,
        [Expected(3, "", "cannot be read as CSV")],
    ),
    "pflichtwert_fehlt.csv": (ORGS, [Expected(3, "Name", "A value is required")]),
    "kurze_zeile.csv": (
        ORGS,
        [
            Expected(
                3,
                "Übergeordnete Organisation",
                "the cells of “Übergeordnete Organisation”, “Beschreibung” are missing",
            )
        ],
    ),
    "gemischte_kodierung.csv": (
        ORGS,
        [Expected(3, "", "The file mixes encodings: it is UTF-8, but line 3 contains")],
    ),
    "xml_statt_csv.csv": (ORGS, [Expected(1, "", "This is an XML or HTML file")]),
    "erste_zeile_leer.csv": (
        ORGS,
        [Expected(1, "", "Row 1 is empty, but it must hold the column names")],
    ),
    "wert_ohne_kopf.csv": (ORGS, [Expected(2, "D", "A value in a column without a header.")]),
    "personen_falsches_datum.csv": (
        PEOPLE,
        [Expected(2, "Einwilligung am", "Not a valid date and time")],
    ),
    "personen_ungueltige_email.csv": (
        PEOPLE,
        [Expected(2, "E-Mail", "Enter a valid email address.")],
    ),
    "personen_ja_nein_falsch.csv": (
        PEOPLE,
        [Expected(2, "Einwilligung", "Not a yes/no value")],
    ),
    "personen_einwilligung_ohne_datum.csv": (
        PEOPLE,
        [Expected(2, "Einwilligung", "Consent needs the time it was given")],
    ),
    "personen_unbekannte_organisation.csv": (
        PEOPLE,
        [Expected(2, "Organisation", "Unknown organisation")],
    ),
    "personen_rolle_ohne_organisation.csv": (
        PEOPLE,
        [Expected(2, "Rolle", "A role needs an organisation")],
    ),
}


def database_counts() -> tuple[int, int, int, int]:
    return (
        Organization.all_objects.count(),
        Person.all_objects.count(),
        Affiliation.all_objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_its_message_and_nothing_changes(
    name: str, plan: Masterplan, coordinator: Any, own_org: Organization, other_org: Organization
) -> None:
    importer, expected = CASES[name]
    before = database_counts()
    with translation.override("en"):
        report = import_file(
            importer=importer,
            masterplan=plan,
            actor=coordinator,
            content=(BAD / name).read_bytes(),
            filename=name,
        )
    assert not report.ok
    found = [(e.row, e.column, e.reason) for e in report.errors]
    assert len(found) == len(expected), found
    for (row, column, reason), want in zip(found, expected, strict=True):
        assert (row, column) == (want.row, want.column), found
        assert want.reason in reason, found
    assert (report.created, report.updated) == (0, 0)
    assert database_counts() == before


@pytest.mark.parametrize("dry_run", [True, False])
def test_oversized_file_is_refused_before_reading(
    dry_run: bool, plan: Masterplan, coordinator: Any, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 100
    content = ("Name;Art\r\n" + "Ruhrort Logistik GmbH;company\r\n" * 10).encode()
    with translation.override("en"):
        report = import_file(
            importer=ORGS,
            masterplan=plan,
            actor=coordinator,
            content=content,
            filename="gross.csv",
            dry_run=dry_run,
        )
    assert [e.reason for e in report.errors] == [
        "The file is 320\xa0bytes; files up to 100\xa0bytes can be imported. "
        "Split it into smaller files."
    ]
    assert not Organization.objects.exists()


def test_too_many_rows_are_refused(plan: Masterplan, coordinator: Any, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 3
    content = ("Name;Art\r\n" + "Ruhrort Logistik GmbH;company\r\n" * 4).encode()
    with translation.override("en"):
        report = import_file(
            importer=ORGS, masterplan=plan, actor=coordinator, content=content, filename="x.csv"
        )
    assert report.errors[0].reason == (
        "The file has more than 3 data rows; split it into smaller files."
    )
    assert not Organization.objects.exists()
