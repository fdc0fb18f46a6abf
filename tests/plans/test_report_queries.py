"""The review report reads a fixed number of queries, whatever the size of the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.core.models import Masterplan
from masterplan.plans import services
from masterplan.plans.models import KeyResultReading, StatusReport
from masterplan.plans.report import build_review_report
from tests.clock import on_day
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    seeded_statuses,
)

START, END, TODAY = date(2026, 8, 1), date(2026, 11, 22), date(2026, 11, 22)

# The health changes are stamped by the clock: on TODAY, the last day of the period.
pytestmark = on_day(TODAY)


@pytest.fixture
def statuses(plan: Masterplan) -> dict[str, Any]:
    return seeded_statuses(plan)


def grow(plan: Masterplan, coordinator: Any, statuses: dict[str, Any], measures: int) -> None:
    """`measures` more measures, each with milestones in every section, a health change
    from the audit trail, a status report and a key result with readings."""
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan, name="Start-ups"))
    for n in range(measures):
        measure = MeasureFactory(
            goal=goal,
            title=f"Business beim Brötchen – Ausgabe {n}",
            status=statuses["In Umsetzung"],
            actual_start=date(2026, 9, 1),
            planned_end=date(2026, 10, 1) if n % 2 else date(2026, 12, 1),
        )
        MilestoneFactory(measure=measure, due=date(2026, 9, 1), achieved_on=date(2026, 9, 2))
        MilestoneFactory(measure=measure, due=date(2026, 10, 1))
        MilestoneFactory(measure=measure, due=date(2027, 1, 10))
        services.measure_update(
            actor=coordinator,
            measure=measure,
            version=measure.version,
            health="amber",
            health_reason="Termin mit der Ausländerbehörde steht noch aus.",
        )
        StatusReport.objects.create(
            masterplan=plan,
            measure=measure,
            period_start=date(2026, 9, 1),
            period_end=date(2026, 9, 30),
            health="amber",
            progress=40,
            narrative="Erste Ausgabe mit 40 Teilnehmenden.",
            publication="published",
        )
        kr = KeyResultFactory(goal=goal, name=f"Teilnehmende Unternehmen {n}")
        for day, value in ((date(2026, 7, 1), 110), (date(2026, 10, 1), 95)):
            KeyResultReading.objects.create(key_result=kr, measured_on=day, value=value)


def queries_for_report(user: Any, plan: Masterplan) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_review_report(user=user, masterplan=plan, start=START, end=END, today=TODAY)
    return len(captured.captured_queries)


@pytest.mark.parametrize("as_member", [False, True])
def test_report_runs_a_constant_number_of_queries(
    plan: Masterplan, coordinator: Any, viewer: Any, statuses: Any, as_member: bool
) -> None:
    def reader() -> Any:
        # A fresh user object: no role cached from an earlier call.
        return type(viewer).objects.get(pk=viewer.pk) if as_member else AnonymousUser()

    grow(plan, coordinator, statuses, 2)
    small = queries_for_report(reader(), plan)
    grow(plan, coordinator, statuses, 8)
    large = queries_for_report(reader(), plan)
    report = build_review_report(user=reader(), masterplan=plan, start=START, end=END, today=TODAY)
    assert len(report.measures_started) == 10
    assert len(report.health_changes) == 10
    assert len(report.overdue_milestones) == 10
    assert len(report.key_results) == 10
    assert large == small
    assert small <= 12


def test_page_runs_a_constant_number_of_queries(
    plan: Masterplan, coordinator: Any, viewer: Any, statuses: Any, client_as: Any
) -> None:
    url = reverse("plans:review_report", args=[plan.slug])
    params = {"start": START.isoformat(), "end": END.isoformat()}
    client = client_as(viewer)
    grow(plan, coordinator, statuses, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    grow(plan, coordinator, statuses, 8)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
