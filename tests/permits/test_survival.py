"""Permit statistics: hand-computed examples and a cross-check against lifelines."""

import math
import warnings

import numpy as np
import pytest
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.utils import median_survival_times, qth_survival_time

from masterplan.permits.survival import (
    DECIDED,
    OPEN,
    WITHDRAWN,
    CityRecords,
    Definition,
    PublishedMedian,
    bootstrap_medians,
    bootstrap_ranking,
    cumulative_incidence,
    cumulative_incidence_by_group,
    dashboard_statistics,
    day_histograms,
    group_like_with_like,
    kaplan_meier,
    kaplan_meier_by_group,
    naive_mean_of_closed,
    share_within_deadline,
    wilson_interval,
)

# --- hand-computed examples ---------------------------------------------------------------------

# Six BauO NRW § 64 procedures of the Bauaufsicht Duisburg, net days (complete → end):
#   day  30 decided      n=6 d=1  S = 5/6           Greenwood Σ = 1/(6·5)
#   day  45 decided      n=5 d=1  S = 5/6·4/5 = 2/3   + 1/(5·4)
#   day  45 still open   (censored after the decisions of its day)
#   day  60 decided      n=3 d=1  S = 2/3·2/3 = 4/9   + 1/(3·2)  → Σ = 1/30+1/20+1/6 = 0.25
#   day  90 withdrawn    (censored for the KM median)
#   day 120 decided      n=1 d=1  S = 0
# Median: first day with S ≤ 0.5 → 60. p75 and p90: first day with S ≤ 0.25 / 0.10 → 120.
# Interval at day 60: log S = log(4/9) = −0.8109, √Σ = 0.5,
#   exp(−exp(log(0.8109) ± 1.96·0.5/0.8109)) = 0.0662 … 0.7849.
# The lower curve falls to 0.2731 ≤ 0.5 already on day 30, the upper one reaches 0 on day 120:
#   the median's interval is 30 … 120.
DUISBURG_DAYS = [30, 45, 45, 60, 90, 120]
DUISBURG_EVENTS = [DECIDED, DECIDED, OPEN, DECIDED, WITHDRAWN, DECIDED]


def test_kaplan_meier_hand_computed_example():
    km = kaplan_meier(DUISBURG_DAYS, DUISBURG_EVENTS)

    assert km.survival_at(29) == 1.0
    assert km.survival_at(30) == pytest.approx(5 / 6)
    assert km.survival_at(45) == pytest.approx(2 / 3)
    assert km.survival_at(60) == pytest.approx(4 / 9)
    assert km.survival_at(119) == pytest.approx(4 / 9)
    assert km.survival_at(120) == 0.0
    assert km.lower[60] == pytest.approx(0.0662, abs=1e-4)
    assert km.upper[60] == pytest.approx(0.7849, abs=1e-4)
    assert (km.median.days, km.median.lower, km.median.upper) == (60, 30, 120)
    assert (km.p75, km.p90) == (120, 120)
    assert (km.n, km.decided, km.withdrawn, km.open) == (6, 4, 1, 1)
    assert (km.days[0], km.days[-1]) == (0, 120)


def test_open_procedures_are_censored_not_dropped():
    # Four decisions on days 20–35 and six procedures open for 200 days: only 40 % decided,
    # so the median is not reached, though dropping the open ones would make it 25.
    days = [20, 25, 30, 35] + [200] * 6
    events = [DECIDED] * 4 + [OPEN] * 6

    km = kaplan_meier(days, events)

    assert km.median.days is None
    assert km.survival_at(200) == pytest.approx(0.6)
    assert kaplan_meier(days[:4], events[:4]).median.days == 25


def test_median_upper_bound_not_reached_when_the_upper_curve_stays_above_half():
    km = kaplan_meier([*DUISBURG_DAYS[:4], 300, 300], [*DUISBURG_EVENTS[:4], OPEN, OPEN])

    assert km.median.days == 60
    assert km.median.upper is None
    assert km.p90 is None


