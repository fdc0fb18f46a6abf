"""The review report as a page and as a PDF: one template, one builder, the same charts."""

from __future__ import annotations

import functools
import mimetypes
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.access import plan_view
from masterplan.core.forms import style_widgets
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.review_report import (
    DEFAULT_OUTLOOK_MONTHS,
    CompiledReport,
    compile_review_report,
)
from masterplan.plans.report import default_period

# Dates outside these years are typing errors; they also keep end + outlook within date.max.
EARLIEST = date(1990, 1, 1)
LATEST = date(2199, 12, 31)
MAX_OUTLOOK_MONTHS = 36
# WeasyPrint resolves relative addresses against this; the fetcher below serves only static
# files from disk for it and refuses everything else, so rendering never touches the network.
PDF_BASE_URL = "https://masterplan.invalid/"


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
        context.update(
            report=report,
            query=urlencode(
                {
                    "start": report.start.isoformat(),
                    "end": report.end.isoformat(),
                    "outlook_months": report.outlook_months,
                }
            ),
        )
    return context


def review_report_print_html(report: CompiledReport, request: HttpRequest | None = None) -> str:
    """The report as the HTML the PDF is made of: for the download and the meeting attachment."""
    return render_to_string(
        "plans/report_print.html",
        {"masterplan": report.masterplan, "report": report},
        request=request,
    )


@plan_view(Level.PLAN_VIEW)
def review_report(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render(request, "plans/report.html", report_context(request, masterplan))


@plan_view(Level.PLAN_VIEW)
def review_report_pdf(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The same report as a PDF; with invalid parameters, the page with the form errors."""
    context = report_context(request, masterplan)
    if context["report"] is None:
        return render(request, "plans/report.html", context)
    report: CompiledReport = context["report"]
    try:
        pdf = html_to_pdf(review_report_print_html(report, request))
    except OSError:  # WeasyPrint without the Pango libraries (see README, "PDF")
        return render(
            request, "plans/report.html", {**context, "pdf_unavailable": True}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"review-report-{masterplan.slug}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def static_file(url: str) -> Path | None:
    """The file behind a static URL of this site, or None."""
    parts = urlsplit(url)
    base = urlsplit(PDF_BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    name = parts.path[len(prefix) :]
    if ".." in Path(name).parts:
        return None
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


@functools.lru_cache(maxsize=16)
def decoded_font(path: Path, modified: float) -> bytes:
    """A WOFF2 font as plain OpenType, decoded once per process.

    WeasyPrint would decode it with fontTools on every PDF, about a second per font face.
    """
    from fontTools.ttLib import woff2  # type: ignore[import-untyped]

    decoded = BytesIO()
    woff2.decompress(BytesIO(path.read_bytes()), decoded)
    return decoded.getvalue()


def static_body(path: Path) -> bytes:
    if path.suffix == ".woff2":
        return decoded_font(path, path.stat().st_mtime)
    return path.read_bytes()


def html_to_pdf(html: str) -> bytes:
    """Render HTML with WeasyPrint; static files come from disk, nothing from the network.

    WeasyPrint is imported here, not at the top: it needs the Pango system libraries, and the
    rest of the site works without them.
    """
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file(url)
            if path is None:
                raise ValueError(f"not a static file of this site: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=static_body(path), headers={"Content-Type": content_type}
            )

    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher())
    return bytes(document.write_pdf())
