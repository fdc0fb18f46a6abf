"""Figures beyond the worked example: missing factors, litres, residual mix, data quality."""

from decimal import Decimal as D

import pytest

from masterplan.climate import figures as f

GRID = {("electricity_grid_mix", 2024): D("363") / 1_000_000}


def test_missing_factor_names_carrier_and_year_never_zero():
    report = f.Report(1, 2019, electricity_grid_kwh=D(1000))
    with pytest.raises(f.MissingFactor) as error:
        f.balance(report, f.FactorTable(GRID))
    assert (error.value.carrier, error.value.year) == ("electricity_grid_mix", 2019)


def test_unused_carrier_needs_no_factor():
    report = f.Report(1, 2024, electricity_grid_kwh=D(1000), heating_oil=D(0))
    assert f.balance(report, f.FactorTable(GRID)).scope2_location == D("0.363")


def test_litres_are_converted_with_the_net_calorific_value():
    factors = f.FactorTable({("diesel", None): D("0.000266")})
    report = f.Report(1, 2024, diesel=D(1000), diesel_unit="l")
    # 1,000 l × 9.8 kWh/l × 0.266 kg/kWh = 2.6068 t
    assert f.balance(report, factors).scope1 == D("2.6068")
    in_kwh = f.Report(1, 2024, diesel=D(9800), diesel_unit="kWh")
    assert f.balance(in_kwh, factors).scope1 == D("2.6068")


def test_market_based_uses_the_residual_mix_where_on_record():
    factors = f.FactorTable({**GRID, ("electricity_residual_mix", 2024): D("0.0006")})
    report = f.Report(
        1, 2024, electricity_grid_kwh=D(1000), green_power_kwh=D(500), green_power_factor=D(20)
    )
    result = f.balance(report, factors)
    assert result.scope2_location == D("1500") * D("0.000363")  # 0.5445 t
    assert result.scope2_market == D("0.6") + D("0.01")  # residual 0.6 t + green 0.01 t


def test_green_power_without_supplier_factor_is_an_error():
    report = f.Report(1, 2024, green_power_kwh=D(500))
    with pytest.raises(f.MissingFactor):
        f.balance(report, f.FactorTable(GRID))


def test_data_quality_finds_missing_estimated_and_outliers():
    factors = f.FactorTable(
        {("electricity_grid_mix", y): D("0.0005") for y in (2016, 2017, 2018, 2019)}
    )
    reports = [
        f.Report(1, 2016, electricity_grid_kwh=D(1000)),
        f.Report(1, 2017, electricity_grid_kwh=D(1400), estimated=True),
        f.Report(1, 2019, electricity_grid_kwh=D(2200)),
    ]
    by_key = f.group_reports(reports)
    findings = f.data_quality(
        reports=by_key,
        balances=f.compute_balances(reports, factors),
        members=[f.Member(1, "Rheinwerk", 2010)],
        years=[2016, 2017, 2018, 2019],
    )
    assert [(x.year, x.kind) for x in findings] == [
        (2017, "estimated"),
        (2018, "missing"),
        (2019, "outlier"),  # +57 % against 2017 (> 50 %); 2017 itself is +40 %
    ]


def test_required_rate_when_the_target_is_not_met():
    test = f.target_test(
        base=D(1000),
        current=D(800),
        year=2024,
        target_reduction=D("0.5"),
        target_year=2030,
        method=f.MARKET,
    )
    # r = 1 − (500/800)^(1/6) = 0.0753444…
    assert test.required_annual_rate == pytest.approx(0.0753444, abs=1e-7)
    assert test.reduction == D("0.2")
