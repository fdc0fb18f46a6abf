"""Figures of the indicators: periods, aggregation, trend, forecast, status and required rate.

Pure functions (no database), each with its formula; METHODS holds the same rules in plain
words for the pages, the API and docs/indicators.md.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

Number = Decimal | float | int

DAYS_PER_YEAR = 365.25
BAND_LEVEL = 0.8  # the forecast band is the 80 % prediction interval

METHODS = {
    "series": _(
        "One value per period: the value for the whole masterplan where one is recorded, "
        "otherwise the organisations' values combined with the indicator's aggregation (sum, "
        "mean, or mean weighted with another indicator such as employees). Regional values are "
        "shown but not combined. A value stands at the last day of its period, or at today's "
        "date while the period is still running."
    ),
    "trend": _(
        "Trend: straight line through the values since the target's baseline date, fitted by "
        "ordinary least squares with time in years (slope b = Σ(t − t̄)(y − ȳ) ÷ Σ(t − t̄)², "
        "intercept a = ȳ − b·t̄), projected to the target date."
    ),
    "band": _(
        "Uncertainty band: the 80 % prediction interval of the projection, projection ± "
        "t(0.9; n − 2) · s · √(1 + 1/n + (t − t̄)² ÷ Σ(t − t̄)²), where s is the residual "
        "standard error √(Σ residual² ÷ (n − 2)) and t the Student t quantile. With fewer than "
        "three values there is no band."
    ),
    "status": _(
        "Status: on track when the projection reaches the target in the good direction; at "
        "risk when it does not but the target lies inside the band; off track otherwise. With "
        "fewer than two values there is no forecast. After the target date the latest value "
        "decides: reached (on track) or missed (off track)."
    ),
    "rate": _(
        "Required rate: the constant change per year still needed from the latest value to the "
        "target, as a relative rate r = 1 − (target ÷ current)^(1 ÷ years left) (a positive r "
        "is a reduction per year, a negative r growth) and as a linear change (target − "
        "current) ÷ years left. The relative rate needs positive values."
    ),
}


# --- Periods -----------------------------------------------------------------------------------


class PeriodError(ValueError):
    """A period that cannot be read; the message says which forms are accepted."""


PERIOD_FORMS = re.compile(
    r"^(?:(?P<year>\d{4})|(?P<qyear>\d{4})-?Q(?P<quarter>[1-4])|(?P<myear>\d{4})-(?P<month>\d{1,2})"
    r"|(?P<day>\d{1,2})\.(?P<dmonth>\d{1,2})\.(?P<dyear>\d{4})|(?P<iso>\d{4}-\d{2}-\d{2}))$",
    re.IGNORECASE,
)


def period_start(granularity: str, day: date) -> date:
    """The first day of the year, quarter or month that contains `day` (normalisation)."""
    if granularity == "year":
        return date(day.year, 1, 1)
    if granularity == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def period_end(granularity: str, start: date) -> date:
    """The last day of the period that starts on `start`."""
    if granularity == "year":
        return date(start.year, 12, 31)
    last_month = start.month + 2 if granularity == "quarter" else start.month
    return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


def parse_period(text: str, default_granularity: str = "year") -> tuple[str, date]:
    """(granularity, period start) from "2024", "2024-Q3", "2024-05" or a date "15.05.2024".

    A date names the period of `default_granularity` that contains it.
    """
    match = PERIOD_FORMS.match(text.strip())
    if match is None:
        raise PeriodError(
            _(
                "Not a period. Write a year (2024), a quarter (2024-Q3), a month (2024-05) "
                "or a date (15.05.2024)."
            )
        )
    groups = match.groupdict()
    try:
        if groups["year"]:
            return "year", date(int(groups["year"]), 1, 1)
        if groups["qyear"]:
            return "quarter", date(int(groups["qyear"]), 3 * int(groups["quarter"]) - 2, 1)
        if groups["myear"]:
            return "month", date(int(groups["myear"]), int(groups["month"]), 1)
        if groups["iso"]:
            day = date.fromisoformat(groups["iso"])
        else:
            day = date(int(groups["dyear"]), int(groups["dmonth"]), int(groups["day"]))
    except ValueError:
        raise PeriodError(_("Not a valid date or month.")) from None
    return default_granularity, period_start(default_granularity, day)


def period_label(granularity: str, start: date) -> str:
    """ "2024", "2024-Q3" or "2024-05": the form the importer reads and the exports write."""
    if granularity == "year":
        return f"{start.year}"
    if granularity == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def years_between(start: date, end: date) -> float:
    """Time in years: days ÷ 365.25."""
    return (end - start).days / DAYS_PER_YEAR


# --- Aggregation -------------------------------------------------------------------------------


def aggregate(
    values: Sequence[Number], method: str, weights: Sequence[Number | None] | None = None
) -> float | None:
    """Combine the organisations' values of one period.

    sum: Σ vᵢ; mean: Σ vᵢ ÷ n; weighted_mean: Σ wᵢvᵢ ÷ Σ wᵢ over the values that have a weight
    (a value without weight is left out). None when there is nothing to combine.
    """
    if not values:
        return None
    floats = [float(v) for v in values]
    if method == "sum":
        return sum(floats)
    if method == "mean":
        return sum(floats) / len(floats)
    pairs = [(v, float(w)) for v, w in zip(floats, weights or [], strict=False) if w is not None]
    total = sum(w for _v, w in pairs)
    if not pairs or total == 0:
        return None
    return sum(v * w for v, w in pairs) / total


# --- Trend and forecast ------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """y = intercept + slope · t (t in years from the first value)."""

    slope: float
    intercept: float
    n: int
    mean_t: float
    sxx: float  # Σ(t − t̄)²
    residual_se: float | None  # √(Σ residual² ÷ (n − 2)); None for n < 3

    def at(self, t: float) -> float:
        return self.intercept + self.slope * t


def linear_trend(ts: Sequence[float], ys: Sequence[float]) -> Trend | None:
    """Ordinary least squares: b = Σ(t − t̄)(y − ȳ) ÷ Σ(t − t̄)², a = ȳ − b·t̄.

    None with fewer than two values or when all values lie at the same time.
    """
    n = len(ts)
    if n < 2 or n != len(ys):
        return None
    mean_t = sum(ts) / n
    mean_y = sum(ys) / n
    sxx = sum((t - mean_t) ** 2 for t in ts)
    if sxx == 0:
        return None
    slope = sum((t - mean_t) * (y - mean_y) for t, y in zip(ts, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_t
    residual_se = None
    if n >= 3:
        sse = sum((y - (intercept + slope * t)) ** 2 for t, y in zip(ts, ys, strict=True))
        residual_se = math.sqrt(sse / (n - 2))
    return Trend(slope, intercept, n, mean_t, sxx, residual_se)


@functools.lru_cache(maxsize=1024)
def student_t_quantile(probability: float, degrees_of_freedom: int) -> float:
    """Student's t quantile; a chart asks for the same one at every point of its band."""
    from scipy.stats import t as student_t

    return float(student_t.ppf(probability, degrees_of_freedom))


