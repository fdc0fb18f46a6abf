"""The forecast figures against hand-computed values (and numpy.polyfit as a second opinion)."""

from __future__ import annotations

import math
from datetime import date

import numpy
import pytest

from masterplan.indicators import figures
from masterplan.indicators.figures import Point, Status


def test_trend_of_three_values_by_hand() -> None:
    # t̄ = 1, ȳ = 13, Sxx = 2, Sxy = (−1)(−3) + 0 + 1·4 = 7 → b = 3.5, a = 13 − 3.5 = 9.5
    trend = figures.linear_trend([0, 1, 2], [10, 12, 17])
    assert trend is not None
    assert trend.slope == pytest.approx(3.5)
    assert trend.intercept == pytest.approx(9.5)
    # residuals 0.5, −1, 0.5 → SSE 1.5, s = √(1.5 ÷ 1)
    assert trend.residual_se == pytest.approx(math.sqrt(1.5))


def test_trend_agrees_with_numpy_polyfit() -> None:
    ts = [0.0, 1.0, 2.5, 3.0, 4.2, 5.0]
    ys = [96.0, 88.0, 77.0, 71.0, 66.0, 61.5]
    trend = figures.linear_trend(ts, ys)
    slope, intercept = numpy.polyfit(ts, ys, 1)
    assert trend is not None
    assert trend.slope == pytest.approx(slope)
    assert trend.intercept == pytest.approx(intercept)


def test_prediction_interval_by_hand() -> None:
    trend = figures.linear_trend([0, 1, 2], [10, 12, 17])
    assert trend is not None
    low, high = figures.prediction_interval(trend, 4) or (0, 0)
    # ŷ(4) = 9.5 + 3.5·4 = 23.5; t(0.9; 1) = 3.077684; √(1 + 1/3 + (4 − 1)² ÷ 2) = √5.8333
    half = 3.077684 * math.sqrt(1.5) * math.sqrt(1 + 1 / 3 + 9 / 2)
    assert (low + high) / 2 == pytest.approx(23.5)
    assert high - 23.5 == pytest.approx(half, rel=1e-5)


def test_one_point_has_no_trend_and_two_points_no_band() -> None:
    assert figures.linear_trend([0], [5]) is None
    two = figures.linear_trend([0, 1], [5, 7])
    assert two is not None and two.slope == pytest.approx(2)
    assert figures.prediction_interval(two, 3) is None


def test_values_at_one_time_have_no_trend() -> None:
    assert figures.linear_trend([1, 1, 1], [3, 4, 5]) is None


def test_all_equal_values_give_a_flat_trend_and_a_zero_band() -> None:
    trend = figures.linear_trend([0, 1, 2, 3], [7, 7, 7, 7])
    assert trend is not None and trend.slope == 0 and trend.residual_se == 0
    assert figures.prediction_interval(trend, 10) == (7, 7)


@pytest.mark.parametrize(
    ("direction", "projected", "band", "target", "status"),
    [
        ("higher", 120.0, (100.0, 140.0), 110.0, Status.ON_TRACK),
        ("higher", 105.0, (90.0, 120.0), 110.0, Status.AT_RISK),
        ("higher", 95.0, (90.0, 100.0), 110.0, Status.OFF_TRACK),
        ("lower", 55.0, (50.0, 60.0), 60.0, Status.ON_TRACK),
        ("lower", 65.0, (58.0, 72.0), 60.0, Status.AT_RISK),
        ("lower", 70.0, (66.0, 74.0), 60.0, Status.OFF_TRACK),
        ("lower", 70.0, None, 60.0, Status.OFF_TRACK),
        ("lower", None, None, 60.0, Status.UNKNOWN),
    ],
)
def test_status_rule(
    direction: str,
    projected: float | None,
    band: tuple[float, float] | None,
    target: float,
    status: Status,
) -> None:
    assert (
        figures.forecast_status(direction=direction, target=target, projected=projected, band=band)
        == status
    )


def test_required_rate_by_hand() -> None:
    # from 80 to 40 in 2 years: r = 1 − (40/80)^(1/2) = 1 − 0.70711 = 0.29289 per year
    assert figures.required_annual_rate(current=80, target=40, years_left=2) == pytest.approx(
        0.292893, rel=1e-5
    )
    assert figures.required_annual_change(current=80, target=40, years_left=2) == -20


