"""Energy reports from German Excel files: good file, bad files (nothing saved), round trip."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from masterplan.climate.models import EmissionFactor, EnergyReport
from masterplan.core.exports import csv_stream
from masterplan.core.imports import get_importer
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry
from tests.factories import OrganizationFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "climate"
KEY = "climate.energy_reports"


@pytest.fixture
def members(plan):
    EmissionFactor.objects.create(
        masterplan=plan,
        carrier="heating_oil",
        value=Decimal("0.266"),
        unit="kg CO2/kWh",
        source="Testwert für Heizöl (Beispiel)",
        is_sample=True,
    )
    return {
        key: OrganizationFactory(masterplan=plan, name=name, external_id=key)
        for key, name in (
            ("IKD-RHEINWERK", "Rheinwerk Beispiel GmbH"),
            ("IKD-CHEMIE", "Chemie Beispiel AG"),
        )
    }


def run(plan, actor, path, dry_run=False):
    with translation.override("en"):
        return import_file(
            importer=KEY,
            masterplan=plan,
            actor=actor,
            content=path.read_bytes(),
            filename=path.name,
            dry_run=dry_run,
        )


def test_good_file_is_imported_with_german_numbers_and_audited(plan, coordinator, members):
    report = run(plan, coordinator, DATA / "good" / "energieberichte.csv")
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 4
    rw = EnergyReport.objects.get(external_id="EB-RW-2023")
    assert rw.electricity_grid_kwh == Decimal(800_000)
    assert rw.heating_oil == Decimal(1000) and rw.heating_oil_unit == "l"
    assert rw.employees == 1200 and rw.estimated
    assert EnergyReport.objects.get(external_id="EB-CH-2023").process_t_co2 == Decimal("100.5")
    assert AuditEntry.objects.filter(action="climate.energy_report.imported").count() == 4


@pytest.mark.parametrize(
    ("name", "row", "column", "reason"),
    [
        ("negativer_verbrauch.csv", 2, "Erdgas kWh", "negative"),
        ("doppeltes_jahr.csv", 3, "Jahr", "already has a report for 2016 in row 2"),
        ("einheit_falsch.csv", 2, "Einheit Heizöl", "Not an allowed value"),
        ("lieferantenfaktor_in_kg.csv", 2, "Lieferantenfaktor g/kWh", "Unit mismatch"),
        ("unbekannte_organisation.csv", 2, "Organisation", "Unknown reference"),
        (
            "fehlender_faktor.csv",
            2,
            "Netzstrom kWh",
            "Electricity, grid mix (location-based) (electricity_grid_mix) for 2019",
        ),
    ],
)
def test_bad_file_names_row_column_and_reason_and_saves_nothing(
    plan, coordinator, members, name, row, column, reason
):
    report = run(plan, coordinator, DATA / "bad" / name)
    assert not report.ok
    assert any(e.row == row and e.column == column and reason in e.reason for e in report.errors), [
        str(e) for e in report.errors
    ]
    assert not EnergyReport.objects.exists()


def test_a_year_already_in_the_plan_is_refused(plan, coordinator, members):
    EnergyReport.objects.create(masterplan=plan, organization=members["IKD-RHEINWERK"], year=2016)
    report = run(plan, coordinator, DATA / "good" / "energieberichte.csv")
    assert any(e.row == 2 and "already has a report for 2016" in e.reason for e in report.errors)
    assert EnergyReport.objects.count() == 1


def test_export_imports_again_without_changes(plan, coordinator, members):
    assert run(plan, coordinator, DATA / "good" / "energieberichte.csv").ok
    importer = get_importer(KEY)
    exported = b"".join(csv_stream(importer, EnergyReport.objects.order_by("id")))
    report = import_file(
        importer=KEY, masterplan=plan, actor=coordinator, content=exported, filename="x.csv"
    )
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
