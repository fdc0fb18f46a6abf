"""Parts of the plan pages that repeat per row, written in Python: health, progress, badges,
schedule, and the rows of a measure table.

The plan overview lists every measure of the plan (200 in a city plan) and each row had four
template includes, a `{% url %}`, a date and plural translations: in Django's template engine
those rows were most of the page's time. The markup is the one the templates had; the
templates `_health.html`, `_progress.html`, `_badges.html` and `_schedule.html` call these
functions, so there is one copy of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django import template
from django.template.context import Context
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from masterplan.core.markup import escape, short_date_writer, url_for_pk
from masterplan.plans.models import Health, MeasureStatus

if TYPE_CHECKING:
    from masterplan.plans.queries import MeasureNode

register = template.Library()

HEALTH_TONES = {"green": "success", "amber": "warning"}  # anything else: danger


class Words:
    """The translations the parts write, looked up once per table rather than once per row."""

    def __init__(self) -> None:
        self.progress = escape(gettext("Progress"))
        self.no_figure = escape(gettext("no figure yet"))
        self.sample = escape(gettext("sample data"))
        self.draft = escape(gettext("Draft"))
        self.health = {value: escape(label) for value, label in Health.choices}
        self._phrases: dict[str, str] = {}
        self._counts: dict[tuple[str, int], str] = {}

    def phrase(self, message: str) -> str:
        if message not in self._phrases:
            self._phrases[message] = escape(gettext(message))
        return self._phrases[message]

    def count(self, singular: str, plural: str, name: str, number: int) -> str:
        """What {% blocktranslate count name=number %} writes: the number escaped, not the
        text."""
        key = (singular, number)
        if key not in self._counts:
            self._counts[key] = ngettext(singular, plural, number) % {
                name: conditional_escape(localize(number))
            }
        return self._counts[key]


class Dates:
    """Short dates in the interface language, each formatted once per table."""

    def __init__(self) -> None:
        self._write = short_date_writer()

    def __call__(self, day: date | None) -> str:
        return "" if day is None else escape(self._write(day))


def health_html(health: str, label: str) -> str:
    """`label` is escaped."""
    tone = HEALTH_TONES.get(health, "danger")
    return (
        f'<span class="kern-badge kern-badge--small kern-badge--{tone}">'
        f'<span class="kern-icon kern-icon--{tone} kern-icon--small" aria-hidden="true"></span>'
        f'<span class="kern-label kern-label--small">{label}</span></span>'
    )


def progress_html(value: float | str | None, label: str, words: Words) -> str:
    """A progress bar with its percentage, or "no figure yet" (`value` from 0 to 1; `label`
    is escaped)."""
    if value is None or value == "":  # "": a variable the template did not find
        return f'<span class="progress-figure--none">{words.no_figure}</span>'
    percent = round(float(value) * 100)  # as {% widthratio value 1 100 %}
    return (
        f'<span class="kern-progress progress-figure"><progress max="100" value="{percent}" '
        f'aria-label="{words.progress}: {label}">{percent} %</progress>'
        f'<span class="progress-figure__value">{percent} %</span></span>'
    )


def badges_html(obj: Any, words: Words) -> str:
    """ "sample data" and "Draft" badges of a plan record."""
    html = ""
    if getattr(obj, "is_sample", False):
        html += (
            '<span class="kern-badge kern-badge--info kern-badge--small sample-badge">'
            f'<span class="kern-label kern-label--small">{words.sample}</span></span>'
        )
    if getattr(obj, "publication", None) == "draft":
        html += (
            '<span class="kern-badge kern-badge--warning kern-badge--small sample-badge">'
            f'<span class="kern-label kern-label--small">{words.draft}</span></span>'
        )
    return html


def schedule_html(node: MeasureNode, words: Words) -> str:
    """Where a measure stands against its planned end, and its overdue milestones."""
    schedule, measure = node.schedule, node.measure
    if measure.status.phase == MeasureStatus.Phase.STOPPED:
        html = words.phrase("stopped: not late")
    elif schedule.overdue:
        days = words.count("%(days)s day late", "%(days)s days late", "days", schedule.days_late)
        html = f"<strong>{days}</strong>"
    elif schedule.finished:
        if schedule.days_late:
            html = words.count(
                "finished %(days)s day late",
                "finished %(days)s days late",
                "days",
                schedule.days_late,
            )
        else:
            html = words.phrase("finished on time")
    elif measure.planned_end:
        html = words.phrase("on schedule")
    else:
        html = f'<span class="muted">{words.phrase("no planned end")}</span>'
    if node.milestones_overdue:
        overdue = words.count(
            "%(n)s milestone overdue", "%(n)s milestones overdue", "n", node.milestones_overdue
        )
        html += f"<br><strong>{overdue}</strong>"
    return html


# Each function above writes escaped values into fixed markup, so its result is safe.


@register.simple_tag
def health_badge(health: str, label: Any) -> SafeString:
    return mark_safe(health_html(health, conditional_escape(label)))


@register.simple_tag
def progress_figure(value: float | str | None, label: Any) -> SafeString:
    return mark_safe(progress_html(value, conditional_escape(label), Words()))


@register.simple_tag
def record_badges(obj: Any) -> SafeString:
    return mark_safe(badges_html(obj, Words()))


@register.simple_tag
def schedule_text(node: MeasureNode) -> SafeString:
    return mark_safe(schedule_html(node, Words()))


@register.simple_tag(takes_context=True)
def measure_rows(context: Context, nodes: Iterable[MeasureNode]) -> SafeString:
    """The rows of `_measure_table.html`, one per measure."""
    words = Words()
    detail_url = url_for_pk("plans:measure_detail", context["masterplan"].slug)
    short = Dates()
    rows = []
    for node in nodes:
        m = node.measure
        person = m.responsible_person
        lead = m.lead_organization
        title = escape(m.title)
        planned_end = short(m.planned_end) if m.planned_end else "–"
        rows.append(
            '\n    <tr class="kern-table__row">'
            '\n      <th scope="row" class="kern-table__cell"><a class="kern-link" '
            f'href="{detail_url(m.pk)}">{title}</a>{badges_html(m, words)}</th>'
            f'\n      <td class="kern-table__cell">{escape(lead.name) if lead else ""}'
            + (f'<br><span class="muted">{escape(person.full_name)}</span>' if person else "")
            + "</td>"
            f'\n      <td class="kern-table__cell">{escape(m.status.name)}</td>'
            '\n      <td class="kern-table__cell">'
            f"{health_html(m.health, words.health.get(m.health, escape(m.health)))}</td>"
            '\n      <td class="kern-table__cell">'
            f"{progress_html(node.progress, title, words)}</td>"
            f'\n      <td class="kern-table__cell nowrap">{planned_end}</td>'
            f'\n      <td class="kern-table__cell">{schedule_html(node, words)}</td>'
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))


# --- The review report: its long tables (hundreds of overdue milestones and measures) --------

REPORT_HEALTH_TONES = {"green": "success", "amber": "warning", "red": "danger"}  # else: info


def report_health_html(value: str, label: str) -> str:
    """`label` is escaped."""
    tone = REPORT_HEALTH_TONES.get(value, "info")
    return (
        f'<span class="kern-badge report-health report-health--{escape(value or "unknown")} '
        f'kern-badge--{tone}"><span class="kern-label kern-label--small">{label}</span></span>'
    )


def report_measure_link_html(row: Any, printing: bool) -> str:
    """The measure of a report row, linked to its page except in print."""
    title = escape(row.measure.title)
    if row.url and not printing:
        return f'<a class="kern-link" href="{escape(row.url)}">{title}</a>'
    return title


@register.simple_tag
def report_health(value: str, label: Any) -> SafeString:
    return mark_safe(report_health_html(value, conditional_escape(label)))


@register.simple_tag(takes_context=True)
def report_measure_link(context: Context, row: Any) -> SafeString:
    return mark_safe(report_measure_link_html(row, bool(context.get("print"))))


@register.simple_tag(takes_context=True)
def report_overdue_milestone_rows(context: Context, rows: Iterable[Any]) -> SafeString:
    """The rows of the report's table of overdue milestones."""
    printing, short = bool(context.get("print")), Dates()
    return mark_safe(
        "".join(
            '\n      <tr class="kern-table__row"><th scope="row" class="kern-table__cell">'
            f"{escape(row.milestone.title)}</th>"
            f'<td class="kern-table__cell">{report_measure_link_html(row, printing)}</td>'
            f'<td class="kern-table__cell">{short(row.milestone.due)}</td>'
            '<td class="kern-table__cell kern-table__cell--numeric">'
            f"{escape(localize(row.days_late))}</td></tr>\n    "
            for row in rows
        )
    )


@register.simple_tag(takes_context=True)
def report_overdue_measure_rows(context: Context, rows: Iterable[Any]) -> SafeString:
    """The rows of the report's table of overdue measures."""
    printing, short, words = bool(context.get("print")), Dates(), Words()
    return mark_safe(
        "".join(
            '\n      <tr class="kern-table__row"><th scope="row" class="kern-table__cell">'
            f"{report_measure_link_html(row, printing)}</th>"
            f'<td class="kern-table__cell">{escape(row.lead or "–")}</td>'
            f'<td class="kern-table__cell">{short(row.measure.planned_end)}</td>'
            '<td class="kern-table__cell kern-table__cell--numeric">'
            f"{escape(localize(row.schedule.days_late))}</td>"
            '<td class="kern-table__cell">'
            f"{report_health_html(row.measure.health, words.health[row.measure.health])}</td>"
            "</tr>\n    "
            for row in rows
        )
    )
