"""Parcels from an XPlanGML development plan: GE and GI areas become parcels, the rest is
context counted in the preview; every bad plan is refused with nothing saved."""

from pathlib import Path

import pytest
from django.utils import timezone

from masterplan.core.models import AuditEntry
from masterplan.land.models import Parcel
from tests.land.test_import_polygons import errors, run

DATA = Path(__file__).parents[1] / "data" / "land"
KEY = "land.parcels_xplan"
pytestmark = pytest.mark.django_db


def plan_file(name):
    return (DATA / name).read_bytes()


@pytest.mark.parametrize("name", ["bp-plan-5.4.gml", "bp-plan-6.0.gml"])
def test_ge_and_gi_areas_become_parcels_and_the_rest_is_counted_as_context(plan, coordinator, name):
    report = run(plan, coordinator, KEY, plan_file(name), filename=name)
    assert report.ok, errors(report)
    assert report.created == 2 and report.file_format == "XPlanGML"
    assert report.notes == ["1 further area (MI) skipped as context."]
    gi = Parcel.objects.get(external_id="GML_gi_1")
    assert gi.area_type == "GI" and gi.area_m2 == 30_000
    assert gi.name.startswith("Bebauungsplan Nr. 5678/041") and gi.name.endswith("GML_gi_1")
    assert gi.recorded_on == timezone.localdate()
    assert Parcel.objects.get(external_id="GML_ge_1").area_type == "GE"
    assert not Parcel.objects.filter(external_id="GML_mi_1").exists()


def test_the_same_plan_again_changes_nothing(plan, coordinator):
    assert run(plan, coordinator, KEY, plan_file("bp-plan-5.4.gml")).ok
    again = run(plan, coordinator, KEY, plan_file("bp-plan-5.4.gml"), dry_run=True)
    assert again.ok and again.unchanged == 2 and again.created == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-curve.gml", "the outline contains a curved segment (gml:Arc in line 48)"),
        ("bad-bowtie.gml", "Feature 1 (GML_gi_1): the outline crosses itself"),
        ("bad-wrong-crs.gml", "“EPSG:4326”"),
        ("bad-entity-bomb.gml", "DOCTYPE or ENTITY declaration"),
        ("bad-external-entity.gml", "DOCTYPE or ENTITY declaration"),
        (
            "bad-overlapping.gml",
            "Feature 1 (GML_gi_1) and Feature 2 (GML_ge_1) overlap by 7,500 m²",
        ),
        ("bad-unknown-version.gml", "5.0 to 5.4 and 6.0"),
        ("empty.gml", "The file is empty."),
    ],
)
def test_bad_plans_are_refused_with_the_reason_and_nothing_is_saved(
    plan, coordinator, name, message
):
    report = run(plan, coordinator, KEY, plan_file(name), filename=name)
    assert not report.ok
    assert any(message in text for text in errors(report)), errors(report)
    assert not Parcel.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="land.").exists()


def test_the_problem_of_a_feature_names_it_as_row(plan, coordinator):
    report = run(plan, coordinator, KEY, plan_file("bad-bowtie.gml"))
    assert (report.errors[0].row, report.errors[0].value) == (1, "GML_gi_1")


def test_the_import_bench_imports_through_the_importer_and_rolls_back(plan):
    from masterplan.land.import_bench import bench_import

    result = bench_import("xplangml", 30)
    assert (result.features, result.parcels) == (30, 20) and result.features_per_second > 0
    assert not Parcel.objects.exists()


def test_the_size_of_a_plan_is_estimated_by_its_areas_for_the_background_decision():
    from masterplan.core.imports import get_importer

    assert get_importer(KEY).estimate_rows(plan_file("bp-plan-5.4.gml")) == 3
    parcels = (DATA / "parcels-reisholz.geojson").read_bytes()
    assert get_importer("land.parcels_geojson").estimate_rows(parcels) == 4


def test_the_command_line_prints_the_context_areas(plan, coordinator):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "import",
        str(DATA / "bp-plan-5.4.gml"),
        plan=plan.slug,
        kind=KEY,
        dry_run=True,
        language="en",
        stdout=out,
    )
    assert "1 further area (MI) skipped as context." in out.getvalue()
