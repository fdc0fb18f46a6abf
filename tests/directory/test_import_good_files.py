"""Files as spreadsheets really save them are imported completely."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone, translation

from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Affiliation, Organization, Person

GOOD = Path(__file__).parent.parent / "data" / "good"


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def run(plan: Masterplan, actor: Any, name: str, importer: str = "directory.organizations") -> Any:
    report = import_file(
        importer=importer,
        masterplan=plan,
        actor=actor,
        content=(GOOD / name).read_bytes(),
        filename=name,
    )
    assert report.ok, [str(e) for e in report.errors]
    return report


def test_utf8_with_bom_semicolons_and_german_headers(plan: Masterplan, coordinator: Any) -> None:
    report = run(plan, coordinator, "organisationen_utf8_bom_semikolon.csv")
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert "UTF-8 (BOM)" in report.file_format
    ihk = Organization.objects.get(masterplan=plan, external_id="DU-IHK")
    assert ihk.kind == "chamber"  # the German label "Kammer"
    assert ihk.employees == 1234  # "1.234" with a thousands dot
    assert ihk.website == "https://www.ihk.de/niederrhein"
    startport = Organization.objects.get(masterplan=plan, external_id="DU-STARTPORT")
    assert startport.parent is not None
    assert startport.parent.external_id == "DU-WFD"  # a row of the same file
    assert Organization.objects.get(external_id="DU-WFD").kind == "association"  # "Verein"


def test_windows_1252_with_tabs(plan: Masterplan, coordinator: Any) -> None:
    report = run(plan, coordinator, "organisationen_cp1252_tab.csv")
    assert report.created == 3
    assert "Windows-1252" in report.file_format
    assert "tab" in report.file_format
    ihk = Organization.objects.get(external_id="DUS-IHK")
    assert (ihk.name, ihk.city, ihk.publication) == ("IHK Düsseldorf", "Düsseldorf", "published")
    assert Organization.objects.get(external_id="DUS-IVD").publication == "draft"


def test_comma_separated_with_quoted_commas_and_line_breaks(
    plan: Masterplan, coordinator: Any
) -> None:
    report = run(plan, coordinator, "organizations_comma.csv")
    assert report.created == 2
    krupp = Organization.objects.get(external_id="DU-KRUPP")
    assert krupp.legal_name == "thyssenkrupp Steel Europe AG, Duisburg"
    assert krupp.description.startswith("Largest steel site in Europe,\nwith")


def test_xlsx_with_typed_cells(plan: Masterplan, coordinator: Any) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Externe ID", "Name", "Art", "Beschäftigte", "PLZ", "Gemeindeschlüssel"])
    sheet.append(["DU-WFD", "Wirtschaft für Duisburg e. V.", "Verband", 12, 47051, "05112000"])
    sheet.append(["DU-STARTPORT", "startport", "startup", 25.0, "47119", "05112000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_file(
        importer="directory.organizations",
        masterplan=plan,
        actor=coordinator,
        content=buffer.getvalue(),
        filename="organisationen.xlsx",
    )
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    assert "XLSX" in report.file_format
    startport = Organization.objects.get(external_id="DU-STARTPORT")
    assert (startport.employees, startport.postcode) == (25, "47119")
    assert Organization.objects.get(external_id="DU-WFD").postcode == "47051"


def test_people_with_affiliations_and_consent(
    plan: Masterplan, coordinator: Any, own_org: Organization, other_org: Organization
) -> None:
    report = run(plan, coordinator, "personen_utf8_semikolon.csv", importer="directory.people")
    assert report.created == 3
    chief = Person.objects.get(external_id="P-001")
    assert chief.consent_to_publish is True
    assert chief.consent_given_at == timezone.make_aware(datetime(2025, 3, 15, 10, 30))
    assert chief.phone == "+49 203 2821-0"
    affiliation = Affiliation.objects.get(person=chief)
    assert (affiliation.organization, affiliation.role) == (other_org, "Hauptgeschäftsführer")
    assert Affiliation.objects.get(person__external_id="P-002").organization == own_org
    assert not Affiliation.objects.filter(person__external_id="P-003").exists()