def test_a_median_of_exactly_one_half_is_the_first_day_it_is_reached():
    # Six decisions on days 10, 20, … 60: S(30) = 1/2 in exact arithmetic. lifelines compares the
    # float 0.5000000000000001 and says 40; the first day with S ≤ 0.5 is 30.
    days = [10, 20, 30, 40, 50, 60]

    km = kaplan_meier(days, [DECIDED] * 6)

    assert km.median.days == 30
    assert KaplanMeierFitter().fit(days).median_survival_time_ == 40


def test_all_open_and_empty_inputs_report_not_reached():
    all_open = kaplan_meier([10, 40, 90], [OPEN] * 3)
    empty = kaplan_meier([], [])

    assert all_open.median == empty.median
    assert all_open.median.days is None and all_open.median.lower is None
    assert all_open.survival.tolist() == [1.0] * 91
    assert (empty.n, empty.survival.size, empty.p75) == (0, 0, None)
    assert cumulative_incidence([], [], 90).value is None
    assert naive_mean_of_closed([], []) is None


def test_bad_records_are_refused():
    with pytest.raises(ValueError, match="negative"):
        kaplan_meier([10, -3], [DECIDED, DECIDED])
    with pytest.raises(ValueError, match="event codes"):
        kaplan_meier([10, 3], [DECIDED, 7])
    with pytest.raises(ValueError, match="equal length"):
        kaplan_meier([10, 3], [DECIDED])


# Five BImSchG § 19 procedures of the Immissionsschutz Düsseldorf:
#   day 10 decided    n=5  F += 1 · 1/5 = 0.2        pending P = 4/5
#   day 20 withdrawn  n=4                            P = 4/5 · 3/4 = 3/5
#   day 30 decided    n=3  F += 3/5 · 1/3 = 0.2 → 0.4  P = 2/5
#   day 40 open       (censored)
#   day 50 decided    n=1  F += 2/5 · 1/1 = 0.4 → 0.8
# Treating the withdrawal as censored (1 − KM) would claim 1.0 decided by day 50.
DUESSELDORF_DAYS = [10, 20, 30, 40, 50]
DUESSELDORF_EVENTS = [DECIDED, WITHDRAWN, DECIDED, OPEN, DECIDED]


def test_cumulative_incidence_hand_computed_example():
    by_day = {
        day: cumulative_incidence(DUESSELDORF_DAYS, DUESSELDORF_EVENTS, day).value
        for day in (9, 10, 29, 30, 50, 400)
    }

    assert by_day == pytest.approx({9: 0.0, 10: 0.2, 29: 0.2, 30: 0.4, 50: 0.8, 400: 0.8})
    assert 1 - kaplan_meier(DUESSELDORF_DAYS, DUESSELDORF_EVENTS).survival_at(50) == 1.0


def test_decisions_on_day_zero_count_in_the_cumulative_incidence():
    # Decided on the day the application became complete: 1 of 5 at day 0. lifelines' fitter
    # sets its first row to 0 and so drops this decision (0.6 instead of 0.8 by day 40).
    days, events = [0, 10, 20, 30, 40], [DECIDED, DECIDED, WITHDRAWN, OPEN, DECIDED]
    lifelines_by_day_40 = (
        AalenJohansenFitter().fit(days, events, event_of_interest=DECIDED).cumulative_density_
    ).iloc[-1, 0]

    assert cumulative_incidence(days, events, 0).value == pytest.approx(0.2)
    assert cumulative_incidence(days, events, 40).value == pytest.approx(0.8)
    assert lifelines_by_day_40 == pytest.approx(0.6)


def test_cumulative_incidence_interval_is_missing_where_the_estimate_is_zero():
    result = cumulative_incidence(DUESSELDORF_DAYS, DUESSELDORF_EVENTS, 5)

    assert (result.value, result.lower, result.upper) == (0.0, None, None)


def test_wilson_interval_hand_computed():
    # p = 0.8, z²/n = 0.3841: centre (0.8 + 0.1921) / 1.3841 = 0.7167,
    # half 1.96 / 1.3841 · √(0.016 + 0.0096) = 0.2266.
    eight_of_ten = wilson_interval(8, 10)
    none_of_ten = wilson_interval(0, 10)

    assert (eight_of_ten.lower, eight_of_ten.upper) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert (none_of_ten.lower, none_of_ten.upper) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(0, 0).share is None


