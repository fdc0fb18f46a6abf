"""The measures export of the plan overview holds the measures the overview lists."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.plans.models import Health
from tests.factories import GoalFactory, MeasureFactory, seeded_statuses


@pytest.fixture
def measures(plan: Masterplan) -> dict[str, Any]:
    statuses = seeded_statuses(plan)
    goal = GoalFactory(masterplan=plan, field__masterplan=plan)
    active = statuses["In Umsetzung"]
    late = timezone.localdate() - timedelta(days=30)
    return {
        "red": MeasureFactory(
            goal=goal, title="Rot", health=Health.RED, health_reason="Verzug", status=active
        ),
        "late": MeasureFactory(goal=goal, title="Spät", planned_end=late, status=active),
        "fine": MeasureFactory(goal=goal, title="Gut", planned_end=date(2099, 1, 1)),
    }


def exported_titles(client: Any, plan: Masterplan, query: str) -> list[str]:
    url = reverse("plans:measure_export_csv", args=[plan.slug])
    response = client.get(url + query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return sorted(row["title"] for row in csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_export_follows_the_overview_filters(
    plan: Masterplan, measures: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    assert exported_titles(client, plan, "") == ["Gut", "Rot", "Spät"]
    assert exported_titles(client, plan, "?health=red") == ["Rot"]
    assert exported_titles(client, plan, "?overdue=on") == ["Spät"]


def test_the_htmx_tree_brings_the_export_links_with_the_filters(
    plan: Masterplan, measures: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    url = reverse("plans:overview", args=[plan.slug])
    html = (
        client_as(coordinator)
        .get(url + "?health=red", headers={"HX-Request": "true"})
        .content.decode()
    )
    for fmt in ("csv", "xlsx"):
        assert (
            f'id="export-measures-{fmt}" class="kern-link" '
            f'href="/p/{plan.slug}/plan/measures/export.{fmt}?health=red" download '
            'hx-swap-oob="true"'
        ) in html
