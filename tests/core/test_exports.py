"""Exports for German Excel, XLSX and JSON, safe against formula injection, constant queries."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masterplan.core.exports import csv_stream, json_stream, neutralise, xlsx_bytes
from masterplan.core.imports import ColumnType, get_importer
from masterplan.core.imports.cells import format_cell
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization, Person
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

ORGS = get_importer("directory.organizations")
PEOPLE = get_importer("directory.people")


def csv_text(importer: Any, objects: Any) -> str:
    return b"".join(csv_stream(importer, objects)).decode("utf-8")


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        (ColumnType.DECIMAL, Decimal("1234.50"), "1234,5"),
        (ColumnType.DATE, datetime(2025, 3, 5).date(), "05.03.2025"),
        (ColumnType.BOOL, True, "ja"),
        (ColumnType.BOOL, False, "nein"),
        (ColumnType.INT, None, ""),
    ],
)
def test_values_are_written_for_german_excel(kind: ColumnType, value: Any, text: str) -> None:
    assert format_cell(kind, value) == text


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://example.invalid")', '\'=HYPERLINK("http://example.invalid")'),
        ("+49 203 2821-0", "'+49 203 2821-0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUMME(A1)", "'@SUMME(A1)"),
        ("Niederrheinische IHK", "Niederrheinische IHK"),
    ],
)
def test_cells_that_start_like_a_formula_are_neutralised(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_csv_has_bom_semicolons_crlf_and_the_import_columns(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="startport", external_id="DU-STARTPORT", employees=25)
    text = csv_text(ORGS, Organization.objects.all())
    assert text.startswith("\ufeffexternal_id;name;legal_name;kind;")
    lines = text[1:].split("\r\n")
    assert lines[1].startswith("DU-STARTPORT;startport;;company;52.24;25;2024;")
    assert lines[2] == ""


def test_formulas_in_stored_text_are_neutralised_in_csv_but_numbers_are_not(
    plan: Masterplan,
) -> None:
    OrganizationFactory(masterplan=plan, name="=1+1", legal_name="@SUMME(A1)", employees=3)
    row = csv_text(ORGS, Organization.objects.all()).split("\r\n")[1].split(";")
    assert (row[1], row[2], row[5]) == ("'=1+1", "'@SUMME(A1)", "3")


def test_formulas_are_neutralised_in_xlsx_and_numbers_stay_numbers(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="=1+1", employees=3)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(ORGS, Organization.objects.all()))).active
    header = [c.value for c in sheet[1]]
    name = sheet.cell(row=2, column=header.index("name") + 1)
    assert (name.value, name.data_type) == ("'=1+1", "s")
    assert sheet.cell(row=2, column=header.index("employees") + 1).value == 3


def test_xlsx_dates_are_excel_dates(plan: Masterplan) -> None:
    given = timezone.make_aware(datetime(2025, 3, 15, 10, 30, 12, 345678))
    PersonFactory(masterplan=plan, consent_to_publish=True, consent_given_at=given)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(PEOPLE, Person.objects.all()))).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("consent_given_at") + 1)
    assert cell.value == datetime(2025, 3, 15, 10, 30, 12)
    assert cell.number_format == "DD.MM.YYYY HH:MM:SS"


def test_json_is_a_list_of_objects_by_column(plan: Masterplan, own_org: Organization) -> None:
    OrganizationFactory(
        masterplan=plan, name="startport", external_id="DU-STARTPORT", parent=own_org
    )
    data = json.loads(b"".join(json_stream(ORGS, Organization.objects.filter(parent=own_org))))
    assert data[0]["external_id"] == "DU-STARTPORT"
    assert (data[0]["parent"], data[0]["employees"]) == ("DU-WFD", 120)


def organisations_with_parents(plan: Masterplan, count: int) -> None:
    parent = OrganizationFactory(masterplan=plan, external_id="DU-WFD")
    for index in range(count - 1):
        OrganizationFactory(masterplan=plan, external_id=f"DU-{index}", parent=parent)


def people_with_affiliations(plan: Masterplan, count: int) -> None:
    organization = OrganizationFactory(masterplan=plan, external_id="DU-IHK")
    for _ in range(count):
        AffiliationFactory(person=PersonFactory(masterplan=plan), organization=organization)


@pytest.mark.parametrize(
    ("kind", "make"),
    [("organizations", organisations_with_parents), ("people", people_with_affiliations)],
)
def test_export_query_count_does_not_grow_with_the_rows(
    kind: str, make: Any, plan: Masterplan, viewer: Any, client_as: Any
) -> None:
    client = client_as(viewer)
    counts = []
    for rows in (5, 50):
        Person.all_objects.all().delete()
        Organization.all_objects.all().delete()
        make(plan, rows)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/p/{plan.slug}/directory/{kind}/export.csv")
            lines = b"".join(response.streaming_content).split(b"\r\n")
        assert len(lines) == rows + 2  # header, rows, final line break
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_workbook_has_a_frozen_filtered_header_and_fitting_columns(
    plan: Masterplan, own_org: Organization
) -> None:
    OrganizationFactory(
        masterplan=plan,
        name="Duisburger Hafen AG (duisport) – Logistikzentrum logport VI Walsum",
        city="Duisburg",
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes(ORGS, Organization.objects.filter(masterplan=plan)))
    ).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}3"
    headers = [cell.value for cell in sheet[1]]
    width = {h: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width for i, h in
             enumerate(headers)}  # fmt: skip
    assert width["name"] >= len("Duisburger Hafen AG (duisport) – Logistikzentrum logport VI")
    assert width["name"] <= 62  # long texts are capped
    assert 8 <= width["city"] < width["name"]


def test_readable_list_speaks_the_interface_language(
    plan: Masterplan, own_org: Organization
) -> None:
    from django.utils import translation

    from masterplan.core.exports import readable_xlsx

    OrganizationFactory(
        masterplan=plan,
        name="Ruhrort Logistik GmbH",
        kind="company",
        parent=own_org,
        employees=520,
    )
    with translation.override("de"):
        book = readable_xlsx(ORGS, Organization.objects.filter(masterplan=plan).order_by("name"))
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert "Name" in header and "name" not in header  # labels, not column keys
    ruhrort = dict(zip(header, rows[1], strict=True))
    parent_header = next(h for h in header if h.startswith("Über"))
    assert ruhrort[parent_header] == "Wirtschaft für Duisburg e. V."  # a name, not DU-WFD
    kind_header = next(h for h in header if h == "Art")
    assert ruhrort[kind_header] == "Unternehmen"  # the choice's label
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_readable_list_follows_the_filters_and_permissions(
    plan: Masterplan, own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    from django.urls import reverse

    OrganizationFactory(masterplan=plan, name="Ruhrort Logistik GmbH", city="Duisburg")
    OrganizationFactory(masterplan=plan, name="IHK Düsseldorf", city="Düsseldorf")
    url = reverse("directory:organization_export_readable", args=[plan.slug])
    response = client_as(coordinator).get(url + "?city=Düsseldorf")
    assert response.status_code == 200
    assert (
        "-liste-" in response["Content-Disposition"] or "-list-" in response["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    name = rows[0].index("Name")
    assert [row[name] for row in rows[1:]] == ["IHK Düsseldorf"]
    assert client_as(None).get(url).status_code in (302, 403)
