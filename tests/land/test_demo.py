"""The land demo: Düsseldorf's core zones with parcels, ten years of take-up and requests, all
marked as sample data, giving plausible figures and matches."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.demo import DUESSELDORF, DemoContext
from masterplan.land import demo as land_demo
from masterplan.land import queries
from masterplan.land.models import CoreZone, Parcel, SiteRequest, TakeUp
from masterplan.plans.services import masterplan_create


@pytest.fixture
def context(admin: Any) -> DemoContext:
    context = DemoContext.start(
        actor=admin,
        today=timezone.localdate(),
        create_plan=lambda plan: masterplan_create(actor=admin, **plan.fields()),
    )
    land_demo.load(context)
    return context


def test_core_zones_parcels_and_take_up_are_sample_data(context: DemoContext) -> None:
    plan = context.plans[DUESSELDORF]
    zones = CoreZone.objects.filter(masterplan=plan)
    assert zones.count() == 5 and all(zone.is_sample for zone in zones)
    parcels = Parcel.objects.filter(masterplan=plan)
    assert parcels.count() > 40 and all(parcel.is_sample for parcel in parcels)
    # Every parcel lies in the core zone it was drawn in.
    assert not parcels.filter(core_zone__isnull=True).exists()
    years = {take_up.on.year for take_up in TakeUp.objects.filter(masterplan=plan)}
    assert len(years) >= 8


def test_the_demo_gives_a_reserve_a_reach_and_matches(context: DemoContext, admin: Any) -> None:
    plan = context.plans[DUESSELDORF]
    board = queries.land_dashboard(user=admin, masterplan=plan, as_of=context.today)
    figures = board.figures
    assert figures.gross_reserve_m2 > figures.net_reserve_m2 > 0
    assert figures.reach_net_years is not None and 1 < figures.reach_net_years < 50
    assert len(board.zones) == 5
    craft = SiteRequest.objects.get(masterplan=plan, company_name="Tischlerei Kemper")
    found = queries.request_matches(user=admin, request=craft)
    assert found.matches, "a small GE workshop plot should be found"
    assert board.lost_requests
