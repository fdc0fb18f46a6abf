"""Fixtures of the indicator tests: the permit-time indicator of Duisburg with its history."""

from __future__ import annotations

from datetime import date

import pytest

from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator
from masterplan.plans.models import Masterplan
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

PERMIT_DAYS = ((2022, 96), (2023, 88), (2024, 77), (2025, 71))


@pytest.fixture
def permit_time(plan: Masterplan, own_org: Organization) -> Indicator:
    """Median permit time in days (lower is better), 2022–2025, target 60 days by 2026."""
    indicator = IndicatorFactory(
        masterplan=plan, code="DU-GEN-DAUER", responsible_organization=own_org
    )
    for year, days in PERMIT_DAYS:
        ObservationFactory(indicator=indicator, period_start=date(year, 1, 1), value=days)
    TargetFactory(indicator=indicator)
    return indicator