def test_required_rate_for_growth_is_negative() -> None:
    # from 100 to 121 in 2 years: 1 − 1.21^(1/2) = −0.1 (10 % growth per year)
    assert figures.required_annual_rate(current=100, target=121, years_left=2) == pytest.approx(
        -0.1
    )


@pytest.mark.parametrize(
    ("current", "target", "years"), [(0, 40, 2), (-5, 40, 2), (80, 0, 2), (80, 40, 0), (80, 40, -1)]
)
def test_required_rate_undefined(current: float, target: float, years: float) -> None:
    assert figures.required_annual_rate(current=current, target=target, years_left=years) is None


def test_required_change_needs_time_left() -> None:
    assert figures.required_annual_change(current=80, target=40, years_left=0) is None
    assert figures.required_annual_change(current=-10, target=0, years_left=2) == 5


def permit_days() -> list[Point]:
    return [
        Point(date(2022, 12, 31), 96),
        Point(date(2023, 12, 31), 88),
        Point(date(2024, 12, 31), 77),
        Point(date(2025, 12, 31), 71),
    ]


def test_forecast_of_falling_permit_times() -> None:
    result = figures.forecast(
        points=permit_days(),
        target_value=62,
        target_date=date(2026, 12, 31),
        direction="lower",
        today=date(2026, 3, 1),
    )
    ts = [figures.years_between(date(2022, 12, 31), p.on) for p in permit_days()]
    slope, intercept = numpy.polyfit(ts, [p.value for p in permit_days()], 1)
    t_target = figures.years_between(date(2022, 12, 31), date(2026, 12, 31))
    assert result.projected == pytest.approx(intercept + slope * t_target)
    assert result.projected == pytest.approx(61.51, abs=0.01)
    assert result.status == Status.ON_TRACK  # 61.5 ≤ 62
    assert result.band is not None and result.band[0] < result.projected < result.band[1]
    assert result.current == Point(date(2025, 12, 31), 71)
    years_left = (date(2026, 12, 31) - date(2026, 3, 1)).days / 365.25
    assert result.annual_rate == pytest.approx(1 - (62 / 71) ** (1 / years_left))


def test_a_target_inside_the_band_is_at_risk() -> None:
    result = figures.forecast(
        points=permit_days(),
        target_value=60,
        target_date=date(2026, 12, 31),
        direction="lower",
        today=date(2026, 3, 1),
    )
    assert result.status == Status.AT_RISK  # projection 61.5 > 60, but 60 is inside the band


def test_forecast_uses_values_since_the_baseline_only() -> None:
    points = [Point(date(2020, 12, 31), 10), *permit_days()]
    result = figures.forecast(
        points=points,
        target_value=60,
        target_date=date(2026, 12, 31),
        direction="lower",
        today=date(2026, 3, 1),
        baseline_date=date(2022, 12, 31),
    )
    assert result.points_used == 4


def test_forecast_with_one_point_has_no_status() -> None:
    result = figures.forecast(
        points=[Point(date(2024, 12, 31), 5)],
        target_value=10,
        target_date=date(2027, 12, 31),
        direction="higher",
        today=date(2025, 6, 1),
    )
    assert result.trend is None and result.projected is None and result.band is None
    assert result.status == Status.UNKNOWN
    assert result.annual_change == pytest.approx(5 / result.years_left)


def test_after_the_target_date_the_latest_value_decides() -> None:
    kwargs = {"points": permit_days(), "target_date": date(2025, 12, 31), "direction": "lower"}
    reached = figures.forecast(target_value=75, today=date(2026, 6, 1), **kwargs)  # type: ignore[arg-type]
    missed = figures.forecast(target_value=60, today=date(2026, 6, 1), **kwargs)  # type: ignore[arg-type]
    assert reached.target_passed and reached.status == Status.ON_TRACK
    assert missed.status == Status.OFF_TRACK
    assert missed.annual_rate is None and missed.annual_change is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", ("year", date(2024, 1, 1))),
        ("2024-Q3", ("quarter", date(2024, 7, 1))),
        ("2024q1", ("quarter", date(2024, 1, 1))),
        ("2024-05", ("month", date(2024, 5, 1))),
        ("15.05.2024", ("year", date(2024, 1, 1))),
        ("2024-05-15", ("year", date(2024, 1, 1))),
    ],
)
def test_periods_are_read_and_normalised(text: str, expected: tuple[str, date]) -> None:
    assert figures.parse_period(text) == expected


