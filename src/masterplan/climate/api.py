"""REST API of the climate module (django-ninja router, mounted at /api/plans): energy reports
(CRUD, filters organisation and year, ETag/If-Match), members, factors and the network balance.
The same queries and services as the pages."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from masterplan.climate import queries, services
from masterplan.climate.models import EnergyReport, FuelUnit, NetworkMembership, ReportStatus
from masterplan.core.api import (
    Problem,
    ValidationProblem,
    actor,
    declare,
    object_for,
    plan_for,
    version_from,
    with_etag,
)
from masterplan.core.permissions import Level

router = Router(tags=["climate"])

ERRORS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    412: Problem,
    422: ValidationProblem,
    428: Problem,
}


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


class EnergyReportPatch(Schema):
    version: int | None = None
    year: int | None = Field(None, ge=1990, le=2100)
    electricity_grid_kwh: Decimal | None = Field(None, ge=0)
    own_renewables_kwh: Decimal | None = Field(None, ge=0)
    green_power_kwh: Decimal | None = Field(None, ge=0)
    green_power_factor: Decimal | None = Field(None, ge=0)
    natural_gas_kwh: Decimal | None = Field(None, ge=0)
    heating_oil: Decimal | None = Field(None, ge=0)
    heating_oil_unit: FuelUnit | None = None
    district_heat_kwh: Decimal | None = Field(None, ge=0)
    diesel: Decimal | None = Field(None, ge=0)
    diesel_unit: FuelUnit | None = None
    petrol: Decimal | None = Field(None, ge=0)
    petrol_unit: FuelUnit | None = None
    process_t_co2: Decimal | None = Field(None, ge=0)
    employees: int | None = Field(None, ge=0)
    output_value: Decimal | None = Field(None, ge=0)
    output_unit: str | None = None
    estimated: bool | None = None
    status: ReportStatus | None = None
    note: str | None = None
    external_id: str | None = None
    publication: str | None = None


class EnergyReportOut(EnergyReportIn):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    version: int
    is_sample: bool
    created_at: datetime
    modified_at: datetime


@queries.ENERGY_REPORTS.schema
class EnergyReportFilter(Schema):
    pass


class YearTotalOut(Schema):
    year: int
    members: int
    reports: int
    scope1: Decimal
    scope2_location: Decimal
    scope2_market: Decimal
    recalculated_base_location: Decimal
    recalculated_base_market: Decimal
    errors: list[str]


class BalanceOut(Schema):
    base_year: int
    target_method: str
    years: list[YearTotalOut]


@router.get(
    "/{plan}/climate/energy-reports",
    response={200: list[EnergyReportOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def energy_report_list(request: HttpRequest, plan: str, filters: Query[EnergyReportFilter]) -> Any:
    """Energy reports of the plan, filtered by organisation (id) and year."""
    return queries.energy_report_list(
        user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
    )


@router.post(
    "/{plan}/climate/members/{pk}/energy-reports",
    response={201: EnergyReportOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, NetworkMembership),
)
def energy_report_create(
    request: HttpRequest, plan: str, pk: int, payload: EnergyReportIn, response: HttpResponse
) -> Any:
    """A member's report for a year: contributors of that company and coordinators."""
    membership = object_for(request, NetworkMembership, plan, pk, edit=True)
    report = services.energy_report_create(
        actor=actor(request),
        masterplan=membership.masterplan,
        organization=membership.organization,
        **payload.dict(),
    )
    with_etag(response, report)
    return Status(201, report)


@router.get(
    "/{plan}/climate/energy-reports/{pk}",
    response={200: EnergyReportOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, EnergyReport),
)
def energy_report_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    report = object_for(request, EnergyReport, plan, pk)
    with_etag(response, report)
    return report


@router.patch(
    "/{plan}/climate/energy-reports/{pk}",
    response={200: EnergyReportOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, EnergyReport),
)
def energy_report_update(
    request: HttpRequest, plan: str, pk: int, payload: EnergyReportPatch, response: HttpResponse
) -> Any:
    changes = payload.dict(exclude_unset=True)
    changes.pop("version", None)
    report = services.energy_report_update(
        actor=actor(request),
        report=object_for(request, EnergyReport, plan, pk, edit=True),
        version=version_from(request, payload.version),
        **changes,
    )
    with_etag(response, report)
    return report


@router.delete(
    "/{plan}/climate/energy-reports/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, EnergyReport),
)
def energy_report_delete(
    request: HttpRequest, plan: str, pk: int, version: int | None = None
) -> Any:
    services.energy_report_delete(
        actor=actor(request),
        report=object_for(request, EnergyReport, plan, pk, edit=True),
        version=version_from(request, version),
    )
    return Status(204, None)


@router.get(
    "/{plan}/climate/balance",
    response={200: BalanceOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
def network_balance(request: HttpRequest, plan: str) -> Any:
    """The network total by year with both Scope 2 methods and the recalculated base year."""
    overview = queries.climate_overview(user=actor(request), masterplan=plan_for(request, plan))
    return {
        "base_year": overview.policy.base_year,
        "target_method": overview.policy.target_method,
        "years": [
            {
                "year": row.total.year,
                "members": row.total.members,
                "reports": row.total.reports,
                "scope1": row.total.scope1,
                "scope2_location": row.total.scope2_location,
                "scope2_market": row.total.scope2_market,
                "recalculated_base_location": row.base_location,
                "recalculated_base_market": row.base_market,
                "errors": list(row.total.errors),
            }
            for row in overview.rows
        ],
    }
