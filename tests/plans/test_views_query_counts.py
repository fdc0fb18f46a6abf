"""Plan pages send the same number of queries for 2 and for 10 measures: no query per row.

Each page is requested once with 2 measures (each with milestones, a status report, a
dependency and audit entries) and again after 8 more were added to the same goal.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.plans import services
from masterplan.plans.models import Goal, Measure
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MilestoneFactory,
    PersonFactory,
    seeded_statuses,
)
from tests.governance.factories import BodyFactory

PAGES = {
    "overview": lambda plan, goal, measure: reverse("plans:overview", args=[plan.slug]),
    "overview filtered": lambda plan, goal, measure: (
        reverse("plans:overview", args=[plan.slug]) + "?health=amber&overdue=on"
    ),
    "summary": lambda plan, goal, measure: reverse("plans:summary", args=[plan.slug]),
    "goal": lambda plan, goal, measure: reverse("plans:goal_detail", args=[plan.slug, goal.pk]),
    "measure": lambda plan, goal, measure: reverse(
        "plans:measure_detail", args=[plan.slug, measure.pk]
    ),
    "board": lambda plan, goal, measure: reverse("plans:board", args=[plan.slug]),
    "my work": lambda plan, goal, measure: reverse("plans:my_work", args=[plan.slug]),
}
ROLES = ("anonymous", "viewer", "contributor", "coordinator")
# "My work" is for members only.
CASES = [
    (page, role) for page in PAGES for role in ROLES if (page, role) != ("my work", "anonymous")
]


@pytest.fixture
def setting(plan: Masterplan, own_org: Organization, coordinator: Any) -> dict[str, Any]:
    statuses = seeded_statuses(plan)
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    key_result = KeyResultFactory(goal=goal)
    for value in (110, 100):
        key_result = services.key_result_update(
            actor=coordinator,
            key_result=key_result,
            version=key_result.version,
            current_value=value,
        )
    first = services.measure_create(
        actor=coordinator,
        goal=goal,
        title="Hauptmaßnahme",
        lead_organization=own_org,
        status=statuses["In Umsetzung"],
        publication="published",
    )
    bodies = [BodyFactory(masterplan=plan, name=f"AG {n}") for n in range(3)]
    return {
        "plan": plan,
        "goal": goal,
        "measure": first,
        "statuses": statuses,
        "org": own_org,
        "bodies": bodies,
    }


def add_measures(setting: dict[str, Any], count: int, actor: Any) -> None:
    """`count` measures around the main one: milestones, reports, dependencies, changes."""
    plan, goal, main = setting["plan"], setting["goal"], setting["measure"]
    person = PersonFactory(masterplan=plan)
    today = timezone.localdate()
    for n in range(count):
        measure = services.measure_create(
            actor=actor,
            goal=goal,
            title=f"Maßnahme {Measure.objects.count()}",
            lead_organization=setting["org"],
            responsible_person=person,
            status=setting["statuses"]["In Vorbereitung"],
            planned_end=today - timedelta(days=n),
            operational_body=setting["bodies"][n % 3],
            health="amber",
            health_reason="Verzögerung",
            publication="published",
        )
        MilestoneFactory(measure=measure, due=today - timedelta(days=n + 1))
        MilestoneFactory(measure=main, due=today + timedelta(days=n))
        services.status_report_submit(
            actor=actor,
            measure=Measure.objects.get(pk=main.pk),
            period_start=today - timedelta(days=90),
            period_end=today,
            health="green",
            progress=50,
            narrative="Weiter im Plan",
        )
        services.measure_set_dependencies(
            actor=actor,
            measure=measure,
            depends_on=[Measure.objects.get(pk=main.pk)],
        )
        main_now = Measure.objects.get(pk=main.pk)
        services.measure_update(
            actor=actor,
            measure=main_now,
            version=main_now.version,
            responsible_person=person,
            lead_organization=setting["org"],
            status=setting["statuses"]["Abschluss" if n % 2 else "In Umsetzung"],
        )


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(("page", "role"), CASES)
def test_page_sends_as_many_queries_for_10_measures_as_for_2(
    page: str,
    role: str,
    setting: dict[str, Any],
    coordinator: Any,
    request: pytest.FixtureRequest,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_as(None if role == "anonymous" else request.getfixturevalue(role))
    url = PAGES[page](setting["plan"], setting["goal"], setting["measure"])
    add_measures(setting, 1, coordinator)  # 2 measures
    client.get(url)  # warm-up
    with_2 = queries_for(client, url)

    add_measures(setting, 8, coordinator)  # 10 measures
    with django_assert_num_queries(with_2):
        response = client.get(url)
    assert response.status_code == 200


def test_the_larger_pages_really_show_more(
    setting: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    """Guards the test above: with 10 measures the pages list them all."""
    add_measures(setting, 9, coordinator)
    goal: Goal = setting["goal"]
    client = client_as(coordinator)
    overview = client.get(reverse("plans:overview", args=[goal.masterplan.slug]))
    assert overview.content.decode().count("Maßnahme ") >= 9
    page = client.get(setting["measure"].get_absolute_url()).content.decode()
    assert page.count('class="timeline__item') == 9
    assert page.count('class="report"') == 9
