"""Import and export of indicator values: good file, round trip, and every bad file refused
with its message (row, column, reason) while nothing changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.utils import translation

from masterplan.core.exports import export_chunks
from masterplan.core.imports import get_importer
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators import queries
from masterplan.indicators.models import Indicator, Observation
from tests.indicators.factories import IndicatorFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "indicators"
IMPORTER = "indicators.observations"


class Expected(NamedTuple):
    row: int | None
    column: str
    reason: str


CASES = {
    "unbekannte_kennzahl.csv": Expected(3, "Kennzahl", "Unknown indicator"),
    "falsche_einheit.csv": Expected(
        2, "Einheit", "The unit does not match: indicator DU-GEN-DAUER is measured in “Tage”."
    ),
    "doppelter_zeitraum_in_datei.csv": Expected(
        3, "Zeitraum", "appears more than once in the file (first in row 2)"
    ),
    "zeitraum_schon_erfasst.csv": Expected(
        2, "Zeitraum", "A value for this period is already recorded: 71."
    ),
    "ungueltiger_zeitraum.csv": Expected(2, "Zeitraum", "Not a period."),
    "kein_wert.csv": Expected(2, "Wert", "A value is required in this column."),
    "keine_zahl.csv": Expected(2, "Wert", "Not a number"),
    "unbekannte_organisation.csv": Expected(2, "Organisation", "Unknown organisation"),
    "fehlende_spalte.csv": Expected(1, "period", "Required column “period” is missing"),
}


@pytest.fixture
def employees(plan: Masterplan, own_org: Organization, other_org: Organization) -> Indicator:
    return IndicatorFactory(
        masterplan=plan,
        code="DU-SVB",
        name="Sozialversicherungspflichtig Beschäftigte",
        unit="",
        aggregation="sum",
        direction="higher",
    )


def run(plan: Masterplan, actor: Any, path: Path, dry_run: bool = False) -> Any:
    with translation.override("en"):
        return import_file(
            importer=IMPORTER,
            masterplan=plan,
            actor=actor,
            content=path.read_bytes(),
            filename=path.name,
            dry_run=dry_run,
        )


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in (DATA / "bad").iterdir()) == sorted(CASES)


def test_good_file_is_imported(
    plan: Masterplan, coordinator: Any, permit_time: Indicator, employees: Indicator
) -> None:
    report = run(plan, coordinator, DATA / "good" / "werte.csv")
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 4
    q1 = Observation.objects.get(indicator=permit_time, granularity="quarter")
    assert (q1.period_start, q1.value, q1.status) == (
        date(2026, 1, 1),
        Decimal("64.5"),
        "provisional",
    )
    assert (
        Observation.objects.get(indicator=permit_time, period_start=date(2021, 1, 1)).value == 101
    )
    per_org = Observation.objects.filter(indicator=employees).order_by("value")
    assert [(o.organization.external_id, o.value) for o in per_org] == [
        ("DU-IHK", 980),
        ("DU-WFD", 1250),
    ]
    assert AuditEntry.objects.filter(action="indicators.observation.imported").count() == 4
    assert queries.indicator_series(employees)[-1].value == 2230


def test_an_export_imports_again_unchanged(
    plan: Masterplan,
    coordinator: Any,
    permit_time: Indicator,
    employees: Indicator,
    tmp_path: Path,
) -> None:
    run(plan, coordinator, DATA / "good" / "werte.csv")
    importer = get_importer(IMPORTER)
    rows = queries.observation_list(user=coordinator, masterplan=plan)
    exported = tmp_path / "export.csv"
    exported.write_bytes(b"".join(export_chunks(importer, rows, "csv")))
    assert "DU-GEN-DAUER;2026-Q1;64,5;Tage;masterplan" in exported.read_text("utf-8-sig")
    report = run(plan, coordinator, exported)
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_its_message_and_nothing_changes(
    name: str,
    dry_run: bool,
    plan: Masterplan,
    coordinator: Any,
    permit_time: Indicator,
    employees: Indicator,
) -> None:
    before = (Observation.objects.count(), AuditEntry.objects.count())
    report = run(plan, coordinator, DATA / "bad" / name, dry_run=dry_run)
    assert not report.ok
    expected = CASES[name]
    assert any(
        e.row == expected.row and e.column == expected.column and expected.reason in e.reason
        for e in report.errors
    ), [str(e) for e in report.errors]
    assert (Observation.objects.count(), AuditEntry.objects.count()) == before
