"""Draft sample objects of the climate module for the permission matrix (owned by own_org)."""

from decimal import Decimal
from typing import Any

from django.db.models import Model

from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core.models import Publication
from masterplan.directory.models import Organization


def objects(base: Any) -> dict[type[Model], Model]:
    plan = base.plan
    own = base.objects[Organization]
    draft = Publication.DRAFT
    return {
        EmissionFactor: EmissionFactor.objects.create(
            masterplan=plan,
            carrier="district_heat",
            year=2024,
            value=Decimal("180"),
            unit="g CO2/kWh",
            source="Stadtwerke Duisburg, Fernwärme-Kennzahl (Beispiel)",
            publication=draft,
            is_sample=True,
        ),
        ClimatePolicy: ClimatePolicy.objects.create(masterplan=plan, publication=draft),
        NetworkMembership: NetworkMembership.objects.create(
            masterplan=plan, organization=own, joined_year=2015, publication=draft
        ),
        EnergyReport: EnergyReport.objects.create(
            masterplan=plan,
            organization=own,
            year=2024,
            electricity_grid_kwh=Decimal(250_000),
            natural_gas_kwh=Decimal(400_000),
            employees=35,
            publication=draft,
        ),
        StructuralChange: StructuralChange.objects.create(
            masterplan=plan,
            organization=own,
            year=2021,
            kind="divestment",
            base_year_effect_t=Decimal("-120"),
            publication=draft,
        ),
    }
