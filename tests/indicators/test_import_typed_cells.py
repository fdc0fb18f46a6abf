"""An indicator value's period may be an Excel date cell."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import translation

from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator, Observation
from tests.core.workbooks import xlsx


def test_a_date_cell_names_the_period_that_contains_it(
    plan: Masterplan, coordinator: Any, permit_time: Indicator, own_org: Organization
) -> None:
    content = xlsx(
        ["Kennzahl", "Zeitraum", "Wert", "Einheit"],
        ["DU-GEN-DAUER", datetime(2021, 12, 31), 101, "Tage"],
    )
    with translation.override("en"):
        report = import_file(
            importer="indicators.observations",
            masterplan=plan,
            actor=coordinator,
            content=content,
            filename="werte.xlsx",
        )
    assert report.ok, report.errors
    observation = Observation.objects.get(indicator=permit_time, value=101)
    assert observation.period_start == date(2021, 1, 1)


def test_an_excel_serial_number_as_period_is_explained(
    plan: Masterplan, coordinator: Any, permit_time: Indicator
) -> None:
    content = b"Kennzahl;Zeitraum;Wert\r\nDU-GEN-DAUER;44561;101\r\n"
    with translation.override("en"):
        report = import_file(
            importer="indicators.observations",
            masterplan=plan,
            actor=coordinator,
            content=content,
            filename="werte.csv",
        )
    assert [(e.row, e.column) for e in report.errors] == [(2, "Zeitraum")]
    assert report.errors[0].reason.startswith(
        "This is a number (44561), not a date: the cell has lost its date format (Excel "
        "counts 44561 days to 31.12.2021)."
    )
