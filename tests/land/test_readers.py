"""XPlanGML: the plan's building-area parts, and every way a file can be refused."""

import io
import resource
import time
from pathlib import Path

import pytest
from django.utils import translation

from masterplan.land.readers import ReadError, read_xplangml
from masterplan.land.readers.bench import bench_read

DATA = Path(__file__).parents[1] / "data" / "land"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def text(name):
    return (DATA / name).read_text(encoding="utf-8")


def refused(source, **options):
    with pytest.raises(ReadError) as caught:
        read_xplangml(source, **options)
    return caught.value.messages


@pytest.mark.parametrize(
    ("name", "version"), [("bp-plan-5.4.gml", "5.4"), ("bp-plan-6.0.gml", "6.0")]
)
def test_reads_the_building_area_parts_of_a_plan(name, version):
    plan = read_xplangml(DATA / name)
    assert plan.version == version
    assert plan.plan_name.startswith("Bebauungsplan Nr. 5678/041 Gewerbegebiet am Hafen")
    assert [(f.index, f.ref, f.properties["abbreviation"]) for f in plan.features] == [
        (1, "GML_gi_1", "GI"),
        (2, "GML_ge_1", "GE"),
        (3, "GML_mi_1", "MI"),
    ]
    assert [round(f.geometry.area) for f in plan.features] == [30_000, 22_500 - 900, 20_000]


def test_gi_and_ge_are_targets_and_mixed_areas_context():
    gi, ge, mi = read_xplangml(DATA / "bp-plan-5.4.gml").features
    assert gi.properties == {
        "besondereArtDerBaulNutzung": "1800",
        "allgArtDerBaulNutzung": "3000",
        "abbreviation": "GI",
        "area_type": "GI",
        "context": False,
    }
    assert ge.properties["area_type"] == "GE" and not ge.properties["context"]
    assert mi.properties["area_type"] == "MI" and mi.properties["context"]


def test_a_residential_area_is_context_with_its_code():
    source = text("bp-plan-5.4.gml").replace(">1500<", ">1200<")
    mi = read_xplangml(source.encode()).features[2]
    assert mi.properties["besondereArtDerBaulNutzung"] == "1200"
    assert mi.properties["abbreviation"] == "WA"
    assert mi.properties["area_type"] == ""
    assert mi.properties["context"]


def test_a_ring_of_straight_curve_segments_is_read():
    gi = read_xplangml(DATA / "bp-plan-straight-ring.gml").features[0]
    assert round(gi.geometry.area) == 30_000


def test_three_dimensional_positions_are_read_in_two():
    flat = "350000 5676000 350200 5676000 350200 5676150 350000 5676150 350000 5676000"
    high = (
        "350000 5676000 40 350200 5676000 40 350200 5676150 41 350000 5676150 41 350000 5676000 40"
    )
    source = text("bp-plan-5.4.gml").replace(
        f'<gml:posList srsDimension="2">{flat}', f'<gml:posList srsDimension="3">{high}'
    )
    gi = read_xplangml(source.encode()).features[0]
    assert not gi.geometry.has_z and round(gi.geometry.area) == 30_000


def test_coordinates_that_are_no_numbers_are_refused_naming_the_feature():
    source = text("bp-plan-5.4.gml").replace("350450 5676000 350450", "350450 nan 350450")
    [message] = refused(source.encode())
    assert (
        "Feature 3 (GML_mi_1): the polygon cannot be read (coordinates that are not finite"
        in message
    )


def test_reads_from_a_stream():
    with (DATA / "bp-plan-5.4.gml").open("rb") as stream:
        assert len(read_xplangml(stream).features) == 3


def test_a_geometry_without_srs_name_takes_the_plans_envelope():
    source = text("bp-plan-5.4.gml").replace(
        'gml:id="GML_gi_1_geom" srsName="EPSG:25832"', 'gml:id="GML_gi_1_geom"'
    )
    assert len(read_xplangml(source.encode()).features) == 3


def test_a_geometry_without_any_srs_name_is_refused():
    source = text("bp-plan-5.4.gml").replace(
        'gml:id="GML_gi_1_geom" srsName="EPSG:25832"', 'gml:id="GML_gi_1_geom"'
    )
    source = source.replace('<gml:Envelope srsName="EPSG:25832">', "<gml:Envelope>")
    [message] = refused(source.encode())
    assert "GML_gi_1" in message and "names no coordinate reference system" in message


