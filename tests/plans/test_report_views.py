"""The review report page and its PDF: form, visibility, accessibility hooks, the PDF itself."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from masterplan.core.models import Masterplan, Publication
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    seeded_statuses,
)

PERIOD = {"start": "2026-08-01", "end": "2026-10-31", "outlook_months": "3"}


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """English texts, whatever the translations say (German is the site's default)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def duisburg(plan: Masterplan, own_org: Any) -> Masterplan:
    statuses = seeded_statuses(plan)
    goal = GoalFactory(
        field=FieldOfActionFactory(masterplan=plan, name="Wirtschaftsdialog"),
        statement="Regelmäßiger, ehrlicher Austausch zwischen Wirtschaft und Verwaltung",
    )
    KeyResultFactory(goal=goal, current_value=90, current_as_of=date(2026, 10, 1))
    dialogue = MeasureFactory(
        goal=goal,
        lead_organization=own_org,
        title="Business beim Brötchen – der Wirtschaftsdialog",
        status=statuses["In Umsetzung"],
        actual_start=date(2026, 8, 20),
        planned_end=date(2026, 12, 31),
    )
    MilestoneFactory(
        measure=dialogue,
        title="Auftakt: Genehmigungsprozesse",
        due=date(2026, 11, 27),
    )
    MilestoneFactory(
        measure=dialogue,
        title="Einladung verschickt",
        due=date(2026, 9, 1),
        achieved_on=date(2026, 9, 3),
    )
    MeasureFactory(
        goal=goal,
        lead_organization=own_org,
        title="Entwurf: Themenliste für den Lenkungskreis",
        publication=Publication.DRAFT,
        actual_start=date(2026, 9, 1),
    )
    return plan


def url(plan: Masterplan, name: str = "plans:review_report") -> str:
    return reverse(name, args=[plan.slug])


def test_page_shows_the_report_with_its_sections(duisburg: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(url(duisburg), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Summary", "Progress today", "Overdue on", "Outlook"):
        assert heading in html
    assert "Einladung verschickt" in html
    assert "Auftakt: Genehmigungsprozesse" in html  # in the outlook
    assert "by a public visitor on" in html


def test_defaults_are_the_last_three_months(duisburg: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(url(duisburg))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.end - report.start).days in range(89, 93)
    assert report.outlook_months == 3


def test_public_readers_see_published_records_only(
    duisburg: Masterplan, client_as: Any, viewer: Any
) -> None:
    public = client_as(None).get(url(duisburg), PERIOD).content.decode()
    member = client_as(viewer).get(url(duisburg), PERIOD).content.decode()
    assert "Entwurf: Themenliste" not in public
    assert "Entwurf: Themenliste" in member
    assert "published records only" in public


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "31.02.2026"}, "start", "Enter a valid date."),
        ({"start": "gestern"}, "start", "Enter a valid date."),
        ({"end": ""}, "end", "This field is required."),
        ({"start": "2026-11-01", "end": "2026-10-31"}, "end", "lies before its start"),
        ({"end": "9999-12-31"}, "end", "Enter a date between"),
        ({"outlook_months": "0"}, "outlook_months", "greater than or equal to 1"),
        ({"outlook_months": "10" * 30}, "outlook_months", "less than or equal to 36"),
        ({"outlook_months": "drei"}, "outlook_months", "Enter a whole number."),
    ],
)
def test_bad_parameters_give_form_errors_not_a_server_error(
    duisburg: Masterplan, client_as: Any, params: dict[str, str], field: str, message: str
) -> None:
    response = client_as(None).get(url(duisburg), {**PERIOD, **params})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()


