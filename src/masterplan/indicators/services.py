"""Every write to indicators, observations and targets: views, the API and the importer call
these functions. A changed observation or target updates the key results linked through a
target (plans.services.key_result_take_value, audited there)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.figure_sources import figure_source
from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_create_in,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
)
from masterplan.core.services import create_tracked, delete_tracked, update_tracked
from masterplan.indicators import figures
from masterplan.indicators.models import Indicator, Observation, Scope, Target
from masterplan.plans.models import Goal, KeyResult
from masterplan.plans.services import key_result_take_value

# --- Indicators --------------------------------------------------------------------------------


def ensure_code_free(masterplan: Masterplan, code: str, exclude: int | None = None) -> None:
    taken = Indicator.all_objects.filter(masterplan=masterplan, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if code and taken.exists():
        raise ValidationError(
            {"code": _("The code “%(code)s” is already used in this masterplan.") % {"code": code}}
        )


def ensure_same_plan(masterplan: Masterplan, **related: Any) -> None:
    errors = {
        name: _("There is no such record in this masterplan.")
        for name, obj in related.items()
        if obj is not None and obj.masterplan_id != masterplan.pk
    }
    if errors:
        raise ValidationError(errors)


def ensure_known_source(key: str | None) -> None:
    if key and figure_source(key) is None:
        raise ValidationError({"follows": _("Unknown computed figure “%(key)s”.") % {"key": key}})


def indicator_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> Indicator:
    """A new indicator; coordinators define what the partnership measures."""
    ensure(can_manage(actor, masterplan))
    ensure_code_free(masterplan, fields.get("code", ""))
    ensure_known_source(fields.get("follows"))
    ensure_same_plan(
        masterplan,
        weight_indicator=fields.get("weight_indicator"),
        responsible_organization=fields.get("responsible_organization"),
    )
    return create_tracked(
        actor=actor,
        model=Indicator,
        action="indicators.indicator.created",
        masterplan=masterplan,
        **fields,
    )


@transaction.atomic
def indicator_update(
    *, actor: Actor, indicator: Indicator, version: int | None, **changes: Any
) -> Indicator:
    """Change an indicator; publishing it publishes its observations and targets with it."""
    ensure_can_edit(actor, indicator)
    ensure_known_source(changes.get("follows"))
    if "code" in changes:
        ensure_code_free(indicator.masterplan, changes["code"], exclude=indicator.pk)
    ensure_same_plan(
        indicator.masterplan,
        weight_indicator=changes.get("weight_indicator"),
        responsible_organization=changes.get("responsible_organization"),
    )
    updated = update_tracked(
        actor=actor,
        obj=indicator,
        version=version,
        action="indicators.indicator.updated",
        changes=changes,
    )
    if "publication" in changes:
        for model in (Observation, Target):
            model.objects.filter(indicator=updated).update(publication=updated.publication)
    sync_key_results(actor=actor, indicator=updated)
    return updated


def indicator_delete(*, actor: Actor, indicator: Indicator, version: int | None) -> None:
    ensure(can_manage(actor, indicator.masterplan))
    if Indicator.objects.filter(weight_indicator=indicator).exists():
        raise ValidationError(
            _("Other indicators take their weights from this one: change them first.")
        )
    delete_tracked(
        actor=actor, obj=indicator, version=version, action="indicators.indicator.deleted"
    )


# --- Observations ------------------------------------------------------------------------------


def ensure_can_record(actor: Actor, indicator: Indicator, organization_id: int | None) -> None:
    """Coordinators record any value; contributors those of their own organisation and of
    indicators their organisation is responsible for."""
    ensure(can_create_in(actor, indicator.masterplan))
    own = contributor_organization_id(actor, indicator.masterplan)
    ensure(own is None or own == organization_id or own in indicator.owner_organization_ids())


def subject_label(observation: Observation) -> str:
    if observation.scope == Scope.ORGANIZATION and observation.organization is not None:
        return str(observation.organization)
    if observation.scope == Scope.REGION:
        return observation.region_name or observation.region_code
    return str(_("whole masterplan"))


def ensure_period_free(observation: Observation) -> None:
    """One value per indicator, period and subject: a second one is refused, naming the first."""
    same = Observation.objects.filter(
        indicator_id=observation.indicator_id,
        granularity=observation.granularity,
        period_start=observation.period_start,
        scope=observation.scope,
    ).exclude(pk=observation.pk)
    if observation.scope == Scope.ORGANIZATION:
        same = same.filter(organization=observation.organization_id)
    else:
        same = same.filter(region_code=observation.region_code)
    first = same.first()
    if first is not None:
        raise ValidationError(
            {
                "period": _(
                    "A value for %(period)s (%(subject)s) is already recorded: %(value)s. "
                    "Change that value instead of entering a second one."
                )
                % {
                    "period": figures.period_label(first.granularity, first.period_start),
                    "subject": subject_label(observation),
                    "value": number_format(first.value.normalize()),
                }
            }
        )


def normalised_period(indicator: Indicator, period: str | date) -> tuple[str, date]:
    """(granularity, period start) from text ("2024-Q3") or a date in the period."""
    if isinstance(period, date):
        return indicator.granularity, figures.period_start(indicator.granularity, period)
    try:
        return figures.parse_period(period, indicator.granularity)
    except figures.PeriodError as error:
        raise ValidationError({"period": str(error)}) from None


@transaction.atomic
def observation_record(
    *,
    actor: Actor,
    indicator: Indicator,
    period: str | date,
    value: Decimal | None,
    scope: str = Scope.MASTERPLAN,
    organization: Any = None,
    sync: bool = True,
    **fields: Any,
) -> Observation:
    """Record one value; a period already recorded for the same subject is refused."""
    ensure_can_record(actor, indicator, getattr(organization, "pk", None))
    granularity, start = normalised_period(indicator, period)
    if value is None:
        raise ValidationError({"value": _("A value is required.")})
    ensure_same_plan(indicator.masterplan, organization=organization)
    observation = Observation(
        masterplan=indicator.masterplan,
        indicator=indicator,
        granularity=granularity,
        period_start=start,
        scope=scope,
        organization=organization,
        region_code=fields.get("region_code", ""),
    )
    ensure_period_free(observation)
    fields.setdefault("publication", indicator.publication)
    created = create_tracked(
        actor=actor,
        model=Observation,
        action="indicators.observation.recorded",
        masterplan=indicator.masterplan,
        indicator=indicator,
        granularity=granularity,
        period_start=start,
        value=value,
        scope=scope,
        organization=organization,
        entered_by=actor if actor.is_authenticated else None,
        **fields,
    )
    if sync:
        sync_key_results(actor=actor, indicator=indicator)
    return created


@transaction.atomic
def observation_update(
    *, actor: Actor, observation: Observation, version: int | None, **changes: Any
) -> Observation:
    """Change a value (or its period, status, source); the period rule applies again."""
    ensure_can_edit(actor, observation)
    indicator = observation.indicator
    if "period" in changes:
        granularity, start = normalised_period(indicator, changes.pop("period"))
        changes.update(granularity=granularity, period_start=start)
    if "organization" in changes:
        organization = changes["organization"]
        ensure_same_plan(indicator.masterplan, organization=organization)
        ensure_can_record(actor, indicator, getattr(organization, "pk", None))
    candidate = Observation(
        pk=observation.pk,
        indicator_id=observation.indicator_id,
        granularity=changes.get("granularity", observation.granularity),
        period_start=changes.get("period_start", observation.period_start),
        scope=changes.get("scope", observation.scope),
        organization_id=getattr(changes.get("organization", observation.organization), "pk", None),
        region_code=changes.get("region_code", observation.region_code),
    )
    ensure_period_free(candidate)
    updated = update_tracked(
        actor=actor,
        obj=observation,
        version=version,
        action="indicators.observation.updated",
        changes=changes,
    )
    sync_key_results(actor=actor, indicator=indicator)
    return updated


@transaction.atomic
def observation_delete(*, actor: Actor, observation: Observation, version: int | None) -> None:
    ensure_can_edit(actor, observation)
    delete_tracked(
        actor=actor, obj=observation, version=version, action="indicators.observation.deleted"
    )
    sync_key_results(actor=actor, indicator=observation.indicator)


# --- Targets -----------------------------------------------------------------------------------


def ensure_links(masterplan: Masterplan, goal: Goal | None, key_result: KeyResult | None) -> None:
    ensure_same_plan(masterplan, goal=goal, key_result=key_result)
    if goal is not None and key_result is not None and key_result.goal_id != goal.pk:
        raise ValidationError({"key_result": _("This key result belongs to another goal.")})
    if key_result is not None:
        taken = Target.objects.filter(key_result=key_result).select_related("indicator").first()
        if taken is not None:
            raise ValidationError(
                {
                    "key_result": _(
                        "This key result already takes its value from indicator %(code)s."
                    )
                    % {"code": taken.indicator.code}
                }
            )


@transaction.atomic
def target_create(*, actor: Actor, indicator: Indicator, **fields: Any) -> Target:
    ensure_can_edit(actor, indicator)
    key_result = fields.get("key_result")
    goal = fields.get("goal")
    if key_result is not None and goal is None:
        fields["goal"] = goal = key_result.goal
    ensure_links(indicator.masterplan, goal, key_result)
    fields.setdefault("publication", indicator.publication)
    target = create_tracked(
        actor=actor,
        model=Target,
        action="indicators.target.created",
        masterplan=indicator.masterplan,
        indicator=indicator,
        **fields,
    )
    sync_key_results(actor=actor, indicator=indicator)
    return target


@transaction.atomic
def target_update(*, actor: Actor, target: Target, version: int | None, **changes: Any) -> Target:
    ensure_can_edit(actor, target)
    key_result = changes.get("key_result", target.key_result)
    goal = changes.get("goal", target.goal)
    if key_result is not None and goal is None:
        changes["goal"] = goal = key_result.goal
    if "key_result" in changes and key_result is not None and key_result.pk != target.key_result_id:
        ensure_links(target.masterplan, goal, key_result)
    else:
        ensure_same_plan(target.masterplan, goal=goal)
    updated = update_tracked(
        actor=actor,
        obj=target,
        version=version,
        action="indicators.target.updated",
        changes=changes,
    )
    sync_key_results(actor=actor, indicator=updated.indicator)
    return updated


def target_delete(*, actor: Actor, target: Target, version: int | None) -> None:
    ensure_can_edit(actor, target)
    delete_tracked(actor=actor, obj=target, version=version, action="indicators.target.deleted")


# --- Key results linked through targets --------------------------------------------------------


def sync_key_results(*, actor: Actor | None, indicator: Indicator) -> list[KeyResult]:
    """Give every key result linked through a target of this indicator the latest value of
    the indicator's series (masterplan value, or the organisations' values combined)."""
    from masterplan.indicators.queries import indicator_series

    targets = list(
        Target.objects.filter(
            indicator=indicator, key_result__isnull=False, key_result__deleted_at__isnull=True
        ).select_related("key_result")
    )
    if not targets:
        return []
    values = indicator_series(indicator)
    if not values:
        return []
    latest = values[-1]
    value = Decimal(str(round(latest.value, 4)))
    as_of = latest.on  # the period's end, or today for a period still running
    source = _("Indicator %(code)s, %(period)s") % {"code": indicator.code, "period": latest.label}
    changed = []
    for target in targets:
        key_result = target.key_result
        assert key_result is not None
        if key_result.current_value == value and key_result.current_as_of == as_of:
            continue
        changed.append(
            key_result_take_value(
                actor=actor, key_result=key_result, value=value, as_of=as_of, source=source
            )
        )
    return changed


# --- Indicators that follow a computed figure (core/figure_sources.py) ---------------------

FOLLOWED_PERIODS = {"year": 10, "quarter": 12, "month": 24}


@transaction.atomic
def indicator_follow_source(
    *, actor: Actor, indicator: Indicator, today: date | None = None
) -> tuple[int, int]:
    """Record the followed figure for the indicator's recent periods (10 years, 12 quarters or
    24 months up to today): each period's value as the data stood on its last day (today for
    the current period); periods whose value changed are updated, those without a meaningful
    value are left out. Returns (recorded, updated)."""
    source = figure_source(indicator.follows) if indicator.follows else None
    if source is None:
        raise ValidationError({"follows": _("This indicator does not follow a computed figure.")})
    ensure_can_edit(actor, indicator)
    today = today or timezone.localdate()
    granularity = indicator.granularity
    start = figures.period_start(granularity, today)
    starts = [start]
    for _step in range(FOLLOWED_PERIODS.get(granularity, 10) - 1):
        starts.append(figures.period_start(granularity, starts[-1] - timedelta(days=1)))
    existing = {
        o.period_start: o
        for o in Observation.objects.filter(
            indicator=indicator, scope=Scope.MASTERPLAN, period_start__in=starts
        )
    }
    recorded = updated = 0
    for period in sorted(starts):
        value = source.value(
            indicator.masterplan, min(figures.period_end(granularity, period), today)
        )
        if value is None:
            continue
        found = existing.get(period)
        note = str(_("Computed: %(figure)s") % {"figure": source.label})
        if found is None:
            observation_record(
                actor=actor,
                indicator=indicator,
                period=period,
                value=value,
                sync=False,
                source=note,
            )
            recorded += 1
        elif found.value != value:
            update_tracked(
                actor=actor,
                obj=found,
                version=found.version,
                action="indicators.observation.updated",
                changes={"value": value, "source": note},
            )
            updated += 1
    sync_key_results(actor=actor, indicator=indicator)
    return recorded, updated