def test_share_within_deadline_counts_only_procedures_whose_outcome_is_known():
    # Deadline 92 days: decided on day 30 (within), decided on day 100 (late), withdrawn on
    # day 40 (not decided within), open for 120 days (late), open for 60 days (not known yet:
    # left out) → 1 of 4.
    share = share_within_deadline(
        [30, 100, 40, 120, 60], [DECIDED, DECIDED, WITHDRAWN, OPEN, OPEN], 92
    )

    assert (share.successes, share.n, share.share) == (1, 4, 0.25)


def test_share_within_deadline_with_agreed_extensions_per_procedure():
    # BImSchG § 19, 92 days; the procedure decided on day 150 had a 3-month extension (+92).
    days, events = [30, 150, 100], [DECIDED, DECIDED, DECIDED]

    without = share_within_deadline(days, events, 92)
    with_extensions = share_within_deadline(days, events, [92, 184, 92])

    assert (without.successes, with_extensions.successes, with_extensions.n) == (1, 2, 3)


# Bauaufsicht Oberhausen decides four quick cases and leaves six open for 200 days; Bauaufsicht
# Essen decides all ten in 50 … 95 days. Naive means of closed cases: 27.5 against 72.5 days, so
# Oberhausen looks faster. KM medians: not reached against 70 days, so Essen is faster.
OBERHAUSEN = CityRecords(
    city="Oberhausen",
    durations=np.array([20, 25, 30, 35] + [200] * 6),
    events=np.array([DECIDED] * 4 + [OPEN] * 6),
)
ESSEN = CityRecords(city="Essen", durations=np.arange(50, 100, 5), events=np.full(10, DECIDED))


def test_naive_mean_of_closed_ranks_a_city_higher_than_its_km_median_does():
    assert naive_mean_of_closed(OBERHAUSEN.durations, OBERHAUSEN.events) == 27.5
    assert naive_mean_of_closed(ESSEN.durations, ESSEN.events) == 72.5

    ranking = {rank.city: rank for rank in bootstrap_ranking(records=[OBERHAUSEN, ESSEN], top=1)}

    assert ranking["Essen"].median_days == 70
    assert ranking["Oberhausen"].median_days is None
    assert (ranking["Essen"].rank, ranking["Oberhausen"].rank) == (1, 2)
    # With ten procedures each, a resample of Oberhausen has five quick decisions in about a
    # third of the draws: the bootstrap says how sure the order is.
    assert 0.5 < ranking["Essen"].p_top < 0.9
    assert (ranking["Oberhausen"].rank_lower, ranking["Oberhausen"].rank_upper) == (1, 2)


# --- against lifelines ---------------------------------------------------------------------------


def synthetic_procedures(seed, n, open_share, withdrawn_share=0.08):
    """Net days of BImSchG-like procedures: gamma durations, ties on whole days, day ≥ 1."""
    rng = np.random.default_rng(seed)
    days = rng.gamma(2.0, 60.0, n).astype(np.int64) + 1
    events = rng.choice(
        [OPEN, DECIDED, WITHDRAWN],
        size=n,
        p=[open_share, 1 - open_share - withdrawn_share, withdrawn_share],
    )
    return days, events


SCENARIOS = [(seed, 400, 0.2) for seed in range(3)] + [
    (10, 60, 0.5),  # small authority, heavy censoring
    (11, 300, 0.75),  # median not reached
    (12, 25, 0.1),  # a handful of procedures
]