def test_a_date_names_the_period_of_the_indicators_granularity() -> None:
    assert figures.parse_period("15.05.2024", "quarter") == ("quarter", date(2024, 4, 1))
    assert figures.parse_period("15.05.2024", "month") == ("month", date(2024, 5, 1))


@pytest.mark.parametrize("text", ["24", "2024-Q5", "2024-13", "31.02.2024", "im Mai", ""])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(figures.PeriodError):
        figures.parse_period(text)


def test_period_ends() -> None:
    assert figures.period_end("year", date(2024, 1, 1)) == date(2024, 12, 31)
    assert figures.period_end("quarter", date(2024, 10, 1)) == date(2024, 12, 31)
    assert figures.period_end("month", date(2024, 2, 1)) == date(2024, 2, 29)


def test_aggregation_by_hand() -> None:
    assert figures.aggregate([1, 2, 3], "sum") == 6
    assert figures.aggregate([1, 2, 3], "mean") == 2
    # (10·100 + 20·300) ÷ 400 = 17.5; the value without a weight is left out
    assert figures.aggregate([10, 20, 99], "weighted_mean", [100, 300, None]) == 17.5
    assert figures.aggregate([], "sum") is None
    assert figures.aggregate([1], "weighted_mean", [0]) is None


def test_series_prefers_the_masterplan_value_and_combines_organisations() -> None:
    y23, y24 = date(2023, 1, 1), date(2024, 1, 1)
    values = [
        figures.Value("year", y23, "organization", 1, 40),
        figures.Value("year", y23, "organization", 2, 60),
        figures.Value("year", y24, "organization", 1, 50),
        figures.Value("year", y24, "masterplan", None, 120),
        figures.Value("year", y24, "region", None, 7),
        figures.Value("month", y24, "masterplan", None, 9),
    ]
    result = figures.series(values, granularity="year", aggregation="sum")
    assert [(v.label, v.value, v.basis) for v in result] == [
        ("2023", 100, "organizations"),
        ("2024", 120, "masterplan"),
    ]


def test_a_running_period_stands_at_today() -> None:
    values = [figures.Value("year", date(2026, 1, 1), "masterplan", None, 66)]
    running = figures.series(values, granularity="year", aggregation="sum", today=date(2026, 3, 15))
    ended = figures.series(values, granularity="year", aggregation="sum", today=date(2027, 1, 2))
    assert running[0].point.on == date(2026, 3, 15)
    assert ended[0].point.on == date(2026, 12, 31)


def test_a_reached_target_needs_no_change() -> None:
    result = figures.forecast(
        points=[*permit_days(), Point(date(2026, 6, 30), 58)],
        target_value=60,
        target_date=date(2026, 12, 31),
        direction="lower",
        today=date(2026, 7, 1),
    )
    assert result.current_reaches_target
    assert not figures.forecast(
        points=permit_days(),
        target_value=60,
        target_date=date(2026, 12, 31),
        direction="lower",
        today=date(2026, 7, 1),
    ).current_reaches_target


def test_the_worked_example_of_the_docs() -> None:
    """docs/indicators.md: permit days 96, 88, 77, 71 at t = 0, 1, 2, 3; target 60 at t = 4."""
    trend = figures.linear_trend([0, 1, 2, 3], [96, 88, 77, 71])
    assert trend is not None
    assert (trend.slope, trend.intercept) == (pytest.approx(-8.6), pytest.approx(95.9))
    assert trend.residual_se == pytest.approx(math.sqrt(2.1))  # SSE 4.2, n − 2 = 2
    assert trend.at(4) == pytest.approx(61.5)
    low, high = figures.prediction_interval(trend, 4) or (0, 0)
    assert (low, high) == (pytest.approx(57.18, abs=0.005), pytest.approx(65.82, abs=0.005))
    status = figures.forecast_status(direction="lower", target=60, projected=61.5, band=(low, high))
    assert status == Status.AT_RISK
    assert figures.required_annual_rate(current=71, target=60, years_left=1) == pytest.approx(
        0.1549, abs=0.00005
    )
    assert figures.required_annual_change(current=71, target=60, years_left=1) == -11
