"""Synthetic indicators for the benchmarks: counts, removal, and the bench pages answering
with the same number of queries at two sizes."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, PlanRole
from masterplan.indicators import bench, synthetic
from masterplan.indicators.models import Indicator, Observation, Target
from tests.factories import OrganizationFactory

TODAY = date(2025, 12, 31)


def write(plan: Masterplan, organizations: int) -> dict[str, int]:
    ids = [OrganizationFactory(masterplan=plan).pk for _ in range(organizations)]
    return synthetic.write_content(
        plan,
        organization_ids=ids,
        person_ids=[],
        rng=random.Random(7),
        today=TODAY,
        batch_size=500,
    )


def test_counts_and_removal(plan: Masterplan) -> None:
    counts = write(plan, 25)
    assert counts == {"indicators": 100, "observations": 20000, "targets": 100}
    assert Observation.objects.filter(masterplan=plan, is_sample=True).count() == 20000
    assert not Observation.objects.filter(granularity="month", scope="organization").exists()
    assert bench.throughputs(plan, None)[0][2] == "s"  # type: ignore[arg-type]
    synthetic.delete_content(plan)
    assert not Indicator.all_objects.filter(masterplan=plan).exists()
    assert not Target.all_objects.filter(masterplan=plan).exists()


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("scenario", bench.SCENARIOS, ids=[s[0] for s in bench.SCENARIOS])
def test_scenarios_answer_with_constant_queries(
    scenario: Any, plan: Masterplan, coordinator: Any, client_as: Any, monkeypatch: Any
) -> None:
    _key, _label, template, params = scenario
    client = client_as(coordinator)
    small = Masterplan.objects.create(name="Klein", slug="klein", city="Duisburg")
    PlanRole.objects.create(user=coordinator, masterplan=small, role="coordinator")
    monkeypatch.setattr(synthetic, "INDICATORS_PER_PLAN", 10)
    monkeypatch.setattr(synthetic, "VALUES_PER_INDICATOR", 16)
    write(small, 2)
    monkeypatch.setattr(synthetic, "VALUES_PER_INDICATOR", 64)
    write(plan, 8)
    counts = []
    for masterplan in (small, plan):
        url = template.format(slug=masterplan.slug, **params(masterplan))
        client.get(url)
        counts.append(query_count(client, url))
    assert counts[0] == counts[1]