@pytest.mark.parametrize(("seed", "n", "open_share"), SCENARIOS)
def test_kaplan_meier_matches_lifelines(seed, n, open_share):
    days, events = synthetic_procedures(seed, n, open_share)
    kmf = KaplanMeierFitter().fit(days, events == DECIDED)

    km = kaplan_meier(days, events)

    times = kmf.survival_function_.index.to_numpy().astype(int)
    np.testing.assert_allclose(km.survival[times], kmf.survival_function_.iloc[:, 0], atol=1e-12)
    np.testing.assert_allclose(km.lower[times], kmf.confidence_interval_.iloc[:, 0], atol=1e-12)
    np.testing.assert_allclose(km.upper[times], kmf.confidence_interval_.iloc[:, 1], atol=1e-12)
    interval = median_survival_times(kmf.confidence_interval_).iloc[0]
    expected = [
        kmf.median_survival_time_,
        interval.iloc[0],
        interval.iloc[1],
        qth_survival_time(0.25, kmf.survival_function_),
        qth_survival_time(0.10, kmf.survival_function_),
    ]
    ours = [km.median.days, km.median.lower, km.median.upper, km.p75, km.p90]
    assert [math.inf if x is None else x for x in ours] == expected


def test_lifelines_scenarios_include_a_median_not_reached():
    days, events = synthetic_procedures(11, 300, 0.75)

    assert kaplan_meier(days, events).median.days is None


def without_cross_type_ties(days, events):
    """Decisions on even, withdrawals on odd days: lifelines then needs no random jitter."""
    days = days * 2
    return np.where(events == WITHDRAWN, days + 1, days)


@pytest.mark.parametrize(("seed", "n", "open_share"), SCENARIOS)
def test_cumulative_incidence_matches_lifelines(seed, n, open_share):
    days, events = synthetic_procedures(seed, n, open_share, withdrawn_share=0.15)
    days = without_cross_type_ties(days, events)
    ajf = AalenJohansenFitter().fit(days, events, event_of_interest=DECIDED)

    for deadline in (92, 183, 214, 400):
        ours = cumulative_incidence(days, events, deadline)
        expected = ajf.cumulative_density_.loc[:deadline].iloc[-1, 0]
        lower, upper = sorted(ajf.confidence_interval_.loc[:deadline].iloc[-1])

        assert ours.value == pytest.approx(expected, abs=1e-12)
        if 0 < expected < 1:
            assert (ours.lower, ours.upper) == pytest.approx((lower, upper), abs=1e-9)


