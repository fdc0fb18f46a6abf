"""The permit monitor's charts, drawn with core/charts.py's parts: Kaplan–Meier curves as steps
and days per row (a median with its 95 % interval as a whisker).

Like every chart of the project they are SVG without script or inline style, with a <title>
and <desc>, and each page shows a table with the same figures next to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString

from masterplan.core.charts import (
    ACCENT,
    AXIS_HEIGHT,
    BAR_HEIGHT,
    GRID,
    LABEL_WIDTH,
    MUTED_TEXT,
    ROW_HEIGHT,
    TEXT,
    TOP,
    TRACK,
    VALUE_WIDTH,
    WIDTH,
    percent_text,
    row_label,
    shape,
    svg,
    text,
)

# Told apart by the dash pattern as well as the colour (never by colour alone).
CURVE_STYLES = (
    ("#1f3f77", ""),
    ("#b42318", "6 3"),
    ("#1a7f4b", "2 3"),
    ("#a35200", "8 3 2 3"),
    ("#5b3f8c", "12 4"),
    ("#4d5562", "3 6"),
)


@dataclass(frozen=True)
class Curve:
    """One group's estimated share still undecided after each day (index = day)."""

    label: str
    survival: Sequence[float]


@dataclass(frozen=True)
class DayBar:
    """Days of one row: None when the median was not reached; the interval may be open."""

    label: str
    days: int | None
    lower: int | None = None
    upper: int | None = None


def step_points(survival: Sequence[float], last_day: int) -> list[tuple[int, float]]:
    """The corners of the step curve of the share decided (1 − S): a point where it changes."""
    points = [(0, 0.0)]
    previous = 0.0
    for day, value in enumerate(survival[: last_day + 1]):
        decided = 1.0 - float(value)
        if decided != previous:
            points.append((day, previous))
            points.append((day, decided))
            previous = decided
    points.append((min(len(survival) - 1, last_day) if survival else 0, previous))
    return points


def km_curves(
    *,
    chart_id: str,
    title: str,
    description: str,
    curves: Sequence[Curve],
    days_label: str,
    marker_day: int | None = None,
    marker_label: str = "",
) -> SafeString:
    """Share decided (1 − Kaplan–Meier S(t)) against days, one step line per group, with a
    legend and an optional vertical marker (a statutory deadline)."""
    left, right = 56, WIDTH - 16
    legend_rows = min(len(curves), len(CURVE_STYLES))  # one a line: labels are long
    top = TOP + 18 * legend_rows + 8
    plot_height = 220
    bottom = top + plot_height
    last_day = max((len(c.survival) - 1 for c in curves), default=0)
    last_day = max(last_day, (marker_day or 0) + 10, 30)
    span = right - left

    def x(day: float) -> float:
        return left + span * day / last_day

    def y(share: float) -> float:
        return bottom - plot_height * share

    body: list[str] = []
    for i, curve in enumerate(curves[: len(CURVE_STYLES)]):
        colour, dash = CURVE_STYLES[i]
        lx = left
        ly = TOP + 18 * i + 6
        extra = {"stroke_dasharray": dash} if dash else {}
        body.append(
            shape("line", x1=lx, x2=lx + 28, y1=ly, y2=ly, stroke=colour, stroke_width=3, **extra)
        )
        body.append(text(lx + 34, ly + 4, curve.label[:80]))
    for tick in (0, 0.25, 0.5, 0.75, 1):
        body.append(shape("line", x1=left, x2=right, y1=y(tick), y2=y(tick), stroke=GRID))
        body.append(text(left - 6, y(tick) + 4, percent_text(tick), text_anchor="end"))
    step = nice_step(last_day)
    for day in range(0, last_day + 1, step):
        body.append(text(x(day), bottom + 16, number_format(day), text_anchor="middle"))
    body.append(text(right, bottom + 30, days_label, text_anchor="end", fill=MUTED_TEXT))
    if marker_day is not None:
        body.append(
            shape(
                "line",
                x1=x(marker_day),
                x2=x(marker_day),
                y1=top,
                y2=bottom,
                stroke=MUTED_TEXT,
                stroke_dasharray="4 4",
            )
        )
        body.append(text(x(marker_day) + 4, top + 12, marker_label, fill=MUTED_TEXT))
    for i, curve in enumerate(curves[: len(CURVE_STYLES)]):
        colour, dash = CURVE_STYLES[i]
        if not len(curve.survival):
            continue
        points = " ".join(
            f"{x(day):.1f},{y(share):.1f}" for day, share in step_points(curve.survival, last_day)
        )
        extra = {"stroke_dasharray": dash} if dash else {}
        body.append(
            shape("polyline", points=points, fill="none", stroke=colour, stroke_width=2, **extra)
        )
    return svg(chart_id, title, description, bottom + AXIS_HEIGHT + 14, body)


def nice_step(last_day: int) -> int:
    """A tick distance giving about six labels on the day axis."""
    for step in (7, 14, 30, 60, 90, 180, 365, 730):
        if last_day / step <= 7:
            return step
    return 1461


def day_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[DayBar],
    not_reached: str,
) -> SafeString:
    """Horizontal bars in days, each labelled with its value, the 95 % interval drawn as a
    whisker (to the plot's end where its upper bound is open)."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bottom = TOP + ROW_HEIGHT * max(len(bars), 1)
    peak = max(
        [b.upper or b.days or 0 for b in bars] + [b.days or 0 for b in bars] + [1],
    )
    scale = plot / peak
    body = [shape("line", x1=LABEL_WIDTH, x2=LABEL_WIDTH, y1=TOP, y2=bottom, stroke=GRID)]
    for i, bar in enumerate(bars):
        y = TOP + ROW_HEIGHT * i + (ROW_HEIGHT - BAR_HEIGHT) / 2
        middle = y + BAR_HEIGHT / 2
        body.append(row_label(middle, bar.label))
        body.append(shape("rect", x=LABEL_WIDTH, y=y, width=plot, height=BAR_HEIGHT, fill=TRACK))
        if bar.days is None:
            body.append(text(LABEL_WIDTH + 6, middle + 4, not_reached, fill=MUTED_TEXT))
            continue
        body.append(
            shape(
                "rect",
                x=LABEL_WIDTH,
                y=y,
                width=max(1.0, bar.days * scale),
                height=BAR_HEIGHT,
                fill=ACCENT,
            )
        )
        if bar.lower is not None:
            # below the bar, so that it reads on the bar's colour and on the track alike
            low = LABEL_WIDTH + bar.lower * scale
            high = LABEL_WIDTH + (bar.upper * scale if bar.upper is not None else plot)
            level = y + BAR_HEIGHT + 4
            body.append(shape("line", x1=low, x2=high, y1=level, y2=level, stroke=TEXT))
            body.append(shape("line", x1=low, x2=low, y1=level - 3, y2=level + 3, stroke=TEXT))
            if bar.upper is not None:
                body.append(
                    shape("line", x1=high, x2=high, y1=level - 3, y2=level + 3, stroke=TEXT)
                )
        body.append(text(LABEL_WIDTH + plot + 8, middle + 4, number_format(bar.days)))
    return svg(chart_id, title, description, bottom + 8, body)
