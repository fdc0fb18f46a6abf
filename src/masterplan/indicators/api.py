"""Indicators API: indicators (with their forecast figures), observations and targets.

Reads go through indicators/queries.py, writes through indicators/services.py, so the API
shows and checks exactly what the pages do. Lists run a constant number of queries.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from masterplan.core.api import (
    ERRORS,
    TrackedOut,
    actor,
    declare,
    errors_named,
    object_for,
    patch_fields,
    plan_for,
    resolve_ids,
    version_from,
    with_etag,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import Level
from masterplan.directory.models import Organization
from masterplan.indicators import queries, services
from masterplan.indicators.figures import METHODS
from masterplan.indicators.models import (
    Aggregation,
    Direction,
    Granularity,
    Indicator,
    Observation,
    ObservationStatus,
    Scope,
    Target,
)
from masterplan.plans.models import Goal, KeyResult

router = Router(tags=["indicators"])

REFERENCES: dict[str, type[Model]] = {
    "weight_indicator_id": Indicator,
    "responsible_organization_id": Organization,
    "organization_id": Organization,
    "goal_id": Goal,
    "key_result_id": KeyResult,
}


def resolved(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    return resolve_ids(masterplan, data, REFERENCES)


def errors_named_as_sent() -> Any:
    return errors_named(REFERENCES)


def today() -> date:
    return timezone.localdate()


# --- Schemas -----------------------------------------------------------------------------------


class ForecastOut(Schema):
    target_id: int
    target_value: float
    target_date: date
    status: str
    status_label: str
    points_used: int
    slope_per_year: float | None
    projected: float | None
    band_low: float | None
    band_high: float | None
    target_passed: bool
    current_value: float | None
    current_on: date | None
    years_left: float
    annual_rate: float | None = Field(description="r = 1 − (target ÷ current)^(1 ÷ years left)")
    annual_change: float | None = Field(description="(target − current) ÷ years left")


class SeriesOut(Schema):
    period: str
    period_start: date
    value: float
    basis: str
    organizations: int


class IndicatorIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    unit: str = Field("", max_length=40)
    direction: Direction = Direction.HIGHER
    aggregation: Aggregation = Aggregation.SUM
    weight_indicator_id: int | None = None
    granularity: Granularity = Granularity.YEAR
    method: str = ""
    source: str = Field("", max_length=300)
    responsible_organization_id: int | None = None
    external_id: str = ""
    publication: Publication = Publication.DRAFT


class IndicatorPatch(Schema):
    version: int | None = None
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, max_length=40)
    direction: Direction | None = None
    aggregation: Aggregation | None = None
    weight_indicator_id: int | None = None
    granularity: Granularity | None = None
    method: str | None = None
    source: str | None = Field(None, max_length=300)
    responsible_organization_id: int | None = None
    external_id: str | None = None
    publication: Publication | None = None


class IndicatorOut(TrackedOut):
    id: int
    code: str
    name: str
    unit: str
    direction: str
    aggregation: str
    weight_indicator_id: int | None
    granularity: str
    method: str
    source: str
    responsible_organization_id: int | None
    current_value: float | None
    current_period: str | None


class IndicatorDetailOut(IndicatorOut):
    series: list[SeriesOut]
    forecasts: list[ForecastOut]
    methods: dict[str, str]


class IndicatorFilter(Schema):
    q: str = Field("", max_length=200)
    sort: str = "code"


class ObservationIn(Schema):
    period: str = Field(max_length=20, description="2024, 2024-Q3, 2024-05 or a date")
    value: Decimal | None = None
    scope: Scope = Scope.MASTERPLAN
    organization_id: int | None = None
    region_code: str = Field("", max_length=20)
    region_name: str = Field("", max_length=120)
    status: ObservationStatus = ObservationStatus.FINAL
    source: str = Field("", max_length=300)
    external_id: str = ""


class ObservationPatch(Schema):
    version: int | None = None
    period: str | None = Field(None, max_length=20)
    value: Decimal | None = None
    scope: Scope | None = None
    organization_id: int | None = None
    region_code: str | None = Field(None, max_length=20)
    region_name: str | None = Field(None, max_length=120)
    status: ObservationStatus | None = None
    source: str | None = Field(None, max_length=300)
    external_id: str | None = None


class ObservationOut(TrackedOut):
    id: int
    indicator_id: int
    indicator_code: str = Field(alias="indicator.code")
    granularity: str
    period: str = Field(alias="period_label")
    period_start: date
    value: float
    scope: str
    organization_id: int | None
    region_code: str
    region_name: str
    status: str
    source: str


class ObservationFilter(Schema):
    indicator: str = Field("", max_length=40, description="indicator code")
    period_from: date | None = None
    period_until: date | None = None
    scope: str = ""
    organization: int | None = None


class TargetIn(Schema):
    value: Decimal | None = None
    target_date: date | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    goal_id: int | None = None
    key_result_id: int | None = None
    note: str = Field("", max_length=300)
    external_id: str = ""


class TargetPatch(Schema):
    version: int | None = None
    value: Decimal | None = None
    target_date: date | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    goal_id: int | None = None
    key_result_id: int | None = None
    note: str | None = Field(None, max_length=300)
    external_id: str | None = None
    publication: Publication | None = None


class TargetOut(TrackedOut):
    id: int
    indicator_id: int
    indicator_code: str = Field(alias="indicator.code")
    value: float
    target_date: date
    baseline_value: float | None
    baseline_date: date | None
    goal_id: int | None
    key_result_id: int | None
    note: str


class TargetFilter(Schema):
    indicator: str = Field("", max_length=40, description="indicator code")


# --- Output with figures -----------------------------------------------------------------------


def forecast_out(tf: queries.TargetForecast) -> dict[str, Any]:
    f = tf.forecast
    return {
        "target_id": tf.target.pk,
        "target_value": f.target_value,
        "target_date": f.target_date,
        "status": f.status.value,
        "status_label": f.status_label,
        "points_used": f.points_used,
        "slope_per_year": f.slope_per_year,
        "projected": f.projected,
        "band_low": f.band[0] if f.band else None,
        "band_high": f.band[1] if f.band else None,
        "target_passed": f.target_passed,
        "current_value": f.current.value if f.current else None,
        "current_on": f.current.on if f.current else None,
        "years_left": f.years_left,
        "annual_rate": f.annual_rate,
        "annual_change": f.annual_change,
    }


def series_out(values: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "period": v.label,
            "period_start": v.period_start,
            "value": v.value,
            "basis": v.basis,
            "organizations": v.organizations,
        }
        for v in values
    ]


def indicator_fields(indicator: Indicator, latest: Any) -> dict[str, Any]:
    names = [n for n in IndicatorOut.model_fields if n not in ("current_value", "current_period")]
    data = {name: getattr(indicator, name) for name in names}
    data["current_value"] = latest.value if latest else None
    data["current_period"] = latest.label if latest else None
    return data


def indicator_detail_out(request: HttpRequest, indicator: Indicator) -> dict[str, Any]:
    detail = queries.indicator_detail(
        user=actor(request),
        masterplan=indicator.masterplan,
        indicator_id=indicator.pk,
        today=today(),
    )
    latest = detail.series[-1] if detail.series else None
    return {
        **indicator_fields(detail.indicator, latest),
        "series": series_out(detail.series),
        "forecasts": [forecast_out(tf) for tf in detail.targets],
        "methods": {name: str(text) for name, text in METHODS.items()},
    }


class WithCurrentValues:
    """The paginator's page of indicators with their current values, in constant queries."""

    def __init__(self, request: HttpRequest, masterplan: Masterplan, queryset: Any) -> None:
        self.request = request
        self.masterplan = masterplan
        self.queryset = queryset

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        rows = queries.indicator_rows(
            user=actor(self.request),
            masterplan=self.masterplan,
            indicators=list(self.queryset[window]),
            today=today(),
        )
        return [indicator_fields(r.indicator, r.latest) for r in rows]


