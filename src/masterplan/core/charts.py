"""Server-rendered SVG charts for every module: the same markup in the web page and in the PDF.

No JavaScript and no inline styles (the pages' Content-Security-Policy forbids both): only
SVG presentation attributes. Every chart has a <title> and a <desc> for screen readers and is
shown next to a table with the same figures (WCAG 2.1 AA / BITV 2.0: a text alternative for
every chart). Colours are not the only carrier of meaning: every bar is labelled with its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from masterplan.core.markup import escape

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 70
ROW_HEIGHT = 36  # room for a label on two lines
LINE_HEIGHT = 14
BAR_HEIGHT = 16
TOP = 10
AXIS_HEIGHT = 26
FONT = "Fira Sans, Arial, Helvetica, sans-serif"
FONT_SIZE = 12
LABEL_CHARS = 36  # per line of a row label
CHAR_WIDTH = 7.0  # about the widest digit at FONT_SIZE, to keep value labels apart

TEXT = "#1b1b1b"
MUTED_TEXT = "#4d5562"  # 7:1 on white
GRID = "#c9ced6"
TRACK = "#eef0f3"
ACCENT = "#1f3f77"  # dark blue, as KERN's action colour
START = "#6b7280"  # 4.8:1 on white
HEALTH_COLOURS = {"green": "#1a7f4b", "amber": "#a35200", "red": "#b42318"}


@dataclass(frozen=True)
class PercentBar:
    label: str
    value: float | None  # 0..1


@dataclass(frozen=True)
class Movement:
    label: str
    start: float | None  # 0..1
    end: float | None


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    colour: str


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    values: tuple[int, ...]


def percent_text(value: float) -> str:
    return f"{number_format(round(value * 100))}\u00a0%"


def wrap(label: str, width: int = LABEL_CHARS, lines: int = 2) -> list[str]:
    """The label on at most `lines` lines of about `width` characters, cut with "…"."""
    result: list[str] = []
    words = label.split()
    while words and len(result) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        result.append(line)
    if words or any(len(line) > width for line in result):
        last = result[-1] if not words else f"{result[-1]} {' '.join(words)}"
        result[-1] = last[: width - 1].rstrip() + "…" if len(last) > width else last
        result = [line if len(line) <= width else line[: width - 1] + "…" for line in result]
    return result


def attrs(**values: object) -> str:
    return " ".join(f'{name.replace("_", "-")}="{escape(str(v))}"' for name, v in values.items())


def shape(kind: str, **values: object) -> str:
    """An SVG element; floats are written with one decimal."""
    written = {k: f"{v:.1f}" if isinstance(v, float) else v for k, v in values.items()}
    return f"<{kind} {attrs(**written)}/>"


def text(x: float, y: float, content: str, **extra: object) -> str:
    defaults: dict[str, object] = {"fill": TEXT, "font_size": FONT_SIZE}
    defaults.update(extra)
    return f"<text {attrs(x=f'{x:.1f}', y=f'{y:.1f}', **defaults)}>{escape(content)}</text>"


def svg(
    chart_id: str, title: str, description: str, height: float, body: Sequence[str]
) -> SafeString:
    """The chart element; `body` holds markup built only by shape() and text(), which escape."""
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height:.0f}",
        width="100%",
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        font_family=FONT,
        focusable="false",
        id=chart_id,
    )
    return mark_safe(
        f'<svg class="report-chart" {head}>'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def percent_axis(top: float, bottom: float) -> list[str]:
    """Grid lines and labels at 0, 25, 50, 75 and 100 %."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = LABEL_WIDTH + plot * tick
        parts.append(shape("line", x1=x, x2=x, y1=top, y2=bottom, stroke=GRID))
        parts.append(
            text(x, bottom + 16, percent_text(tick), text_anchor="middle", fill=MUTED_TEXT)
        )
    return parts


