"""Reads of the indicators module for pages, API, exports, the bench and the review report.

Every function runs a fixed number of queries whatever the number of indicators or
observations: observations of many indicators are fetched together and grouped in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from masterplan.core.actors import Actor
from masterplan.core.filters import (
    Day,
    FilterSpec,
    ListContext,
    Ref,
    Search,
    Text,
    per_page,
    sort,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan
from masterplan.indicators import figures
from masterplan.indicators.models import Aggregation, Indicator, Observation, Scope, Target

SORTS = (
    SortOption("code", "code", ("code",)),
    SortOption("name", "name", ("name",)),
)


INDICATORS = FilterSpec(
    Indicator,
    Search("q", fields=("code", "name", "unit", "source")),
    sort(SORTS),
    per_page(),
)


def indicator_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[Indicator], str]:
    """The indicators the user may see (INDICATORS), sorted."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = INDICATORS.rows(context).select_related("responsible_organization")
    return INDICATORS.order(INDICATORS.apply(qs, filters, context), filters)


def visible_observations(user: Actor, masterplan: Masterplan) -> QuerySet[Observation]:
    """Values the user may see: published ones of published indicators for the public, and
    never those of a deleted indicator (Observation.visibility_filter)."""
    return Observation.objects.visible_to(user, masterplan)


def as_value(o: tuple[Any, ...]) -> figures.Value:
    return figures.Value(*o[1:])


VALUE_COLUMNS = (
    "indicator_id",
    "granularity",
    "period_start",
    "scope",
    "organization_id",
    "float_value",
)


def values_by_indicator(
    observations: QuerySet[Observation], indicator_ids: Iterable[int]
) -> dict[int, list[figures.Value]]:
    """The observations of these indicators as figures.Value, grouped (one query).

    The values are read as floats, which is what the series computes with (figures.series):
    a page reads thousands of them, and turning each into a Decimal first took a quarter of
    the indicator list's time. The float is the same either way: PostgreSQL converts numeric
    to the nearest double as Python does, and SQLite holds the value as that double.
    """
    grouped: dict[int, list[figures.Value]] = {}
    rows = (
        observations.filter(indicator_id__in=list(indicator_ids))
        .annotate(float_value=Cast("value", FloatField()))
        .values_list(*VALUE_COLUMNS)
    )
    for row in rows.order_by("indicator_id", "period_start", "id"):
        grouped.setdefault(row[0], []).append(as_value(row))
    return grouped


def weights_for(
    observations: QuerySet[Observation], indicators: Iterable[Indicator]
) -> dict[int, dict[tuple[int, date], Any]]:
    """For weighted means: weight indicator id → {(organisation, period start): weight}."""
    weight_ids = {
        i.weight_indicator_id
        for i in indicators
        if i.aggregation == Aggregation.WEIGHTED_MEAN and i.weight_indicator_id
    }
    result: dict[int, dict[tuple[int, date], Any]] = {pk: {} for pk in weight_ids}
    if not weight_ids:
        return result
    rows = observations.filter(indicator_id__in=weight_ids, scope=Scope.ORGANIZATION).values_list(
        "indicator_id", "organization_id", "period_start", "value"
    )
    for indicator_id, organization_id, start, value in rows:
        result[indicator_id][(organization_id, start)] = value
    return result


def series_of(
    indicator: Indicator,
    values: list[figures.Value],
    weights: dict[int, dict[tuple[int, date], Any]],
    today: date,
) -> list[figures.SeriesValue]:
    return figures.series(
        values,
        granularity=indicator.granularity,
        aggregation=indicator.aggregation,
        weights=weights.get(indicator.weight_indicator_id or 0),
        today=today,
    )


def indicator_series(indicator: Indicator, today: date | None = None) -> list[figures.SeriesValue]:
    """The series of one indicator from all its live observations (used to update key results)."""
    observations = Observation.objects.all()
    values = values_by_indicator(observations, [indicator.pk]).get(indicator.pk, [])
    weights = weights_for(observations, [indicator])
    return series_of(indicator, values, weights, today or timezone.localdate())


def main_target(targets: list[Target], today: date) -> Target | None:
    """The next target still ahead, otherwise the latest one."""
    ahead = [t for t in targets if t.target_date > today]
    if ahead:
        return min(ahead, key=lambda t: t.target_date)
    return max(targets, key=lambda t: t.target_date) if targets else None


def target_forecast(
    target: Target, indicator: Indicator, values: list[figures.SeriesValue], today: date
) -> figures.Forecast:
    return figures.forecast(
        points=[v.point for v in values],
        target_value=target.value,
        target_date=target.target_date,
        direction=indicator.direction,
        today=today,
        baseline_date=target.baseline_date,
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    series: list[figures.SeriesValue]
    target: Target | None
    forecast: figures.Forecast | None

    @property
    def latest(self) -> figures.SeriesValue | None:
        return self.series[-1] if self.series else None


def indicator_rows(
    *, user: Actor, masterplan: Masterplan, indicators: list[Indicator], today: date
) -> list[IndicatorRow]:
    """Current value, main target and forecast of each indicator, in three queries at most."""
    observations = visible_observations(user, masterplan)
    values = values_by_indicator(observations, [i.pk for i in indicators])
    weights = weights_for(observations, indicators)
    targets: dict[int, list[Target]] = {}
    for t in Target.objects.filter(indicator__in=indicators).visible_to(user, masterplan):
        targets.setdefault(t.indicator_id, []).append(t)
    rows = []
    for indicator in indicators:
        series = series_of(indicator, values.get(indicator.pk, []), weights, today)
        target = main_target(targets.get(indicator.pk, []), today)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                series=series,
                target=target,
                forecast=target_forecast(target, indicator, series, today) if target else None,
            )
        )
    return rows