def test_cumulative_incidence_with_tied_days_is_close_to_lifelines_jittered_estimate():
    days, events = synthetic_procedures(5, 500, 0.2, withdrawn_share=0.15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns that it jitters tied times
        ajf = AalenJohansenFitter(seed=1).fit(days, events, event_of_interest=DECIDED)

    ours = cumulative_incidence(days, events, 183)

    assert ours.value == pytest.approx(ajf.cumulative_density_.loc[:183].iloc[-1, 0], abs=0.01)


# --- groups, bootstrap, like with like ----------------------------------------------------------


def test_grouped_estimates_equal_separate_ones():
    days_a, events_a = synthetic_procedures(1, 200, 0.3)
    days_b, events_b = synthetic_procedures(2, 50, 0.6)
    days = np.concatenate([days_a, days_b])
    events = np.concatenate([events_a, events_b])
    group = np.repeat([1, 0], [200, 50])

    hist = day_histograms(days, events, group, groups=3)
    by_group = kaplan_meier_by_group(hist)
    incidence = cumulative_incidence_by_group(hist, [92, 183, 92])

    assert by_group[1].median == kaplan_meier(days_a, events_a).median
    assert by_group[0].median == kaplan_meier(days_b, events_b).median
    assert by_group[2].n == 0 and incidence[2].value is None
    assert incidence[0] == cumulative_incidence(days_b, events_b, 92)
    assert incidence[1] == cumulative_incidence(days_a, events_a, 183)


def test_dashboard_statistics_cover_every_authority_and_type_with_records():
    days, events = synthetic_procedures(3, 600, 0.2)
    rng = np.random.default_rng(3)
    authority = rng.integers(0, 3, days.size)
    procedure_type = rng.integers(0, 2, days.size)
    names = ["Bauaufsicht Duisburg", "Bauaufsicht Essen", "Bauaufsicht Bochum"]

    result = dashboard_statistics(
        durations=days,
        events=events,
        authority=authority,
        procedure_type=procedure_type,
        authority_names=names,
        type_names=["BauO NRW § 64", "BImSchG § 10"],
        deadline_days=[92, 214],
        resamples=200,
    )

    assert len(result.groups) == 6
    essen_10 = next(
        g for g in result.groups if (g.authority, g.procedure_type) == (names[1], "BImSchG § 10")
    )
    chosen = (authority == 1) & (procedure_type == 1)
    assert essen_10.kaplan_meier.median == kaplan_meier(days[chosen], events[chosen]).median
    assert essen_10.incidence_by_deadline == cumulative_incidence(days[chosen], events[chosen], 214)
    assert {rank.city for rank in result.rankings["BImSchG § 10"]} == set(names)


@pytest.mark.parametrize("n", [40, 5000])  # many cells per record, many records per cell
def test_bootstrap_medians_resample_records(n):
    days, events = synthetic_procedures(4, n, 0.2)
    hist = day_histograms(days, events)
    censored = hist.open[0] + hist.withdrawn[0]

    medians = bootstrap_medians(hist.decided[0], censored, 300, np.random.default_rng(0))

    rng = np.random.default_rng(1)
    direct = []
    for _ in range(300):
        pick = rng.integers(0, n, n)
        direct.append(kaplan_meier(days[pick], events[pick]).median.days)
    assert np.median(medians) == pytest.approx(np.median(direct), rel=0.1)
    assert np.std(medians) == pytest.approx(np.std(direct), rel=0.3)


def test_bootstrap_medians_beyond_the_drawn_prefix_are_drawn_afterwards():
    # prefix_survival=0.95 draws only the first days at once, so nearly every resample needs its
    # later days drawn in the second step; prefix_survival=0 draws all days at once.
    days, events = synthetic_procedures(6, 300, 0.3)
    hist = day_histograms(days, events)
    censored = hist.open[0] + hist.withdrawn[0]

    short = bootstrap_medians(hist.decided[0], censored, 2000, np.random.default_rng(0), 0.95)
    full = bootstrap_medians(hist.decided[0], censored, 2000, np.random.default_rng(1), 0.0)

    assert np.isfinite(short).all()
    assert np.quantile(short, [0.1, 0.5, 0.9]) == pytest.approx(
        np.quantile(full, [0.1, 0.5, 0.9]), rel=0.05
    )


def test_bootstrap_ranking_is_reproducible_by_seed():
    first = bootstrap_ranking(records=[OBERHAUSEN, ESSEN], seed=7, resamples=100)
    again = bootstrap_ranking(records=[OBERHAUSEN, ESSEN], seed=7, resamples=100)

    assert first == again


def test_published_medians_are_marked_and_ranked_beside_record_level_cities():
    ranking = bootstrap_ranking(
        records=[ESSEN],
        published=[
            PublishedMedian(city="Köln", median_days=240, n=900),
            PublishedMedian(city="Bonn", median_days=30),
        ],
        top=1,
    )
    by_city = {rank.city: rank for rank in ranking}

    assert by_city["Köln"].method == "published, log-normal approximation"
    assert by_city["Bonn"].method == "published, fixed"
    assert by_city["Essen"].method == "records"
    assert [by_city[c].rank for c in ("Bonn", "Essen", "Köln")] == [1, 2, 3]
    assert by_city["Bonn"].p_top == 1.0
    assert (by_city["Köln"].rank_lower, by_city["Köln"].rank_upper) == (3, 3)


class Figure:
    def __init__(self, city, statistic, start, end):
        self.city, self.statistic, self.start, self.end = city, statistic, start, end


def test_only_figures_of_one_definition_are_grouped_together():
    figures = [
        Figure("Köln", "km_median", "received", "decided"),
        Figure("Duisburg", "km_median", "Complete", "decided"),
        Figure("Düsseldorf", "km_median", "complete ", "Decided"),
        Figure("Essen", "mean_closed", "complete", "decided"),
    ]

    grouped = group_like_with_like(figures)

    assert [f.city for f in grouped[Definition("km_median", "complete", "decided")]] == [
        "Duisburg",
        "Düsseldorf",
    ]
    assert len(grouped) == 3
