"""GeoJSON: parcels around Düsseldorf-Reisholz, and every way a file can be refused."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from masterplan.land.readers import ReadError, read_geojson
from masterplan.land.readers.bench import bench_read_geojson

DATA = Path(__file__).parents[1] / "data" / "land"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(data, **options):
    with pytest.raises(ReadError) as caught:
        read_geojson(data, **options)
    return caught.value.messages


def collection(*features, **members):
    return json.dumps({"type": "FeatureCollection", **members, "features": list(features)}).encode()


def parcel(geometry, ref="RH-9"):
    return {"type": "Feature", "id": ref, "properties": {}, "geometry": geometry}


SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[6.864, 51.177], [6.865, 51.177], [6.865, 51.178], [6.864, 51.178], [6.864, 51.177]]
    ],
}


def test_reads_parcels_in_wgs84_into_utm():
    parcels = read_geojson((DATA / "parcels-reisholz.geojson").read_bytes())
    assert [(p.index, p.ref, p.properties["area_type"]) for p in parcels] == [
        (1, "RH-001", "GI"),
        (2, "RH-002", "GI"),
        (3, "RH-003", "GE"),
        (4, "RH-004", "GE"),
    ]
    # 180 m × 120 m drawn in EPSG:25832, written in WGS84 to 7 decimals, read back.
    assert parcels[0].geometry.area == pytest.approx(21_600, abs=5)
    minx, miny, _maxx, _maxy = parcels[0].geometry.bounds
    assert minx == pytest.approx(350_700, abs=0.1) and miny == pytest.approx(5_671_700, abs=0.1)


def test_a_legacy_crs_naming_epsg_25832_is_read_untransformed():
    [parcel_read] = read_geojson((DATA / "parcels-25832.geojson").read_bytes())
    assert parcel_read.geometry.bounds == (350_700, 5_671_700, 350_880, 5_671_820)


def test_crs84_is_wgs84():
    data = collection(
        parcel(SQUARE),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    )
    assert len(read_geojson(data)) == 1


def test_another_crs_is_refused_naming_it():
    [message] = refused((DATA / "bad-parcels-gauss-krueger.geojson").read_bytes())
    assert "“urn:ogc:def:crs:EPSG::31466”" in message


def test_projected_numbers_without_crs_are_refused():
    [message] = refused((DATA / "bad-parcels-projected.geojson").read_bytes())
    assert "Feature 1 (RH-001): the coordinates 350700, 5671700" in message
    assert "look like projected coordinates — wrong CRS?" in message


def test_a_multipolygon_is_read_and_a_line_refused():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    line = {"type": "LineString", "coordinates": [[6.864, 51.177], [6.865, 51.177]]}
    assert len(read_geojson(collection(parcel(multi)))) == 1
    [message] = refused(collection(parcel(line)))
    assert "Feature 1 (RH-9): a LineString is not a polygon" in message


def test_a_bow_tie_is_refused_naming_the_parcel():
    [message] = refused((DATA / "bad-parcels-bowtie.geojson").read_bytes())
    assert message.startswith(
        "Feature 1 (RH-009): the outline crosses itself at E 350750.0, N 5671750.0"
    )


def test_a_parcel_in_paris_is_outside_germany():
    [message] = refused((DATA / "bad-parcels-paris.geojson").read_bytes())
    assert "Feature 1 (P-1): the polygon lies outside Germany" in message


def test_overlapping_parcels_are_refused():
    [message] = refused((DATA / "bad-parcels-overlapping.geojson").read_bytes())
    assert message == "Feature 1 (RH-001) and Feature 2 (RH-002) overlap by 7,200 m²."


def test_an_identifier_used_twice_is_refused():
    other = {
        "type": "Polygon",
        "coordinates": [
            [[6.87, 51.177], [6.871, 51.177], [6.871, 51.178], [6.87, 51.178], [6.87, 51.177]]
        ],
    }
    [message] = refused(collection(parcel(SQUARE), parcel(other)))
    assert message == "Feature 2 (RH-9): the identifier “RH-9” was already used by feature 1."


def test_all_problems_are_reported_and_nothing_is_read():
    messages = refused(
        collection(
            parcel(None, "a"),
            {"type": "Nope"},
            parcel(SQUARE, "b"),
            parcel({"type": "Polygon", "coordinates": "x"}, "c"),
        )
    )
    assert messages == [
        "Feature 1 (a) has no geometry.",
        "Feature 2 is not a GeoJSON Feature.",
        "Feature 4 (c): the coordinates are not lists of numbers.",
    ]


def test_a_ring_of_two_points_cannot_be_built():
    short = {"type": "Polygon", "coordinates": [[[6.864, 51.177], [6.865, 51.177]]]}
    [message] = refused(collection(parcel(short)))
    assert message == (
        "Feature 1 (RH-9): the polygon cannot be built "
        "(A linearring requires at least 4 coordinates.)."
    )


def test_a_ring_of_three_points_is_not_valid():
    short = {
        "type": "Polygon",
        "coordinates": [[[6.864, 51.177], [6.865, 51.177], [6.864, 51.177]]],
    }
    [message] = refused(collection(parcel(short)))
    assert "Feature 1 (RH-9): the polygon is not valid (Too few points" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"  \n", "The file is empty."),
        (b"\xff\xfe{", "The file is not text in UTF-8, so it is no GeoJSON."),
        (b'{"type": "FeatureCollection",\n "features": [}', "line 2: The file is not JSON"),
        (
            b'{"type": "Feature"}',
            "The file is no GeoJSON FeatureCollection (its type is “Feature”).",
        ),
        (b"[1, 2]", "The file is no GeoJSON FeatureCollection (its type is “list”)."),
        (b'{"type": "FeatureCollection"}', "The FeatureCollection has no list of features."),
        (
            b'{"type": "FeatureCollection", "features": []}',
            "The FeatureCollection has no features.",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "The file is nested too deeply to be GeoJSON."),
    ],
)
def test_files_that_are_no_feature_collection(data, expected):
    [message] = refused(data)
    assert message.startswith(expected)


def test_the_empty_fixture_is_refused():
    assert refused((DATA / "empty.geojson").read_bytes()) == ["The file is empty."]


def test_the_size_is_limited():
    [message] = refused((DATA / "parcels-reisholz.geojson").read_bytes(), max_bytes=1000)
    assert message.startswith("The file has ") and "at most 1000\xa0bytes are read." in message


def test_bench_reads_geojson():
    result = bench_read_geojson(500)
    assert result.features == 500
    assert result.features_per_second > 100
