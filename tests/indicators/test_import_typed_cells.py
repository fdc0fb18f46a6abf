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
