"""Spreadsheet cells keep what the user typed: codes keep the leading zeros their number
format shows, or are refused; date cells work in every date column."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import translation

from masterplan.core.imports import ColumnType, importers
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from tests.core.workbooks import xlsx

HEADER = ["Externe ID", "Name", "Art", "PLZ", "Stadt", "AGS"]
LEADING_ZEROS = (
    "but this column holds codes: a spreadsheet drops the leading zeros of a number (01067 "
    "becomes 1067). Format the cells as text and type the values again, or give them a "
    "number format with the zeros (such as 00000)."
)


def run(plan: Masterplan, actor: Any, content: bytes) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="directory.organizations",
            masterplan=plan,
            actor=actor,
            content=content,
            filename="organisationen.xlsx",
        )


def test_codes_keep_the_leading_zeros_of_their_number_format(
    plan: Masterplan, coordinator: Any
) -> None:
    content = xlsx(
        HEADER,
        [815, "Sächsische Aufbaubank", "company", 1067, "Dresden", 5112000],
        formats={"A2": "0000", "D2": "00000", "F2": "00000000"},
    )
    report = run(plan, coordinator, content)
    assert report.ok, report.errors
    bank = Organization.objects.get()
    assert (bank.external_id, bank.postcode, bank.ags) == ("0815", "01067", "05112000")


def test_a_code_typed_as_a_plain_number_is_refused(plan: Masterplan, coordinator: Any) -> None:
    content = xlsx(HEADER, [4711, "Sächsische Aufbaubank", "company", 1067, "Dresden", 5112000])
    report = run(plan, coordinator, content)
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Externe ID", "4711"),
        (2, "PLZ", "1067"),
        (2, "AGS", "5112000"),
    ]
    assert report.errors[1].reason == f"The cell holds the number 1067, {LEADING_ZEROS}"
    assert not Organization.objects.exists()


def test_a_number_with_all_the_digits_of_its_code_is_taken(
    plan: Masterplan, coordinator: Any
) -> None:
    content = xlsx(HEADER, ["DUS-HENKEL", "Henkel AG & Co. KGaA", "company", 40589, "Düsseldorf"])
    assert run(plan, coordinator, content).ok
    assert Organization.objects.get().postcode == "40589"


def date_columns() -> list[tuple[str, str]]:
    return [
        (key, column.name)
        for key, importer in sorted(importers().items())
        for column in importer.bound
        if column.type in (ColumnType.DATE, ColumnType.DATETIME) or column.name == "period"
    ]


def test_every_importer_has_date_columns_to_check() -> None:
    assert ("indicators.observations", "period") in date_columns()
    assert len(date_columns()) >= 10


@pytest.mark.parametrize(("key", "name"), date_columns())
def test_a_date_cell_is_read_in_every_date_and_period_column(key: str, name: str) -> None:
    column = next(c for c in importers()[key].bound if c.name == name)
    with translation.override("en"):
        value = column.parse(datetime(2024, 12, 31))
    if column.type == ColumnType.DATE:
        assert value == date(2024, 12, 31)
    elif column.type == ColumnType.DATETIME:
        assert value.date() == date(2024, 12, 31)
    else:  # a period: the date as the text a user would type
        assert value == "31.12.2024"
