"""Service added for the measure form: fields and dependencies in one write."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from masterplan.core.models import Masterplan
from masterplan.core.services import StaleVersionError
from masterplan.plans import services
from masterplan.plans.models import Measure
from tests.factories import GoalFactory, MeasureFactory


@pytest.fixture
def measures(plan: Masterplan) -> list[Measure]:
    goal = GoalFactory(field__masterplan=plan)
    return [MeasureFactory(goal=goal, title=f"Maßnahme {n}") for n in range(3)]


def test_fields_and_dependencies_change_together(measures: list[Measure], coordinator: Any) -> None:
    first, second, _third = measures
    updated = services.measure_update_with_dependencies(
        actor=coordinator,
        measure=first,
        version=first.version,
        depends_on=[second],
        title="Gründungsberatung",
    )
    assert updated.version == first.version + 1
    assert list(Measure.objects.get(pk=first.pk).depends_on.all()) == [second]


def test_a_dependency_change_alone_makes_a_new_version(
    measures: list[Measure], coordinator: Any
) -> None:
    first, second, _third = measures
    updated = services.measure_update_with_dependencies(
        actor=coordinator, measure=first, version=first.version, depends_on=[second]
    )
    assert updated.version == first.version + 1
    with pytest.raises(StaleVersionError):
        services.measure_update_with_dependencies(
            actor=coordinator, measure=first, version=first.version, depends_on=[]
        )


def test_unchanged_form_keeps_the_version(measures: list[Measure], coordinator: Any) -> None:
    first = measures[0]
    updated = services.measure_update_with_dependencies(
        actor=coordinator, measure=first, version=first.version, depends_on=[]
    )
    assert updated.version == first.version


def test_a_cycle_changes_nothing(measures: list[Measure], coordinator: Any) -> None:
    first, second, _third = measures
    services.measure_set_dependencies(actor=coordinator, measure=second, depends_on=[first])
    with pytest.raises(ValidationError):
        services.measure_update_with_dependencies(
            actor=coordinator,
            measure=first,
            version=first.version,
            depends_on=[second],
            title="Neuer Titel",
        )
    first.refresh_from_db()
    assert first.title == "Maßnahme 0"
    assert not first.depends_on.exists()
