"""REST API of the climate module (django-ninja router, mounted at /api/plans): energy reports
(CRUD, filters organisation and year, ETag/If-Match), members, factors and the network balance.
The same queries and services as the pages."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema

from masterplan.climate import queries, services
from masterplan.climate.models import EnergyReport, FuelUnit, NetworkMembership, ReportStatus
from masterplan.core.actors import Actor
from masterplan.core.api import Call, Crud, Operations, patch_of
from masterplan.core.models import Masterplan, PlanScopedModel
from masterplan.core.permissions import Level


def visible_rows(
    user: Actor, model: type[PlanScopedModel], masterplan: Masterplan
) -> QuerySet[Any]:
    """The records of `model` the caller may see (the models' `public_filter`: a company's
    report only with its consent to publish its figures)."""
    return model.objects.visible_to(user, masterplan)


ops = Operations("climate", __name__, visible=visible_rows)


class EnergyReportIn(Schema):
    year: int
    electricity_grid_kwh: Decimal = Field(Decimal(0), ge=0)
    own_renewables_kwh: Decimal = Field(Decimal(0), ge=0)
    green_power_kwh: Decimal = Field(Decimal(0), ge=0)
    green_power_factor: Decimal | None = Field(None, ge=0)
    natural_gas_kwh: Decimal = Field(Decimal(0), ge=0)
    heating_oil: Decimal = Field(Decimal(0), ge=0)
    heating_oil_unit: FuelUnit = FuelUnit.LITRE
    district_heat_kwh: Decimal = Field(Decimal(0), ge=0)
    diesel: Decimal = Field(Decimal(0), ge=0)
    diesel_unit: FuelUnit = FuelUnit.LITRE
    petrol: Decimal = Field(Decimal(0), ge=0)
    petrol_unit: FuelUnit = FuelUnit.LITRE
    process_t_co2: Decimal = Field(Decimal(0), ge=0)
    employees: int | None = Field(None, ge=0)
    output_value: Decimal | None = Field(None, ge=0)
    output_unit: str = ""
    estimated: bool = False
    status: ReportStatus = ReportStatus.DRAFT
    note: str = ""
    external_id: str = ""
    publication: str = "draft"


EnergyReportPatch = patch_of(
    EnergyReportIn, extra={"year": Annotated[int, Field(ge=1990, le=2100)]}
)


class EnergyReportOut(EnergyReportIn):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    version: int
    is_sample: bool
    created_at: datetime
    modified_at: datetime


COMPLETE = (
    "True when every member of the year reported and every report is computable: only then "
    "is the year compared with the base year. An incomplete year is never a year of zero "
    "emissions: its totals are null where no member reported or a report is not computable "
    "(see errors), and otherwise cover only the reports on hand (reports < members)."
)
PARTIAL = "t CO2; null when the year has no report or a report is not computable."


class YearTotalOut(Schema):
    year: int = Field(alias="total.year")
    complete: bool = Field(alias="total.complete", description=COMPLETE)
    members: int = Field(alias="total.members")
    reports: int = Field(alias="total.reports")
    scope1: Decimal | None = Field(alias="reported_scope1", description=PARTIAL)
    scope2_location: Decimal | None = Field(alias="reported_scope2_location", description=PARTIAL)
    scope2_market: Decimal | None = Field(alias="reported_scope2_market", description=PARTIAL)
    recalculated_base_location: Decimal = Field(alias="base_location")
    recalculated_base_market: Decimal = Field(alias="base_market")
    errors: list[str] = Field(alias="total.errors")


class BalanceOut(Schema):
    base_year: int = Field(alias="policy.base_year")
    target_method: str = Field(alias="policy.target_method")
    years: list[YearTotalOut] = Field(alias="rows")


reports = Crud(
    ops, "energy_report", EnergyReport, "/{plan}/climate/energy-reports", EnergyReportOut
)
reports.list(
    queries.ENERGY_REPORTS,
    lambda call, filters: call.query(queries.energy_report_list, filters),
    doc="Energy reports of the plan, filtered by organisation (id) and year.",
)


@ops.post(
    "/{plan}/climate/members/{pk}/energy-reports",
    EnergyReportOut,
    Level.OBJECT_EDIT,
    NetworkMembership,
    status=201,
)
def energy_report_create(call: Call, payload: EnergyReportIn) -> EnergyReport:
    """A member's report for a year: contributors of that company and coordinators."""
    return call.write(
        services.energy_report_create,
        payload.dict(),
        masterplan=call.masterplan,
        organization=call.obj.organization,
    )


reports.detail()
reports.update(EnergyReportPatch, services.energy_report_update)
reports.delete(services.energy_report_delete)


@ops.get("/{plan}/climate/balance", BalanceOut, Level.PLAN_VIEW)
def network_balance(call: Call) -> queries.ClimateOverview:
    """The network total by year with both Scope 2 methods and the recalculated base year."""
    return queries.climate_overview(user=call.user, masterplan=call.masterplan)
