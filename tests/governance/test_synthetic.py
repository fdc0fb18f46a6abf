"""Synthetic governance data for the benchmark, and the bench hooks on it."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan
from masterplan.governance import bench, synthetic
from masterplan.governance.models import AgendaItem, Body, Decision, Meeting
from tests.factories import OrganizationFactory, PersonFactory

TODAY = date(2025, 12, 31)


def write(plan: Masterplan, meetings: int, seed: int = 7) -> dict[str, int]:
    organizations = [OrganizationFactory(masterplan=plan).pk for _ in range(4)]
    people = [PersonFactory(masterplan=plan, consent_to_publish=True).pk for _ in range(16)]
    return synthetic.write_content(
        plan,
        organization_ids=organizations,
        person_ids=people,
        rng=random.Random(seed),
        today=TODAY,
        batch_size=500,
        size=meetings / synthetic.MEETINGS_PER_PLAN,
    )


def test_counts_and_shape(plan: Masterplan) -> None:
    counts = write(plan, 60)
    assert counts["meetings"] == Meeting.objects.filter(masterplan=plan).count() == 60
    assert counts["agenda items"] == AgendaItem.objects.filter(masterplan=plan).count() == 600
    assert counts["bodies"] == len(synthetic.BODIES)
    assert counts["decisions"] == Decision.objects.filter(masterplan=plan).count() > 0
    assert not Meeting.objects.filter(is_sample=False).exists()
    numbers = set(AgendaItem.objects.filter(parent__isnull=False).values_list("number", flat=True))
    assert numbers == {"3.1", "6.1"}
    assert not Meeting.objects.filter(start__date__gt=TODAY, state="minutes_approved").exists()


def test_the_same_seed_writes_the_same_data(plan: Masterplan, other_plan: Masterplan) -> None:
    write(plan, 20)
    write(other_plan, 20)

    def shape(masterplan: Masterplan) -> list[Any]:
        return list(
            Meeting.objects.filter(masterplan=masterplan)
            .order_by("pk")
            .values_list("title", "start", "state", "is_public")
        )

    assert shape(plan) == shape(other_plan)


def test_delete_content_removes_everything(plan: Masterplan) -> None:
    write(plan, 20)
    synthetic.delete_content(plan)
    assert not Body.all_objects.filter(masterplan=plan).exists()
    assert not AgendaItem.all_objects.filter(masterplan=plan).exists()


def scenario_queries(plan: Masterplan, client: Client) -> dict[str, int]:
    counts = {}
    for key, _label, template, values in bench.SCENARIOS:
        path = template.format(slug=plan.slug, **values(plan))
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        counts[key] = len(captured.captured_queries)
    return counts


def test_every_scenario_answers_with_the_same_queries_at_two_sizes(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    write(plan, 30, seed=1)
    small = scenario_queries(plan, client)
    write(plan, 150, seed=2)
    assert scenario_queries(plan, client) == small


def test_throughputs_walk_every_page(plan: Masterplan, coordinator: Any, client_as: Any) -> None:
    write(plan, 40)
    figures = {
        label: value for label, value, _unit in bench.throughputs(plan, client_as(coordinator))
    }
    public_meetings = Meeting.objects.filter(
        masterplan=plan, is_public=True, publication="published"
    ).count()
    assert figures["OParl walk, all meetings: rows"] == public_meetings
    assert figures["OParl walk, all meetings"] > 0
    assert figures["OParl walk, all agenda items: rows"] > 0
