"""SVG charts of the review report: geometry by hand, text alternatives, escaping."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from django.utils import translation

from masterplan.core.charts import (
    ACCENT,
    LABEL_WIDTH,
    VALUE_WIDTH,
    WIDTH,
    ColumnGroup,
    Movement,
    PercentBar,
    Segment,
    grouped_columns,
    movement_chart,
    percent_bars,
    stacked_counts,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
PLOT = WIDTH - LABEL_WIDTH - VALUE_WIDTH


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


def test_percent_bars_are_as_long_as_their_value() -> None:
    chart = parse(
        percent_bars(
            chart_id="c",
            title="Fortschritt",
            description="Fortschritt je Handlungsfeld",
            bars=[PercentBar("Start-ups", 0.75), PercentBar("Genehmigungen", None)],
        )
    )
    filled = [r for r in chart.iter(f"{SVG}rect") if r.get("fill") == ACCENT]
    assert len(filled) == 1  # no bar for an unknown value
    assert float(filled[0].get("width", "0")) == round(PLOT * 0.75, 1)
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert "75\u00a0%" in texts and "–" in texts


def test_every_chart_is_an_image_with_title_and_description() -> None:
    markup = stacked_counts(
        chart_id="health",
        title="Offene Maßnahmen nach Status",
        description="5 im Plan, 3 gefährdet, 1 kritisch",
        segments=[Segment("Im Plan", 5, "#1a7f4b"), Segment("Kritisch", 1, "#b42318")],
    )
    chart = parse(markup)
    assert chart.get("role") == "img"
    assert chart.get("aria-labelledby") == "health-title health-desc"
    assert chart.find(f"{SVG}title").text == "Offene Maßnahmen nach Status"  # type: ignore[union-attr]
    assert chart.find(f"{SVG}desc").get("id") == "health-desc"  # type: ignore[union-attr]
    assert "style=" not in markup  # the page's CSP allows no inline styles


def test_stacked_counts_split_the_width_by_count() -> None:
    chart = parse(
        stacked_counts(
            chart_id="h",
            title="t",
            description="d",
            segments=[Segment("Im Plan", 3, "#1a7f4b"), Segment("Gefährdet", 1, "#a35200")],
        )
    )
    widths = [float(r.get("width", "0")) for r in chart.iter(f"{SVG}rect") if r.get("y") == "10"]
    assert widths == [WIDTH * 3 / 4, WIDTH / 4]


def test_movement_shows_the_change_in_percentage_points() -> None:
    chart = parse(
        movement_chart(
            chart_id="kr",
            title="t",
            description="d",
            rows=[Movement("Verfahrensdauer", 0.25, 0.5), Movement("Mitglieder", None, 0.3)],
            start_label="Beginn",
            end_label="Ende",
            points_unit="pp",
        )
    )
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert "+25.0\u00a0pp" in texts
    assert "–" in texts  # no start value: no change
    lines = [li for li in chart.iter(f"{SVG}line") if li.get("stroke") == ACCENT]
    assert [(li.get("x1"), li.get("x2")) for li in lines] == [
        (f"{LABEL_WIDTH + PLOT * 0.25:.1f}", f"{LABEL_WIDTH + PLOT * 0.5:.1f}")
    ]


def test_columns_are_labelled_with_their_counts() -> None:
    markup = grouped_columns(
        chart_id="o",
        title="t",
        description="d",
        groups=[ColumnGroup("Dezember 2026", (2, 0)), ColumnGroup("Januar 2027", (4, 1))],
        series=[("Meilensteine", ACCENT), ("Maßnahmenenden", "#6b7280")],
    )
    texts = [t.text for t in parse(markup).iter(f"{SVG}text")]
    assert [t for t in texts if t and t.isdigit()] == ["2", "0", "4", "1"]


def test_text_is_escaped() -> None:
    markup = percent_bars(
        chart_id="x",
        title='<script>alert("x")</script>',
        description="a & b",
        bars=[PercentBar("<b>Kernzone</b>", 0.5)],
    )
    assert "<script>" not in markup and "<b>" not in markup
    parse(markup)  # still well-formed


def test_long_labels_wrap_onto_two_lines_and_keep_the_full_text() -> None:
    label = "Rang unter den deutschen Oberzentren bei der Dauer der Baugenehmigungsverfahren"
    assert wrap(label) == [
        "Rang unter den deutschen Oberzentren",
        "bei der Dauer der Baugenehmigungsve…",
    ]
    chart = parse(
        percent_bars(chart_id="l", title="t", description="d", bars=[PercentBar(label, 1)])
    )
    assert label in [t.text for t in chart.iter(f"{SVG}title")]
    assert len(list(chart.iter(f"{SVG}tspan"))) == 2