@dataclass
class TargetForecast:
    target: Target
    forecast: figures.Forecast


@dataclass
class Breakdown:
    """Values per organisation (rows) and period (columns), for the page's table."""

    periods: list[tuple[str, date]]
    rows: list[tuple[str, list[Any]]]


@dataclass
class IndicatorDetail:
    indicator: Indicator
    observations: list[Observation]
    series: list[figures.SeriesValue]
    targets: list[TargetForecast]
    main: TargetForecast | None
    breakdown: Breakdown | None
    weights_missing: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def breakdown(observations: list[Observation]) -> Breakdown | None:
    per_org = [o for o in observations if o.scope == Scope.ORGANIZATION]
    if not per_org:
        return None
    periods = sorted({(o.granularity, o.period_start) for o in per_org}, key=lambda p: p[1])
    names: dict[int, str] = {}
    cells: dict[tuple[int, date, str], Any] = {}
    for o in per_org:
        assert o.organization is not None
        names[o.organization.pk] = o.organization.name
        cells[(o.organization.pk, o.period_start, o.granularity)] = o.value
    rows = [
        (name, [cells.get((pk, start, g)) for g, start in periods])
        for pk, name in sorted(names.items(), key=lambda item: item[1])
    ]
    return Breakdown([(figures.period_label(g, s), s) for g, s in periods], rows)


def indicator_detail(
    *, user: Actor, masterplan: Masterplan, indicator_id: int, today: date
) -> IndicatorDetail:
    """Everything the indicator page shows, in a fixed number of queries."""
    indicator = Indicator.objects.select_related(
        "weight_indicator", "responsible_organization"
    ).get(masterplan=masterplan, pk=indicator_id)
    observations_qs = visible_observations(user, masterplan)
    observations = list(
        observations_qs.filter(indicator=indicator)
        .select_related("organization", "entered_by")
        .order_by("period_start", "scope", "organization__name", "id")
    )
    for o in observations:  # for permission checks per row without a query each
        o.indicator = indicator
        o.masterplan = masterplan
    values = [
        figures.Value(o.granularity, o.period_start, o.scope, o.organization_id, o.value)
        for o in observations
    ]
    weights = weights_for(observations_qs, [indicator])
    series = series_of(indicator, values, weights, today)
    targets = [
        TargetForecast(t, target_forecast(t, indicator, series, today))
        for t in Target.objects.filter(indicator=indicator)
        .visible_to(user, masterplan)
        .select_related("goal", "key_result")
        .order_by("target_date", "id")
    ]
    main = main_target([t.target for t in targets], today)
    return IndicatorDetail(
        indicator=indicator,
        observations=observations,
        series=series,
        targets=targets,
        main=next((t for t in targets if t.target is main), None),
        breakdown=breakdown(observations),
    )


def of_organization(organization: int, context: ListContext) -> Q:
    """Values of one organisation; 0 means all (as the API has always read it)."""
    return Q(organization_id=organization) if organization else Q()


OBSERVATIONS = FilterSpec(
    Observation,
    Text(
        "indicator",
        lookup="indicator__code",
        max_length=40,
        api_max_length=40,
        description="indicator code",
    ),
    Day("period_from", lookup="period_start__gte", form=False),
    Day("period_until", lookup="period_start__lte", form=False),
    Text("scope", form=False),
    Ref("organization", condition=of_organization, form=False),
)


def observation_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> QuerySet[Observation]:
    """Observations for the API and exports (OBSERVATIONS): by indicator code, period range
    (by period start), scope and organisation."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = visible_observations(user, masterplan).select_related("indicator", "organization")
    qs = OBSERVATIONS.apply(qs, filters, context)
    return qs.order_by("indicator__code", "period_start", "scope", "id")


TARGETS = FilterSpec(Target, OBSERVATIONS.by_name["indicator"])


def target_list(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Target]:
    """Targets of live indicators the user may see (TARGETS: by indicator code)."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = TARGETS.rows(context).filter(indicator__deleted_at__isnull=True)
    qs = TARGETS.apply(qs, filters, context)
    return qs.select_related("indicator").order_by("indicator__code", "target_date", "id")


def linked_indicators(key_result_ids: Iterable[int]) -> dict[int, Indicator]:
    """Key result id → the indicator it takes its value from (one query)."""
    targets = Target.objects.filter(
        key_result_id__in=list(key_result_ids), indicator__deleted_at__isnull=True
    ).select_related("indicator__masterplan")
    return {t.key_result_id: t.indicator for t in targets if t.key_result_id}


def forecast_all(masterplan: Masterplan, today: date) -> int:
    """Recompute the forecast of every target of the plan; returns how many (for the bench)."""
    indicators = list(Indicator.objects.filter(masterplan=masterplan))
    observations = Observation.objects.filter(masterplan=masterplan)
    values = values_by_indicator(observations, [i.pk for i in indicators])
    weights = weights_for(observations, indicators)
    by_indicator = {i.pk: i for i in indicators}
    count = 0
    targets = Target.objects.filter(masterplan=masterplan, indicator__deleted_at__isnull=True)
    series_cache: dict[int, list[figures.SeriesValue]] = {}
    for target in targets:
        indicator = by_indicator[target.indicator_id]
        if indicator.pk not in series_cache:
            series_cache[indicator.pk] = series_of(
                indicator, values.get(indicator.pk, []), weights, today
            )
        target_forecast(target, indicator, series_cache[indicator.pk], today)
        count += 1
    return count
