"""The review report as a page and as a PDF: one template, one builder, the same charts."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.context import Context
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from masterplan.core.access import plan_view
from masterplan.core.forms import style_widgets
from masterplan.core.models import Masterplan
from masterplan.core.pdf import (
    html_to_pdf,
    pdf_cache_key,
    pdf_for,
    preparing_response,
    reader,
)
from masterplan.core.permissions import Level
from masterplan.core.review_report import (
    DEFAULT_OUTLOOK_MONTHS,
    CompiledReport,
    compile_review_report,
    data_state,
    generated_by_label,
)
from masterplan.core.templatetags.composition import report_sections
from masterplan.plans.report import default_period, review_report_print_html

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
        report = compile_review_report(
            user=request.user,
            masterplan=masterplan,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            outlook_months=form.cleaned_data["outlook_months"],
            today=today,
        )
        context.update(report=report, query=report_query(form.cleaned_data))
    return context


def report_query(params: dict[str, Any]) -> str:
    """The period of the report as the query of its links (the PDF download)."""
    return urlencode(
        {
            "start": params["start"].isoformat(),
            "end": params["end"].isoformat(),
            "outlook_months": params["outlook_months"],
        }
    )


def report_key(
    kind: str,
    request: HttpRequest,
    masterplan: Masterplan,
    form: ReviewReportForm,
    today: date | None = None,
) -> str:
    """What the report shows: the plan's data state (its newest audit entry: every write is
    audited), the period, the reader and their roles, the language and the day (overdue
    items depend on it). `kind` tells the PDF from the page."""
    return pdf_cache_key(
        kind,
        masterplan.pk,
        data_state(masterplan),
        sorted(form.cleaned_data.items()),
        reader(request.user, masterplan),
        generated_by_label(request.user),
        get_language(),
        today or timezone.localdate(),
    )


def report_pdf_key(request: HttpRequest, masterplan: Masterplan, form: ReviewReportForm) -> str:
    return report_key("review-report", request, masterplan, form)


def render_report_body(
    request: HttpRequest, masterplan: Masterplan, report: CompiledReport
) -> SafeString:
    """The report's sections as the page shows them, rendered on their own so that the HTML
    can be kept: they see `request`, `user`, `masterplan` and `print`, like on the page."""
    context = Context(
        {"request": request, "user": request.user, "masterplan": masterplan, "print": False}
    )
    return report_sections(context, report, "body")


@plan_view(Level.PLAN_VIEW)
def review_report(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The report page. Its sections' HTML is kept in Django's cache under the key of what it
    shows (`report_key`, the same as the PDF's): asked again while nothing changed, the page
    only renders the form around it."""
    today = timezone.localdate()
    form = ReviewReportForm(request.GET, today=today)
    context: dict[str, Any] = {"masterplan": masterplan, "form": form, "report": None}
    if form.is_valid():
        key = "review-report-page:" + report_key(
            "review-report-page", request, masterplan, form, today
        )
        body = cache.get(key)
        if body is None:
            report = compile_review_report(
                user=request.user,
                masterplan=masterplan,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                outlook_months=form.cleaned_data["outlook_months"],
                today=today,
            )
            body = str(render_report_body(request, masterplan, report))
            cache.set(key, body, settings.REVIEW_REPORT_CACHE_SECONDS)
        context.update(report_body=mark_safe(body), query=report_query(form.cleaned_data))
    return render(request, "plans/report.html", context)


@plan_view(Level.PLAN_VIEW)
def review_report_pdf(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The same report as a PDF; with invalid parameters, the page with the form errors.

    From the PDF cache when nothing the report shows has changed; a PDF that takes long to
    render is announced by a page that reloads itself (core/pdf.py)."""
    form = ReviewReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "plans/report.html", report_context(request, masterplan))

    def html() -> str:
        context = report_context(request, masterplan)
        return review_report_print_html(context["report"], request)

    outcome = pdf_for(
        report_pdf_key(request, masterplan, form), html, lambda page: html_to_pdf(page)
    )
    if outcome.preparing:
        return preparing_response(request, title=_("Review and outlook"))
    if outcome.pdf is None:  # WeasyPrint without the Pango libraries (see README, "PDF")
        context = report_context(request, masterplan)
        return render(
            request, "plans/report.html", {**context, "pdf_unavailable": True}, status=503
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(outcome.pdf, content_type="application/pdf")
    filename = f"{_('review-and-outlook')}-{masterplan.slug}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
