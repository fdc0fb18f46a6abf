"""The parts of the plan pages written in Python (plans/templatetags/plan_parts.py): what a
row says, in English and German, with every name escaped."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.template import Context
from django.urls import reverse
from django.utils import dateformat, translation
from django.utils.formats import date_format

from masterplan.core.markup import escape, short_date_writer, url_for_pk
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization, Person
from masterplan.plans.figures import Schedule
from masterplan.plans.models import Measure, MeasureStatus
from masterplan.plans.queries import MeasureNode
from masterplan.plans.templatetags import plan_parts

TODAY = date(2026, 3, 1)


def node(
    *,
    phase: str = "implementation",
    overdue: bool = False,
    finished: bool = False,
    days_late: int = 0,
    milestones_overdue: int = 0,
    planned_end: date | None = TODAY,
    progress: float = 0.25,
) -> MeasureNode:
    measure = Measure(
        pk=7,
        title='Wärme <für> "alle"',
        health="amber",
        planned_end=planned_end,
        publication="draft",
        is_sample=True,
        status=MeasureStatus(name="In Umsetzung", phase=phase, default_progress=50),
        lead_organization=Organization(name="Stadtwerke & Co"),
        responsible_person=Person(given_name="Eva", family_name="Öz"),
    )
    schedule = Schedule(
        days_late=days_late, finished=finished, overdue=overdue, start_delay_days=None
    )
    return MeasureNode(measure, progress, schedule, milestones_overdue, 0, 5)


def test_a_measure_row_links_escapes_and_shows_every_column() -> None:
    plan = Masterplan(slug="duisburg")
    with translation.override("en"):
        row = plan_parts.measure_rows(Context({"masterplan": plan}), [node()])

    assert f'href="{reverse("plans:measure_detail", args=["duisburg", 7])}"' in row
    assert "Wärme &lt;für&gt; &quot;alle&quot;</a>" in row
    assert "Stadtwerke &amp; Co" in row
    assert '<span class="muted">Eva Öz</span>' in row
    assert "In Umsetzung" in row
    assert "kern-badge--warning" in row and ">At risk</span>" in row
    assert 'value="25"' in row and "25 %" in row
    assert "sample data" in row and "Draft" in row
    assert "03/01/2026" in row or "01.03.2026" in row


def test_the_schedule_in_words() -> None:
    with translation.override("de"):
        assert plan_parts.schedule_text(node(phase="stopped")) == "gestoppt: kein Verzug"
        assert plan_parts.schedule_text(node(overdue=True, days_late=1)) == (
            "<strong>1 Tag Verzug</strong>"
        )
        assert plan_parts.schedule_text(node(overdue=True, days_late=12)) == (
            "<strong>12 Tage Verzug</strong>"
        )
    with translation.override("en"):
        assert plan_parts.schedule_text(node(finished=True, days_late=3)) == (
            "finished 3 days late"
        )
        assert plan_parts.schedule_text(node(finished=True)) == "finished on time"
        assert plan_parts.schedule_text(node()) == "on schedule"
        assert plan_parts.schedule_text(node(planned_end=None)) == (
            '<span class="muted">no planned end</span>'
        )
        assert plan_parts.schedule_text(node(milestones_overdue=2)).endswith(
            "<br><strong>2 milestones overdue</strong>"
        )


def test_progress_without_a_figure_says_so() -> None:
    with translation.override("en"):
        assert "no figure yet" in plan_parts.progress_figure(None, "Plan")
        bar = plan_parts.progress_figure(0.125, "A & B")
    assert 'aria-label="Progress: A &amp; B"' in bar
    assert 'value="12"' in bar  # 12.5 rounded as {% widthratio %} rounds: half to even


def test_url_for_pk_is_reverse_for_every_pk() -> None:
    detail_url = url_for_pk("plans:measure_detail", "duisburg")
    for pk in (1, 42, 10**12):
        assert detail_url(pk) == reverse("plans:measure_detail", args=["duisburg", pk])


def test_escape_writes_what_djangos_escape_writes() -> None:
    from django.utils.html import escape as django_escape

    for text in ['<a href="x">', "Müller & Söhne", "it's", 12, None]:
        assert escape(text) == django_escape(text)


def test_overdue_report_rows_link_except_in_print() -> None:
    class Row:
        measure = node().measure
        url = "/p/duisburg/plan/measures/7/"
        lead = ""
        schedule = Schedule(days_late=1500, finished=False, overdue=True, start_delay_days=None)

    with translation.override("en"):
        page = plan_parts.report_overdue_measure_rows(Context({}), [Row()])
        printed = plan_parts.report_overdue_measure_rows(Context({"print": True}), [Row()])
    assert '<a class="kern-link" href="/p/duisburg/plan/measures/7/">' in page
    assert "<a " not in printed
    assert ">–</td>" in page  # no lead organisation the reader may see
    assert ">1500</td>" in page
    assert "report-health--amber kern-badge--warning" in page


@pytest.mark.parametrize("language", ["de", "en"])
def test_short_dates_are_written_as_django_writes_them(language: str) -> None:
    days = [date(2026, 1, 5), date(2024, 2, 29), date(999, 12, 31), date(2030, 11, 10)]
    with translation.override(language):
        write = short_date_writer()
        for day in days:
            assert write(day) == date_format(day, "SHORT_DATE_FORMAT")


def test_a_date_format_with_other_parts_goes_through_django() -> None:
    pattern = r"D, j. F Y \o\f"
    with (
        translation.override("en"),
        mock.patch("masterplan.core.markup.get_format", return_value=pattern),
        mock.patch("masterplan.core.markup.date_format") as django_date_format,
    ):
        django_date_format.side_effect = lambda day, _name: dateformat.format(day, pattern)
        written = short_date_writer()(date(2026, 3, 1))
    assert written == "Sun, 1. March 2026 of"
