"""The permit dashboard statistics as a data analyst would compute them: pandas + lifelines.

This is the yardstick of issue 12's benchmark: the same figures as
`masterplan.permits.survival.dashboard_statistics`, computed the straightforward way, one
lifelines fitter per authority × procedure type and a bootstrap that resamples rows:

- Kaplan–Meier median time to decision with its 95 % interval
  (`median_survival_times(kmf.confidence_interval_)`) and p90, withdrawals censored;
- Aalen–Johansen cumulative incidence of a decision by the statutory deadline, withdrawal as the
  competing event, with lifelines' interval;
- the plain share decided within the deadline with a Wilson interval; the naive mean of closed
  cases;
- per procedure type, the authorities ranked by KM median over bootstrap resamples (rows drawn
  with replacement within each authority): 95 % rank interval and P(rank ≤ 10).

Input: a `;`-separated CSV with the columns authority;type;received;complete;decided;withdrawn
(ISO dates, empty when not (yet) reached) and an as-of date. The clock is "net" (complete →
end, the default, since statutory deadlines run from the complete application) or "gross"
(received → end); rows without a start on the chosen clock are left out.

    .venv/bin/python bench/permits_reference.py var/bench/permits.csv --generate --records 1000000
    .venv/bin/python bench/permits_reference.py var/bench/permits.csv --as-of 2026-06-30 \
        --resamples 1000 --compare

`--resamples` below 1000 times a shorter bootstrap and extrapolates it linearly to 1000 (the
bootstrap's cost is proportional to the number of resamples), printed as such. `--compare` also
times `dashboard_statistics` on the same rows. `time_reference` and `time_dashboard` are what
the project's bench calls.
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.utils import median_survival_times, qth_survival_time

# Statutory decision deadlines in days from the complete application
# (reference/statutory-deadlines.md; 3 months ≈ 92 days, 6 ≈ 183, 7 ≈ 214).
DEADLINE_DAYS = {
    "BauO NRW § 64": 92,
    "BauO NRW § 65": 92,
    "BImSchG § 19": 92,
    "BImSchG § 16": 183,
    "BImSchG § 10": 214,
}

CITIES = [
    "Duisburg",
    "Düsseldorf",
    "Essen",
    "Dortmund",
    "Bochum",
    "Köln",
    "Bonn",
    "Münster",
    "Bielefeld",
    "Paderborn",
    "Siegen",
    "Aachen",
    "Wuppertal",
    "Hagen",
    "Krefeld",
    "Mönchengladbach",
    "Oberhausen",
    "Mülheim",
    "Gelsenkirchen",
    "Bottrop",
    "Recklinghausen",
    "Herne",
    "Hamm",
    "Solingen",
    "Remscheid",
    "Leverkusen",
    "Neuss",
    "Moers",
    "Gütersloh",
    "Detmold",
    "Minden",
    "Arnsberg",
    "Iserlohn",
    "Lüdenscheid",
    "Bergisch-Gladbach",
    "Düren",
    "Witten",
    "Ratingen",
    "Marl",
    "Velbert",
    "Hannover",
    "Bremen",
    "Hamburg",
    "Kassel",
    "Frankfurt",
    "Mainz",
    "Mannheim",
    "Stuttgart",
    "Nürnberg",
    "Leipzig",
]
AUTHORITIES = [f"Bauaufsicht {city}" for city in CITIES] + [
    f"Immissionsschutz {city}" for city in CITIES
]


@dataclass(frozen=True)
class Timing:
    load_seconds: float
    groups_seconds: float
    bootstrap_seconds: float
    resamples_run: int
    resamples_target: int

    @property
    def bootstrap_seconds_at_target(self) -> float:
        return self.bootstrap_seconds * self.resamples_target / max(1, self.resamples_run)

    @property
    def statistics_seconds(self) -> float:
        """Groups + bootstrap, the bootstrap extrapolated to the target number of resamples."""
        return self.groups_seconds + self.bootstrap_seconds_at_target


def generate_csv(path: Path, *, records: int, as_of: date, seed: int = 0) -> None:
    """Synthetic procedures for 100 authorities × 5 types, open and withdrawn cases included.

    Authorities differ in speed (a log-normal factor), so that rankings have something to find.
    Sample data, not real figures.
    """
    rng = np.random.default_rng(seed)
    types = list(DEADLINE_DAYS)
    authority = rng.integers(0, len(AUTHORITIES), records)
    kind = rng.integers(0, len(types), records)
    speed = np.exp(rng.normal(0.0, 0.35, len(AUTHORITIES)))[authority]
    as_of_day = np.datetime64(as_of.isoformat(), "D")
    received = as_of_day - rng.integers(0, 5 * 365, records).astype("timedelta64[D]")
    check_days = rng.gamma(2.0, 10.0, records).astype(np.int64)
    deadline = np.array([DEADLINE_DAYS[t] for t in types])[kind]
    net_days = (rng.gamma(2.5, deadline / 2.5 * 0.8, records) * speed).astype(np.int64)
    complete = received + check_days.astype("timedelta64[D]")
    end = complete + net_days.astype("timedelta64[D]")
    withdrawn = rng.random(records) < 0.08
    complete_known = complete <= as_of_day
    closed = end <= as_of_day
    frame = pd.DataFrame(
        {
            "authority": np.asarray(AUTHORITIES)[authority],
            "type": np.asarray(types)[kind],
            "received": received,
            "complete": np.where(complete_known, complete, np.datetime64("NaT")),
            "decided": np.where(closed & ~withdrawn, end, np.datetime64("NaT")),
            "withdrawn": np.where(closed & withdrawn, end, np.datetime64("NaT")),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=";", index=False, date_format="%Y-%m-%d")


def load(csv_path: Path, *, as_of: date, clock: str = "net") -> pd.DataFrame:
    """Rows with duration (days) and event (0 open, 1 decided, 2 withdrawn) on the chosen clock."""
    df = pd.read_csv(
        csv_path, sep=";", parse_dates=["received", "complete", "decided", "withdrawn"]
    )
    start = df["complete"] if clock == "net" else df["received"]
    df = df[start.notna()].copy()
    start = start[start.notna()]
    end = df["decided"].fillna(df["withdrawn"]).fillna(pd.Timestamp(as_of))
    df["duration"] = (end - start).dt.days
    df["event"] = np.select([df["decided"].notna(), df["withdrawn"].notna()], [1, 2], 0)
    return df


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def group_statistics(df: pd.DataFrame, deadline_days: dict[str, int]) -> pd.DataFrame:
    """One row of dashboard figures per authority × type, one lifelines fit per figure."""
    rows = []
    for (authority, kind), g in df.groupby(["authority", "type"]):
        deadline = deadline_days[kind]
        kmf = KaplanMeierFitter().fit(g["duration"], g["event"] == 1)
        median_ci = median_survival_times(kmf.confidence_interval_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "tied event times … randomly jittered"
            ajf = AalenJohansenFitter(seed=0).fit(g["duration"], g["event"], event_of_interest=1)
        incidence = ajf.cumulative_density_.loc[:deadline]
        interval = ajf.confidence_interval_.loc[:deadline]
        known = (g["event"] != 0) | (g["duration"] > deadline)
        within = (g["event"] == 1) & (g["duration"] <= deadline)
        rows.append(
            {
                "authority": authority,
                "type": kind,
                "n": len(g),
                "decided": int((g["event"] == 1).sum()),
                "open": int((g["event"] == 0).sum()),
                "km_median": kmf.median_survival_time_,
                "km_median_lower": median_ci.iloc[0, 0],
                "km_median_upper": median_ci.iloc[0, 1],
                "p90": qth_survival_time(0.1, kmf.survival_function_),
                "incidence_by_deadline": incidence.iloc[-1, 0] if len(incidence) else 0.0,
                "incidence_interval": tuple(sorted(interval.iloc[-1])) if len(interval) else None,
                "share_within_deadline": within.sum() / known.sum() if known.sum() else None,
                "share_interval": wilson(int(within.sum()), int(known.sum())),
                "naive_mean_of_closed": g.loc[g["event"] == 1, "duration"].mean(),
            }
        )
    return pd.DataFrame(rows)


def bootstrap_ranking(
    df: pd.DataFrame, *, resamples: int, top: int = 10, seed: int = 0
) -> pd.DataFrame:
    """Per type: resample each authority's rows, KM median per authority, rank, summarise."""
    rng = np.random.default_rng(seed)
    results = []
    for kind, of_type in df.groupby("type"):
        ranks = []
        for _ in range(resamples):
            sample = of_type.groupby("authority").sample(frac=1.0, replace=True, random_state=rng)
            medians = sample.groupby("authority").apply(
                lambda g: (
                    KaplanMeierFitter().fit(g["duration"], g["event"] == 1).median_survival_time_
                ),
                include_groups=False,
            )
            ranks.append(medians.rank(method="first"))
        table = pd.concat(ranks, axis=1)
        results.append(
            pd.DataFrame(
                {
                    "type": kind,
                    "rank_lower": table.quantile(0.025, axis=1, interpolation="lower"),
                    "rank_upper": table.quantile(0.975, axis=1, interpolation="higher"),
                    "p_top": (table <= top).mean(axis=1),
                }
            )
        )
    return pd.concat(results).reset_index()


