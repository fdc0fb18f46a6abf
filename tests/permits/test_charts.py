"""The permit charts: step curves of the share decided and day bars with their interval, each
with a title and a description for screen readers."""

from __future__ import annotations

from masterplan.permits.charts import Curve, DayBar, day_bars, km_curves, step_points


def test_the_step_curve_turns_where_the_share_decided_changes() -> None:
    # S: 1, 1, 0.5, 0.5, 0 → decided 0 until day 2, half from day 2, all from day 4
    assert step_points([1.0, 1.0, 0.5, 0.5, 0.0], 10) == [
        (0, 0.0),
        (2, 0.0),
        (2, 0.5),
        (4, 0.5),
        (4, 1.0),
        (4, 1.0),
    ]


def test_the_curves_chart_names_itself_and_marks_the_deadline() -> None:
    chart = str(
        km_curves(
            chart_id="km",
            title="Anteil entschieden",
            description="Kaplan–Meier je Verfahrensart",
            curves=[Curve("§ 19 BImSchG", [1.0, 0.5, 0.0])],
            days_label="Tage",
            marker_day=91,
            marker_label="gesetzliche Frist",
        )
    )
    assert 'role="img"' in chart and '<title id="km-title">Anteil entschieden</title>' in chart
    assert "<polyline" in chart and "gesetzliche Frist" in chart


def test_a_median_not_reached_is_written_not_drawn() -> None:
    chart = str(
        day_bars(
            chart_id="trend",
            title="Median je Quartal",
            description="mit 95-%-Intervall",
            bars=[DayBar("1/2026", 60, 40, 100), DayBar("2/2026", None)],
            not_reached="nicht erreicht",
        )
    )
    assert "nicht erreicht" in chart and ">60<" in chart