def row_label(middle: float, label: str) -> str:
    """A row's label right-aligned before the plot, on one or two lines around `middle`."""
    lines = wrap(label)
    first = middle + 4 - LINE_HEIGHT * (len(lines) - 1) / 2
    full = f"<title>{escape(label)}</title>" if " ".join(lines) != label else ""
    spans = "".join(
        f'<tspan x="{LABEL_WIDTH - 8}" y="{first + LINE_HEIGHT * i:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f"<text {attrs(fill=TEXT, font_size=FONT_SIZE, text_anchor='end')}>{full}{spans}</text>"


def percent_bars(
    *, chart_id: str, title: str, description: str, bars: Sequence[PercentBar]
) -> SafeString:
    """Horizontal bars on a 0–100 % scale, one per row, each labelled with its value."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bottom = TOP + ROW_HEIGHT * max(len(bars), 1)
    body = percent_axis(TOP, bottom)
    for i, bar in enumerate(bars):
        y = TOP + ROW_HEIGHT * i + (ROW_HEIGHT - BAR_HEIGHT) / 2
        mid = y + BAR_HEIGHT / 2 + 4
        body.append(row_label(y + BAR_HEIGHT / 2, bar.label))
        body.append(shape("rect", x=LABEL_WIDTH, y=y, width=plot, height=BAR_HEIGHT, fill=TRACK))
        if bar.value is None:
            body.append(text(LABEL_WIDTH + 6, mid, "–", fill=MUTED_TEXT))
            continue
        width = plot * min(1.0, max(0.0, bar.value))
        body.append(shape("rect", x=LABEL_WIDTH, y=y, width=width, height=BAR_HEIGHT, fill=ACCENT))
        body.append(text(LABEL_WIDTH + plot + 8, mid, percent_text(bar.value)))
    return svg(chart_id, title, description, bottom + AXIS_HEIGHT, body)


def start_marker(x: float, y: float) -> str:
    return shape(
        "circle", cx=float(x), cy=float(y), r=5, fill="#ffffff", stroke=START, stroke_width=2
    )


def end_marker(x: float, y: float) -> str:
    return shape("circle", cx=float(x), cy=float(y), r=5, fill=ACCENT)


def movement_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[Movement],
    start_label: str,
    end_label: str,
    points_unit: str,
) -> SafeString:
    """Attainment at the start (hollow grey circle) and at the end (filled circle) per row."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend = 22
    top = TOP + legend
    bottom = top + ROW_HEIGHT * max(len(rows), 1)
    body = [
        start_marker(LABEL_WIDTH + 6, TOP + 6),
        text(LABEL_WIDTH + 16, TOP + 10, start_label, fill=MUTED_TEXT),
        end_marker(LABEL_WIDTH + 176, TOP + 6),
        text(LABEL_WIDTH + 186, TOP + 10, end_label, fill=MUTED_TEXT),
        *percent_axis(top, bottom),
    ]
    for i, row in enumerate(rows):
        cy = top + ROW_HEIGHT * i + ROW_HEIGHT / 2
        body.append(row_label(cy, row.label))
        xs = {
            key: LABEL_WIDTH + plot * min(1.0, max(0.0, value))
            for key, value in (("start", row.start), ("end", row.end))
            if value is not None
        }
        if "start" in xs and "end" in xs:
            body.append(
                shape(
                    "line",
                    x1=xs["start"],
                    x2=xs["end"],
                    y1=cy,
                    y2=cy,
                    stroke=ACCENT,
                    stroke_width=3,
                )
            )
        if "start" in xs:
            body.append(start_marker(xs["start"], cy))
        if "end" in xs:
            body.append(end_marker(xs["end"], cy))
        if row.start is not None and row.end is not None:
            points = round((row.end - row.start) * 100, 1)
            label = f"{'+' if points > 0 else ''}{number_format(points, 1)}"
            body.append(text(LABEL_WIDTH + plot + 8, cy + 4, f"{label}\u00a0{points_unit}"))
        else:
            body.append(text(LABEL_WIDTH + plot + 8, cy + 4, "–", fill=MUTED_TEXT))
    return svg(chart_id, title, description, bottom + AXIS_HEIGHT, body)


def stacked_counts(
    *, chart_id: str, title: str, description: str, segments: Sequence[Segment]
) -> SafeString:
    """One bar split into counted parts, each with its label and count below it."""
    total = sum(s.count for s in segments)
    height = 34
    body = []
    x = 0.0
    for s in segments:
        if not s.count or not total:
            continue
        width = WIDTH * s.count / total
        body.append(
            shape("rect", x=x, y=TOP, width=width, height=height, fill=s.colour, stroke="#ffffff")
        )
        if width >= 28:
            body.append(
                text(
                    x + width / 2,
                    TOP + height / 2 + 5,
                    number_format(s.count),
                    text_anchor="middle",
                    fill="#ffffff",
                    font_weight="bold",
                )
            )
        x += width
    legend_y = TOP + height + 24
    lx = 0.0
    for s in segments:
        body.append(shape("rect", x=lx, y=legend_y - 11, width=12, height=12, fill=s.colour))
        caption = f"{s.label}: {number_format(s.count)}"
        body.append(text(lx + 18, legend_y, caption))
        lx += 36 + 7 * len(caption)
    return svg(chart_id, title, description, legend_y + 12, body)


def label_box(x: float, y: float, content: str) -> tuple[float, float, float, float]:
    """The space a centred value label takes (left, right, top, bottom), estimated from its
    characters: enough to tell whether two labels would be drawn over each other."""
    half = CHAR_WIDTH * len(content) / 2 + 1
    return (x - half, x + half, y - FONT_SIZE, y + 2)


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def grouped_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[ColumnGroup],
    series: Sequence[tuple[str, str]],
    unit: str = "",
) -> SafeString:
    """Columns per group (e.g. month) and series (label, colour), each labelled with its count.

    A value label that would be drawn over another one (two equal columns side by side, too
    narrow for their numbers: "553553") is raised above the labels in its way where there is
    room below the legend, and otherwise left out; the table next to the chart has every
    value. `unit` is written at the end of the legend."""
    plot_height = 150
    # the legend's row, then room for the tallest column's label and one raised above it
    legend = 16 + 2 * LINE_HEIGHT
    top = TOP + legend
    base = top + plot_height
    left = 10
    peak = max([v for g in groups for v in g.values] + [1])
    slot = (WIDTH - left) / max(len(groups), 1)
    column = min(36.0, (slot - 16) / max(len(series), 1))
    body = [shape("line", x1=left, x2=WIDTH, y1=base, y2=base, stroke=MUTED_TEXT)]
    lx = float(left)
    for label, colour in series:
        body.append(shape("rect", x=lx, y=TOP, width=12, height=12, fill=colour))
        body.append(text(lx + 18, TOP + 11, label))
        lx += 40 + 7 * len(label)
    if unit:
        body.append(text(WIDTH - 4, TOP + 11, unit, text_anchor="end", fill=MUTED_TEXT))
    placed: list[tuple[float, float, float, float]] = []
    for i, group in enumerate(groups):
        x0 = left + slot * i + (slot - column * len(series)) / 2
        for j, value in enumerate(group.values):
            h = plot_height * value / peak
            x = x0 + column * j
            body.append(
                shape("rect", x=x, y=base - h, width=column - 2, height=h, fill=series[j][1])
            )
            shown = number_format(value)
            middle = x + (column - 2) / 2
            y = base - h - 4
            for _attempt in range(3):
                box = label_box(middle, y, shown)
                if box[2] <= TOP + 12:  # never into the legend's row
                    break
                clashes = [other for other in placed if overlaps(box, other)]
                if not clashes:
                    placed.append(box)
                    body.append(text(middle, y, shown, text_anchor="middle"))
                    break
                y = min(other[2] for other in clashes) - 3  # just above the labels in the way
        body.append(text(left + slot * i + slot / 2, base + 16, group.label, text_anchor="middle"))
    return svg(chart_id, title, description, base + AXIS_HEIGHT, body)