def prediction_interval(
    trend: Trend, t: float, level: float = BAND_LEVEL
) -> tuple[float, float] | None:
    """ŷ ± t_{(1+level)/2, n−2} · s · √(1 + 1/n + (t − t̄)² ÷ Sxx); None for n < 3."""
    if trend.residual_se is None:
        return None
    quantile = student_t_quantile((1 + level) / 2, trend.n - 2)
    half = (
        quantile
        * trend.residual_se
        * math.sqrt(1 + 1 / trend.n + (t - trend.mean_t) ** 2 / trend.sxx)
    )
    centre = trend.at(t)
    return centre - half, centre + half


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    UNKNOWN = "unknown"


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.UNKNOWN: _("No forecast"),
}


def reaches(value: float, target: float, direction: str) -> bool:
    """At or beyond the target in the good direction."""
    return value >= target if direction == "higher" else value <= target


def forecast_status(
    *,
    direction: str,
    target: float,
    projected: float | None,
    band: tuple[float, float] | None,
) -> Status:
    """on track: the projection reaches the target; at risk: it does not, but the target
    lies inside the band; off track: otherwise; unknown: no projection."""
    if projected is None:
        return Status.UNKNOWN
    if reaches(projected, target, direction):
        return Status.ON_TRACK
    if band is not None and band[0] <= target <= band[1]:
        return Status.AT_RISK
    return Status.OFF_TRACK


def required_annual_rate(*, current: Number, target: Number, years_left: float) -> float | None:
    """r = 1 − (target ÷ current)^(1 ÷ years left): the constant relative change per year.

    Positive r: a reduction of r per year; negative r: growth of −r per year. None when the
    rate is undefined: no time left, or a value that is zero or negative.
    """
    current_f, target_f = float(current), float(target)
    if years_left <= 0 or current_f <= 0 or target_f <= 0:
        return None
    return 1 - math.pow(target_f / current_f, 1 / years_left)


def required_annual_change(*, current: Number, target: Number, years_left: float) -> float | None:
    """(target − current) ÷ years left: the constant linear change per year; None without time."""
    if years_left <= 0:
        return None
    return (float(target) - float(current)) / years_left


@dataclass(frozen=True)
class Point:
    """One value of the series at the last day of its period."""

    on: date
    value: float


