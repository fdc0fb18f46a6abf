"""Indicators API: indicators (with their forecast figures), observations and targets.

Reads go through indicators/queries.py, writes through indicators/services.py, so the API
shows and checks exactly what the pages do. Lists run a constant number of queries.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

from masterplan.core.api import Call, Crud, Operations, Rows, TrackedOut, patch_of
from masterplan.core.models import Publication
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

ops = Operations(
    "indicators",
    __name__,
    references={
        "weight_indicator_id": Indicator,
        "responsible_organization_id": Organization,
        "organization_id": Organization,
        "goal_id": Goal,
        "key_result_id": KeyResult,
    },
)


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
    period: str = Field(alias="label")
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


IndicatorPatch = patch_of(IndicatorIn)


class IndicatorOut(TrackedOut):
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


ObservationPatch = patch_of(ObservationIn)


class ObservationOut(TrackedOut):
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


class TargetIn(Schema):
    value: Decimal | None = None
    target_date: date | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    goal_id: int | None = None
    key_result_id: int | None = None
    note: str = Field("", max_length=300)
    external_id: str = ""


TargetPatch = patch_of(TargetIn, extra={"publication": Publication}, after="external_id")


class TargetOut(TrackedOut):
    indicator_id: int
    indicator_code: str = Field(alias="indicator.code")
    value: float
    target_date: date
    baseline_value: float | None
    baseline_date: date | None
    goal_id: int | None
    key_result_id: int | None
    note: str


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


def indicator_fields(indicator: Indicator, latest: Any) -> dict[str, Any]:
    names = [n for n in IndicatorOut.model_fields if n not in ("current_value", "current_period")]
    data = {name: getattr(indicator, name) for name in names}
    data["current_value"] = latest.value if latest else None
    data["current_period"] = latest.label if latest else None
    return data


def indicator_detail_out(call: Call, indicator: Indicator) -> dict[str, Any]:
    detail = queries.indicator_detail(
        user=call.user,
        masterplan=call.masterplan,
        indicator_id=indicator.pk,
        today=call.today,
    )
    latest = detail.series[-1] if detail.series else None
    return {
        **indicator_fields(detail.indicator, latest),
        "series": detail.series,
        "forecasts": [forecast_out(tf) for tf in detail.targets],
        "methods": {name: str(text) for name, text in METHODS.items()},
    }


def with_current_values(call: Call, indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Indicators with their current values, in a fixed number of queries."""
    rows = queries.indicator_rows(
        user=call.user, masterplan=call.masterplan, indicators=indicators, today=call.today
    )
    return [indicator_fields(r.indicator, r.latest) for r in rows]


# --- Operations ---------------------------------------------------------------------------------

indicators = Crud(
    ops, "indicator", Indicator, "/{plan}/indicators", IndicatorDetailOut, indicator_detail_out
)
indicators.list(
    queries.INDICATORS,
    lambda call, filters: Rows(
        call, call.query(queries.indicator_list, filters)[0], with_current_values
    ),
    doc="Indicators with their current value (the latest value of their series).",
    out=IndicatorOut,
)
indicators.create(IndicatorIn, services.indicator_create, Level.PLAN_MANAGE)
indicators.detail(
    doc="The indicator with its series and the forecast figures of each target (see `methods`)."
)
indicators.update(IndicatorPatch, services.indicator_update)
indicators.delete(services.indicator_delete, Level.PLAN_MANAGE)

observations = Crud(
    ops, "observation", Observation, "/{plan}/indicator-observations", ObservationOut
)
observations.list(
    queries.OBSERVATIONS,
    lambda call, filters: call.query(queries.observation_list, filters),
    doc="Observations, filtered by indicator code, period range (period start), scope and\n"
    "organisation id.",
    page_size=100,
)


@ops.post(
    "/{plan}/indicators/{pk}/observations",
    ObservationOut,
    Level.PLAN_CREATE,
    Indicator,
    status=201,
)
def observation_create(call: Call, payload: ObservationIn) -> Observation:
    """Record a value; a period already recorded for the same subject is refused (422).
    Contributors record values of their own organisation."""
    data = payload.dict()
    services.normalised_period(call.obj, data["period"])
    return call.write(services.observation_record, data, indicator=call.obj)


observations.detail()
observations.update(ObservationPatch, services.observation_update)
observations.delete(services.observation_delete)

targets = Crud(ops, "target", Target, "/{plan}/indicator-targets", TargetOut)
targets.list(
    queries.TARGETS, lambda call, filters: call.query(queries.target_list, filters), page_size=100
)


@ops.post("/{plan}/indicators/{pk}/targets", TargetOut, Level.OBJECT_EDIT, Indicator, status=201)
def target_create(call: Call, payload: TargetIn) -> Target:
    """A target; with `key_result_id` the key result takes its value from this indicator."""
    data = call.references.resolved(call.masterplan, payload.dict())
    missing = {
        name: [_("A value is required.")]
        for name in ("value", "target_date")
        if data.get(name) is None
    }
    if missing:
        raise ValidationError(missing)
    with call.references.named_as_sent():
        return services.target_create(actor=call.user, indicator=call.obj, **data)


targets.detail()
targets.update(TargetPatch, services.target_update)
targets.delete(services.target_delete)
