"""Parcel attributes and take-up from CSV: by external ID, every error with row and column,
nothing saved on any error, and the CSV export imported again without changes."""

import pytest
from shapely.geometry import box

from masterplan.core.exports import csv_stream
from masterplan.core.imports import get_importer
from masterplan.core.models import AuditEntry
from masterplan.land import services
from masterplan.land.models import CoreZone, Parcel, TakeUp
from tests.land.test_import_polygons import errors, run

pytestmark = pytest.mark.django_db


def csv(*lines):
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def parcel(plan, coordinator):
    zone = services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Reisholz",
        geometry=box(350_000, 5_670_000, 351_000, 5_670_600),
    )
    found = services.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Fläche Henkelstraße",
        area_type="GI",
        external_id="RH-1",
        geometry=box(350_100, 5_670_100, 350_300, 5_670_250),
    )
    assert found.core_zone == zone
    return found


def test_attributes_are_updated_by_external_id(plan, coordinator, parcel):
    content = csv(
        "Externe ID;Status;Verfügbarkeit;Preis €/m²;Verfügbar ab;Autobahn km;Bestätigt am",
        "RH-1;reserved;medium_term;185,50;01.03.2027;2,5;15.01.2026",
    )
    report = run(plan, coordinator, "land.parcels", content, filename="f.csv")
    assert report.ok, errors(report)
    assert report.updated == 1
    parcel.refresh_from_db()
    assert parcel.status == "reserved" and parcel.availability == "medium_term"
    assert str(parcel.price_per_m2) == "185.50" and parcel.motorway_km == 2.5
    assert parcel.available_from.isoformat() == "2027-03-01"
    assert parcel.area_m2 == 30_000 and parcel.geometry is not None


def test_the_area_of_a_parcel_with_a_polygon_cannot_be_overwritten(plan, coordinator, parcel):
    content = csv("external_id;area_m2", "RH-1;12000")
    report = run(plan, coordinator, "land.parcels", content, filename="f.csv")
    assert errors(report) == [
        "row 2, column “area_m2”, value “12000”: The parcel has a polygon; its area is "
        "computed from it (30,000 m²)."
    ]


def test_bad_cells_name_row_and_column_and_nothing_is_saved(plan, coordinator, parcel):
    content = csv(
        "external_id;status;price_per_m2",
        "RH-1;reserved;10",
        "RH-2;weg;-3",
        "RH-3",
    )
    report = run(plan, coordinator, "land.parcels", content, filename="f.csv")
    found = [(e.row, e.column) for e in report.errors]
    assert (3, "status") in found and (3, "price_per_m2") in found and (4, "status") in found
    parcel.refresh_from_db()
    assert parcel.status == "available"


def test_a_new_parcel_without_polygon_needs_its_area(plan, coordinator):
    content = csv("external_id;name;area_type", "N-1;Neue Fläche;GE")
    report = run(plan, coordinator, "land.parcels", content, filename="f.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "area_m2")]
    assert not Parcel.objects.exists()


def test_parcel_export_imports_again_without_changes(plan, coordinator, parcel):
    importer = get_importer("land.parcels")
    exported = b"".join(csv_stream(importer, Parcel.objects.order_by("id")))
    report = run(plan, coordinator, "land.parcels", exported, filename="x.csv")
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_take_up_takes_zone_and_area_from_the_parcel_and_puts_it_in_use(plan, coordinator, parcel):
    content = csv(
        "external_id;Fläche;Datum;Unternehmen;WZ;Handwerk;Neue Arbeitsplätze;Art",
        "IA-1;RH-1;15.05.2025;Beispiel Metall GmbH;C25;ja;40;expansion",
    )
    report = run(plan, coordinator, "land.take_ups", content, filename="t.csv")
    assert report.ok, errors(report)
    take_up = TakeUp.objects.get(external_id="IA-1")
    assert take_up.parcel == parcel and take_up.core_zone == CoreZone.objects.get()
    assert take_up.area_m2 == 30_000 and take_up.is_craft and take_up.jobs_created == 40
    assert take_up.kind == "expansion" and take_up.on.isoformat() == "2025-05-15"
    parcel.refresh_from_db()
    assert parcel.status == "in_use"
    assert AuditEntry.objects.filter(action="land.takeup.imported").count() == 1


def test_take_up_of_an_unknown_parcel_is_refused(plan, coordinator, parcel):
    content = csv("external_id;parcel;on;area_m2", "IA-1;RH-9;15.05.2025;100")
    report = run(plan, coordinator, "land.take_ups", content, filename="t.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "parcel")]
    assert not TakeUp.objects.exists()


def test_take_up_without_area_or_parcel_is_refused(plan, coordinator):
    content = csv("external_id;on;company_name", "IA-1;15.05.2025;Beispiel GmbH")
    report = run(plan, coordinator, "land.take_ups", content, filename="t.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "area_m2")]


def test_take_up_export_imports_again_without_changes(plan, coordinator, parcel):
    content = csv("external_id;parcel;on;company_name", "IA-1;RH-1;15.05.2025;Beispiel GmbH")
    assert run(plan, coordinator, "land.take_ups", content, filename="t.csv").ok
    importer = get_importer("land.take_ups")
    exported = b"".join(csv_stream(importer, TakeUp.objects.order_by("id")))
    report = run(plan, coordinator, "land.take_ups", exported, filename="x.csv")
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_a_short_take_up_row_is_refused_naming_the_missing_cells(plan, coordinator, parcel):
    content = csv("external_id;parcel;on;area_m2", "IA-1;RH-1")
    report = run(plan, coordinator, "land.take_ups", content, filename="t.csv")
    [error] = errors(report)
    assert error.startswith("row 2, column “on”: The row has 2 cells but the header 4 columns")
    assert not TakeUp.objects.exists()
