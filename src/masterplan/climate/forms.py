"""Forms of the climate module (optimistic locking through VersionedModelForm)."""

from __future__ import annotations

from typing import Any, TypeVar

from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core.forms import VersionedModelForm, limit
from masterplan.core.models import Masterplan, PlanScopedModel
from masterplan.directory.queries import organization_choices

P = TypeVar("P", bound=PlanScopedModel)

REPORT_FIELDS = (
    "year",
    "electricity_grid_kwh",
    "own_renewables_kwh",
    "green_power_kwh",
    "green_power_factor",
    "natural_gas_kwh",
    "heating_oil",
    "heating_oil_unit",
    "district_heat_kwh",
    "diesel",
    "diesel_unit",
    "petrol",
    "petrol_unit",
    "process_t_co2",
    "employees",
    "output_value",
    "output_unit",
    "estimated",
    "status",
    "note",
    "publication",
)


class EnergyReportForm(VersionedModelForm[EnergyReport]):
    class Meta:
        model = EnergyReport
        fields = REPORT_FIELDS


class PlanOrganizationForm(VersionedModelForm[P]):
    """A form with an organisation chosen among the plan's organisations."""

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.masterplan = masterplan
        limit(self, "organization", organization_choices(masterplan=masterplan))


class MembershipForm(PlanOrganizationForm[NetworkMembership]):
    class Meta:
        model = NetworkMembership
        fields = (
            "organization",
            "joined_year",
            "left_year",
            "figures_public",
            "external_id",
            "publication",
        )


class StructuralChangeForm(PlanOrganizationForm[StructuralChange]):
    class Meta:
        model = StructuralChange
        fields = (
            "organization",
            "year",
            "kind",
            "base_year_effect_t",
            "description",
            "external_id",
            "publication",
        )


class FactorForm(VersionedModelForm[EmissionFactor]):
    class Meta:
        model = EmissionFactor
        fields = ("carrier", "year", "value", "unit", "basis", "status", "source", "vintage")


class PolicyForm(VersionedModelForm[ClimatePolicy]):
    class Meta:
        model = ClimatePolicy
        fields = (
            "network",
            "base_year",
            "significance_percent",
            "target_reduction_percent",
            "target_year",
            "target_method",
            "publication",
        )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.masterplan = masterplan
        limit(self, "network", organization_choices(masterplan=masterplan))
