"""Core zones and parcels from GeoJSON: polygons stored as the services store them, upsert by
external ID, zone derivation, the preview, and every bad file refused with nothing saved."""

import json
from pathlib import Path

import pytest
from django.utils import translation
from shapely.geometry import box, mapping

from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry
from masterplan.land import geometry as geo
from masterplan.land.models import CoreZone, Parcel

DATA = Path(__file__).parents[1] / "data" / "land"
pytestmark = pytest.mark.django_db

# Düsseldorf-Reisholz in EPSG:25832 (sample geometry), as in test_services.
ZONE = box(350_000, 5_670_000, 351_000, 5_670_600)


def run(plan, actor, key, content, *, dry_run=False, filename="file.geojson"):
    with translation.override("en"):
        return import_file(
            importer=key,
            masterplan=plan,
            actor=actor,
            content=content,
            filename=filename,
            dry_run=dry_run,
        )


def collection(*features):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
            "features": list(features),
        }
    ).encode()


def polygon(shape, ref=None, **properties):
    found = {"type": "Feature", "properties": properties, "geometry": mapping(shape)}
    if ref is not None:
        found["id"] = ref
    return found


def errors(report):
    with translation.override("en"):
        return [str(e) for e in report.errors]


def test_parcels_from_geojson_get_area_zone_and_german_property_names(plan, coordinator):
    zone = CoreZone.objects.create(masterplan=plan, name="Reisholz", geometry=geo.to_wkb(ZONE))
    content = collection(
        polygon(
            box(350_100, 5_670_100, 350_300, 5_670_250),
            "RH-1",
            Bezeichnung="Fläche Henkelstraße",
            Gebietstyp="GI",
            Status="reserved",
            Preis=180,
            Farbe="rot",
        ),
    )
    report = run(plan, coordinator, "land.parcels_geojson", content)
    assert report.ok, errors(report)
    parcel = Parcel.objects.get(external_id="RH-1")
    assert parcel.name == "Fläche Henkelstraße" and parcel.area_type == "GI"
    assert parcel.status == "reserved" and parcel.price_per_m2 == 180
    assert parcel.area_m2 == 30_000 and parcel.core_zone == zone
    assert parcel.min_x == 350_100 and parcel.latitude is not None
    assert report.notes == ["Properties not imported (they match no column): Farbe."]
    assert AuditEntry.objects.filter(action="land.parcel.imported").count() == 1


def test_a_second_import_with_the_same_ids_updates_the_polygon(plan, coordinator):
    first = collection(
        polygon(box(350_100, 5_670_100, 350_300, 5_670_250), "RH-1", name="A", area_type="GE")
    )
    assert run(plan, coordinator, "land.parcels_geojson", first).ok
    moved = collection(polygon(box(350_100, 5_670_100, 350_200, 5_670_250), "RH-1"))
    preview = run(plan, coordinator, "land.parcels_geojson", moved, dry_run=True)
    assert preview.ok and preview.updated == 1
    assert preview.changes[0].diff["geometry"] == ("polygon of 30,000 m²", "polygon of 15,000 m²")
    assert Parcel.objects.get().area_m2 == 30_000  # a dry run saves nothing
    report = run(plan, coordinator, "land.parcels_geojson", moved)
    assert report.ok and report.updated == 1 and report.created == 0
    parcel = Parcel.objects.get()
    assert parcel.area_m2 == 15_000 and parcel.name == "A" and parcel.version == 2
    assert AuditEntry.objects.filter(action="land.parcel.import_updated").count() == 1


def test_a_parcel_overlapping_a_stored_parcel_is_refused(plan, coordinator):
    stored = collection(
        polygon(box(350_100, 5_670_100, 350_300, 5_670_250), "RH-1", name="A", area_type="GE")
    )
    assert run(plan, coordinator, "land.parcels_geojson", stored).ok
    other = collection(
        polygon(box(350_200, 5_670_100, 350_400, 5_670_250), "RH-2", name="B", area_type="GE")
    )
    report = run(plan, coordinator, "land.parcels_geojson", other)
    assert errors(report) == [
        "row 1, column “geometry”, value “RH-1”: The polygon overlaps the parcel “A” by 15,000 m²."
    ]
    assert Parcel.objects.count() == 1


def test_a_new_parcel_needs_name_and_area_type(plan, coordinator):
    report = run(
        plan,
        coordinator,
        "land.parcels_geojson",
        collection(polygon(box(350_100, 5_670_100, 350_300, 5_670_250), "X")),
    )
    assert errors(report) == [
        "row 1, column “name”: A new parcel needs a name.",
        "row 1, column “area_type”: A new parcel needs its area type (GE, GI, …).",
    ]
    assert not Parcel.objects.exists()


def test_core_zones_from_geojson_rederive_the_zone_of_parcels(plan, coordinator):
    parcels = collection(
        polygon(box(350_100, 5_670_100, 350_300, 5_670_250), "RH-1", name="A", area_type="GI")
    )
    assert run(plan, coordinator, "land.parcels_geojson", parcels).ok
    assert Parcel.objects.get().core_zone is None
    zones = collection(polygon(ZONE, "KZ-RH", name="Reisholz", Kürzel="RH", profile="Industrie"))
    report = run(plan, coordinator, "land.zones_geojson", zones)
    assert report.ok, errors(report)
    zone = CoreZone.objects.get(external_id="KZ-RH")
    assert zone.code == "RH" and zone.area_m2 == 600_000
    assert Parcel.objects.get().core_zone == zone


def test_contributors_may_not_import(plan, contributor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(plan, contributor, "land.zones_geojson", collection(polygon(ZONE, "KZ", name="Z")))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.geojson", "The file is empty."),
        ("bad-parcels-bowtie.geojson", "crosses itself"),
        ("bad-parcels-paris.geojson", "Germany"),
        ("bad-parcels-gauss-krueger.geojson", "coordinate reference system"),
        ("bad-parcels-overlapping.geojson", "overlap by"),
        ("bad-parcels-projected.geojson", "WGS84"),
    ],
)
def test_bad_geojson_files_are_refused_with_the_reason_and_nothing_is_saved(
    plan, coordinator, name, message
):
    report = run(plan, coordinator, "land.parcels_geojson", (DATA / name).read_bytes())
    assert not report.ok
    assert any(message in text for text in errors(report)), errors(report)
    assert not Parcel.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="land.").exists()


def test_an_empty_file_is_refused(plan, coordinator):
    report = run(plan, coordinator, "land.zones_geojson", b"")
    assert errors(report) == ["The file is empty."]


def test_problems_name_the_feature_as_row(plan, coordinator):
    report = run(
        plan,
        coordinator,
        "land.parcels_geojson",
        (DATA / "bad-parcels-bowtie.geojson").read_bytes(),
    )
    assert report.errors[0].row == 1


def test_a_parcel_moved_out_of_its_zone_shows_the_zone_in_the_preview(plan, coordinator):
    CoreZone.objects.create(masterplan=plan, name="Reisholz", geometry=geo.to_wkb(ZONE))
    inside = box(350_100, 5_670_100, 350_300, 5_670_250)
    first = collection(polygon(inside, "RH-1", name="A", area_type="GE"))
    assert run(plan, coordinator, "land.parcels_geojson", first).ok
    outside = box(352_100, 5_670_100, 352_300, 5_670_250)
    report = run(plan, coordinator, "land.parcels_geojson", collection(polygon(outside, "RH-1")))
    assert report.ok and report.changes[0].diff["core_zone"] == ("Reisholz", "")
    assert Parcel.objects.get().core_zone is None
