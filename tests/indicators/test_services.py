"""Writes: observations with the period rule, audit, permissions, linked key results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.services import StaleVersionError
from masterplan.directory.models import Organization
from masterplan.indicators import services
from masterplan.indicators.models import Indicator, Observation
from masterplan.plans.models import KeyResult, KeyResultReading
from tests.clock import on_day
from tests.factories import KeyResultFactory, OrganizationFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory


@pytest.fixture
def indicator(plan: Masterplan, own_org: Organization) -> Indicator:
    return IndicatorFactory(masterplan=plan, code="DU-GEN-DAUER", responsible_organization=own_org)


def test_recording_normalises_the_period_and_audits(indicator: Indicator, coordinator: Any) -> None:
    observation = services.observation_record(
        actor=coordinator, indicator=indicator, period="15.05.2024", value=Decimal("77")
    )
    assert (observation.granularity, observation.period_start) == ("year", date(2024, 1, 1))
    assert observation.entered_by == coordinator
    assert observation.publication == indicator.publication
    entry = AuditEntry.objects.get(action="indicators.observation.recorded")
    assert entry.object_id == str(observation.pk)


def test_a_second_value_for_the_same_period_is_refused(
    indicator: Indicator, coordinator: Any
) -> None:
    services.observation_record(actor=coordinator, indicator=indicator, period="2024", value=77)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.observation_record(
            actor=coordinator, indicator=indicator, period="01.07.2024", value=80
        )
    assert "A value for 2024 (whole masterplan) is already recorded: 77" in str(error.value)
    assert Observation.objects.count() == 1


def test_the_same_period_for_two_organisations_is_fine(
    indicator: Indicator, coordinator: Any, own_org: Organization, other_org: Organization
) -> None:
    for org in (own_org, other_org):
        services.observation_record(
            actor=coordinator,
            indicator=indicator,
            period="2024",
            value=70,
            scope="organization",
            organization=org,
        )
    assert Observation.objects.count() == 2


def test_a_bad_period_is_explained(indicator: Indicator, coordinator: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.observation_record(
            actor=coordinator, indicator=indicator, period="im Mai", value=1
        )
    assert "period" in error.value.message_dict


def test_contributors_record_for_their_own_organisation_only(
    indicator: Indicator, other_contributor: Any, other_org: Organization, own_org: Organization
) -> None:
    services.observation_record(
        actor=other_contributor,
        indicator=indicator,
        period="2024",
        value=70,
        scope="organization",
        organization=other_org,
    )
    with pytest.raises(PermissionDenied):
        services.observation_record(
            actor=other_contributor,
            indicator=indicator,
            period="2024",
            value=70,
            scope="organization",
            organization=own_org,
        )
    with pytest.raises(PermissionDenied):
        services.observation_record(
            actor=other_contributor, indicator=indicator, period="2024", value=70
        )


def test_viewers_cannot_record(indicator: Indicator, viewer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.observation_record(actor=viewer, indicator=indicator, period="2024", value=1)


def test_a_stale_edit_is_refused(indicator: Indicator, coordinator: Any) -> None:
    observation = ObservationFactory(indicator=indicator, period_start=date(2024, 1, 1))
    services.observation_update(
        actor=coordinator, observation=observation, version=1, value=Decimal("70")
    )
    with pytest.raises(StaleVersionError):
        services.observation_update(
            actor=coordinator, observation=observation, version=1, value=Decimal("71")
        )


def test_moving_a_value_onto_a_recorded_period_is_refused(
    indicator: Indicator, coordinator: Any
) -> None:
    ObservationFactory(indicator=indicator, period_start=date(2023, 1, 1))
    later = ObservationFactory(indicator=indicator, period_start=date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.observation_update(
            actor=coordinator, observation=later, version=later.version, period="2023"
        )


@on_day(date(2026, 3, 15))  # 2025 is over: its value stands at 31 Dec
def test_a_linked_key_result_takes_the_latest_value(
    indicator: Indicator, coordinator: Any, plan: Masterplan
) -> None:
    key_result = KeyResultFactory(goal__field__masterplan=plan, baseline_value=96, target_value=60)
    services.target_create(
        actor=coordinator,
        indicator=indicator,
        value=Decimal(60),
        target_date=date(2026, 12, 31),
        key_result=key_result,
    )
    services.observation_record(actor=coordinator, indicator=indicator, period="2024", value=77)
    services.observation_record(actor=coordinator, indicator=indicator, period="2025", value=71)
    key_result.refresh_from_db()
    assert key_result.current_value == Decimal(71)
    assert key_result.current_as_of == date(2025, 12, 31)
    reading = KeyResultReading.objects.filter(key_result=key_result).latest("id")
    assert reading.source == "Kennzahl DU-GEN-DAUER, 2025"
    assert AuditEntry.objects.filter(action="plans.keyresult.updated_from_indicator").count() == 2


def test_a_key_result_follows_a_changed_and_a_deleted_value(
    indicator: Indicator, coordinator: Any, plan: Masterplan
) -> None:
    key_result = KeyResultFactory(goal__field__masterplan=plan)
    services.target_create(
        actor=coordinator,
        indicator=indicator,
        value=60,
        target_date=date(2026, 12, 31),
        key_result=key_result,
    )
    first = services.observation_record(
        actor=coordinator, indicator=indicator, period="2024", value=77
    )
    second = services.observation_record(
        actor=coordinator, indicator=indicator, period="2025", value=71
    )
    services.observation_update(
        actor=coordinator, observation=second, version=second.version, value=Decimal(69)
    )
    assert KeyResult.objects.get(pk=key_result.pk).current_value == 69
    second.refresh_from_db()
    services.observation_delete(actor=coordinator, observation=second, version=second.version)
    assert KeyResult.objects.get(pk=key_result.pk).current_value == first.value


def test_organisation_values_are_combined_for_the_key_result(
    plan: Masterplan, coordinator: Any
) -> None:
    employees = IndicatorFactory(masterplan=plan, code="DU-SVB", aggregation="sum", unit="")
    key_result = KeyResultFactory(goal__field__masterplan=plan, baseline_value=1, target_value=2)
    services.target_create(
        actor=coordinator,
        indicator=employees,
        value=3000,
        target_date=date(2027, 12, 31),
        key_result=key_result,
    )
    for n, value in enumerate((1200, 800)):
        services.observation_record(
            actor=coordinator,
            indicator=employees,
            period="2025",
            value=value,
            scope="organization",
            organization=OrganizationFactory(masterplan=plan, name=f"Hafen {n} GmbH"),
        )
    assert KeyResult.objects.get(pk=key_result.pk).current_value == 2000


def test_a_key_result_takes_its_value_from_one_indicator_only(
    indicator: Indicator, coordinator: Any, plan: Masterplan
) -> None:
    key_result = KeyResultFactory(goal__field__masterplan=plan)
    services.target_create(
        actor=coordinator,
        indicator=indicator,
        value=60,
        target_date=date(2026, 12, 31),
        key_result=key_result,
    )
    other = IndicatorFactory(masterplan=plan, code="DU-X")
    with pytest.raises(ValidationError) as error:
        services.target_create(
            actor=coordinator,
            indicator=other,
            value=1,
            target_date=date(2026, 12, 31),
            key_result=key_result,
        )
    assert "DU-GEN-DAUER" in str(error.value)


def test_codes_are_unique_per_plan(plan: Masterplan, admin: Any, indicator: Indicator) -> None:
    with pytest.raises(ValidationError):
        services.indicator_create(actor=admin, masterplan=plan, code="DU-GEN-DAUER", name="Doppelt")


def test_publishing_an_indicator_publishes_its_values(plan: Masterplan, coordinator: Any) -> None:
    draft = IndicatorFactory(masterplan=plan, publication="draft")
    services.observation_record(actor=coordinator, indicator=draft, period="2024", value=1)
    services.indicator_update(
        actor=coordinator, indicator=draft, version=draft.version, publication="published"
    )
    assert Observation.objects.get().publication == "published"
