"""Figures against hand-computed values, including the edge cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from masterplan.plans.figures import (
    attainment,
    measure_schedule,
    milestone_is_due_within,
    milestone_is_overdue,
    weighted_mean,
)


def test_attainment_halfway() -> None:
    # 100,000 jobs in the network, target 110,000, now 105,000 → 50 %.
    assert attainment(baseline=100_000, target=110_000, current=105_000) == pytest.approx(0.5)


def test_attainment_lower_is_better() -> None:
    # CO2 index 100 (2016) → target 67; now 70: (70 − 100) / (67 − 100) = 30/33.
    assert attainment(baseline=100, target=67, current=70) == pytest.approx(30 / 33)


def test_attainment_overshoot_is_capped_at_one() -> None:
    assert attainment(baseline=100, target=67, current=60) == 1.0


def test_attainment_going_backwards_is_zero() -> None:
    assert attainment(baseline=Decimal("12.5"), target=Decimal("8"), current=Decimal("13")) == 0.0


def test_attainment_without_current_value_is_unknown() -> None:
    assert attainment(baseline=0, target=10, current=None) is None


def test_attainment_with_target_equal_to_baseline_is_refused() -> None:
    with pytest.raises(ValueError, match="target equals baseline"):
        attainment(baseline=5, target=5, current=5)


def test_weighted_mean_by_hand() -> None:
    # (0.2·1 + 0.8·3) / (1 + 3) = 2.6 / 4 = 0.65
    assert weighted_mean([(0.2, 1), (0.8, 3)]) == pytest.approx(0.65)


def test_plain_mean_when_no_weights() -> None:
    assert weighted_mean([(0.2, None), (0.8, None), (0.5, None)]) == pytest.approx(0.5)


def test_missing_weight_counts_as_one_when_others_have_weights() -> None:
    # (0.2·1 + 0.8·2) / 3 = 0.6
    assert weighted_mean([(0.2, None), (0.8, Decimal("2"))]) == pytest.approx(0.6)


def test_no_children_is_unknown_not_zero() -> None:
    assert weighted_mean([]) is None
    assert weighted_mean([(None, 2)]) is None


def test_all_weights_zero_is_unknown() -> None:
    assert weighted_mean([(0.3, 0), (0.9, Decimal("0"))]) is None


def test_zero_weight_part_does_not_count() -> None:
    assert weighted_mean([(0.3, 0), (0.9, 1)]) == pytest.approx(0.9)


def test_unfinished_measure_past_planned_end_is_overdue() -> None:
    schedule = measure_schedule(
        planned_start=date(2025, 1, 1),
        planned_end=date(2025, 6, 30),
        actual_start=date(2025, 2, 1),
        actual_end=None,
        today=date(2025, 7, 10),
    )
    assert schedule.days_late == 10
    assert schedule.overdue
    assert schedule.start_delay_days == 31


def test_finished_late_measure_counts_days_to_actual_end() -> None:
    schedule = measure_schedule(
        planned_start=None,
        planned_end=date(2024, 12, 31),
        actual_start=None,
        actual_end=date(2025, 1, 15),
        today=date(2026, 1, 1),
    )
    assert schedule.days_late == 15
    assert schedule.finished and not schedule.overdue


def test_measure_on_time_has_no_delay() -> None:
    schedule = measure_schedule(
        planned_start=None,
        planned_end=date(2026, 12, 31),
        actual_start=None,
        actual_end=None,
        today=date(2026, 11, 22),
    )
    assert schedule.days_late == 0
    assert not schedule.overdue
    assert schedule.start_delay_days is None


def test_milestone_overdue_and_due_soon() -> None:
    today = date(2026, 11, 22)
    assert milestone_is_overdue(due=date(2026, 11, 21), achieved_on=None, today=today)
    assert not milestone_is_overdue(
        due=date(2026, 11, 21), achieved_on=date(2026, 11, 20), today=today
    )
    assert milestone_is_due_within(due=date(2026, 12, 22), achieved_on=None, today=today, days=30)
    assert not milestone_is_due_within(
        due=date(2026, 12, 23), achieved_on=None, today=today, days=30
    )


def test_stopped_measure_is_not_late() -> None:
    schedule = measure_schedule(
        planned_start=None,
        planned_end=date(2025, 1, 31),
        actual_start=None,
        actual_end=None,
        today=date(2026, 11, 22),
        stopped=True,
    )
    assert schedule.days_late == 0
    assert not schedule.overdue
