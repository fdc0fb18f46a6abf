"""Indicator charts for the review report ("Rückblick und Ausblick"), HTML and PDF.

`review_charts` builds the section registered below (core/review_report.py): one chart and
its figures per indicator with a target, in a fixed number of queries, shown in the plans'
review section after the key results. The charts are the pages' SVG, so they look the same in
the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString

from masterplan.core.models import Masterplan
from masterplan.core.review_report import ReportScope, register_review_section
from masterplan.indicators import charts, queries
from masterplan.indicators.models import Target


@dataclass(frozen=True)
class ReviewChart:
    row: queries.IndicatorRow
    chart: SafeString


def review_charts(
    *, user: Any, masterplan: Masterplan, today: date, limit: int = 12
) -> list[ReviewChart]:
    """The indicators with a target (at most `limit`, by code) with their history charts."""
    indicators, _sort = queries.indicator_list(user=user, masterplan=masterplan)
    with_target = indicators.filter(
        Exists(Target.objects.filter(indicator=OuterRef("pk"), deleted_at__isnull=True))
    )
    rows = queries.indicator_rows(
        user=user, masterplan=masterplan, indicators=list(with_target[:limit]), today=today
    )
    return [
        ReviewChart(
            row,
            charts.series_chart(
                row.indicator, row.series, row.forecast, f"review-indicator-{row.indicator.pk}"
            ),
        )
        for row in rows
        if row.target is not None
    ]


@register_review_section(
    "indicators.targets", template="indicators/_review.html", slot="plans.review"
)
def targets_section(scope: ReportScope) -> dict[str, Any]:
    """Indicators with a target, as of the day the report is made (not the period's end):
    the same charts as on the indicator pages."""
    return {
        "charts": review_charts(user=scope.user, masterplan=scope.masterplan, today=scope.today)
    }
