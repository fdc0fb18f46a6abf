"""Permit durations that do not flatter: censoring-aware statistics on plain arrays.

Pure functions on numpy arrays (no Django, no pandas). Every input is one record per procedure:

- ``durations``: whole days from the clock start (receipt or completeness) to the decision, the
  withdrawal, or the as-of date for a procedure still open;
- ``events``: ``OPEN`` (0, still open at the as-of date, i.e. right-censored), ``DECIDED`` (1, the
  event of interest) or ``WITHDRAWN`` (2, withdrawn or deemed withdrawn: a competing event).

Everything is computed from day-resolution histograms (``np.bincount`` of decisions, withdrawals
and open cases per day), so the estimators cost O(days) instead of O(records), and the grouped
variants compute all authorities × procedure types with one bincount over ``group * days + day``.

The figures and their methods (each function's docstring gives the details):

- **Kaplan–Meier** survival S(t) = P(not yet decided after t days), the product over decision days
  u ≤ t of (1 − d_u / n_u), where d_u decisions happen on day u and n_u procedures are still
  undecided and under observation at the start of day u. Open procedures are censored at their
  as-of day; *withdrawals are treated as censored too* ("time to decision were nobody to
  withdraw"), which is what the median means; the cumulative incidence below accounts for
  withdrawals as a competing event. 95 % pointwise interval: exponential Greenwood
  (log(−log S)), the default of lifelines' ``KaplanMeierFitter``.
- **Median, p75, p90**: the first day on which S(t) ≤ 0.5, 0.25, 0.10 (lifelines'
  ``qth_survival_time``); None ("not reached") when S never falls that low. The median's 95 %
  interval is read off the interval curves the same way (lifelines'
  ``median_survival_times(kmf.confidence_interval_)``).
- **Cumulative incidence** of a decision by day t (Aalen–Johansen) with withdrawal as the
  competing event, with the delta-method variance and log(−log) interval of lifelines'
  ``AalenJohansenFitter``.
- **Share decided within the deadline** among the procedures whose outcome is known (decided or
  withdrawn, or still open past the deadline), with a Wilson score interval.
- **Naive mean of closed cases**: the mean duration of the decided procedures only. It ignores the
  open ones and flatters; it exists for comparison with published figures and is named so.
- **Bootstrap ranking** of cities by KM median: resampling each city's records (as a multinomial
  draw on its day histogram, which is the same thing), 95 % rank interval and P(rank ≤ 10).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import stats

OPEN = 0
DECIDED = 1
WITHDRAWN = 2

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# lifelines' inv_normal_cdf(1 - alpha / 2) for alpha = 0.05.
Z95 = float(stats.norm.ppf(0.975))

# S(t) is a product of fractions; in floating point a value that is exactly 0.5 in exact
# arithmetic comes out as 0.5000000000000001 or 0.4999999999999999. lifelines compares the float
# as it is (six procedures decided on days 10, 20, …, 60 give it a median of 40), we compare with
# this tolerance so that the result is the exact-arithmetic one (30 there).
QUANTILE_TOLERANCE = 1e-9


# --- day histograms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DayHistograms:
    """Counts per group and day: ``decided[g, t]`` procedures of group g decided on day t, etc.

    ``days`` is the number of columns (the longest duration + 1); all groups share it.
    """

    decided: IntArray
    withdrawn: IntArray
    open: IntArray

    @property
    def groups(self) -> int:
        return int(self.decided.shape[0])

    @property
    def days(self) -> int:
        return int(self.decided.shape[1])

    @property
    def removed(self) -> IntArray:
        """Procedures leaving the risk set on day t (decided, withdrawn or censored)."""
        return self.decided + self.withdrawn + self.open

    @property
    def totals(self) -> IntArray:
        """Procedures per group."""
        totals: IntArray = self.removed.sum(axis=1)
        return totals

    @property
    def at_risk(self) -> IntArray:
        """n_t: procedures still undecided and under observation at the start of day t."""
        removed = self.removed
        return self.totals[:, None] - np.cumsum(removed, axis=1) + removed


def validated_records(durations: npt.ArrayLike, events: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """The records as int64 arrays; ValueError for negative days, unknown codes or lengths."""
    days = np.asarray(durations)
    codes = np.asarray(events)
    if days.ndim != 1 or codes.ndim != 1 or days.shape != codes.shape:
        raise ValueError("durations and events must be one-dimensional and of equal length")
    if days.size and not np.issubdtype(days.dtype, np.integer) and np.any(np.mod(days, 1) != 0):
        raise ValueError("durations must be whole days")
    days = days.astype(np.int64)
    codes = codes.astype(np.int64)
    if days.size and days.min() < 0:
        raise ValueError("a duration is negative: the end lies before the clock start")
    if codes.size and not np.isin(codes, (OPEN, DECIDED, WITHDRAWN)).all():
        raise ValueError("event codes must be 0 (open), 1 (decided) or 2 (withdrawn)")
    return days, codes


def day_histograms(
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    group: npt.ArrayLike | None = None,
    groups: int = 1,
    days: int | None = None,
) -> DayHistograms:
    """Count decisions, withdrawals and open procedures per group and day in one bincount.

    ``group`` holds each record's group number in 0 … groups − 1 (all records in group 0 when
    omitted); ``days`` widens the histograms beyond the longest duration + 1.
    """
    day, code = validated_records(durations, events)
    if group is None:
        group_of = np.zeros(day.size, dtype=np.int64)
    else:
        group_of = np.asarray(group).astype(np.int64)
        if group_of.shape != day.shape:
            raise ValueError("group must have one entry per record")
        if group_of.size and (group_of.min() < 0 or group_of.max() >= groups):
            raise ValueError("a group number lies outside 0 … groups − 1")
    width = max(int(day.max()) + 1 if day.size else 1, days or 0)
    cell = (group_of * width + day) * 3 + code
    counts = np.bincount(cell, minlength=groups * width * 3).reshape(groups, width, 3)
    return DayHistograms(
        decided=np.ascontiguousarray(counts[:, :, DECIDED]),
        withdrawn=np.ascontiguousarray(counts[:, :, WITHDRAWN]),
        open=np.ascontiguousarray(counts[:, :, OPEN]),
    )


# --- Kaplan–Meier -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MedianWithInterval:
    """A KM quantile in days with its 95 % interval; None means "not reached"."""

    days: int | None
    lower: int | None
    upper: int | None


@dataclass(frozen=True)
class KaplanMeier:
    """Time to decision of one group: the curve on days 0 … last day and its summary.

    ``survival[t]`` is S(t), the estimated share still undecided after day t; ``lower`` and
    ``upper`` its pointwise 95 % interval. ``at_risk[t]`` and ``decided_on[t]`` are the counts
    behind it (n_t and d_t).
    """

    n: int
    decided: int
    withdrawn: int
    open: int
    median: MedianWithInterval
    p75: int | None
    p90: int | None
    survival: FloatArray = field(repr=False)
    lower: FloatArray = field(repr=False)
    upper: FloatArray = field(repr=False)
    at_risk: IntArray = field(repr=False)
    decided_on: IntArray = field(repr=False)

    @property
    def days(self) -> IntArray:
        """The days of the curve, 0 … last observed day (the index of ``survival``)."""
        return np.arange(self.survival.size, dtype=np.int64)

    def survival_at(self, day: int) -> float:
        """S(day); 1.0 before day 0, the last value after the last observed day."""
        if day < 0 or self.survival.size == 0:
            return 1.0
        return float(self.survival[min(day, self.survival.size - 1)])


@dataclass(frozen=True)
class _Curves:
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray


def _kaplan_meier_curves(decided: IntArray, at_risk: IntArray) -> _Curves:
    """S(t) and its exponential Greenwood interval for each row (group) of day counts.

    log S(t) = Σ_{u ≤ t} [log(n_u − d_u) − log(n_u)], Greenwood's sum
    V(t) = Σ_{u ≤ t} d_u / (n_u (n_u − d_u)) (a term with n_u = d_u counts 0, as in lifelines),
    and the interval exp(−exp(log(−log S) ± z √V / log S)) (z = 1.96), which is 1 where S = 1
    and 0 where S = 0. Days without a decision add exactly 0, so the sums equal lifelines' sums
    over its event table term by term.
    """
    d = decided.astype(np.float64)
    n = at_risk.astype(np.float64)
    has_event = decided > 0
    safe_n = np.where(has_event, n, 1.0)
    with np.errstate(divide="ignore"):
        step = np.where(has_event, np.log(safe_n - d) - np.log(safe_n), 0.0)
        greenwood_term = np.where(
            has_event & (n > d), d / (safe_n * np.where(n > d, safe_n - d, 1.0)), 0.0
        )
    survival = np.exp(np.cumsum(step, axis=1))
    greenwood = np.cumsum(greenwood_term, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(survival)
        spread = Z95 * np.sqrt(greenwood) / v
        lower = np.exp(-np.exp(np.log(-v) - spread))
        upper = np.exp(-np.exp(np.log(-v) + spread))
    lower = np.where(np.isnan(lower), 1.0, lower)
    upper = np.where(np.isnan(upper), 1.0, upper)
    return _Curves(survival=survival, lower=lower, upper=upper)


def first_day_at_or_below(curves: FloatArray, q: float) -> list[int | None]:
    """Per row, the first day t with curve[t] ≤ q (lifelines' qth_survival_time), else None."""
    reached = curves <= q + QUANTILE_TOLERANCE
    first: list[int] = np.argmax(reached, axis=1).tolist()
    found: list[bool] = np.any(reached, axis=1).tolist()
    return [t if hit else None for t, hit in zip(first, found, strict=True)]


def kaplan_meier_by_group(histograms: DayHistograms) -> list[KaplanMeier]:
    """Kaplan–Meier time to decision for every group of the histograms at once.

    Withdrawals count as censored here (see the module docstring). The median is the first day
    with S(t) ≤ 0.5; its 95 % interval runs from the first day the lower interval curve is
    ≤ 0.5 to the first day the upper one is; p75 and p90 are the first days with S(t) ≤ 0.25 and
    ≤ 0.10 (75 % and 90 % decided). A group without records gets empty curves and Nones.
    """
    at_risk = histograms.at_risk
    curves = _kaplan_meier_curves(histograms.decided, at_risk)
    medians = first_day_at_or_below(curves.survival, 0.5)
    lowers = first_day_at_or_below(curves.lower, 0.5)
    uppers = first_day_at_or_below(curves.upper, 0.5)
    p75s = first_day_at_or_below(curves.survival, 0.25)
    p90s = first_day_at_or_below(curves.survival, 0.10)
    removed = histograms.removed
    results = []
    for g in range(histograms.groups):
        seen = np.flatnonzero(removed[g])
        width = int(seen[-1]) + 1 if seen.size else 0
        total = int(removed[g].sum())
        results.append(
            KaplanMeier(
                n=total,
                decided=int(histograms.decided[g].sum()),
                withdrawn=int(histograms.withdrawn[g].sum()),
                open=int(histograms.open[g].sum()),
                median=MedianWithInterval(
                    days=medians[g] if total else None,
                    lower=lowers[g] if total else None,
                    upper=uppers[g] if total else None,
                ),
                p75=p75s[g] if total else None,
                p90=p90s[g] if total else None,
                survival=curves.survival[g, :width].copy(),
                lower=curves.lower[g, :width].copy(),
                upper=curves.upper[g, :width].copy(),
                at_risk=at_risk[g, :width].copy(),
                decided_on=histograms.decided[g, :width].copy(),
            )
        )
    return results


def kaplan_meier(durations: npt.ArrayLike, events: npt.ArrayLike) -> KaplanMeier:
    """Kaplan–Meier time to decision of one set of procedures (see `kaplan_meier_by_group`)."""
    return kaplan_meier_by_group(day_histograms(durations, events))[0]


# --- Aalen–Johansen cumulative incidence --------------------------------------------------------


@dataclass(frozen=True)
class CumulativeIncidence:
    """P(decided within ``day`` days) with withdrawal as a competing event, and its 95 % interval.

    The interval is None where the estimate is 0 or 1 (the log(−log) interval is not defined).
    """

    day: int
    value: float | None
    lower: float | None
    upper: float | None


def cumulative_incidence_by_group(
    histograms: DayHistograms, day: int | Sequence[int] | IntArray
) -> list[CumulativeIncidence]:
    """Aalen–Johansen cumulative incidence of a decision by ``day`` (one day, or one per group).

    F(t) = Σ_{u ≤ t} S(u−1) · d1_u / n_u, where S is the KM curve with *both* decisions and
    withdrawals as events (the probability of still being pending), d1_u the decisions on day u
    and n_u the procedures at risk. Withdrawn procedures thus lower the chance of a decision
    instead of being treated as if they would still be decided later.

    Variance (Collett, *Modelling Survival Data in Medical Research*, 3rd ed., p. 411; the formula
    lifelines' ``AalenJohansenFitter`` uses), with d_u all events on day u:
    Var F(t) = Σ (F(t) − F(u))² d_u / (n_u (n_u − d_u)) + Σ S(u−1)² d1_u (n_u − d1_u) / n_u³
    − 2 Σ (F(t) − F(u)) S(u−1) d1_u / n_u², sums over days u ≤ t with an event (a first term with
    n_u = d_u counts 0). Interval by the delta method on log(−log F):
    exp(−exp(log(−log F) ± z √Var / (F |log F|))).

    Ties: all events of a day are handled together (the usual tied-data estimator). lifelines
    instead moves tied decision and withdrawal times apart at random by up to 0.0001 days, which
    puts some decisions of the deadline day after the deadline and some censorings before
    decisions; on day-resolution data its figure then differs from this one (by up to 0.02 in
    groups of 200 procedures). Without such ties both agree to rounding. lifelines also leaves
    out decisions on day 0 here; we count them. A group without records gives value None.
    """
    groups = histograms.groups
    days = np.broadcast_to(np.asarray(day, dtype=np.int64), (groups,))
    if (days < 0).any():
        raise ValueError("the day of the cumulative incidence must not be negative")
    at_risk = histograms.at_risk.astype(np.float64)
    decided = histograms.decided.astype(np.float64)
    events = decided + histograms.withdrawn
    has_event = events > 0
    safe_n = np.where(at_risk > 0, at_risk, 1.0)
    pending = np.cumprod(np.where(has_event, 1.0 - events / safe_n, 1.0), axis=1)
    lag_pending = np.concatenate([np.ones((groups, 1)), pending[:, :-1]], axis=1)
    incidence = np.cumsum(lag_pending * decided / safe_n, axis=1)
    first_term = np.where(
        has_event & (at_risk > events),
        events / (safe_n * np.where(at_risk > events, safe_n - events, 1.0)),
        0.0,
    )
    second_term = lag_pending**2 * decided * (at_risk - decided) / safe_n**3
    third_term = lag_pending * decided / safe_n**2
    totals = histograms.totals
    results = []
    for g in range(groups):
        t = int(days[g])
        if totals[g] == 0:
            results.append(CumulativeIncidence(day=t, value=None, lower=None, upper=None))
            continue
        last = min(t, histograms.days - 1)
        f_u = incidence[g, : last + 1]
        f_t = float(f_u[-1])
        gap = f_t - f_u
        variance = float(
            np.sum(first_term[g, : last + 1] * gap**2)
            + np.sum(second_term[g, : last + 1])
            - 2.0 * np.sum(third_term[g, : last + 1] * gap)
        )
        lower, upper = _log_log_interval(f_t, variance)
        results.append(CumulativeIncidence(day=t, value=f_t, lower=lower, upper=upper))
    return results


def _log_log_interval(estimate: float, variance: float) -> tuple[float | None, float | None]:
    if not 0.0 < estimate < 1.0 - 1e-12:
        return None, None
    log_estimate = math.log(estimate)
    se = math.sqrt(max(variance, 0.0)) / (estimate * abs(log_estimate))
    centre = math.log(-log_estimate)
    return math.exp(-math.exp(centre + Z95 * se)), math.exp(-math.exp(centre - Z95 * se))


def cumulative_incidence(
    durations: npt.ArrayLike, events: npt.ArrayLike, day: int
) -> CumulativeIncidence:
    """Aalen–Johansen P(decided within ``day`` days) of one set of procedures."""
    return cumulative_incidence_by_group(day_histograms(durations, events), day)[0]


# --- plain share within the deadline, naive mean ------------------------------------------------


@dataclass(frozen=True)
class Proportion:
    """successes / n with its 95 % Wilson score interval (all None when n = 0)."""

    successes: int
    n: int
    share: float | None
    lower: float | None
    upper: float | None


def wilson_interval(successes: int, n: int, z: float = Z95) -> Proportion:
    """Share with the Wilson score interval.

    (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n), p = successes / n. Unlike p ± z·SE it
    stays inside [0, 1] and is usable for small n and shares near 0 or 1.
    """
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    if n == 0:
        return Proportion(successes=0, n=0, share=None, lower=None, upper=None)
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Proportion(
        successes=successes,
        n=n,
        share=p,
        lower=max(0.0, centre - half),
        upper=min(1.0, centre + half),
    )


def share_within_deadline_by_group(
    histograms: DayHistograms, deadline_days: int | Sequence[int] | IntArray
) -> list[Proportion]:
    """Plain share decided within the deadline, with a Wilson interval, per group.

    Counted: procedures whose outcome is known, that is decided or withdrawn (at any time) or
    still open with more days behind them than the deadline. Successes: decided on a day
    ≤ deadline. Open procedures still inside the deadline are left out, since their outcome is
    not known yet; a withdrawal counts as not decided within the deadline.
    """
    deadlines = np.broadcast_to(np.asarray(deadline_days, dtype=np.int64), (histograms.groups,))
    results = []
    for g in range(histograms.groups):
        t = int(deadlines[g])
        within = int(histograms.decided[g, : t + 1].sum())
        known = (
            int(histograms.decided[g].sum())
            + int(histograms.withdrawn[g].sum())
            + int(histograms.open[g, t + 1 :].sum())
        )
        results.append(wilson_interval(within, known))
    return results


def share_within_deadline(
    durations: npt.ArrayLike, events: npt.ArrayLike, deadline_days: int | npt.ArrayLike
) -> Proportion:
    """Plain share decided within the deadline (see `share_within_deadline_by_group`).

    ``deadline_days`` is one deadline for all, or one per procedure, e.g. the statutory deadline
    with each procedure's agreed extensions added, so that the share can be shown with and
    without extensions (extensions are known to hide delay).
    """
    day, code = validated_records(durations, events)
    deadline = np.broadcast_to(np.asarray(deadline_days, dtype=np.int64), day.shape)
    within = (code == DECIDED) & (day <= deadline)
    known = (code != OPEN) | (day > deadline)
    return wilson_interval(int(within.sum()), int(known.sum()))


def naive_mean_of_closed(durations: npt.ArrayLike, events: npt.ArrayLike) -> float | None:
    """Mean duration of the decided procedures only; None when none is decided.

    This is how many cities publish their figure. It leaves out every procedure still open, and
    the long ones are open most often, so it flatters; it is shown for comparison, labelled so.
    """
    day, code = validated_records(durations, events)
    closed = day[code == DECIDED]
    return float(closed.mean()) if closed.size else None


def naive_mean_of_closed_by_group(histograms: DayHistograms) -> list[float | None]:
    """`naive_mean_of_closed` for each group, from the day histograms."""
    counts = histograms.decided.sum(axis=1)
    sums = histograms.decided @ np.arange(histograms.days, dtype=np.int64)
    return [float(s / c) if c else None for s, c in zip(sums, counts, strict=True)]


# --- bootstrap ranking --------------------------------------------------------------------------


@dataclass(frozen=True)
class CityRecords:
    """A city's record-level procedures (one statistic, one definition of start and end)."""

    city: str
    durations: IntArray
    events: IntArray


@dataclass(frozen=True)
class PublishedMedian:
    """A city that publishes only a median (in days) and, perhaps, the number of procedures."""

    city: str
    median_days: float
    n: int | None = None


@dataclass(frozen=True)
class CityRank:
    """A city's place by median duration (1 = fastest) with its bootstrap uncertainty.

    ``median_days`` is the point estimate (None: not reached), ``rank`` the rank of the point
    estimates, ``rank_lower``/``rank_upper`` the 2.5 % and 97.5 % quantiles of the bootstrap
    ranks, ``p_top`` the share of resamples with rank ≤ top. ``method`` says where the
    uncertainty came from: "records" (resampled), "published, log-normal approximation" or
    "published, fixed" (no n: no uncertainty of its own).
    """

    city: str
    median_days: float | None
    rank: int
    rank_lower: int
    rank_upper: int
    p_top: float
    method: str


def bootstrap_medians(
    decided: IntArray,
    censored: IntArray,
    resamples: int,
    rng: np.random.Generator,
    prefix_survival: float = 0.3,
) -> FloatArray:
    """KM medians of ``resamples`` bootstrap samples of one group's records (inf: not reached).

    ``decided[t]`` and ``censored[t]`` are the group's day histogram (withdrawn and open both
    count as censored for the median). Drawing n records with replacement is the same as a
    multinomial draw of n on the cells (day, decided or censored) with probabilities count / n.

    The median of a resample depends only on the days up to it, and the counts of the later
    days only through their sum. So we draw the cells up to the day on which the full sample's
    S(t) falls to ``prefix_survival`` and one cell for all later days; the few resamples that do
    not reach 0.5 within that prefix get their later days drawn afterwards, from the multinomial
    of their later-days count on those days (which is the conditional distribution: still an
    exact bootstrap). A draw is a multinomial when records outnumber cells four to one (a
    multinomial cell costs about four drawn records) and a draw of records otherwise.
    """
    day_of = np.flatnonzero(decided + censored)
    n = int(decided.sum() + censored.sum())
    if n == 0:
        return np.full(resamples, np.inf)
    cell_counts = np.stack([decided[day_of], censored[day_of]], axis=1).reshape(-1)
    point = _survival_of_cells(cell_counts[None, :], n)[0]
    below = np.flatnonzero(point <= prefix_survival + QUANTILE_TOLERANCE)
    prefix_days = int(below[0]) + 1 if below.size else day_of.size
    kept = 2 * prefix_days
    later = cell_counts[kept:]
    drawn = _resample_cells(np.append(cell_counts[:kept], later.sum()), n, resamples, rng)
    medians = _medians_of_cells(drawn[:, :kept], n, day_of[:prefix_days])
    unresolved = np.flatnonzero(np.isinf(medians)) if later.size else np.empty(0, np.int64)
    if unresolved.size:
        rest = rng.multinomial(drawn[unresolved, kept], later / later.sum())
        full = np.concatenate([drawn[unresolved, :kept], rest], axis=1)
        medians[unresolved] = _medians_of_cells(full, n, day_of)
    return medians


def _resample_cells(
    cell_counts: IntArray, n: int, resamples: int, rng: np.random.Generator
) -> IntArray:
    """``resamples`` rows of counts per cell, each a draw of n records with replacement."""
    cells = cell_counts.size
    if cells * 4 < n:
        multinomial: IntArray = rng.multinomial(n, cell_counts / n, size=resamples)
        return multinomial
    cell_of_record = np.repeat(np.arange(cells), cell_counts)
    drawn = np.empty((resamples, cells), dtype=np.int64)
    chunk = max(1, 4_000_000 // n)
    for start in range(0, resamples, chunk):
        rows = min(resamples, start + chunk) - start
        picks = cell_of_record[rng.integers(0, n, size=(rows, n))]
        picks += np.arange(rows)[:, None] * cells
        drawn[start : start + rows] = np.bincount(
            picks.reshape(-1), minlength=rows * cells
        ).reshape(rows, cells)
    return drawn


def _survival_of_cells(counts: IntArray, n: int) -> FloatArray:
    """S after each day from rows of (decided, censored) counts per day, n records per row."""
    decided = counts[:, 0::2]
    removed = decided + counts[:, 1::2]
    at_risk = n - np.cumsum(removed, axis=1) + removed
    survival: FloatArray = np.cumprod(1.0 - decided / np.maximum(at_risk, 1), axis=1)
    return survival


def _medians_of_cells(counts: IntArray, n: int, days: IntArray) -> FloatArray:
    reached = _survival_of_cells(counts, n) <= 0.5 + QUANTILE_TOLERANCE
    first = np.argmax(reached, axis=1)
    medians: FloatArray = np.where(reached.any(axis=1), days[first].astype(np.float64), np.inf)
    return medians


def _median_or_inf(km: KaplanMeier) -> float:
    return math.inf if km.median.days is None else float(km.median.days)


def published_median_samples(
    figure: PublishedMedian, resamples: int, rng: np.random.Generator
) -> tuple[FloatArray, str]:
    """Resampled medians for a city known only by its published median and n.

    With n: log-normal around the published median with sd(log median) = 1 / (ln 2 · √n), the
    large-sample spread of the median of n exponential durations (Var median ≈ 1 / (4 n f(m)²),
    f(m) = ln 2 / (2m)). It assumes no censoring, so it understates the uncertainty of a city
    with many open procedures. Without n the median is taken as fixed. The method is returned
    so that the page can mark these cities.
    """
    if figure.n is None or figure.n <= 0:
        return np.full(resamples, float(figure.median_days)), "published, fixed"
    sd = 1.0 / (math.log(2.0) * math.sqrt(figure.n))
    draws = figure.median_days * np.exp(rng.normal(0.0, sd, size=resamples))
    return draws, "published, log-normal approximation"


def rank_columns(
    cities: Sequence[str],
    point: Sequence[float],
    samples: FloatArray,
    methods: Sequence[str],
    top: int,
    rng: np.random.Generator,
) -> list[CityRank]:
    """Ranks of the columns of ``samples`` (resamples × cities), lower median = better.

    A median not reached counts as infinitely long. Ties within a resample are broken at random,
    so two cities with the same median share the chance of the better place.
    """
    count = samples.shape[1]
    if count == 0:
        return []
    order = np.lexsort((rng.random(samples.shape), samples), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, count + 1)[None, :], axis=1)
    point_ranks = stats.rankdata(np.asarray(point, dtype=np.float64), method="min")
    lower = np.quantile(ranks, 0.025, axis=0, method="inverted_cdf")
    upper = np.quantile(ranks, 0.975, axis=0, method="inverted_cdf")
    p_top = (ranks <= top).mean(axis=0)
    return [
        CityRank(
            city=cities[c],
            median_days=None if math.isinf(point[c]) else float(point[c]),
            rank=int(point_ranks[c]),
            rank_lower=int(lower[c]),
            rank_upper=int(upper[c]),
            p_top=float(p_top[c]),
            method=methods[c],
        )
        for c in range(count)
    ]


def bootstrap_ranking(
    *,
    records: Sequence[CityRecords] = (),
    published: Sequence[PublishedMedian] = (),
    resamples: int = 1000,
    top: int = 10,
    seed: int = 0,
) -> list[CityRank]:
    """Rank cities by KM median duration with bootstrap uncertainty.

    Each resample draws every city's records with replacement (B = ``resamples``) and takes its
    KM median; cities with only a published median get draws from `published_median_samples`.
    Per resample the cities are ranked (1 = shortest median); the rank interval is the 2.5 % to
    97.5 % range of a city's ranks, ``p_top`` the share of resamples in which it ranks ≤ ``top``.
    Rank only figures of one definition (see `group_like_with_like`). Reproducible by ``seed``.
    """
    rng = np.random.default_rng(seed)
    names: list[str] = []
    points: list[float] = []
    methods: list[str] = []
    columns: list[FloatArray] = []
    for city in records:
        hist = day_histograms(city.durations, city.events)
        km = kaplan_meier_by_group(hist)[0]
        censored = hist.open[0] + hist.withdrawn[0]
        columns.append(bootstrap_medians(hist.decided[0], censored, resamples, rng))
        names.append(city.city)
        points.append(_median_or_inf(km))
        methods.append("records")
    for figure in published:
        draws, method = published_median_samples(figure, resamples, rng)
        columns.append(draws)
        names.append(figure.city)
        points.append(float(figure.median_days))
        methods.append(method)
    samples = np.stack(columns, axis=1) if columns else np.empty((resamples, 0))
    return rank_columns(names, points, samples, methods, top, rng)


# --- like with like -----------------------------------------------------------------------------


class DefinedFigure(Protocol):
    """Anything that says which statistic it is and when its clock starts and ends."""

    @property
    def statistic(self) -> str: ...

    @property
    def start(self) -> str: ...

    @property
    def end(self) -> str: ...


F = TypeVar("F", bound=DefinedFigure)


@dataclass(frozen=True)
class Definition:
    """What a figure measured: statistic ("km_median", "mean_closed", …), clock start and end."""

    statistic: str
    start: str
    end: str


def group_like_with_like(figures: Iterable[F]) -> dict[Definition, list[F]]:
    """Figures grouped by their definition, so that a ranking compares only like with like.

    A median from completeness to decision and a mean from receipt to decision are different
    quantities (Köln: measuring from completeness roughly halves its figure); they land in
    different groups. Names are compared case-insensitively without surrounding blanks.
    """
    grouped: dict[Definition, list[F]] = {}
    for figure in figures:
        key = Definition(
            statistic=figure.statistic.strip().lower(),
            start=figure.start.strip().lower(),
            end=figure.end.strip().lower(),
        )
        grouped.setdefault(key, []).append(figure)
    return grouped


# --- the dashboard in one go --------------------------------------------------------------------


@dataclass(frozen=True)
class GroupStatistics:
    """The dashboard figures of one authority × procedure type."""

    authority: str
    procedure_type: str
    kaplan_meier: KaplanMeier
    deadline_days: int
    incidence_by_deadline: CumulativeIncidence
    share_within_deadline: Proportion
    naive_mean_of_closed: float | None


@dataclass(frozen=True)
class DashboardStatistics:
    groups: list[GroupStatistics]
    # procedure type → the authorities' ranks by KM median among those with procedures of it
    rankings: dict[str, list[CityRank]]


def dashboard_statistics(
    *,
    durations: npt.ArrayLike,
    events: npt.ArrayLike,
    authority: npt.ArrayLike,
    procedure_type: npt.ArrayLike,
    authority_names: Sequence[str],
    type_names: Sequence[str],
    deadline_days: Sequence[int],
    resamples: int = 1000,
    top: int = 10,
    seed: int = 0,
) -> DashboardStatistics:
    """All figures of the permit dashboard for every authority × procedure type at once.

    ``authority`` and ``procedure_type`` give each record's index into ``authority_names`` and
    ``type_names``; ``deadline_days[k]`` is the statutory deadline of type k. One bincount builds
    the day histograms of all groups; then per group: KM median with interval, p75, p90,
    cumulative incidence of a decision by the deadline, the plain share within it, the naive
    mean of closed cases; and per type the bootstrap ranking of the authorities by KM median.
    Groups without records are left out.
    """
    types = len(type_names)
    if len(deadline_days) != types:
        raise ValueError("deadline_days needs one deadline per procedure type")
    authority_of = np.asarray(authority, dtype=np.int64)
    type_of = np.asarray(procedure_type, dtype=np.int64)
    if authority_of.size and (authority_of.min() < 0 or authority_of.max() >= len(authority_names)):
        raise ValueError("an authority index lies outside authority_names")
    if type_of.size and (type_of.min() < 0 or type_of.max() >= types):
        raise ValueError("a procedure type index lies outside type_names")
    group = authority_of * types + type_of
    hist = day_histograms(durations, events, group, len(authority_names) * types)
    deadlines = np.tile(np.asarray(deadline_days, dtype=np.int64), len(authority_names))
    curves = kaplan_meier_by_group(hist)
    incidence = cumulative_incidence_by_group(hist, deadlines)
    shares = share_within_deadline_by_group(hist, deadlines)
    means = naive_mean_of_closed_by_group(hist)
    rng = np.random.default_rng(seed)
    results = []
    columns: dict[int, list[int]] = {k: [] for k in range(types)}
    for g, km in enumerate(curves):
        if km.n == 0:
            continue
        a, k = divmod(g, types)
        columns[k].append(g)
        results.append(
            GroupStatistics(
                authority=authority_names[a],
                procedure_type=type_names[k],
                kaplan_meier=km,
                deadline_days=int(deadlines[g]),
                incidence_by_deadline=incidence[g],
                share_within_deadline=shares[g],
                naive_mean_of_closed=means[g],
            )
        )
    rankings = {}
    censored = hist.open + hist.withdrawn
    for k, members in columns.items():
        samples = np.empty((resamples, len(members)))
        for column, g in enumerate(members):
            samples[:, column] = bootstrap_medians(hist.decided[g], censored[g], resamples, rng)
        points = [_median_or_inf(curves[g]) for g in members]
        names = [authority_names[g // types] for g in members]
        rankings[type_names[k]] = rank_columns(
            names, points, samples, ["records"] * len(members), top, rng
        )
    return DashboardStatistics(groups=results, rankings=rankings)
