"""Fixtures of the indicator tests: the permit-time indicator of Duisburg with its history."""

from __future__ import annotations

import pytest

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator
from tests.indicators.factories import permit_time_indicator


@pytest.fixture
def permit_time(plan: Masterplan, own_org: Organization) -> Indicator:
    """Median permit time in days (lower is better), 2022–2025, target 60 days by 2026."""
    return permit_time_indicator(plan, own_org)
