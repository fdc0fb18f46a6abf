"""The review report's indicator charts: one per indicator with a target, constant queries,
and the SVG renders in the PDF renderer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.indicators.models import Indicator
from masterplan.indicators.report import review_charts
from tests.indicators.factories import PERMIT_DAYS, IndicatorFactory, ObservationFactory


def test_one_chart_per_indicator_with_a_target(viewer: Any, permit_time: Indicator) -> None:
    IndicatorFactory(masterplan=permit_time.masterplan, code="DU-OHNE-ZIEL")
    charts = review_charts(user=viewer, masterplan=permit_time.masterplan, today=date(2026, 3, 1))
    assert [c.row.indicator.code for c in charts] == ["DU-GEN-DAUER"]
    assert 'id="review-indicator-' in charts[0].chart


def test_queries_do_not_grow_with_values(viewer: Any, permit_time: Indicator) -> None:
    plan = permit_time.masterplan
    review_charts(user=viewer, masterplan=plan, today=date(2026, 3, 1))
    with CaptureQueriesContext(connection) as few:
        review_charts(user=viewer, masterplan=plan, today=date(2026, 3, 1))
    for year in range(2000, 2020):
        ObservationFactory(indicator=permit_time, period_start=date(year, 1, 1), value=120)
    with CaptureQueriesContext(connection) as many:
        review_charts(user=viewer, masterplan=plan, today=date(2026, 3, 1))
    assert len(many) == len(few)


def test_the_chart_renders_as_pdf(viewer: Any, permit_time: Indicator) -> None:
    from weasyprint import HTML

    chart = review_charts(user=viewer, masterplan=permit_time.masterplan, today=date(2026, 3, 1))
    pdf = HTML(string=f"<html><body>{chart[0].chart}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")


def test_the_review_report_shows_the_chart_with_its_table(
    viewer: Any, permit_time: Indicator, client_as: Any
) -> None:
    plan = permit_time.masterplan
    period = {"start": "2026-01-01", "end": "2026-03-31", "outlook_months": "3"}
    page = client_as(viewer).get(reverse("plans:review_report", args=[plan.slug]), period)
    html = page.content.decode()
    section = html[html.index('id="report-indicators-heading"') :]
    assert "DU-GEN-DAUER" in section
    assert 'id="review-indicator-' in section  # the SVG
    table = section[section.index("<table") : section.index("</table>")]
    rows = [cell.strip() for cell in table.split('<th scope="row"')[1:]]
    assert len(rows) == len(PERMIT_DAYS) + 1  # the four yearly values and the target
    assert "2025" in rows[3]
    pdf = client_as(viewer).get(reverse("plans:review_report_pdf", args=[plan.slug]), period)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_new_value_shows_in_the_review_report_at_once(
    coordinator: Any, permit_time: Indicator, client_as: Any
) -> None:
    from decimal import Decimal

    from masterplan.indicators.services import observation_record

    plan = permit_time.masterplan
    period = {"start": "2026-01-01", "end": "2026-03-31", "outlook_months": "3"}
    page_url = reverse("plans:review_report", args=[plan.slug])
    client = client_as(coordinator)
    before = client.get(page_url, period).content.decode()

    observation_record(
        actor=coordinator, indicator=permit_time, period=date(2026, 1, 1), value=Decimal(64)
    )
    after = client.get(page_url, period).content.decode()

    def rows(html: str) -> int:
        section = html[html.index('id="report-indicators-heading"') :]
        return section[: section.index("</table>")].count('<th scope="row"')

    assert rows(after) == rows(before) + 1
