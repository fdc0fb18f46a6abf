"""Draft sample objects of the indicators module for the permission matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator, Observation, Target
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory


def objects(base: Any) -> dict[type[models.Model], models.Model]:
    own_org = base.objects[Organization]
    indicator = IndicatorFactory(
        masterplan=base.plan,
        code="DU-GEN-DAUER",
        responsible_organization=own_org,
        publication="draft",
    )
    observation = ObservationFactory(
        indicator=indicator,
        period_start=date(2024, 1, 1),
        scope="organization",
        organization=own_org,
        publication="draft",
    )
    target = TargetFactory(indicator=indicator, publication="draft")
    return {Indicator: indicator, Observation: observation, Target: target}
