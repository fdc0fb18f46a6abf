"""Progress and schedule figures of the plan: pure functions, each with its method.

The method texts (METHODS) are shown next to the figures on the pages and in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

Number = Decimal | float | int

METHODS = {
    "attainment": _(
        "Attainment of a key result = (current − baseline) ÷ (target − baseline), limited to "
        "0–100 %. This works for “lower is better” targets too: falling from 100 to 70 "
        "towards a target of 67 is (70 − 100) ÷ (67 − 100) = 91 %."
    ),
    "rollup": _(
        "Progress of a goal, field of action or plan = weighted mean of its parts "
        "(Σ weight × progress ÷ Σ weight). Without weights every part counts equally; parts "
        "with weight 0 do not count. A goal's parts are its key results; without key results, "
        "its measures. Stopped measures do not count."
    ),
    "measure_progress": _(
        "Progress of a measure = the progress entered, otherwise the default progress of its "
        "status in the plan's status catalogue."
    ),
    "schedule": _(
        "Days late = days between the planned end and the actual end (finished measures) or "
        "today (unfinished measures past their planned end); stopped measures are never late. "
        "A milestone is overdue when its due date has passed and it is not achieved."
    ),
}


def attainment(*, baseline: Number, target: Number, current: Number | None) -> float | None:
    """clamp((current − baseline) / (target − baseline), 0, 1); None without a current value.

    Raises ValueError when target equals baseline: such a key result has nothing to attain
    (the model refuses it; importers report it).
    """
    if current is None:
        return None
    span = float(target) - float(baseline)
    if span == 0:
        raise ValueError("target equals baseline")
    return min(1.0, max(0.0, (float(current) - float(baseline)) / span))


def weighted_mean(parts: Iterable[tuple[float | None, Number | None]]) -> float | None:
    """Σ wᵢpᵢ / Σ wᵢ over (progress, weight) pairs.

    Parts without progress (None) are left out. When no part has a weight, the plain mean
    is used; when some have weights, parts without one count with weight 1. None when there
    is nothing to average or all weights are zero.
    """
    known = [(p, w) for p, w in parts if p is not None]
    if not known:
        return None
    if all(w is None for _p, w in known):
        return sum(p for p, _w in known) / len(known)
    weighted = [(p, float(w) if w is not None else 1.0) for p, w in known]
    total = sum(w for _p, w in weighted)
    if total == 0:
        return None
    return sum(p * w for p, w in weighted) / total


@dataclass(frozen=True)
class Schedule:
    days_late: int  # 0 when on time or not yet due
    finished: bool
    overdue: bool  # unfinished and past the planned end
    start_delay_days: int | None  # actual start − planned start, when both are known


def measure_schedule(
    *,
    planned_start: date | None,
    planned_end: date | None,
    actual_start: date | None,
    actual_end: date | None,
    today: date,
    stopped: bool = False,
) -> Schedule:
    """Planned against actual dates of a measure (see METHODS["schedule"]).

    A stopped measure is never late: it will not be finished.
    """
    finished = actual_end is not None or stopped
    days_late = 0
    if planned_end is not None and not stopped:
        reference = actual_end if actual_end is not None else today
        days_late = max(0, (reference - planned_end).days)
    start_delay = None
    if planned_start is not None and actual_start is not None:
        start_delay = (actual_start - planned_start).days
    return Schedule(
        days_late=days_late,
        finished=finished,
        overdue=not finished and days_late > 0,
        start_delay_days=start_delay,
    )


def milestone_is_overdue(*, due: date, achieved_on: date | None, today: date) -> bool:
    return achieved_on is None and due < today


def milestone_is_due_within(*, due: date, achieved_on: date | None, today: date, days: int) -> bool:
    return achieved_on is None and today <= due <= date.fromordinal(today.toordinal() + days)
