"""The worked example (tests/climate/worked_example.py) as database rows of a plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from masterplan.climate.defaults import reference_factors
from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from tests.climate import worked_example as ex
from tests.factories import OrganizationFactory

REPORT_FIELDS = (
    "electricity_grid_kwh",
    "green_power_kwh",
    "green_power_factor",
    "natural_gas_kwh",
    "process_t_co2",
    "employees",
)


def ensure_default_factors() -> None:
    """The global factors of the data migration, which a transactional test (a browser test
    with its live server) may have flushed away before."""
    for row in reference_factors():
        fields = {k: v for k, v in row.items() if k != "external_id"}
        EmissionFactor.objects.get_or_create(
            masterplan=None, external_id=row["external_id"], defaults=fields
        )


def load_worked_example(
    plan: Masterplan, *, organizations: dict[int, Organization] | None = None
) -> dict[int, Organization]:
    """Members A, B, C of the worked example (A may be given, e.g. the contributor's own)."""
    ensure_default_factors()
    organizations = dict(organizations or {})
    for member in ex.MEMBERS:
        if member.organization_id not in organizations:
            organizations[member.organization_id] = OrganizationFactory(
                masterplan=plan, name=member.name, is_sample=True
            )
        NetworkMembership.objects.create(
            masterplan=plan,
            organization=organizations[member.organization_id],
            joined_year=member.joined_year,
            publication=Publication.PUBLISHED,
        )
    for report in ex.REPORTS:
        EnergyReport.objects.create(
            masterplan=plan,
            organization=organizations[report.organization_id],
            year=report.year,
            publication=Publication.PUBLISHED,
            **{name: getattr(report, name) for name in REPORT_FIELDS},
        )
    for change in ex.CHANGES:
        StructuralChange.objects.create(
            masterplan=plan,
            organization=organizations[change.organization_id],
            year=change.year,
            kind=change.kind,
            base_year_effect_t=change.effect_t,
            publication=Publication.PUBLISHED,
        )
    ClimatePolicy.objects.create(
        masterplan=plan,
        base_year=2016,
        target_reduction_percent=Decimal(40),
        target_year=2030,
        target_method="market",
        publication=Publication.PUBLISHED,
    )
    return organizations


def extra_members(plan: Masterplan, count: int, *, start: int = 0) -> list[Any]:
    """More members with reports in 2016 and 2023, for query counts at a second size."""
    found = []
    for i in range(start, start + count):
        organization = OrganizationFactory(masterplan=plan, name=f"Zusatz {i} GmbH")
        NetworkMembership.objects.create(
            masterplan=plan, organization=organization, joined_year=2010
        )
        for year in (2016, 2023):
            EnergyReport.objects.create(
                masterplan=plan,
                organization=organization,
                year=year,
                electricity_grid_kwh=Decimal(100_000),
                employees=50,
            )
        found.append(organization)
    return found
