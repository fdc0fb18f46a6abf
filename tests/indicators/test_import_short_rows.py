"""An observation row that lost its scope is refused instead of becoming the city's value."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Observation
from tests.indicators.factories import IndicatorFactory


def test_a_row_without_its_scope_and_organisation_is_refused(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    IndicatorFactory(masterplan=plan, code="DU-SVB", unit="", aggregation="sum")
    content = (
        b"Kennzahl;Zeitraum;Wert;Einheit;Bezug;Organisation\r\n"
        b"DU-SVB;2024;1.250;;Unternehmen;DU-WFD\r\n"
        b"DU-SVB;2023;1.180\r\n"
    )
    with translation.override("en"):
        report = import_file(
            importer="indicators.observations",
            masterplan=plan,
            actor=coordinator,
            content=content,
            filename="werte.csv",
        )
    assert [(e.row, e.column) for e in report.errors] == [(3, "Einheit")]
    assert "the cells of “Einheit”, “Bezug”, “Organisation” are missing" in (
        report.errors[0].reason
    )
    assert not Observation.objects.exists()
