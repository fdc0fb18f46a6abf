import math
import time

import numpy as np
import pytest
import shapely
from django.utils import translation
from shapely.geometry import MultiPolygon, Point, Polygon, box

from masterplan.land.geometry import (
    BBoxIndex,
    area_m2,
    bbox,
    centroid_wgs84,
    check_polygon,
    from_wgs84,
    from_wkb,
    map_geometry,
    overlaps,
    shown_number,
    simplified_geojson,
    simplify_tolerance_m,
    to_wgs84,
    to_wkb,
)

# A 200 m × 150 m industrial area near the Rhine in Düsseldorf, EPSG:25832.
AREA = box(350_000, 5_676_000, 350_200, 5_676_150)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_wkb_keeps_the_polygon_and_its_holes():
    polygon = Polygon(
        AREA.exterior.coords, [box(350_050, 5_676_050, 350_060, 5_676_060).exterior.coords]
    )
    assert from_wkb(to_wkb(polygon)).equals(polygon)


def test_bbox_and_area_are_planar_metres():
    assert bbox(AREA) == (350_000, 5_676_000, 350_200, 5_676_150)
    assert area_m2(AREA) == 30_000


def test_wgs84_round_trip_is_exact_to_a_millimetre():
    back = from_wgs84(to_wgs84(AREA))
    assert shapely.hausdorff_distance(back, AREA) < 0.001


def test_wgs84_is_longitude_first():
    lon, lat = to_wgs84(Point(350_000, 5_676_000)).coords[0]
    assert lon == pytest.approx(6.85224, abs=1e-5)
    assert lat == pytest.approx(51.21566, abs=1e-5)


def test_centroid_is_latitude_then_longitude():
    lat, lon = centroid_wgs84(AREA)
    assert lat == pytest.approx(51.2163, abs=1e-4)
    assert lon == pytest.approx(6.8537, abs=1e-4)


def test_a_plausible_polygon_has_no_problems():
    assert check_polygon(AREA, label="GI 1") == []
    assert check_polygon(MultiPolygon([AREA]), label="GI 1") == []


def test_a_point_is_not_a_polygon():
    [message] = check_polygon(Point(350_000, 5_676_000), label="GI 1")
    assert "GI 1: a Point is not a polygon" in message


def test_an_empty_polygon_is_refused():
    assert check_polygon(Polygon(), label="GI 1") == ["GI 1: the polygon is empty."]


def test_a_bow_tie_names_where_the_outline_crosses_itself():
    bow_tie = Polygon(
        [(350_000, 5_676_000), (350_200, 5_676_150), (350_200, 5_676_000), (350_000, 5_676_150)]
    )
    [message] = check_polygon(bow_tie, label="GI 1")
    assert "GI 1: the outline crosses itself at E 350100.0, N 5676075.0" in message
    assert "latitude 51.2163" in message


def test_a_polygon_in_paris_is_outside_germany():
    paris = from_wgs84(box(2.381, 48.834, 2.384, 48.8355))
    [message] = check_polygon(paris, label="P-1")
    assert "lies outside Germany" in message
    assert "longitude 2.38" in message


def test_a_polygon_of_swapped_axes_is_outside_germany():
    swapped = from_wgs84(box(51.21, 6.85, 51.22, 6.86))
    assert "outside Germany" in check_polygon(swapped, label="x")[0]


def test_implausibly_small_and_large_areas():
    [small] = check_polygon(box(350_000, 5_676_000, 350_000.5, 5_676_001), label="x")
    assert "an area of 0.50 m² is implausibly small" in small
    [large] = check_polygon(box(350_000, 5_676_000, 360_000, 5_682_000), label="x")
    assert "60.0 km² is implausibly large" in large


def test_a_label_callable_is_only_called_when_there_is_a_problem():
    calls = []

    def label():
        calls.append(1)
        return "x"

    check_polygon(AREA, label=label)
    assert calls == []
    check_polygon(Polygon(), label=label)
    assert calls == [1]


def test_neighbours_sharing_an_edge_do_not_overlap():
    left = box(0, 0, 100, 100)
    right = box(100, 0, 200, 100)
    assert overlaps([left, right]) == []