def time_reference(
    csv_path: Path,
    *,
    as_of: date,
    clock: str = "net",
    resamples: int = 1000,
    target_resamples: int = 1000,
    deadline_days: dict[str, int] | None = None,
) -> Timing:
    """Run the reference once and time loading, the group figures and the bootstrap."""
    started = time.perf_counter()
    df = load(csv_path, as_of=as_of, clock=clock)
    loaded = time.perf_counter()
    group_statistics(df, deadline_days or DEADLINE_DAYS)
    grouped = time.perf_counter()
    bootstrap_ranking(df, resamples=resamples)
    finished = time.perf_counter()
    return Timing(
        load_seconds=loaded - started,
        groups_seconds=grouped - loaded,
        bootstrap_seconds=finished - grouped,
        resamples_run=resamples,
        resamples_target=target_resamples,
    )


def time_dashboard(
    csv_path: Path,
    *,
    as_of: date,
    clock: str = "net",
    resamples: int = 1000,
    deadline_days: dict[str, int] | None = None,
) -> Timing:
    """Time `dashboard_statistics` on the same rows (loading with pandas is timed separately)."""
    from masterplan.permits.survival import dashboard_statistics

    deadlines = deadline_days or DEADLINE_DAYS
    started = time.perf_counter()
    df = load(csv_path, as_of=as_of, clock=clock)
    authorities = sorted(df["authority"].unique())
    types = sorted(df["type"].unique())
    authority_index = pd.Categorical(df["authority"], categories=authorities).codes
    type_index = pd.Categorical(df["type"], categories=types).codes
    durations = df["duration"].to_numpy(np.int64)
    events = df["event"].to_numpy(np.int64)
    loaded = time.perf_counter()
    dashboard_statistics(
        durations=durations,
        events=events,
        authority=authority_index,
        procedure_type=type_index,
        authority_names=authorities,
        type_names=types,
        deadline_days=[deadlines[t] for t in types],
        resamples=resamples,
    )
    finished = time.perf_counter()
    return Timing(
        load_seconds=loaded - started,
        groups_seconds=finished - loaded,
        bootstrap_seconds=0.0,
        resamples_run=resamples,
        resamples_target=resamples,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("csv", type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--clock", choices=("net", "gross"), default="net")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--generate", action="store_true", help="write synthetic data to csv")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--compare", action="store_true", help="also time dashboard_statistics")
    args = parser.parse_args(argv)
    if args.generate:
        generate_csv(args.csv, records=args.records, as_of=args.as_of)
        print(f"wrote {args.records:,} procedures to {args.csv}")
        return
    reference = time_reference(
        args.csv, as_of=args.as_of, clock=args.clock, resamples=args.resamples
    )
    note = "" if args.resamples >= 1000 else f" (ran {args.resamples}, extrapolated linearly)"
    print(f"reference load (pandas read_csv):   {reference.load_seconds:9.1f} s")
    print(f"reference KM + AJ + share per group: {reference.groups_seconds:9.1f} s")
    print(
        f"reference bootstrap, 1000 resamples: {reference.bootstrap_seconds_at_target:9.1f} s{note}"
    )
    print(f"reference statistics total:          {reference.statistics_seconds:9.1f} s")
    if args.compare:
        ours = time_dashboard(args.csv, as_of=args.as_of, clock=args.clock)
        print(f"dashboard_statistics (1000 resamples): {ours.groups_seconds:7.1f} s")
        print(f"speed-up: {reference.statistics_seconds / ours.groups_seconds:.0f}×")


if __name__ == "__main__":
    main()
