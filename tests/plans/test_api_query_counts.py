"""Plans API lists send as many queries for 10 records of each kind as for 2: no query per row.

Each round adds, per field of action, a goal with a key result (with readings), a measure
with a milestone, a status report and a dependency on the previous measure; every third
record is a draft, so that the public and the members see different rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from masterplan.plans.models import KeyResult, KeyResultReading, Measure, StatusReport
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
)

LISTS = {
    "plan": "",
    "tree": "/tree",
    "fields": "/fields",
    "goals": "/goals",
    "key results": "/key-results",
    "readings": "/key-results/{key_result}/readings",
    "statuses": "/statuses",
    "measures": "/measures",
    "overdue measures": "/measures?overdue=true",
    "milestones": "/milestones",
    "status reports": "/status-reports",
}
ROLES = ("anonymous", "viewer", "contributor", "coordinator")


def add_records(masterplan: Masterplan, count: int, key_result: KeyResult) -> None:
    previous: Measure | None = Measure.objects.filter(masterplan=masterplan).last()
    for n in range(count):
        publication = Publication.DRAFT if n % 3 == 2 else Publication.PUBLISHED
        field = FieldOfActionFactory(masterplan=masterplan, publication=publication)
        goal = GoalFactory(field=field, publication=publication)
        KeyResultFactory(goal=goal, current_value=90 + n, publication=publication)
        KeyResultReading.objects.create(
            key_result=key_result, measured_on=date(2024, 1, 1 + n), value=100 - n
        )
        measure = MeasureFactory(
            goal=goal,
            publication=publication,
            planned_end=date(2025, 6, 30),
        )
        if previous is not None:
            measure.depends_on.add(previous)
        previous = measure
        MilestoneFactory(measure=measure, due=date(2025, 3, 31), publication=publication)
        StatusReport.objects.create(
            masterplan=masterplan,
            measure=measure,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 3, 31),
            health="green",
            progress=40,
            narrative="Dialogrunde durchgeführt.",
            publication=publication,
        )


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(captured)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", LISTS.values(), ids=LISTS.keys())
def test_list_sends_as_many_queries_for_10_records_as_for_2(
    role: str,
    path: str,
    plan: Masterplan,
    request: pytest.FixtureRequest,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_as(user)
    key_result = KeyResultFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    url = "/api/plans/duisburg/plan" + path.format(key_result=key_result.pk)
    add_records(plan, 2, key_result)
    client.get(url)  # warm-up: caches that fill once per process are not the point here
    with_2 = queries_for(client, url)

    add_records(plan, 10, key_result)
    with django_assert_num_queries(with_2):
        response = client.get(url)
    assert response.status_code == 200


def test_the_larger_lists_really_show_more_rows(plan: Masterplan, client_as: Any) -> None:
    """Guards the test above: with 12 rounds the lists hold more than 2 rows each."""
    key_result = KeyResultFactory(goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)))
    add_records(plan, 2, key_result)
    add_records(plan, 10, key_result)
    client = client_as(None)
    base = "/api/plans/duisburg/plan"
    for path in ("/fields", "/goals", "/key-results", "/measures", "/milestones"):
        assert client.get(base + path).json()["count"] >= 8, path
    readings = client.get(f"{base}/key-results/{key_result.pk}/readings").json()
    assert readings["count"] == 12
    measures = client.get(f"{base}/measures").json()["items"]
    assert sum(len(m["depends_on"]) for m in measures) >= 4  # drafts are hidden