def test_overlaps_name_both_polygons_and_the_area():
    polygons = [
        box(0, 0, 100, 100),
        box(500, 0, 600, 100),
        box(90, 0, 190, 100),
        box(10, 10, 20, 20),
    ]
    found = {(i, j): round(area) for i, j, area in overlaps(polygons)}
    assert found == {(0, 2): 1000, (0, 3): 100}


def test_overlaps_below_the_tolerance_are_ignored():
    assert overlaps([box(0, 0, 100, 100), box(99.995, 0, 200, 100)]) == []


def grid(x0, y0, *, size):
    """50,000 squares on a 50 m grid, 250 columns of 200; number x * 200 + y."""
    x, y = np.meshgrid(np.arange(250) * 50 + x0, np.arange(200) * 50 + y0, indexing="ij")
    return list(shapely.box(x.ravel(), y.ravel(), x.ravel() + size, y.ravel() + size))


def test_overlaps_of_50_000_parcels_take_seconds():
    parcels = grid(0, 0, size=50)
    parcels[12_345] = box(0, 0, 70, 50)  # over two neighbours at the origin
    started = time.perf_counter()
    found = overlaps(parcels)
    assert time.perf_counter() - started < 20
    assert {(i, j) for i, j, _area in found} == {(0, 12_345), (200, 12_345)}


@pytest.mark.parametrize(("zoom", "metres"), [(10, 47.9), (14, 3.0), (17, 0.374)])
def test_simplification_is_half_a_pixel(zoom, metres):
    assert simplify_tolerance_m(zoom) == pytest.approx(metres, rel=0.01)


def circle(vertices):
    return Point(350_000, 5_676_000).buffer(100, quad_segs=vertices // 4)


def test_map_geometry_is_simplified_by_zoom_and_rounded_to_six_decimals():
    round_area = circle(256)
    coarse = map_geometry(round_area, zoom=12)
    fine = map_geometry(round_area, zoom=18)
    assert len(coarse["coordinates"][0]) < 40 < len(fine["coordinates"][0])
    lon, lat = coarse["coordinates"][0][0]
    assert round(lon, 6) == lon and round(lat, 6) == lat
    assert 6.8 < lon < 6.9 and 51.2 < lat < 51.3


def test_a_simplified_polygon_does_not_vanish_at_low_zoom():
    geometry = map_geometry(box(350_000, 5_676_000, 350_020, 5_676_020), zoom=8)
    assert shapely.geometry.shape(geometry).is_valid
    assert geometry["type"] == "Polygon"


def test_simplified_geojson_is_a_feature_collection_with_the_properties():
    collection = simplified_geojson([({"id": 7, "status": "available"}, AREA)], zoom=15)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["properties"] == {"id": 7, "status": "available"}
    assert feature["geometry"]["type"] == "Polygon"


def test_bbox_index_answers_what_lies_in_a_box():
    keys = ["a", "b", "c"]
    geoms = [box(0, 0, 10, 10), box(100, 100, 110, 110), box(5, 5, 20, 20)]
    index = BBoxIndex.build(keys, geoms)
    assert index.within((0, 0, 6, 6)) == ["a", "c"]
    assert index.within((200, 200, 300, 300)) == []


def test_bbox_index_from_bbox_columns_and_a_wgs84_map_box():
    index = BBoxIndex.from_bboxes([1, 2], [bbox(AREA), (400_000, 5_700_000, 400_100, 5_700_100)])
    west, south, east, north = 6.85, 51.21, 6.86, 51.22
    assert index.within_wgs84((west, south, east, north)) == [1]


def test_fifty_thousand_parcels_are_never_one_document():
    parcels = grid(350_000, 5_670_000, size=40)
    index = BBoxIndex.build(list(range(len(parcels))), parcels)
    # A map view of about 1 km² at zoom 15 sees a few hundred parcels.
    visible = index.within((351_000, 5_671_000, 352_000, 5_672_000))
    assert 300 < len(visible) < 500
    assert math.isclose(len(visible), 21 * 21, rel_tol=0.01)


def test_numbers_in_messages_follow_the_language():
    assert shown_number(7_499.6, 0, grouping=True) == "7,500"
    with translation.override("de"):
        assert shown_number(7_499.6, 0, grouping=True) == "7.500"
        assert shown_number(350_100.04, 1) == "350100,0"
