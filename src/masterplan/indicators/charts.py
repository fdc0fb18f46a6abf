"""The history chart of an indicator: values, target, trend and forecast band, as SVG.

Built with the helpers of core/charts.py (same fonts, colours, escaping, <title>/<desc>), so
that it looks the same on the page and in the review report's PDF. The page shows a table
with the same figures next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from masterplan.core.charts import ACCENT, GRID, MUTED_TEXT, START, WIDTH, shape, svg, text
from masterplan.indicators.figures import Forecast, Point

if TYPE_CHECKING:
    from masterplan.indicators.figures import SeriesValue
    from masterplan.indicators.models import Indicator
    from masterplan.indicators.queries import IndicatorDetail

HEIGHT = 300
LEFT = 64
RIGHT = 20
TOP = 34  # room for the legend
BOTTOM = 28
BAND = "#c6d4ec"
TREND = "#1f3f77"
TARGET = "#a35200"  # 4.9:1 on white
BAND_STEPS = 24


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def short_number(value: float) -> str:
    return number_format(round(value, 2), decimal_pos=None, use_l10n=True, force_grouping=True)


def history_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    forecast: Forecast | None,
    unit: str = "",
) -> SafeString:
    """Observed values (line with dots), the target (diamond and dashed line), the trend
    (dashed line) and the 80 % band around it up to the target date."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    dates = [p.on for p in points]
    values = [p.value for p in points]
    band_polygon: list[tuple[date, float, float]] = []
    if forecast is not None:
        dates.append(forecast.target_date)
        values.append(forecast.target_value)
        if forecast.origin is not None and forecast.trend is not None:
            dates.append(forecast.origin)
            start, end = forecast.origin, forecast.target_date
            span = max((end - start).days, 1)
            for step in range(BAND_STEPS + 1):
                on = start + timedelta(days=round(span * step / BAND_STEPS))
                centre = forecast.trend_at(on)
                band = forecast.band_at(on)
                if band is not None:
                    band_polygon.append((on, band[0], band[1]))
                    values.extend(band)
                elif centre is not None:
                    values.append(centre)
    if not dates:
        empty = [text(WIDTH / 2, HEIGHT / 2, _("No values yet."), text_anchor="middle")]
        return svg(chart_id, title, description, HEIGHT, empty)
    # From the start of the first year (a yearly value is drawn at its year's end), with room
    # for the target's marker at the end.
    first, last = date(min(dates).year, 1, 1), max(dates) + timedelta(days=20)
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    if high == low:
        high = low + 1

    def x(on: date) -> float:
        return LEFT + plot_w * (on - first).days / (last - first).days

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    body: list[str] = []
    for tick in ticks:
        body.append(
            shape(
                "line", x1=float(LEFT), x2=float(WIDTH - RIGHT), y1=y(tick), y2=y(tick), stroke=GRID
            )
        )
        body.append(
            text(LEFT - 6, y(tick) + 4, short_number(tick), text_anchor="end", fill=MUTED_TEXT)
        )
    bottom = float(TOP + plot_h)
    for year in range(first.year + 1, last.year + 1):
        on = date(year, 1, 1)
        body.append(shape("line", x1=x(on), x2=x(on), y1=float(TOP), y2=bottom, stroke=GRID))
    for year in range(first.year, last.year + 1):
        # Each year's label sits in the middle of its span, so that a yearly value (drawn at
        # the year's last day) ends the span that carries its year.
        middle = date(year, 7, 1)
        if first <= middle <= last and ((last.year - first.year) <= 12 or year % 2 == 0):
            body.append(
                text(x(middle), bottom + 18, str(year), text_anchor="middle", fill=MUTED_TEXT)
            )
    if band_polygon:
        upper = " ".join(f"{x(on):.1f},{y(hi):.1f}" for on, _lo, hi in band_polygon)
        lower = " ".join(f"{x(on):.1f},{y(lo):.1f}" for on, lo, _hi in reversed(band_polygon))
        body.append(shape("polygon", points=f"{upper} {lower}", fill=BAND, fill_opacity="0.7"))
    if forecast is not None:
        target_y = y(forecast.target_value)
        body.append(
            shape(
                "line",
                x1=float(LEFT),
                x2=float(WIDTH - RIGHT),
                y1=target_y,
                y2=target_y,
                stroke=TARGET,
                stroke_width=1.5,
                stroke_dasharray="6 4",
            )
        )
        tx = x(forecast.target_date)
        corners = ((tx, target_y - 7), (tx + 7, target_y), (tx, target_y + 7), (tx - 7, target_y))
        diamond = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)
        body.append(shape("polygon", points=diamond, fill=TARGET))
        if forecast.trend is not None and forecast.origin is not None:
            start_value = forecast.trend_at(forecast.origin)
            end_value = forecast.projected
            if start_value is not None and end_value is not None:
                body.append(
                    shape(
                        "line",
                        x1=x(forecast.origin),
                        x2=tx,
                        y1=y(start_value),
                        y2=y(end_value),
                        stroke=TREND,
                        stroke_width=2,
                        stroke_dasharray="3 3",
                    )
                )
    if len(points) > 1:
        line = " ".join(f"{x(p.on):.1f},{y(p.value):.1f}" for p in points)
        body.append(shape("polyline", points=line, fill="none", stroke=ACCENT, stroke_width=2.5))
    for p in points:
        body.append(shape("circle", cx=x(p.on), cy=y(p.value), r=4, fill=ACCENT, stroke="#ffffff"))
    legend = [
        (ACCENT, _("Observed values")),
        (TARGET, _("Target")),
        (TREND, _("Trend")),
        (BAND, _("80 % band")),
    ]
    lx = float(LEFT)
    for colour, label in legend if forecast is not None else legend[:1]:
        body.append(shape("rect", x=lx, y=8.0, width=12, height=12, fill=colour))
        body.append(text(lx + 18, 18, label))
        lx += 36 + 7 * len(label)
    if unit:
        body.append(text(4, TOP - 8, unit, fill=START))
    return svg(chart_id, title, description, HEIGHT, body)


def indicator_chart(detail: IndicatorDetail, chart_id: str = "") -> SafeString:
    """The chart of an indicator page."""
    forecast = detail.main.forecast if detail.main else None
    return series_chart(detail.indicator, detail.series, forecast, chart_id)


def series_chart(
    indicator: Indicator,
    series: Sequence[SeriesValue],
    forecast: Forecast | None,
    chart_id: str = "",
) -> SafeString:
    """The history chart of an indicator's series with the forecast of its main target (also
    for the review report: see indicators/report.py)."""
    points = [v.point for v in series]
    description = _("%(count)s values from %(first)s to %(last)s; the table below lists them.") % {
        "count": len(points),
        "first": series[0].label if series else "–",
        "last": series[-1].label if series else "–",
    }
    if forecast is not None:
        description += " " + _("Target %(value)s %(unit)s by %(date)s; status: %(status)s.") % {
            "value": short_number(forecast.target_value),
            "unit": indicator.unit,
            "date": forecast.target_date.strftime("%d.%m.%Y"),
            "status": forecast.status_label,
        }
    return history_chart(
        chart_id=chart_id or f"indicator-chart-{indicator.pk}",
        title=_("History of %(name)s") % {"name": indicator.name},
        description=description,
        points=points,
        forecast=forecast,
        unit=indicator.unit,
    )
