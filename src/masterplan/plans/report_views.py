"""The review report as a page and as a PDF: one template, one builder, the same charts."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core import charts
from masterplan.core.access import plan_view
from masterplan.core.forms import style_widgets
from masterplan.core.models import Masterplan
from masterplan.core.pdf import html_to_pdf
from masterplan.core.permissions import Level
from masterplan.indicators.report import review_charts
from masterplan.plans.figures import METHODS
from masterplan.plans.report import (
    DEFAULT_OUTLOOK_MONTHS,
    REPORT_METHODS,
    ReviewReport,
    build_review_report,
    default_period,
)

# Dates outside these years are typing errors; they also keep end + outlook within date.max.
EARLIEST = date(1990, 1, 1)
LATEST = date(2199, 12, 31)
MAX_OUTLOOK_MONTHS = 36


class ReviewReportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    outlook_months = forms.IntegerField(
        label=gettext_lazy("Outlook in months after the period"),
        min_value=1,
        max_value=MAX_OUTLOOK_MONTHS,
    )

    def __init__(self, params: Any, *, today: date) -> None:
        start, end = default_period(today)
        defaults = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "outlook_months": str(DEFAULT_OUTLOOK_MONTHS),
        }
        # A parameter left out takes its default; one given empty is an error to show.
        data = {name: params.get(name, default) for name, default in defaults.items()}
        super().__init__(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Enter a date between %(first)s and %(last)s.")
                    % {
                        "first": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                        "last": date_format(LATEST, "SHORT_DATE_FORMAT"),
                    },
                )
                data.pop(name, None)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period lies before its start."))
        return data

    def full_clean(self) -> None:
        super().full_clean()
        style_widgets(self, with_errors=True)


def report_context(request: HttpRequest, masterplan: Masterplan) -> dict[str, Any]:
    """The form, and the report when the form is valid."""
    today = timezone.localdate()
    form = ReviewReportForm(request.GET, today=today)
    context: dict[str, Any] = {"masterplan": masterplan, "form": form, "report": None}
    if form.is_valid():
        report = build_review_report(
            user=request.user,
            masterplan=masterplan,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            outlook_months=form.cleaned_data["outlook_months"],
            today=today,
        )
        context.update(
            report=report,
            charts=report_charts(report),
            # Indicators with a target, as of today: the same SVG as on the indicator pages.
            indicator_charts=review_charts(user=request.user, masterplan=masterplan, today=today),
            methods={**METHODS, **REPORT_METHODS},
            query=urlencode(
                {
                    "start": report.start.isoformat(),
                    "end": report.end.isoformat(),
                    "outlook_months": report.outlook_months,
                }
            ),
        )
    return context


def report_charts(report: ReviewReport) -> dict[str, Any]:
    """The SVG charts of the report; the tables next to them carry the same figures."""
    progress_rows = [charts.PercentBar(str(_("Whole plan")), report.tree.progress)] + [
        charts.PercentBar(node.field.name, node.progress) for node in report.tree.fields
    ]
    health = [
        charts.Segment(label, count, charts.HEALTH_COLOURS[value])
        for value, label, count in report.health_now_rows
    ]
    months = report.outlook_by_month
    return {
        "progress": charts.percent_bars(
            chart_id="chart-progress",
            title=_("Progress by field of action"),
            description=_(
                "Progress of the whole plan and of each field of action today, from 0 to 100 "
                "percent. The table below lists the same figures."
            ),
            bars=progress_rows,
        ),
        "health": charts.stacked_counts(
            chart_id="chart-health",
            title=_("Open measures by health"),
            description=_(
                "Number of open measures on track, at risk and off track today. The table below "
                "lists the same figures."
            ),
            segments=health,
        ),
        "key_results": charts.movement_chart(
            chart_id="chart-key-results",
            title=_("Attainment of the key results at the start and at the end of the period"),
            description=_(
                "For each key result, a hollow circle marks the attainment at the start of the "
                "period and a filled circle the attainment at its end, from 0 to 100 percent; "
                "the change is given in percentage points. The table below lists the same "
                "figures."
            ),
            rows=[
                charts.Movement(row.key_result.name, row.attainment_start, row.attainment_end)
                for row in report.key_results
            ],
            start_label=_("Start of the period"),
            end_label=_("End of the period"),
            # Abbreviation of "percentage points" (German: "Pp.").
            points_unit=_("pp"),
        ),
        "outlook": charts.grouped_columns(
            chart_id="chart-outlook",
            title=_("Outlook by month"),
            description=_(
                "Number of milestones due and of measures planned to end in each month of the "
                "outlook. The table below lists the same figures."
            ),
            groups=[
                charts.ColumnGroup(
                    date_format(m.month, "YEAR_MONTH_FORMAT"), (m.milestones, m.measures)
                )
                for m in months
            ],
            series=[(_("Milestones"), charts.ACCENT), (_("Measure ends"), charts.START)],
        ),
    }


@plan_view(Level.PLAN_VIEW)
def review_report(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render(request, "plans/report.html", report_context(request, masterplan))


@plan_view(Level.PLAN_VIEW)
def review_report_pdf(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The same report as a PDF; with invalid parameters, the page with the form errors."""
    context = report_context(request, masterplan)
    if context["report"] is None:
        return render(request, "plans/report.html", context)
    html = render_to_string("plans/report_print.html", context, request=request)
    report: ReviewReport = context["report"]
    try:
        pdf = html_to_pdf(html)
    except OSError:  # WeasyPrint without the Pango libraries (see README, "PDF")
        return render(
            request, "plans/report.html", {**context, "pdf_unavailable": True}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"review-report-{masterplan.slug}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
