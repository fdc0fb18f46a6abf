"""The Industriekreis demo reproduces the seed's figures: about −33 % against 2016 and about
100,000 employees, with one member joining and one leaving (recalculation visible)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from masterplan.climate import demo as climate_demo
from masterplan.climate import queries
from masterplan.core.demo import DUESSELDORF, DemoContext
from masterplan.directory import demo as directory_demo
from masterplan.plans.services import masterplan_create


@pytest.fixture
def overview(admin):
    context = DemoContext.start(
        actor=admin,
        today=timezone.localdate(),
        create_plan=lambda plan: masterplan_create(actor=admin, **plan.fields()),
    )
    directory_demo.load(context)
    climate_demo.load(context)
    return queries.climate_overview(user=admin, masterplan=context.plans[DUESSELDORF])


def test_network_cut_about_a_third_against_2016(overview):
    row = next(r for r in overview.rows if r.total.year == 2023)
    assert Decimal("-0.36") < row.change_market < Decimal("-0.30")
    assert overview.latest == 2024 and overview.decomposition is not None
    assert overview.decomposition.factor < 0 and overview.decomposition.own < 0


def test_about_100000_employees_in_the_network(overview):
    assert 95_000 <= overview.reach_employees <= 105_000
    assert overview.employment[-1].reporting == overview.employment[-1].members


def test_joining_and_leaving_members_recalculate_the_base_year(overview):
    applied = {(c.kind, c.year) for c in overview.log if c.applied}
    assert {("joined", 2019), ("left", 2021)} <= applied
    assert any(not c.applied for c in overview.log)
    assert any(f.kind == "missing" for f in overview.findings)


def test_some_demo_members_publish_their_figures_and_some_do_not(overview):
    consents = {row.membership.figures_public for row in overview.members}
    assert consents == {True, False}
    agreed = [row.membership for row in overview.members if row.membership.figures_public]
    assert all(m.figures_public_since is not None for m in agreed)
