"""Land figures feed an indicator of the plan (issue 11 #6): an indicator that follows the
reach of the net reserve records it per year, as the data stood at each year's end, so that
a key result like "reach ≥ 8 years" follows the land data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from masterplan.core.models import Masterplan
from masterplan.indicators import services as indicator_services
from masterplan.indicators.models import Observation
from masterplan.land import services
from tests.clock import clock_on

pytestmark = pytest.mark.django_db


def test_an_indicator_follows_the_reach_of_the_net_reserve(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    with clock_on(date(2026, 6, 30)):
        # 8 ha in the reserve since 2015; 1 ha taken up each June from 2016 to 2025 (outside
        # the register, so the reserve stays 8 ha): Ā = 1 ha/year from 2021 on → reach 8 years.
        services.parcel_create(
            actor=coordinator,
            masterplan=plan,
            name="Reisholz Nord",
            area_type="GI",
            area_m2=80_000,
            recorded_on=date(2015, 1, 1),
        )
        for year in range(2016, 2026):
            services.take_up_create(
                actor=coordinator,
                masterplan=plan,
                on=date(year, 6, 15),
                area_m2=10_000,
                company_name=f"Stahlbau {year}",
            )
        indicator = indicator_services.indicator_create(
            actor=coordinator,
            masterplan=plan,
            code="FL-REICHWEITE",
            name="Reichweite der Nettoreserve",
            unit="Jahre",
            follows="land.reach_net_years",
        )
        recorded, updated = indicator_services.indicator_follow_source(
            actor=coordinator, indicator=indicator
        )
        values = dict(
            Observation.objects.filter(indicator=indicator).values_list("period_start", "value")
        )
        # Ten years 2017–2026, each as of its last day, N = 8 ha throughout:
        # 2017: take-ups 2016 and 2017 in the window → Ā = 2 ha / 5 = 0.4 ha → 20 years;
        # 2020: 2016–2020 → 5 ha / 5 = 1 ha → 8 years;
        # 2026, as of today (30 June): the window after 30 June 2021 holds 2022–2025 →
        # 4 ha / 5 = 0.8 ha → 10 years.
        assert recorded == 10 and updated == 0
        assert values[date(2017, 1, 1)] == Decimal("20.00")
        assert values[date(2020, 1, 1)] == Decimal("8.00")
        assert values[date(2026, 1, 1)] == Decimal("10.00")
        # Nothing changed: following again records nothing new.
        assert indicator_services.indicator_follow_source(
            actor=coordinator, indicator=indicator
        ) == (0, 0)
        page = client_as(coordinator).post(f"/p/{plan.slug}/indicators/{indicator.pk}/follow/")
        assert page.status_code == 302


def test_an_unknown_figure_is_refused(plan: Masterplan, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        indicator_services.indicator_create(
            actor=coordinator, masterplan=plan, code="X", name="Unbekannt", follows="land.nothing"
        )
    assert "follows" in refused.value.message_dict