def test_a_curve_is_refused_naming_the_feature_and_the_segment():
    [message] = refused(DATA / "bad-curve.gml")
    assert message.startswith(
        "line 34: Feature 1 (GML_gi_1): the outline contains a curved segment (gml:Arc in line 48)"
    )


def test_a_bow_tie_is_refused_naming_the_feature_and_the_crossing():
    [message] = refused(DATA / "bad-bowtie.gml")
    assert "Feature 1 (GML_gi_1): the outline crosses itself at E 350100.0, N 5676075.0" in message


def test_another_coordinate_system_is_refused_naming_it():
    [message] = refused(DATA / "bad-wrong-crs.gml")
    assert "GML_gi_1" in message and "“EPSG:4326”" in message and "EPSG:25832" in message


def test_all_problems_are_reported_and_nothing_is_read():
    source = text("bad-bowtie.gml").replace(
        'srsName="http://www.opengis.net/def/crs/EPSG/0/25832"', 'srsName="EPSG:31466"'
    )
    messages = refused(source.encode())
    assert len(messages) == 2
    assert "GML_gi_1" in messages[0] and "crosses itself" in messages[0]
    assert "GML_mi_1" in messages[1] and "EPSG:31466" in messages[1]


def test_overlapping_parts_are_refused():
    [message] = refused(DATA / "bad-overlapping.gml")
    assert "Feature 1 (GML_gi_1) and Feature 2 (GML_ge_1) overlap by 7,500 m²" in message


def test_overlaps_may_be_allowed():
    assert len(read_xplangml(DATA / "bad-overlapping.gml", check_overlaps=False).features) == 3


def test_an_entity_bomb_is_refused_at_once():
    started = time.perf_counter()
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [message] = refused(DATA / "bad-entity-bomb.gml")
    assert "DOCTYPE or ENTITY declaration" in message
    assert time.perf_counter() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory < 10_000  # kB


def test_an_external_entity_is_never_read():
    messages = refused(DATA / "bad-external-entity.gml")
    assert "DOCTYPE or ENTITY declaration" in messages[0]
    assert not any("root:" in message for message in messages)


def test_a_doctype_behind_a_long_comment_is_refused_by_the_parser_too():
    padding = "<!-- " + "x" * 100_000 + " -->\n"
    source = text("bad-external-entity.gml").replace("<!DOCTYPE", padding + "<!DOCTYPE", 1)
    messages = refused(source.encode())
    assert "DOCTYPE or ENTITY declaration" in messages[0]
    assert not any("root:" in message for message in messages)


def test_an_empty_file_is_refused():
    assert refused(DATA / "empty.gml") == ["The file is empty."]
    assert refused(b"   \n") == ["The file is empty."]


def test_a_broken_file_names_the_line():
    source = text("bp-plan-5.4.gml").replace("</xplan:BP_Plan>", "</xplan:BP_Plaan>")
    [message] = refused(source.encode())
    assert message.startswith("line 25: The file is not well-formed XML")


def test_an_unknown_version_is_refused_naming_its_namespace():
    [message] = refused(DATA / "bad-unknown-version.gml")
    assert "http://www.xplanung.de/xplangml/4/1" in message and "5.0 to 5.4 and 6.0" in message


def test_another_xml_file_is_no_plan():
    [message] = refused(b'<?xml version="1.0"?><html><body/></html>')
    assert "no XPlanGML plan" in message and "“html”" in message


def test_a_plan_without_building_area_parts_is_refused_naming_it():
    source = text("bp-plan-5.4.gml").replace("BP_BaugebietsTeilFlaeche", "BP_GruenFlaeche")
    [message] = refused(source.encode())
    assert "“Bebauungsplan Nr. 5678/041" in message and "no building-area parts" in message


def test_the_size_and_the_number_of_features_are_limited():
    [too_big] = refused(DATA / "bp-plan-5.4.gml", max_bytes=1000)
    assert too_big == "The file has more than 1000\xa0bytes; at most 1000\xa0bytes are read."
    [too_many] = refused(DATA / "bp-plan-5.4.gml", max_features=2)
    assert "more than 2 building-area parts" in too_many


def test_a_file_is_read_and_refused_in_the_same_way_from_bytes_and_streams():
    data = (DATA / "bad-curve.gml").read_bytes()
    assert refused(data) == refused(io.BytesIO(data))


def test_bench_reads_thousands_of_features_per_second_in_flat_memory():
    result = bench_read(1000, other_features=1000)
    assert result.features == 1000
    assert result.megabytes > 5
    # The street areas passed over (most of the file) are freed as they are read.
    assert result.peak_mb - result.baseline_mb < result.megabytes / 2
