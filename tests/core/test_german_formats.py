"""German dates and times as people write them: "14:00 Uhr", and spans without "? – ?"."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from masterplan.core.models import Masterplan
from masterplan.plans.models import Measure
from tests.factories import MeasureFactory

BERLIN = ZoneInfo("Europe/Berlin")


def render(source: str, **context: Any) -> str:
    return Template("{% load masterplan %}" + source).render(Context(context))


def test_german_times_read_uhr() -> None:
    start = datetime(2026, 3, 18, 14, 0, tzinfo=BERLIN)
    with translation.override("de"):
        assert render('{{ t|time:"TIME_FORMAT" }}', t=start) == "14:00 Uhr"
        assert render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', t=start) == "18.03.2026, 14:00 Uhr"
        assert render('{{ t|date:"DATETIME_FORMAT" }}', t=start) == "18. März 2026, 14:00 Uhr"
    with translation.override("en"):
        assert "Uhr" not in render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', t=start)


def test_a_period_without_dates_says_so() -> None:
    spring, summer = date(2025, 3, 1), date(2026, 6, 30)
    cases = [
        (spring, summer, "01.03.2025 – 30.06.2026"),
        (spring, None, "ab 01.03.2025"),
        (None, summer, "bis 30.06.2026"),
        (None, None, "noch nicht terminiert"),
    ]
    with translation.override("de"):
        for start, end, expected in cases:
            assert render("{% period a b %}", a=start, b=end) == expected
    with translation.override("en"):
        assert render("{% period a b %}", a=None, b=None) == "no dates yet"


def test_measure_page_without_dates_reads_not_scheduled(plan: Masterplan, client_as: Any) -> None:
    measure: Measure = MeasureFactory(
        goal__field__masterplan=plan,
        title="Flächenpool Ruhrort",
        planned_start=None,
        planned_end=None,
    )
    html = client_as(None).get(measure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    content = html.content.decode()
    assert "noch nicht terminiert" in content
    assert "? – ?" not in content
