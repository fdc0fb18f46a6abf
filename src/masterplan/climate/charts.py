"""Charts of the climate page, built from the SVG helpers of core/charts.py (same look in the
page and the PDF, title and description for screen readers, a table next to each chart)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    TOP,
    VALUE_WIDTH,
    WIDTH,
    row_label,
    shape,
    svg,
    text,
)

DECREASE = "#1a7f4b"
INCREASE = "#b42318"


@dataclass(frozen=True)
class SignedBar:
    label: str
    value: Decimal


def tonnes(value: Decimal) -> str:
    shown = number_format(round(value), 0, force_grouping=True).replace("-", "\u2212")
    return f"{'+' if value > 0 else ''}{shown}\u00a0t"


def signed_bars(
    *, chart_id: str, title: str, description: str, bars: Sequence[SignedBar]
) -> SafeString:
    """Horizontal bars left (decrease, green) or right (increase, red) of a zero line; every
    bar carries its value, so colour is not the only carrier of meaning."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    peak = max([abs(float(b.value)) for b in bars] + [1.0])
    zero = LABEL_WIDTH + plot / 2
    bottom = TOP + ROW_HEIGHT * max(len(bars), 1)
    body = [shape("line", x1=zero, x2=zero, y1=TOP, y2=bottom, stroke=MUTED_TEXT)]
    body.append(text(zero, bottom + 16, "0\u00a0t", text_anchor="middle", fill=MUTED_TEXT))
    # the unit of the values, below their column
    body.append(text(LABEL_WIDTH + plot + 8, bottom + 16, "t\u00a0CO2", fill=MUTED_TEXT))
    for i, bar in enumerate(bars):
        y = TOP + ROW_HEIGHT * i + (ROW_HEIGHT - BAR_HEIGHT) / 2
        body.append(row_label(y + BAR_HEIGHT / 2, bar.label))
        length = (plot / 2 - 4) * abs(float(bar.value)) / peak
        x = zero - length if bar.value < 0 else zero
        colour = DECREASE if bar.value < 0 else INCREASE
        body.append(shape("rect", x=x, y=y, width=length, height=BAR_HEIGHT, fill=colour))
        body.append(
            text(LABEL_WIDTH + plot + 8, y + BAR_HEIGHT / 2 + 4, tonnes(bar.value), fill=ACCENT)
        )
    body.append(
        shape("line", x1=LABEL_WIDTH, x2=LABEL_WIDTH + plot, y1=bottom, y2=bottom, stroke=GRID)
    )
    return svg(chart_id, title, description, bottom + AXIS_HEIGHT, body)
