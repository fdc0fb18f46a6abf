"""The worked example of docs/climate.md as plain data: three members, 2016 and 2023."""

from decimal import Decimal as D

from masterplan.climate.figures import Change, FactorTable, Member, Report

A, B, C = 1, 2, 3
BASE_YEAR, YEAR = 2016, 2023
FACTORS = FactorTable(
    {
        ("electricity_grid_mix", 2016): D("527") / 1_000_000,
        ("electricity_grid_mix", 2023): D("386") / 1_000_000,
        ("natural_gas", None): D("0.201") / 1_000,
    }
)
MEMBERS = [
    Member(A, "Rheinwerk Beispiel GmbH", 2010),
    Member(B, "Chemie Beispiel AG", 2010),
    Member(C, "Neuzugang Beispiel GmbH", 2020),
]
CHANGES = [
    Change(B, "Chemie Beispiel AG", 2020, "divestment", D("-200")),
    Change(A, "Rheinwerk Beispiel GmbH", 2021, "outsourcing", D("-50")),
]
REPORTS = [
    Report(
        A, 2016, electricity_grid_kwh=D(1_000_000), natural_gas_kwh=D(2_000_000), employees=1300
    ),
    Report(
        B,
        2016,
        electricity_grid_kwh=D(2_000_000),
        natural_gas_kwh=D(1_000_000),
        process_t_co2=D(300),
        employees=2900,
    ),
    Report(C, 2016, electricity_grid_kwh=D(500_000)),
    Report(
        A,
        2023,
        electricity_grid_kwh=D(800_000),
        green_power_kwh=D(200_000),
        green_power_factor=D(0),
        natural_gas_kwh=D(1_500_000),
        employees=1200,
    ),
    Report(
        B,
        2023,
        electricity_grid_kwh=D(1_500_000),
        natural_gas_kwh=D(600_000),
        process_t_co2=D(100),
        employees=2500,
    ),
    Report(C, 2023, electricity_grid_kwh=D(400_000), natural_gas_kwh=D(100_000), employees=300),
]
