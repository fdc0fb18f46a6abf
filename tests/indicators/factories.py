"""Factories of the indicators module, with figures in the orders of magnitude of Duisburg."""

from __future__ import annotations

from datetime import date

import factory

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator, Observation, Target
from tests.factories import MasterplanFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    masterplan = factory.SubFactory(MasterplanFactory)
    code = factory.Sequence(lambda n: f"DU-GEN-{n}")
    name = "Dauer der Baugenehmigungsverfahren (Median)"
    unit = "Tage"
    direction = "lower"
    aggregation = "mean"
    granularity = "year"
    method = "Median der Tage vom vollständigen Antrag bis zum Bescheid."
    source = "Stadt Duisburg, Amt für Baurecht und Bauberatung"
    publication = Publication.PUBLISHED
    is_sample = True


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    masterplan = factory.SelfAttribute("indicator.masterplan")
    granularity = "year"
    period_start = factory.Sequence(lambda n: date(2000 + n % 100, 1, 1))
    value = 90
    scope = "masterplan"
    publication = Publication.PUBLISHED
    is_sample = True


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    masterplan = factory.SelfAttribute("indicator.masterplan")
    value = 60
    target_date = date(2026, 12, 31)
    baseline_value = 96
    baseline_date = date(2022, 12, 31)
    publication = Publication.PUBLISHED


PERMIT_DAYS = ((2022, 96), (2023, 88), (2024, 77), (2025, 71))


def permit_time_indicator(masterplan: Masterplan, responsible: Organization) -> Indicator:
    """Median permit time in days (lower is better), 2022–2025, target 60 days by 2026."""
    indicator = IndicatorFactory(
        masterplan=masterplan, code="DU-GEN-DAUER", responsible_organization=responsible
    )
    for year, days in PERMIT_DAYS:
        ObservationFactory(indicator=indicator, period_start=date(year, 1, 1), value=days)
    TargetFactory(indicator=indicator)
    return indicator
