"""The land import pages and exports: upload forms for tables, GeoJSON and XPlanGML, export
links on the lists, and GeoJSON exports in WGS84 with the list's filters."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from shapely.geometry import box

from masterplan.core.models import ImportJob
from masterplan.land import services
from masterplan.land.models import Parcel

DATA = Path(__file__).parents[1] / "data" / "land"
pytestmark = pytest.mark.django_db


@pytest.fixture
def parcels(plan, coordinator):
    for ref, west, area_type in (("RH-1", 350_100, "GI"), ("RH-2", 350_400, "GE")):
        services.parcel_create(
            actor=coordinator,
            masterplan=plan,
            name=f"Fläche {ref}",
            area_type=area_type,
            external_id=ref,
            geometry=box(west, 5_670_100, west + 200, 5_670_250),
        )


@pytest.mark.parametrize(
    ("name", "accept"),
    [
        ("land:parcel_import", ".csv"),
        ("land:takeup_import", ".csv"),
        ("land:parcel_geojson_import", ".geojson"),
        ("land:zone_geojson_import", ".geojson"),
        ("land:parcel_xplan_import", ".gml"),
    ],
)
def test_upload_pages_accept_their_formats(plan, coordinator, client_as, name, accept):
    response = client_as(coordinator).get(reverse(name, args=[plan.slug]))
    assert response.status_code == 200
    assert f'accept="{accept}' in response.content.decode()


def test_an_uploaded_plan_is_checked_in_a_dry_run(plan, coordinator, client_as):
    url = reverse("land:parcel_xplan_import", args=[plan.slug])
    with (DATA / "bp-plan-5.4.gml").open("rb") as upload:
        response = client_as(coordinator).post(url, {"file": upload, "dry_run": "on"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client_as(coordinator).get(response["Location"]).content.decode()
    assert job.importer == "land.parcels_xplan" and not Parcel.objects.exists()
    assert "als Kontext übersprungen" in page


def test_the_parcel_list_links_imports_and_exports(plan, coordinator, client_as):
    page = client_as(coordinator).get(reverse("land:parcel_list", args=[plan.slug])).content
    for name in (
        "parcel_import",
        "parcel_geojson_import",
        "parcel_export_csv",
        "parcel_export_geojson",
    ):
        assert reverse(f"land:{name}", args=[plan.slug]).encode() in page


def test_geojson_export_is_wgs84_with_the_list_filters(plan, coordinator, client_as, parcels):
    url = reverse("land:parcel_export_geojson", args=[plan.slug])
    response = client_as(coordinator).get(url + "?area_type=GE")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(b"".join(response.streaming_content))
    [feature] = data["features"]
    assert feature["id"] == "RH-2" and feature["properties"]["area_type"] == "GE"
    assert feature["properties"]["area_m2"] == 30_000
    lon, lat = feature["geometry"]["coordinates"][0][0]
    assert 6 < lon < 7.5 and 51 < lat < 51.5


def test_geojson_export_imports_again_without_changes(plan, coordinator, client_as, parcels):
    from tests.land.test_import_polygons import errors, run

    url = reverse("land:parcel_export_geojson", args=[plan.slug])
    exported = b"".join(client_as(coordinator).get(url).streaming_content)
    report = run(plan, coordinator, "land.parcels_geojson", exported)
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2), report.changes
    assert report.notes == []


def test_readable_take_up_list_has_german_headers(plan, coordinator, client_as):
    import io

    import openpyxl

    url = reverse("land:takeup_export_readable", args=[plan.slug])
    response = client_as(coordinator).get(url, HTTP_ACCEPT_LANGUAGE="de")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert {"Fläche", "Datum", "Unternehmen (externe ID)"} <= set(header)


def test_anonymous_visitors_get_no_geojson_export(plan, client_as):
    url = reverse("land:zone_export_geojson", args=[plan.slug])
    assert client_as(None).get(url).status_code in (302, 403, 404)


def test_zone_geojson_export_has_the_zone_with_its_area(plan, coordinator, client_as):
    services.zone_create(
        actor=coordinator,
        masterplan=plan,
        name="Reisholz",
        external_id="KZ-RH",
        geometry=box(350_000, 5_670_000, 351_000, 5_670_600),
    )
    url = reverse("land:zone_export_geojson", args=[plan.slug])
    data = json.loads(b"".join(client_as(coordinator).get(url).streaming_content))
    [feature] = data["features"]
    assert feature["id"] == "KZ-RH" and feature["properties"]["name"] == "Reisholz"
    assert feature["properties"]["area_m2"] == 600_000
