"""The permit figures an indicator can follow, found by key in core's registry: the own
city's chance of being in the top 10 (net KM median, § 64 BauO NRW) and its median net
duration, as the data stood on a day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from masterplan.core.figure_sources import figure_source
from masterplan.core.models import Masterplan
from masterplan.permits import services
from masterplan.permits.models import ProcedureType

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)
COMPLETE = date(2026, 1, 10)


@pytest.fixture
def own_records(plan: Masterplan, coordinator: Any) -> None:
    """Six § 64 procedures of Duisburg: net 30, 40, 50, 60, 70 days decided, one open.
    KM: S falls by 1/6 at 30, 40 and 50 days, so the median is 50 days."""
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    building = ProcedureType.objects.get(masterplan=plan, code="bauo-nrw-64")
    authority = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Amt für Baurecht und Bauberatung Duisburg",
        city="Duisburg",
        ags="05112000",
    )
    for number, days in enumerate([30, 40, 50, 60, 70, None], start=1):
        services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=authority,
            procedure_type=building,
            reference=f"BA-2026-{number:03d}",
            received=COMPLETE - timedelta(days=7),
            complete=COMPLETE,
            decided=COMPLETE + timedelta(days=days) if days else None,
        )


PEERS = [
    ("Essen", "05113000"),
    ("Dortmund", "05913000"),
    ("Düsseldorf", "05111000"),
    ("Köln", "05315000"),
    ("Bochum", "05911000"),
    ("Gelsenkirchen", "05513000"),
    ("Oberhausen", "05119000"),
    ("Krefeld", "05114000"),
    ("Münster", "05515000"),
    ("Bielefeld", "05711000"),
    ("Bonn", "05314000"),
]


def publish(plan: Masterplan, actor: Any, faster: int) -> None:
    """Eleven peers' published KM medians without n (fixed): `faster` of them at 20–29 days,
    the others at 100 days and more."""
    for index, (city, ags) in enumerate(PEERS):
        services.peer_figure_create(
            actor=actor,
            masterplan=plan,
            city=city,
            ags=ags,
            year=2025,
            procedure_type="bauo-nrw-64",
            statistic="km_median",
            value=20 + index if index < faster else 100 + index,
            start="complete",
            source="Beispieldaten",
        )


def value(key: str, plan: Masterplan, day: date = AS_OF) -> Decimal | None:
    source = figure_source(key)
    assert source is not None, key
    return source.value(plan, day)


def test_the_median_net_duration_of_the_own_authorities(
    plan: Masterplan, own_records: None
) -> None:
    assert value("permits.median_net_days", plan) == Decimal(50)
    assert value("permits.median_net_days.bauo-nrw-64", plan) == Decimal(50)
    assert value("permits.median_net_days.bimschg-10", plan) is None  # no procedures
    # As of 20 February (41 days after completeness) only 30 and 40 are decided: not reached.
    assert value("permits.median_net_days", plan, date(2026, 2, 20)) is None


def test_in_the_top_10_when_only_five_cities_are_faster(
    plan: Masterplan, coordinator: Any, own_records: None
) -> None:
    """Out of the top 10 only in resamples that draw so many open cases that the median is not
    reached (counted as infinitely long): a few in a thousand."""
    publish(plan, coordinator, faster=5)
    chance = value("permits.p_top10", plan)
    assert chance is not None and Decimal(95) <= chance <= Decimal(100)


def test_out_of_the_top_10_when_ten_cities_are_faster(
    plan: Masterplan, coordinator: Any, own_records: None
) -> None:
    publish(plan, coordinator, faster=10)
    assert value("permits.p_top10", plan) == Decimal("0.0")
    assert value("permits.p_top10.bauo-nrw-64", plan) == Decimal("0.0")


def test_no_chance_is_given_with_ten_cities_or_fewer(
    plan: Masterplan, coordinator: Any, own_records: None
) -> None:
    assert value("permits.p_top10", plan) is None
    assert value("permits.p_top10.bimschg-19", plan) is None


def test_an_indicator_follows_the_chance_of_the_top_10_by_its_key(
    plan: Masterplan, coordinator: Any, own_records: None
) -> None:
    """The goal "top 10 by 2025" as an indicator: the indicators module finds the figure by
    key, and records a value only for the periods with procedures (here 2026)."""
    from masterplan.indicators.models import Observation
    from masterplan.indicators.services import indicator_create, indicator_follow_source

    publish(plan, coordinator, faster=5)
    indicator = indicator_create(
        actor=coordinator,
        masterplan=plan,
        code="DU-GEN-TOP10",
        name="Chance auf einen Platz unter den 10 schnellsten Oberzentren (Baugenehmigungen)",
        unit="%",
        direction="higher",
        follows="permits.p_top10",
    )
    recorded, updated = indicator_follow_source(actor=coordinator, indicator=indicator, today=AS_OF)
    assert (recorded, updated) == (1, 0)
    (observation,) = Observation.objects.filter(indicator=indicator)
    assert observation.period_start.year == 2026 and observation.value >= 95