# --- Indicators --------------------------------------------------------------------------------


@router.get(
    "/{plan}/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def indicator_list(request: HttpRequest, plan: str, filters: Query[IndicatorFilter]) -> Any:
    """Indicators with their current value (the latest value of their series)."""
    masterplan = plan_for(request, plan)
    qs, _sort = queries.indicator_list(
        user=actor(request), masterplan=masterplan, q=filters.q, sort=filters.sort
    )
    return WithCurrentValues(request, masterplan, qs)


@router.post(
    "/{plan}/indicators",
    response={201: IndicatorDetailOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE),
)
def indicator_create(
    request: HttpRequest, plan: str, payload: IndicatorIn, response: HttpResponse
) -> Any:
    masterplan = plan_for(request, plan, Level.PLAN_MANAGE)
    with errors_named_as_sent():
        indicator = services.indicator_create(
            actor=actor(request), masterplan=masterplan, **resolved(masterplan, payload.dict())
        )
    with_etag(response, indicator)
    return Status(201, indicator_detail_out(request, indicator))


@router.get(
    "/{plan}/indicators/{pk}",
    response={200: IndicatorDetailOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Indicator),
)
def indicator_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    """The indicator with its series and the forecast figures of each target (see `methods`)."""
    indicator = object_for(request, Indicator, plan, pk)
    with_etag(response, indicator)
    return indicator_detail_out(request, indicator)


@router.patch(
    "/{plan}/indicators/{pk}",
    response={200: IndicatorDetailOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Indicator),
)
def indicator_update(
    request: HttpRequest, plan: str, pk: int, payload: IndicatorPatch, response: HttpResponse
) -> Any:
    indicator = object_for(request, Indicator, plan, pk, edit=True)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.indicator_update(
            actor=actor(request),
            indicator=indicator,
            version=version,
            **resolved(indicator.masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return indicator_detail_out(request, updated)


@router.delete(
    "/{plan}/indicators/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, Indicator),
)
def indicator_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    indicator = object_for(request, Indicator, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    services.indicator_delete(
        actor=actor(request), indicator=indicator, version=version_from(request, version)
    )
    return Status(204, None)


# --- Observations ------------------------------------------------------------------------------


@router.get(
    "/{plan}/indicator-observations",
    response={200: list[ObservationOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=100)
def observation_list(request: HttpRequest, plan: str, filters: Query[ObservationFilter]) -> Any:
    """Observations, filtered by indicator code, period range (period start), scope and
    organisation id."""
    return queries.observation_list(
        user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
    )


@router.post(
    "/{plan}/indicators/{pk}/observations",
    response={201: ObservationOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_CREATE, Indicator),
)
def observation_create(
    request: HttpRequest, plan: str, pk: int, payload: ObservationIn, response: HttpResponse
) -> Any:
    """Record a value; a period already recorded for the same subject is refused (422).
    Contributors record values of their own organisation."""
    indicator = object_for(request, Indicator, plan, pk)
    masterplan = plan_for(request, plan, Level.PLAN_CREATE)
    data = payload.dict()
    with errors_named_as_sent():
        services.normalised_period(indicator, data["period"])
        observation = services.observation_record(
            actor=actor(request), indicator=indicator, **resolved(masterplan, data)
        )
    with_etag(response, observation)
    return Status(201, observation)


@router.get(
    "/{plan}/indicator-observations/{pk}",
    response={200: ObservationOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Observation),
)
def observation_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    observation = object_for(request, Observation, plan, pk)
    with_etag(response, observation)
    return observation


@router.patch(
    "/{plan}/indicator-observations/{pk}",
    response={200: ObservationOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Observation),
)
def observation_update(
    request: HttpRequest, plan: str, pk: int, payload: ObservationPatch, response: HttpResponse
) -> Any:
    observation = object_for(request, Observation, plan, pk, edit=True)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.observation_update(
            actor=actor(request),
            observation=observation,
            version=version,
            **resolved(observation.masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return updated


@router.delete(
    "/{plan}/indicator-observations/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Observation),
)
def observation_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    observation = object_for(request, Observation, plan, pk, edit=True)
    services.observation_delete(
        actor=actor(request), observation=observation, version=version_from(request, version)
    )
    return Status(204, None)


# --- Targets -----------------------------------------------------------------------------------


@router.get(
    "/{plan}/indicator-targets",
    response={200: list[TargetOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=100)
def target_list(request: HttpRequest, plan: str, filters: Query[TargetFilter]) -> Any:
    return queries.target_list(
        user=actor(request), masterplan=plan_for(request, plan), indicator=filters.indicator
    )


@router.post(
    "/{plan}/indicators/{pk}/targets",
    response={201: TargetOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Indicator),
)
def target_create(
    request: HttpRequest, plan: str, pk: int, payload: TargetIn, response: HttpResponse
) -> Any:
    """A target; with `key_result_id` the key result takes its value from this indicator."""
    indicator = object_for(request, Indicator, plan, pk, edit=True)
    data = resolved(indicator.masterplan, payload.dict())
    missing = {
        name: [_("A value is required.")]
        for name in ("value", "target_date")
        if data.get(name) is None
    }
    if missing:
        raise ValidationError(missing)
    with errors_named_as_sent():
        target = services.target_create(actor=actor(request), indicator=indicator, **data)
    with_etag(response, target)
    return Status(201, target)


@router.get(
    "/{plan}/indicator-targets/{pk}",
    response={200: TargetOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Target),
)
def target_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    target = object_for(request, Target, plan, pk)
    with_etag(response, target)
    return target


@router.patch(
    "/{plan}/indicator-targets/{pk}",
    response={200: TargetOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Target),
)
def target_update(
    request: HttpRequest, plan: str, pk: int, payload: TargetPatch, response: HttpResponse
) -> Any:
    target = object_for(request, Target, plan, pk, edit=True)
    version = version_from(request, payload.version)
    with errors_named_as_sent():
        updated = services.target_update(
            actor=actor(request),
            target=target,
            version=version,
            **resolved(target.masterplan, patch_fields(payload)),
        )
    with_etag(response, updated)
    return updated


@router.delete(
    "/{plan}/indicator-targets/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Target),
)
def target_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    target = object_for(request, Target, plan, pk, edit=True)
    services.target_delete(
        actor=actor(request), target=target, version=version_from(request, version)
    )
    return Status(204, None)
