"""Synthetic climate data for benchmarks (`masterplan generate`): per masterplan a network of
25 members with energy reports 2016–2023 (200 reports; 20,000 at state scale with 100 plans),
one member joining in 2019 and one leaving in 2021, a policy and the grid factors the reference
table lacks (2019–2021). Bulk inserts, no audit entries, everything marked as sample data."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    ReportStatus,
    StructuralChange,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.core.synthetic import register_content

MEMBERS = 25
YEARS = range(2016, 2024)
PLACEHOLDER_GRID = {2019: Decimal("459.25"), 2020: Decimal("450.5"), 2021: Decimal("441.75")}


def write_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    person_ids: list[int],
    rng: random.Random,
    today: datetime.date,
    batch_size: int,
    size: float = 1.0,
) -> dict[str, int]:
    """Bulk-write one plan's climate data; `size` scales the number of member companies."""
    member_count = max(3, round(MEMBERS * size))
    published = Publication.PUBLISHED
    common = {"masterplan": masterplan, "is_sample": True}
    EmissionFactor.objects.bulk_create(
        [
            EmissionFactor(
                **common,
                carrier="electricity_grid_mix",
                year=year,
                value=value,
                unit="g CO2/kWh",
                source="Synthetic placeholder",
                publication=published,
            )
            for year, value in PLACEHOLDER_GRID.items()
        ]
    )
    ClimatePolicy.objects.create(**common, publication=published)
    # The last organisations of a generated city are its companies (institutions come first).
    members = organization_ids[-member_count:]
    memberships, reports = [], []
    for index, organization_id in enumerate(members):
        joined = 2019 if index == 1 else 2010
        left = 2021 if index == 2 else None
        memberships.append(
            NetworkMembership(
                **common,
                organization_id=organization_id,
                joined_year=joined,
                left_year=left,
                publication=published,
            )
        )
        employees = rng.randint(50, 8000)
        electricity = Decimal(employees * rng.randint(6_000, 14_000))
        gas = Decimal(employees * rng.randint(8_000, 20_000))
        for year in YEARS:
            if left is not None and year >= left:
                break
            t = year - 2016
            reports.append(
                EnergyReport(
                    **common,
                    organization_id=organization_id,
                    year=year,
                    electricity_grid_kwh=round(electricity * (1 - Decimal("0.02") * t)),
                    green_power_kwh=Decimal(employees * 100 * t),
                    green_power_factor=Decimal(0),
                    natural_gas_kwh=round(gas * (1 - Decimal("0.025") * t)),
                    process_t_co2=Decimal(rng.randint(0, 500)),
                    employees=employees,
                    status=ReportStatus.FINAL,
                    estimated=rng.random() < 0.05,
                    publication=published if rng.random() < 0.9 else Publication.DRAFT,
                )
            )
    NetworkMembership.objects.bulk_create(memberships, batch_size=batch_size)
    EnergyReport.objects.bulk_create(reports, batch_size=batch_size)
    changes = []
    if members:
        changes.append(
            StructuralChange(
                **common,
                organization_id=members[0],
                year=2020,
                kind="divestment",
                base_year_effect_t=Decimal(-500),
                publication=published,
            )
        )
    StructuralChange.objects.bulk_create(changes)
    return {
        "energy reports": len(reports),
        "network memberships": len(memberships),
        "structural changes": len(changes),
        "emission factors": len(PLACEHOLDER_GRID),
    }


def delete_content(masterplan: Masterplan) -> None:
    for model in (StructuralChange, EnergyReport, NetworkMembership, ClimatePolicy, EmissionFactor):
        model.all_objects.filter(masterplan=masterplan).delete()


register_content("climate", write=write_content, delete=delete_content)
