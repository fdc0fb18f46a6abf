"""A parcel's polygon uploaded as a file on its form: GeoJSON in WGS84 or EPSG:25832 and
XPlanGML are read as the import reads them; a file with many polygons, a bad polygon, an entity
bomb or a file too large is refused with a message naming the problem, and nothing is saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import box, mapping

from masterplan.core.models import Masterplan, Publication
from masterplan.land import geometry as geo
from masterplan.land import services
from masterplan.land.forms import POLYGON_FILE_MAX_BYTES
from masterplan.land.models import Parcel
from masterplan.land.readers import read_xplangml

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "land"


def form_data(name: str, upload: SimpleUploadedFile | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "area_type": "GE",
        "availability": "immediate",
        "restriction": "none",
        "status": "available",
        "recorded_on": timezone.localdate().isoformat(),
        "publication": "draft",
        **extra,
    }
    if upload is not None:
        data["polygon_file"] = upload
    return data


def geojson_file(name: str, *shapes: Any, crs: str | None = None) -> SimpleUploadedFile:
    document: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": mapping(shape)} for shape in shapes
        ],
    }
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return SimpleUploadedFile(name, json.dumps(document).encode(), "application/geo+json")


def post(client: Any, plan: Masterplan, data: dict[str, Any]) -> Any:
    return client.post(reverse("land:parcel_create", args=[plan.slug]), data)


def test_the_parcel_form_accepts_files(plan: Masterplan, client_as: Any, coordinator: Any) -> None:
    page = client_as(coordinator).get(reverse("land:parcel_create", args=[plan.slug]))
    text = page.content.decode()
    assert 'enctype="multipart/form-data"' in text
    assert 'type="file" name="polygon_file"' in text


def test_a_geojson_file_in_wgs84_gives_the_parcel_its_polygon(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    outline = geo.to_wgs84(box(350_100, 5_670_300, 350_250, 5_670_400))  # 15,000 m²
    upload = geojson_file("werkstatthof.geojson", outline)
    response = post(client_as(coordinator), plan, form_data("Werkstatthof Reisholz", upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    parcel = Parcel.objects.get(name="Werkstatthof Reisholz")
    assert parcel.area_m2 == pytest.approx(15_000, abs=1)


def test_a_geojson_file_in_utm_32n_is_read_as_such(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    upload = geojson_file(
        "utm.geojson", box(350_100, 5_670_300, 350_200, 5_670_400), crs="EPSG:25832"
    )
    response = post(client_as(coordinator), plan, form_data("Halle Holthausen", upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Parcel.objects.get(name="Halle Holthausen").area_m2 == pytest.approx(10_000, abs=1)


def test_the_file_replaces_a_polygon_drawn_or_pasted_in_the_same_form(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    drawn = geo.to_wgs84(box(350_100, 5_670_300, 350_200, 5_670_400))
    uploaded = geo.to_wgs84(box(350_100, 5_670_300, 350_300, 5_670_400))  # 20,000 m²
    data = form_data(
        "Gewerbehof Benrath",
        geojson_file("hof.geojson", uploaded),
        polygon=json.dumps(mapping(drawn)),
    )
    assert post(client_as(coordinator), plan, data).status_code == 302
    assert Parcel.objects.get(name="Gewerbehof Benrath").area_m2 == pytest.approx(20_000, abs=1)


def test_an_xplangml_plan_with_one_industrial_area_gives_its_polygon(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    """The GI area of the plan is taken; its mixed area beside it is context, not a parcel."""
    text = (DATA / "bp-plan-one-area.gml").read_bytes()
    expected = read_xplangml(text, check_overlaps=False).features[0].geometry.area
    upload = SimpleUploadedFile("bplan.gml", text, "application/gml+xml")
    response = post(client_as(coordinator), plan, form_data("Fläche aus dem B-Plan", upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Parcel.objects.get(name="Fläche aus dem B-Plan").area_m2 == pytest.approx(expected)


def test_an_xplangml_plan_with_two_areas_is_refused(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    text = (DATA / "bp-plan-5.4.gml").read_bytes()
    upload = SimpleUploadedFile("bplan.gml", text, "application/gml+xml")
    response = post(client_as(coordinator), plan, form_data("Zwei Flächen", upload))
    assert response.status_code == 400
    assert "2 Polygone" in response.content.decode()


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("bad-entity-bomb.gml", "DOCTYPE"),
        ("bad-curve.gml", "gekrümmtes Segment"),
        ("bad-parcels-paris.geojson", "außerhalb Deutschlands"),
        ("bad-parcels-gauss-krueger.geojson", "EPSG::31466"),
        ("empty.geojson", "leer"),
    ],
)
def test_a_bad_file_is_refused_with_its_problem_and_nothing_is_saved(
    plan: Masterplan, client_as: Any, coordinator: Any, filename: str, expected: str
) -> None:
    upload = SimpleUploadedFile(filename, (DATA / filename).read_bytes())
    response = post(client_as(coordinator), plan, form_data("Abgelehnte Fläche", upload))
    assert response.status_code == 400
    text = response.content.decode()
    assert expected in text, text[text.find("kern-alert") : text.find("kern-alert") + 2000]
    assert not Parcel.objects.filter(name="Abgelehnte Fläche").exists()


def test_a_file_with_several_polygons_is_refused(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    upload = SimpleUploadedFile(
        "reisholz.geojson", (DATA / "parcels-reisholz.geojson").read_bytes()
    )
    response = post(client_as(coordinator), plan, form_data("Viele Flächen", upload))
    assert response.status_code == 400
    assert "4 Polygone" in response.content.decode()
    assert not Parcel.objects.filter(name="Viele Flächen").exists()


def test_a_file_neither_geojson_nor_xplangml_is_refused(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    upload = SimpleUploadedFile("flaeche.shp", b"\x00\x00\x27\x0a shapefile bytes")
    response = post(client_as(coordinator), plan, form_data("Shapefile", upload))
    assert response.status_code == 400
    assert "weder GeoJSON noch XPlanGML" in response.content.decode()


def test_a_file_too_large_is_refused_before_it_is_read(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    upload = SimpleUploadedFile("gross.geojson", b" " * (POLYGON_FILE_MAX_BYTES + 1))
    response = post(client_as(coordinator), plan, form_data("Zu groß", upload))
    assert response.status_code == 400
    assert "eine Polygondatei darf höchstens 5,0\xa0MB haben" in response.content.decode()


def test_an_edit_with_a_file_replaces_the_stored_polygon(
    plan: Masterplan, client_as: Any, coordinator: Any
) -> None:
    parcel = services.parcel_create(
        actor=coordinator,
        masterplan=plan,
        name="Hafenfläche Reisholz",
        area_type="GI",
        geometry=box(350_100, 5_670_300, 350_200, 5_670_400),
        recorded_on=timezone.localdate(),
        publication=Publication.PUBLISHED,
    )
    bigger = geo.to_wgs84(box(350_100, 5_670_300, 350_400, 5_670_400))  # 30,000 m²
    edit = reverse("land:parcel_edit", args=[plan.slug, parcel.pk])
    page = client_as(coordinator).get(edit)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, (list, dict))
    }
    data.update(form_data("Hafenfläche Reisholz", geojson_file("neu.geojson", bigger)))
    data["version"] = parcel.version
    data["area_type"] = "GI"
    response = client_as(coordinator).post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    parcel.refresh_from_db()
    assert parcel.area_m2 == pytest.approx(30_000, abs=1)
