"""Synthetic climate data for the benchmark, and the bench hooks on it."""

import random
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masterplan.climate import bench, synthetic
from masterplan.climate.models import EnergyReport, NetworkMembership
from tests.factories import OrganizationFactory


def write(plan, members):
    organizations = [OrganizationFactory(masterplan=plan).pk for _ in range(members)]
    return synthetic.write_content(
        plan,
        organization_ids=organizations,
        person_ids=[],
        rng=random.Random(3),
        today=date(2025, 12, 31),
        batch_size=500,
    )


def test_counts(plan):
    counts = write(plan, 25)
    # 23 members × 8 years + one joining (8) + one leaving in 2021 (5)
    assert counts["energy reports"] == EnergyReport.objects.filter(masterplan=plan).count() == 197
    assert counts["network memberships"] == NetworkMembership.objects.count() == 25
    assert not EnergyReport.objects.filter(is_sample=False).exists()


def test_delete_content(plan):
    write(plan, 5)
    synthetic.delete_content(plan)
    assert not EnergyReport.all_objects.filter(masterplan=plan).exists()


def scenario_queries(plan, client):
    counts = {}
    for key, _label, template, values in bench.SCENARIOS:
        url = template.format(slug=plan.slug, **values(plan))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[key] = len(captured)
    return counts


def test_scenarios_answer_with_constant_queries(plan, other_plan, coordinator):
    write(plan, 4)
    write(other_plan, 25)
    client = Client()
    client.force_login(coordinator)
    small = scenario_queries(plan, client)
    from masterplan.core.models import PlanRole

    PlanRole.objects.create(user=coordinator, masterplan=other_plan, role="coordinator")
    assert scenario_queries(other_plan, client) == small


def test_throughputs(plan, coordinator):
    write(plan, 10)
    figures = bench.throughputs(plan, Client())
    assert figures[0] == ("Network CO2 balance: energy reports", 77.0, "reports")
    assert figures[1][1] > 0
