"""The demo indicators: loaded through the services, linked to the plans' key results."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from masterplan.core.demo import DemoContext, DemoPlan
from masterplan.core.models import Masterplan
from masterplan.directory import demo as directory_demo
from masterplan.indicators import demo as indicators_demo
from masterplan.indicators import queries
from masterplan.indicators.figures import Status
from masterplan.indicators.models import Indicator, Observation, Target
from masterplan.plans import demo as plans_demo
from masterplan.plans.models import KeyResult
from masterplan.plans.services import masterplan_create
from tests.clock import clock_on

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Masterplan]]:
    # The clock agrees with the loaders' `today`: the services that link key results to
    # indicators read the clock themselves.
    with clock_on(TODAY), django_db_blocker.unblock(), transaction.atomic():
        try:
            admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x" * 16)

            def create_plan(plan: DemoPlan) -> Masterplan:
                return masterplan_create(actor=admin, **plan.fields())

            context = DemoContext.start(actor=admin, today=TODAY, create_plan=create_plan)
            for loader in (directory_demo.load, plans_demo.load, indicators_demo.load):
                loader(context)
            yield context.plans
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def plans(demo: dict[str, Masterplan], db: Any) -> dict[str, Masterplan]:
    return demo


def test_both_plans_have_published_indicators_with_targets(plans: dict[str, Masterplan]) -> None:
    for plan in plans.values():
        indicators = Indicator.objects.filter(masterplan=plan)
        assert indicators.count() >= 2
        assert not indicators.exclude(publication="published").exists()
        assert Target.objects.filter(masterplan=plan).count() == indicators.count()
    assert not Observation.objects.filter(is_sample=False).exists()


def test_permit_time_drives_its_key_result(plans: dict[str, Masterplan]) -> None:
    key_result = KeyResult.objects.get(masterplan=plans["duisburg"], external_id="DU-KR1.2")
    assert key_result.current_value == Decimal(66)  # the provisional value of 2026
    assert key_result.current_as_of == TODAY  # 2026 is still running: its value stands at today
    indicator = Indicator.objects.get(code="DU-GEN-DAUER")
    detail = queries.indicator_detail(
        user=get_user_model().objects.get(username="admin"),
        masterplan=plans["duisburg"],
        indicator_id=indicator.pk,
        today=TODAY,
    )
    assert detail.main is not None
    assert detail.main.forecast.status in (Status.ON_TRACK, Status.AT_RISK)


def test_training_contracts_are_summed_over_the_partners(plans: dict[str, Masterplan]) -> None:
    indicator = Indicator.objects.get(code="DU-AUSBILDUNG")
    series = queries.indicator_series(indicator)
    assert [(v.label, v.value, v.organizations) for v in series] == [
        ("2022", 246, 3),
        ("2023", 263, 4),
        ("2024", 281, 4),
    ]


def test_land_reserves_drive_the_duesseldorf_key_result(plans: dict[str, Masterplan]) -> None:
    key_result = KeyResult.objects.get(masterplan=plans["duesseldorf"], external_id="DUS-KR2.1")
    assert key_result.current_value == Decimal("36.2")