def test_german_dates_are_understood(duisburg: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(
        url(duisburg), {"start": "01.08.2026", "end": "31.10.2026"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.context["report"].start == date(2026, 8, 1)


def test_no_inline_styles_or_scripts_for_the_csp(duisburg: Masterplan, client_as: Any) -> None:
    html = client_as(None).get(url(duisburg), PERIOD).content.decode()
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_charts_have_a_text_alternative(duisburg: Masterplan, client_as: Any) -> None:
    html = client_as(None).get(url(duisburg), PERIOD).content.decode()
    charts = re.findall(r"<svg [^>]*>", html)
    assert len(charts) == 4
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby=" in chart
    assert html.count("<caption") >= 4
    assert 'scope="col"' in html and 'scope="row"' in html


def test_pdf_link_keeps_the_period(duisburg: Masterplan, client_as: Any) -> None:
    html = client_as(None).get(url(duisburg), PERIOD).content.decode()
    assert f"{url(duisburg, 'plans:review_report_pdf')}?start=2026-08-01&amp;end=2026-10-31" in html


def pdf_text_strings(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for text strings in it."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def utf16_hex(text: str) -> bytes:
    """How PDF strings outside ASCII (titles, bookmarks) are written: UTF-16 in hex."""
    return text.encode("utf-16-be").hex().encode()


def test_pdf_is_a_pdf_with_the_plan_name(duisburg: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(url(duisburg, "plans:review_report_pdf"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "review-and-outlook-duisburg-20260801-20261031.pdf" in response["Content-Disposition"]
    german = client_as(None).get(
        url(duisburg, "plans:review_report_pdf"), PERIOD, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "rueckblick-und-ausblick-duisburg-20260801-20261031.pdf" in german["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 10_000
    # The document title (metadata) names the plan.
    assert utf16_hex("Masterplan Wirtschaft für Duisburg") in pdf_text_strings(response.content)


def test_pdf_with_bad_parameters_shows_the_form(duisburg: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(url(duisburg, "plans:review_report_pdf"), {"end": "x"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["end"]


def test_draft_plans_are_hidden_from_the_public(duisburg: Masterplan, client_as: Any) -> None:
    Masterplan.objects.filter(pk=duisburg.pk).update(publication=Publication.DRAFT)
    response = client_as(None).get(url(duisburg), PERIOD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_without_the_pdf_renderer_the_page_explains_it(
    duisburg: Masterplan, client_as: Any, monkeypatch: Any
) -> None:
    from masterplan.plans import report_views

    def missing_pango(html: str) -> bytes:
        raise OSError("cannot load library 'pango-1.0-0'")

    monkeypatch.setattr(report_views, "html_to_pdf", missing_pango)
    response = client_as(None).get(url(duisburg, "plans:review_report_pdf"), PERIOD)
    assert response.status_code == 503
    assert "PDF cannot be created on this server" in response.content.decode()
    assert "Einladung verschickt" in response.content.decode()  # the report is still there


def counting_renderer(monkeypatch: Any) -> list[str]:
    """Replace WeasyPrint with a renderer that records the HTML it was given."""
    from masterplan.plans import report_views

    rendered: list[str] = []

    def render(html: str) -> bytes:
        rendered.append(html)
        return b"%PDF-1.7 " + str(len(rendered)).encode()

    monkeypatch.setattr(report_views, "html_to_pdf", render)
    return rendered


def test_an_unchanged_report_comes_from_the_pdf_cache(
    duisburg: Masterplan, client_as: Any, coordinator: Any, monkeypatch: Any
) -> None:
    rendered = counting_renderer(monkeypatch)
    client = client_as(coordinator)

    first = client.get(url(duisburg, "plans:review_report_pdf"), PERIOD)
    again = client.get(url(duisburg, "plans:review_report_pdf"), PERIOD)

    assert first.content == again.content == b"%PDF-1.7 1"
    assert len(rendered) == 1
    assert "Einladung verschickt" in rendered[0]


def test_a_change_to_the_plan_period_or_reader_renders_the_pdf_again(
    duisburg: Masterplan, client_as: Any, coordinator: Any, viewer: Any, monkeypatch: Any
) -> None:
    from masterplan.plans.models import Measure
    from masterplan.plans.services import measure_update

    rendered = counting_renderer(monkeypatch)
    pdf_url = url(duisburg, "plans:review_report_pdf")
    client_as(coordinator).get(pdf_url, PERIOD)

    measure = Measure.objects.get(title__startswith="Business beim Brötchen")
    measure_update(
        actor=coordinator, measure=measure, version=measure.version, title="Wirtschaftsdialog"
    )
    changed = client_as(coordinator).get(pdf_url, PERIOD)
    other_period = client_as(coordinator).get(pdf_url, {**PERIOD, "outlook_months": "6"})
    other_reader = client_as(viewer).get(pdf_url, PERIOD)

    assert len(rendered) == 4
    assert "Wirtschaftsdialog" in rendered[1] and "Business beim Brötchen" not in rendered[1]
    assert changed.content == b"%PDF-1.7 2"
    assert (other_period.content, other_reader.content) == (b"%PDF-1.7 3", b"%PDF-1.7 4")


def test_a_slow_pdf_is_announced_by_a_page_that_reloads_itself(
    duisburg: Masterplan, client_as: Any, settings: Any, monkeypatch: Any
) -> None:
    import threading

    from masterplan.plans import report_views

    release = threading.Event()

    def slow(html: str) -> bytes:
        release.wait(30)
        return b"%PDF-1.7 slow"

    monkeypatch.setattr(report_views, "html_to_pdf", slow)
    settings.PDF_WAIT_SECONDS = 0.05
    client = client_as(None)

    waiting = client.get(url(duisburg, "plans:review_report_pdf"), PERIOD)
    release.set()
    settings.PDF_WAIT_SECONDS = 30
    ready = client.get(url(duisburg, "plans:review_report_pdf"), PERIOD)

    assert waiting.status_code == 202
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html  # works without JavaScript
    assert "The PDF is being prepared" in html
    assert "<progress" in html
    assert f'href="{url(duisburg, "plans:review_report_pdf")}?start=2026-08-01' in html
    assert ready.status_code == 200
    assert ready.content == b"%PDF-1.7 slow"


# --- the page's cache: built once while nothing it shows changes ----------------------------


def counting_builder(monkeypatch: Any) -> list[object]:
    """Record each build of the report for the page."""
    from masterplan.plans import report_views

    built: list[object] = []
    original = report_views.compile_review_report

    def build(**kwargs: Any) -> Any:
        built.append(kwargs["user"])
        return original(**kwargs)

    monkeypatch.setattr(report_views, "compile_review_report", build)
    return built


def report_part(response: Any) -> str:
    """The page from the report's first section on (the form before it is never kept)."""
    html: str = response.content.decode()
    return html[html.index('id="report-summary-heading"') :]


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_unchanged_report_page_is_built_once(
    duisburg: Masterplan, client_as: Any, coordinator: Any, monkeypatch: Any
) -> None:
    built = counting_builder(monkeypatch)
    client = client_as(coordinator)

    first = client.get(url(duisburg), PERIOD)
    again = client.get(url(duisburg), PERIOD)

    assert len(built) == 1
    assert report_part(first) == report_part(again)  # the page around it has a new nonce
    assert "Einladung verschickt" in report_part(again)
    query = "?start=2026-08-01&amp;end=2026-10-31&amp;outlook_months=3"
    assert query in again.content.decode()  # the PDF link


def test_a_change_through_the_services_shows_at_once(
    duisburg: Masterplan, client_as: Any, coordinator: Any, monkeypatch: Any
) -> None:
    from masterplan.plans import services
    from masterplan.plans.models import Measure, MeasureStatus, Milestone

    built = counting_builder(monkeypatch)
    client = client_as(coordinator)
    before = report_part(client.get(url(duisburg), PERIOD))

    measure = Measure.objects.get(title__startswith="Business beim Brötchen")
    done = MeasureStatus.objects.get(masterplan=duisburg, name="Umgesetzt")
    services.measure_update(
        actor=coordinator,
        measure=measure,
        version=measure.version,
        status=done,
        actual_end=date(2026, 10, 20),
    )
    after_status = report_part(client.get(url(duisburg), PERIOD))

    milestone = Milestone.objects.get(title="Einladung verschickt")
    services.milestone_update(
        actor=coordinator,
        milestone=milestone,
        version=milestone.version,
        title="Einladung an 40 Betriebe verschickt",
    )
    after_milestone = report_part(client.get(url(duisburg), PERIOD))

    assert len(built) == 3
    assert "0 measures finished" in plain(before)
    assert "1 measures finished" in plain(after_status)
    assert "Einladung an 40 Betriebe verschickt" in after_milestone


def test_each_reader_gets_their_own_report_page(
    duisburg: Masterplan, client_as: Any, coordinator: Any, monkeypatch: Any
) -> None:
    built = counting_builder(monkeypatch)

    member = report_part(client_as(coordinator).get(url(duisburg), PERIOD))
    public = report_part(client_as(None).get(url(duisburg), PERIOD))
    member_again = report_part(client_as(coordinator).get(url(duisburg), PERIOD))

    assert len(built) == 2
    assert "Entwurf: Themenliste" in member and member_again == member
    assert "Entwurf: Themenliste" not in public


def test_the_kept_html_is_what_the_page_renders_in_its_own_context(
    duisburg: Masterplan, client_as: Any, coordinator: Any, rf: Any
) -> None:
    from django.template.loader import render_to_string

    from masterplan.plans.report_views import report_context

    page = client_as(coordinator).get(url(duisburg), PERIOD)
    request = rf.get(url(duisburg), PERIOD)
    request.user = coordinator
    in_page_context = render_to_string(
        "plans/report.html", report_context(request, duisburg), request=request
    )

    rendered = in_page_context[in_page_context.index('id="report-summary-heading"') :]
    assert report_part(page).split() == rendered.split()  # the same up to blank lines
