"""Status reports: submitted by the lead organisation's contributors, reviewed by coordinators."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans import services
from masterplan.plans.models import Measure, StatusReport
from tests.factories import GoalFactory, MeasureFactory, seeded_statuses

REPORT = {
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "health": "amber",
    "progress": "45",
    "narrative": "Zwei Workshops in der Kernzone Hafen durchgeführt.",
    "risks": "Fördermittelbescheid steht aus.",
    "next_steps": "Antrag nachreichen.",
    "publication": "draft",
}


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def measure(plan: Masterplan, own_org: Organization) -> Measure:
    statuses = seeded_statuses(plan)
    return MeasureFactory(
        goal=GoalFactory(field__masterplan=plan),
        title="Kernzonen-Workshops",
        lead_organization=own_org,
        status=statuses["In Umsetzung"],
    )


@pytest.fixture
def report(measure: Measure, contributor: Any) -> StatusReport:
    return services.status_report_submit(
        actor=contributor,
        measure=measure,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        health="green",
        progress=30,
        narrative="Auftakt mit 40 Unternehmen.",
    )


def submit_url(measure: Measure) -> str:
    return reverse("plans:status_report_create", args=[measure.masterplan.slug, measure.pk])


def review_url(report: StatusReport) -> str:
    return reverse("plans:status_report_review", args=[report.masterplan.slug, report.pk])


def test_contributor_of_the_lead_organisation_submits_a_report(
    measure: Measure, contributor: Any, client_as: Any
) -> None:
    response = client_as(contributor).post(submit_url(measure), REPORT)
    assert response.status_code == 302
    assert response["Location"].endswith("#status-reports")
    report = StatusReport.objects.get(measure=measure)
    assert report.submitted_by == contributor
    measure.refresh_from_db()
    # The progress counts at once; the amber rating is a proposal until it is reviewed.
    assert (measure.health, measure.progress) == ("green", 45)
    assert measure.health_reason == ""


def test_an_amber_or_red_report_needs_its_risks(
    measure: Measure, contributor: Any, client_as: Any
) -> None:
    """The required reason for red/amber could be bypassed through a status report."""
    response = client_as(contributor).post(submit_url(measure), {**REPORT, "risks": "  "})
    assert response.status_code == 400
    assert "names its risks" in response.content.decode()
    assert not StatusReport.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.status_report_submit(
            actor=contributor,
            measure=measure,
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
            health="red",
            progress=10,
            narrative="Baustopp.",
        )
    assert "risks" in refused.value.message_dict
    measure.refresh_from_db()
    assert measure.health == "green"


def test_a_report_is_sent_back_answered_and_then_rates_the_measure(
    measure: Measure, contributor: Any, coordinator: Any, client_as: Any
) -> None:
    client_as(contributor).post(submit_url(measure), REPORT)
    report = StatusReport.objects.get(measure=measure)
    back = reverse("plans:status_report_return", args=[measure.masterplan.slug, report.pk])
    returned = client_as(coordinator).post(
        back, {"questions": "Bis wann wird der Bescheid erwartet?", "version": report.version}
    )
    assert returned.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"
    page = client_as(contributor).get(measure.get_absolute_url()).content.decode()
    assert "Bis wann wird der Bescheid erwartet?" in page
    assert "Answer the questions and submit again" in page
    # A report awaiting an answer cannot be reviewed.
    with pytest.raises(ValidationError):
        services.status_report_review(actor=coordinator, report=report, version=report.version)
    edit = reverse("plans:status_report_edit", args=[measure.masterplan.slug, report.pk])
    answered = client_as(contributor).post(
        edit,
        {**REPORT, "risks": "Bescheid wird für November erwartet.", "version": report.version},
    )
    assert answered.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and report.returned_at is None
    measure.refresh_from_db()
    assert measure.health == "green"  # still the coordinator's rating
    services.status_report_review(actor=coordinator, report=report, version=report.version)
    measure.refresh_from_db()
    assert (measure.health, measure.health_reason) == (
        "amber",
        "Bescheid wird für November erwartet.",
    )
    actions = list(
        AuditEntry.objects.filter(object_type="plans.statusreport", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "plans.statusreport.submitted",
        "plans.statusreport.returned",
        "plans.statusreport.resubmitted",
        "plans.statusreport.reviewed",
    ]


def test_a_coordinators_own_report_rates_the_measure_at_once(
    measure: Measure, coordinator: Any, client_as: Any
) -> None:
    client_as(coordinator).post(submit_url(measure), REPORT)
    measure.refresh_from_db()
    assert (measure.health, measure.health_reason) == ("amber", "Fördermittelbescheid steht aus.")


@pytest.mark.parametrize("role", ["viewer", "other_contributor", "other_coordinator"])
def test_others_cannot_submit(
    role: str, measure: Measure, request: pytest.FixtureRequest, client_as: Any
) -> None:
    response = client_as(request.getfixturevalue(role)).post(submit_url(measure), REPORT)
    assert response.status_code in (403, 404)
    assert not StatusReport.objects.exists()


def test_invalid_report_keeps_the_input(measure: Measure, contributor: Any, client_as: Any) -> None:
    response = client_as(contributor).post(
        submit_url(measure), {**REPORT, "period_end": "2026-06-01", "narrative": ""}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "The period ends before it starts." in content
    assert "Fördermittelbescheid steht aus." in content
    assert not StatusReport.objects.exists()


def test_coordinator_reviews_a_report(
    report: StatusReport, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        review_url(report), {"review_comment": "Danke, bitte Termine ergänzen.", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#status-report-{report.pk}")
    report.refresh_from_db()
    assert report.reviewed_by == coordinator
    assert report.reviewed_at is not None
    assert report.review_comment == "Danke, bitte Termine ergänzen."


@pytest.mark.parametrize("role", ["viewer", "contributor", "other_coordinator"])
def test_only_coordinators_review(
    role: str, report: StatusReport, request: pytest.FixtureRequest, client_as: Any
) -> None:
    response = client_as(request.getfixturevalue(role)).post(
        review_url(report), {"review_comment": "", "version": report.version}
    )
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.reviewed_at is None


def test_stale_review_is_refused(
    report: StatusReport, coordinator: Any, admin: Any, client_as: Any
) -> None:
    services.status_report_review(actor=admin, report=report, version=report.version)
    response = client_as(coordinator).post(
        review_url(report), {"review_comment": "Gelesen.", "version": report.version}
    )
    assert response.status_code == 409
    assert "Gelesen." in response.content.decode()
    report.refresh_from_db()
    assert report.reviewed_by == admin


def test_review_form_is_shown_to_coordinators_only(
    report: StatusReport, coordinator: Any, contributor: Any, client_as: Any
) -> None:
    url = report.measure.get_absolute_url()
    assert review_url(report) in client_as(coordinator).get(url).content.decode()
    assert review_url(report) not in client_as(contributor).get(url).content.decode()
