"""Every number of the worked example in docs/climate.md, asserted exactly (Decimal)."""

from decimal import Decimal as D

import pytest

from masterplan.climate import figures as f
from tests.climate.worked_example import (
    BASE_YEAR,
    CHANGES,
    FACTORS,
    MEMBERS,
    REPORTS,
    YEAR,
    A,
    B,
    C,
)

BALANCES = f.compute_balances(REPORTS, FACTORS)
BY_KEY = f.group_reports(REPORTS)


@pytest.mark.parametrize(
    ("org", "year", "scope1", "location", "market"),
    [
        (A, 2016, "402", "527", "527"),
        (B, 2016, "501", "1054", "1054"),
        (C, 2016, "0", "263.5", "263.5"),
        (A, 2023, "301.5", "386", "308.8"),
        (B, 2023, "220.6", "579", "579"),
        (C, 2023, "20.1", "154.4", "154.4"),
    ],
)
def test_scope_1_and_both_scope_2_methods_per_report(org, year, scope1, location, market):
    balance = BALANCES.by_member_year[(org, year)]
    assert (balance.scope1, balance.scope2_location, balance.scope2_market) == (
        D(scope1),
        D(location),
        D(market),
    )


def test_network_totals_count_members_of_the_year_only():
    base, current = f.network_totals(BALANCES, MEMBERS, [BASE_YEAR, YEAR])
    assert (base.members, base.total(f.LOCATION), base.total(f.MARKET)) == (2, D(2484), D(2484))
    assert (current.members, current.total(f.LOCATION), current.total(f.MARKET)) == (
        3,
        D("1661.6"),
        D("1584.4"),
    )


def test_recalculation_log_applies_changes_at_or_above_five_percent():
    log = f.base_year_changes(
        balances=BALANCES,
        members=MEMBERS,
        changes=CHANGES,
        base_year=BASE_YEAR,
        threshold=D("0.05"),
        deciding_method=f.MARKET,
    )
    assert [(c.year, c.kind, c.effect[f.MARKET], c.applied) for c in log] == [
        (2020, "divestment", D(-200), True),
        (2020, "joined", D("263.5"), True),
        (2021, "outsourcing", D(-50), False),
    ]
    assert [round(c.share, 4) for c in log] == [D("0.0805"), D("0.1061"), D("0.0201")]
    original = f.original_base(BALANCES, MEMBERS, BASE_YEAR, f.MARKET)
    assert original == D(2484)
    assert f.recalculated_base(original, log, YEAR, f.MARKET) == D("2547.5")
    assert f.recalculated_base(original, log, 2019, f.MARKET) == D(2484)


def test_change_against_recalculated_base_both_methods():
    assert round(f.change_share(D("1661.6"), D("2547.5")), 6) == D("-0.347753")
    assert round(f.change_share(D("1584.4"), D("2547.5")), 6) == D("-0.378057")


def test_like_for_like_includes_the_new_member_with_its_2016_report():
    lfl = f.like_for_like(BALANCES, MEMBERS, BASE_YEAR, YEAR, f.MARKET)
    assert (lfl.organization_ids, lfl.base, lfl.current, lfl.change) == (
        (A, B, C),
        D("2747.5"),
        D("1584.4"),
        D("-1163.1"),
    )


@pytest.mark.parametrize(
    ("method", "own", "factor", "network_change"),
    [(f.MARKET, "-782.4", "-380.7", "-899.6"), (f.LOCATION, "-677.0", "-408.9", "-822.4")],
)
def test_decomposition_adds_up_exactly(method, own, factor, network_change):
    lfl = f.like_for_like(BALANCES, MEMBERS, BASE_YEAR, YEAR, method)
    result = f.decompose(
        reports=BY_KEY,
        factors=FACTORS,
        organization_ids=lfl.organization_ids,
        base_year=BASE_YEAR,
        year=YEAR,
        method=method,
        network_change=D(network_change),
    )
    assert (result.own, result.factor) == (D(own), D(factor))
    assert result.own + result.factor == result.like_for_like_change == lfl.change
    assert result.membership == D("263.5")
    assert result.own + result.factor + result.membership == result.network_change


def test_decomposition_terms_of_member_a_market_based():
    lfl = f.like_for_like(BALANCES, MEMBERS, BASE_YEAR, YEAR, f.MARKET)
    result = f.decompose(
        reports=BY_KEY,
        factors=FACTORS,
        organization_ids=lfl.organization_ids,
        base_year=BASE_YEAR,
        year=YEAR,
        method=f.MARKET,
        network_change=D("-899.6"),
    )
    terms = {(o, k): (own, factor) for o, k, own, factor in result.terms}
    assert terms[(A, "natural_gas")] == (D("-100.5"), D(0))
    assert terms[(A, "electricity")] == (D("-105.4"), D("-112.8"))
    assert terms[(A, "green_power")] == (D(0), D(0))
    assert terms[(B, "process")] == (D(-200), D(0))
    assert terms[(B, "electricity")] == (D("-263.5"), D("-211.5"))
    assert terms[(C, "natural_gas")] == (D("20.1"), D(0))


def test_target_test_40_percent_by_2030_market_based():
    test = f.target_test(
        base=D("2547.5"),
        current=D("1584.4"),
        year=YEAR,
        target_reduction=D("0.40"),
        target_year=2030,
        method=f.MARKET,
    )
    assert test.target == D("1528.5")
    assert not test.met
    assert round(test.reduction, 6) == D("0.378057")
    assert test.required_annual_rate == pytest.approx(0.0051181, abs=1e-7)


def test_employment_and_coverage():
    base, current = f.employment(BY_KEY, MEMBERS, [BASE_YEAR, YEAR])
    assert (base.members, base.reporting, base.employees, base.coverage) == (2, 2, 4200, 1)
    assert (current.members, current.reporting, current.employees) == (3, 3, 4000)