@dataclass(frozen=True)
class Forecast:
    target_value: float
    target_date: date
    direction: str
    points_used: int
    trend: Trend | None
    origin: date | None  # t = 0 of the trend
    projected: float | None
    band: tuple[float, float] | None
    status: Status
    target_passed: bool
    current: Point | None
    years_left: float
    annual_rate: float | None
    annual_change: float | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def current_reaches_target(self) -> bool:
        """The latest value is at or beyond the target already: no change is required."""
        return self.current is not None and reaches(
            self.current.value, self.target_value, self.direction
        )

    @property
    def annual_rate_percent(self) -> float | None:
        """|r| in per cent, for the sentence "x % reduction (or growth) per year"."""
        return abs(self.annual_rate) * 100 if self.annual_rate is not None else None

    @property
    def slope_per_year(self) -> float | None:
        return self.trend.slope if self.trend else None

    def trend_at(self, on: date) -> float | None:
        if self.trend is None or self.origin is None:
            return None
        return self.trend.at(years_between(self.origin, on))

    def band_at(self, on: date) -> tuple[float, float] | None:
        if self.trend is None or self.origin is None:
            return None
        return prediction_interval(self.trend, years_between(self.origin, on))


def forecast(
    *,
    points: Sequence[Point],
    target_value: Number,
    target_date: date,
    direction: str,
    today: date,
    baseline_date: date | None = None,
) -> Forecast:
    """Trend of the points since the baseline, projected to the target date, with status and
    the rate still required (see METHODS). Points must be in date order."""
    target_f = float(target_value)
    used = [p for p in points if baseline_date is None or p.on >= baseline_date]
    current = points[-1] if points else None
    years_left = years_between(today, target_date)
    target_passed = target_date <= today
    trend = None
    origin = used[0].on if used else None
    if origin is not None:
        trend = linear_trend([years_between(origin, p.on) for p in used], [p.value for p in used])
    projected = band = None
    if trend is not None and origin is not None:
        t = years_between(origin, target_date)
        projected = trend.at(t)
        band = prediction_interval(trend, t)
    if target_passed:
        at_target = [p for p in points if p.on <= target_date] or list(points)
        status = (
            Status.UNKNOWN
            if not at_target
            else Status.ON_TRACK
            if reaches(at_target[-1].value, target_f, direction)
            else Status.OFF_TRACK
        )
    else:
        status = forecast_status(
            direction=direction, target=target_f, projected=projected, band=band
        )
    rate = change = None
    if current is not None:
        rate = required_annual_rate(current=current.value, target=target_f, years_left=years_left)
        change = required_annual_change(
            current=current.value, target=target_f, years_left=years_left
        )
    return Forecast(
        target_value=target_f,
        target_date=target_date,
        direction=direction,
        points_used=len(used),
        trend=trend,
        origin=origin,
        projected=projected,
        band=band,
        status=status,
        target_passed=target_passed,
        current=current,
        years_left=years_left,
        annual_rate=rate,
        annual_change=change,
    )


# --- The series of one indicator ---------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """An observation as the series needs it."""

    granularity: str
    period_start: date
    scope: str
    organization_id: int | None
    value: Number


@dataclass(frozen=True)
class SeriesValue:
    granularity: str
    period_start: date
    value: float
    basis: str  # "masterplan" or "organizations"
    organizations: int  # how many organisations' values were combined (0 for "masterplan")
    on: date  # the period's last day, or today while the period is still running

    @property
    def point(self) -> Point:
        return Point(self.on, self.value)

    @property
    def label(self) -> str:
        return period_label(self.granularity, self.period_start)


def series(
    values: Sequence[Value],
    *,
    granularity: str,
    aggregation: str,
    weights: dict[tuple[int, date], Number] | None = None,
    today: date | None = None,
) -> list[SeriesValue]:
    """One value per period of the indicator's granularity, in date order (METHODS["series"]).

    `weights` maps (organisation id, period start) to the weight for a weighted mean. A value
    stands at the last day of its period, or at `today` while the period is still running.
    """
    plan_values: dict[date, float] = {}
    by_period: dict[date, list[Value]] = {}
    for v in values:
        if v.granularity != granularity:
            continue
        if v.scope == "masterplan":
            plan_values[v.period_start] = float(v.value)
        elif v.scope == "organization":
            by_period.setdefault(v.period_start, []).append(v)
    result = []
    for start in sorted(set(plan_values) | set(by_period)):
        on = period_end(granularity, start)
        if today is not None and start <= today < on:
            on = today
        if start in plan_values:
            result.append(SeriesValue(granularity, start, plan_values[start], "masterplan", 0, on))
            continue
        members = by_period[start]
        member_weights = [(weights or {}).get((m.organization_id or 0, start)) for m in members]
        combined = aggregate([m.value for m in members], aggregation, member_weights)
        if combined is not None:
            result.append(
                SeriesValue(granularity, start, combined, "organizations", len(members), on)
            )
    return result
