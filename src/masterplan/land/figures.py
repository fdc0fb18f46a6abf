"""Land monitoring figures as the data stood on a date: pure functions on plain data.

No Django model is touched here: the land queries build `ParcelFacts` and `TakeUpFacts` from the
database, turn them once into the columnar `ParcelTable` / `TakeUpTable` (numpy arrays), and the
figures of a whole state (50,000 parcels, 200,000 take-ups) as of any past date D take well under
a second. docs/land-figures.md states every formula with a worked example; in short:

- **In the reserve at D**: recorded_on ≤ D, not withdrawn on or before D, and not taken up on or
  before D (a take-up with its parcel_id and on ≤ D). A parcel whose *current* status is sold or
  in use but that has no take-up on record at all left the reserve at a date we do not know: it is
  counted out of the reserve at every D (so the reserve is never overstated) and reported in
  `unrecorded_take_up_parcels`, so that the page can ask for the missing take-up. Reserved
  parcels stay in the reserve until they are taken up. Any take-up of a parcel removes the whole
  parcel (a partial sale is recorded by splitting the parcel). Take-ups after D are ignored.
- **G** = Σ area of the reserve; **N** = Σ area of the reserve with restriction "none";
  restriction share = (G − N) / G (None when G = 0).
- **Ā** = Σ take-up area with D − n years < on ≤ D, divided by n (the window is n whole years
  ending on D; D − n years of a 29 February is 28 February).
- **Reach** N / Ā and G / Ā in years; None ("not meaningful") when Ā = 0.
- Shares of the take-up area in the window: brownfield, production (WZ 2008 section C =
  divisions 10–33), craft (is_craft), production or craft (each take-up counted once).
- **Jobs per hectare** = Σ jobs / Σ area in ha, over the take-ups in the window that have a job
  count (take-ups without one are left out of both sums).
- **Availability over time**: for t = 0 … H, supply(t) = Σ area of the net reserve (restriction
  "none") with available_from ≤ D + t years or no available_from, against demand(t) = Ā · t; the
  first shortfall year is the smallest t with demand(t) > supply(t).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

AREA_TYPES = ("GI", "GE", "MI", "MU", "SO")
AVAILABILITIES = ("immediate", "medium_term", "restricted")
RESTRICTIONS = ("none", "minor", "severe")
STATUSES = ("available", "reserved", "sold", "in_use")
TAKE_UP_KINDS = ("new", "expansion")

M2_PER_HA = 10_000.0
DEFAULT_YEARS = 5
DEFAULT_HORIZON = 10
# WZ 2008 section C "Verarbeitendes Gewerbe" (manufacturing) = divisions 10 to 33.
PRODUCTION_DIVISIONS = (10, 33)

# Sentinels for missing dates in the int64 day-number columns (date.toordinal()).
NO_DATE_BEFORE = np.iinfo(np.int64).min  # available_from None: available already
NO_DATE_AFTER = np.iinfo(np.int64).max  # withdrawn_on None: never withdrawn
NO_ID = -1  # core zone or parcel None
DENSE_LOOKUP_LIMIT = 50_000_000  # largest id mapped through a lookup table (≤ 400 MB int64)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]


@dataclass(frozen=True)
class ParcelFacts:
    """One parcel as the register holds it (the land queries build these from the database)."""

    id: int
    core_zone_id: int | None
    area_m2: float
    area_type: str  # AREA_TYPES (BauNVO)
    availability: str  # AVAILABILITIES
    restriction: str  # RESTRICTIONS
    brownfield: bool
    status: str  # STATUSES (current status, not historical)
    recorded_on: date  # in the register since
    withdrawn_on: date | None  # left the reserve without take-up (e.g. re-planned)
    available_from: date | None
    price_per_m2: float | None
    motorway_km: float | None
    rail_siding: bool
    port_km: float | None
    distance_to_housing_m: float | None


@dataclass(frozen=True)
class TakeUpFacts:
    """One take-up (Inanspruchnahme) of land by a firm."""

    parcel_id: int | None
    core_zone_id: int | None
    on: date
    area_m2: float
    wz_code: str  # WZ 2008, e.g. "25.62"
    is_craft: bool
    jobs: int | None
    brownfield: bool
    kind: str  # TAKE_UP_KINDS


def _code(value: str, allowed: tuple[str, ...], what: str) -> int:
    try:
        return allowed.index(value)
    except ValueError:
        raise ValueError(
            f"Unknown {what} {value!r}; expected one of {', '.join(allowed)}"
        ) from None


def _optional_float(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def wz_division(wz_code: str) -> int:
    """The WZ 2008 division (first two digits) of e.g. "25.62" or "C 25.62"; −1 if none."""
    digits = "".join(c for c in wz_code if c.isdigit())
    return int(digits[:2]) if len(digits) >= 2 else -1


@dataclass(frozen=True, eq=False)
class ParcelTable:
    """Parcels as columns (numpy arrays, one row per parcel, sorted by id); build once, reuse.

    Codes index AREA_TYPES, AVAILABILITIES, RESTRICTIONS and STATUSES. Dates are day numbers
    (date.toordinal()); a missing available_from is NO_DATE_BEFORE, a missing withdrawn_on
    NO_DATE_AFTER; a missing core zone is NO_ID; missing numbers are NaN.
    """

    ids: IntArray
    zone: IntArray
    area_m2: FloatArray
    area_type: CodeArray
    availability: CodeArray
    restriction: CodeArray
    brownfield: BoolArray
    status: CodeArray
    recorded: IntArray
    withdrawn: IntArray
    available_from: IntArray
    price_per_m2: FloatArray
    motorway_km: FloatArray
    rail_siding: BoolArray
    port_km: FloatArray
    distance_to_housing_m: FloatArray

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def from_facts(cls, parcels: Iterable[ParcelFacts]) -> ParcelTable:
        rows = sorted(parcels, key=lambda p: p.id)
        return cls(
            ids=np.array([p.id for p in rows], dtype=np.int64),
            zone=np.array(
                [NO_ID if p.core_zone_id is None else p.core_zone_id for p in rows], dtype=np.int64
            ),
            area_m2=np.array([p.area_m2 for p in rows], dtype=np.float64),
            area_type=np.array(
                [_code(p.area_type, AREA_TYPES, "area type") for p in rows], dtype=np.int8
            ),
            availability=np.array(
                [_code(p.availability, AVAILABILITIES, "availability") for p in rows],
                dtype=np.int8,
            ),
            restriction=np.array(
                [_code(p.restriction, RESTRICTIONS, "restriction") for p in rows], dtype=np.int8
            ),
            brownfield=np.array([p.brownfield for p in rows], dtype=np.bool_),
            status=np.array([_code(p.status, STATUSES, "status") for p in rows], dtype=np.int8),
            recorded=np.array([p.recorded_on.toordinal() for p in rows], dtype=np.int64),
            withdrawn=np.array(
                [
                    NO_DATE_AFTER if p.withdrawn_on is None else p.withdrawn_on.toordinal()
                    for p in rows
                ],
                dtype=np.int64,
            ),
            available_from=np.array(
                [
                    NO_DATE_BEFORE if p.available_from is None else p.available_from.toordinal()
                    for p in rows
                ],
                dtype=np.int64,
            ),
            price_per_m2=np.array([_optional_float(p.price_per_m2) for p in rows]),
            motorway_km=np.array([_optional_float(p.motorway_km) for p in rows]),
            rail_siding=np.array([p.rail_siding for p in rows], dtype=np.bool_),
            port_km=np.array([_optional_float(p.port_km) for p in rows]),
            distance_to_housing_m=np.array(
                [_optional_float(p.distance_to_housing_m) for p in rows]
            ),
        )


@dataclass(frozen=True, eq=False)
class TakeUpTable:
    """Take-ups as columns; a missing parcel or zone is NO_ID, a missing job count NaN."""

    parcel_id: IntArray
    zone: IntArray
    on: IntArray
    area_m2: FloatArray
    wz_division: IntArray
    is_craft: BoolArray
    jobs: FloatArray
    brownfield: BoolArray
    kind: CodeArray

    def __len__(self) -> int:
        return int(self.on.shape[0])

    @classmethod
    def from_facts(cls, take_ups: Iterable[TakeUpFacts]) -> TakeUpTable:
        rows = list(take_ups)
        return cls(
            parcel_id=np.array(
                [NO_ID if t.parcel_id is None else t.parcel_id for t in rows], dtype=np.int64
            ),
            zone=np.array(
                [NO_ID if t.core_zone_id is None else t.core_zone_id for t in rows], dtype=np.int64
            ),
            on=np.array([t.on.toordinal() for t in rows], dtype=np.int64),
            area_m2=np.array([t.area_m2 for t in rows], dtype=np.float64),
            wz_division=np.array([wz_division(t.wz_code) for t in rows], dtype=np.int64),
            is_craft=np.array([t.is_craft for t in rows], dtype=np.bool_),
            jobs=np.array([float("nan") if t.jobs is None else float(t.jobs) for t in rows]),
            brownfield=np.array([t.brownfield for t in rows], dtype=np.bool_),
            kind=np.array(
                [_code(t.kind, TAKE_UP_KINDS, "take-up kind") for t in rows], dtype=np.int8
            ),
        )


def take_up_table_from_rows(rows: Sequence[tuple[Any, ...]]) -> TakeUpTable:
    """The same table as `TakeUpTable.from_facts`, built column by column from database rows
    (parcel id, zone id, date, area, WZ code, craft, jobs created, jobs secured, brownfield,
    kind) without an object per row: the dashboard of a plan with 200,000 take-ups reads them
    in a fraction of the time."""
    if not rows:
        return TakeUpTable.from_facts([])
    parcel, zone, on, area, wz, craft, created, secured, brownfield, kind = zip(*rows, strict=True)
    divisions = {code: wz_division(code) for code in set(wz)}
    kinds = {value: _code(value, TAKE_UP_KINDS, "take-up kind") for value in set(kind)}
    created_jobs = np.array([np.nan if v is None else v for v in created], dtype=np.float64)
    secured_jobs = np.array([np.nan if v is None else v for v in secured], dtype=np.float64)
    both_missing = np.isnan(created_jobs) & np.isnan(secured_jobs)
    jobs = np.where(both_missing, np.nan, np.nan_to_num(created_jobs) + np.nan_to_num(secured_jobs))
    return TakeUpTable(
        parcel_id=np.array([NO_ID if v is None else v for v in parcel], dtype=np.int64),
        zone=np.array([NO_ID if v is None else v for v in zone], dtype=np.int64),
        on=np.fromiter((day.toordinal() for day in on), dtype=np.int64, count=len(on)),
        area_m2=np.array(area, dtype=np.float64),
        wz_division=np.array([divisions[code] for code in wz], dtype=np.int64),
        is_craft=np.array(craft, dtype=np.bool_),
        jobs=jobs,
        brownfield=np.array(brownfield, dtype=np.bool_),
        kind=np.array([kinds[value] for value in kind], dtype=np.int8),
    )


def as_parcel_table(parcels: ParcelTable | Iterable[ParcelFacts]) -> ParcelTable:
    return parcels if isinstance(parcels, ParcelTable) else ParcelTable.from_facts(parcels)


def as_take_up_table(take_ups: TakeUpTable | Iterable[TakeUpFacts]) -> TakeUpTable:
    return take_ups if isinstance(take_ups, TakeUpTable) else TakeUpTable.from_facts(take_ups)


# --- dates ------------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier if negative); 29 Feb → 28 Feb if needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year that is not a leap year
        return day.replace(year=day.year + years, day=28)


def take_up_window(as_of: date, years: int = DEFAULT_YEARS) -> tuple[date, date]:
    """The take-up window (start, end): start < on ≤ end, start = as_of − n years, end = as_of.

    It covers n whole years ending on as_of: as of 31 Dec 2025 with n = 5 it is 1 Jan 2021 to
    31 Dec 2025. As of 29 Feb 2024 the start is 28 Feb 2019, so the window begins 1 Mar 2019.
    """
    if years < 1:
        raise ValueError("The take-up window needs at least one year")
    return add_years(as_of, -years), as_of


# --- the reserve ------------------------------------------------------------------------------


def _rows_of_parcels(parcels: ParcelTable, parcel_ids: IntArray) -> tuple[IntArray, BoolArray]:
    """Row index in `parcels` for each id, and whether the id is in the table at all."""
    rows = _group_index(parcels.ids, parcel_ids)
    return rows, rows >= 0


def taken_up_by(parcels: ParcelTable, take_ups: TakeUpTable, *, on_or_before: int) -> BoolArray:
    """Per parcel row: has a take-up with its parcel_id and on ≤ the day number given."""
    taken = np.zeros(len(parcels), dtype=np.bool_)
    selected = (take_ups.on <= on_or_before) & (take_ups.parcel_id != NO_ID)
    rows, found = _rows_of_parcels(parcels, take_ups.parcel_id[selected])
    taken[rows[found]] = True
    return taken


def unrecorded_take_up(parcels: ParcelTable, take_ups: TakeUpTable) -> BoolArray:
    """Per parcel row: status sold or in use but no take-up on record at any date."""
    gone = np.isin(parcels.status, (STATUSES.index("sold"), STATUSES.index("in_use")))
    return gone & ~taken_up_by(parcels, take_ups, on_or_before=int(NO_DATE_AFTER))


def in_reserve(
    parcels: ParcelTable,
    take_ups: TakeUpTable,
    *,
    as_of: date,
    unrecorded: BoolArray | None = None,
) -> BoolArray:
    """Per parcel row: in the reserve at D.

    recorded_on ≤ D and not (withdrawn_on ≤ D) and no take-up with on ≤ D, and not sold or in
    use without any take-up on record (see the module docstring; `unrecorded` if computed).
    """
    if unrecorded is None:
        unrecorded = unrecorded_take_up(parcels, take_ups)
    day = as_of.toordinal()
    return (
        (parcels.recorded <= day)
        & (parcels.withdrawn > day)
        & ~taken_up_by(parcels, take_ups, on_or_before=day)
        & ~unrecorded
    )


def net_reserve(parcels: ParcelTable, reserve: BoolArray) -> BoolArray:
    """The reserve free of restrictions: in the reserve and restriction == "none"."""
    unrestricted: BoolArray = parcels.restriction == RESTRICTIONS.index("none")
    return reserve & unrestricted


def take_ups_in_window(take_ups: TakeUpTable, *, as_of: date, years: int) -> BoolArray:
    """Per take-up: D − n years < on ≤ D (see take_up_window)."""
    start, end = take_up_window(as_of, years)
    return (take_ups.on > start.toordinal()) & (take_ups.on <= end.toordinal())


# --- scalar formulas --------------------------------------------------------------------------


def restriction_share(*, gross_m2: float, net_m2: float) -> float | None:
    """(G − N) / G, the share of the reserve with restrictions; None when G = 0."""
    return None if gross_m2 <= 0 else (gross_m2 - net_m2) / gross_m2


def average_annual_take_up_m2(*, window_area_m2: float, years: int) -> float:
    """Ā = Σ take-up area in the window / n."""
    return window_area_m2 / years


def reach_in_years(*, reserve_m2: float, annual_take_up_m2: float) -> float | None:
    """Reach (Reichweite) = reserve / Ā in years; None ("not meaningful") when Ā = 0."""
    return None if annual_take_up_m2 <= 0 else reserve_m2 / annual_take_up_m2


def share(part: float, whole: float) -> float | None:
    """part / whole; None when whole = 0 (no take-up: no share)."""
    return None if whole <= 0 else part / whole


def jobs_per_ha(*, jobs: float, area_m2: float) -> float | None:
    """Σ jobs / (Σ area / 10,000 m²) over take-ups that have a job count; None without area."""
    return None if area_m2 <= 0 else jobs / (area_m2 / M2_PER_HA)


def first_shortfall_year(points: Sequence[AvailabilityPoint]) -> int | None:
    """Smallest t with demand(t) = Ā·t > supply(t); None if supply covers the whole horizon."""
    return next((p.years for p in points if p.demand_m2 > p.supply_m2), None)


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AvailabilityPoint:
    """Supply and projected demand t years after D (at D + t years)."""

    years: int
    on: date
    supply_m2: float  # net reserve available by `on`
    demand_m2: float  # Ā · t


@dataclass(frozen=True)
class LandFigures:
    """The monitoring figures of one area (a masterplan's state or one core zone) as of D."""

    as_of: date
    years: int
    window_start: date  # exclusive
    window_end: date  # inclusive (= as_of)
    reserve_parcels: int
    gross_reserve_m2: float
    net_reserve_m2: float
    restriction_share: float | None
    take_ups_in_window: int
    take_up_in_window_m2: float
    annual_take_up_m2: float
    reach_net_years: float | None
    reach_gross_years: float | None
    brownfield_share: float | None
    production_share: float | None
    craft_share: float | None
    production_or_craft_share: float | None
    jobs: int  # Σ jobs of the take-ups in the window that have a job count
    jobs_area_m2: float  # their area
    jobs_per_ha: float | None
    availability: tuple[AvailabilityPoint, ...]
    first_shortfall_year: int | None
    unrecorded_take_up_parcels: int  # sold / in use, no take-up on record: out of the reserve

    @property
    def gross_reserve_ha(self) -> float:
        return self.gross_reserve_m2 / M2_PER_HA

    @property
    def net_reserve_ha(self) -> float:
        return self.net_reserve_m2 / M2_PER_HA

    @property
    def annual_take_up_ha(self) -> float:
        return self.annual_take_up_m2 / M2_PER_HA


# --- computation over groups (the whole area is one group, zones are many) --------------------


@dataclass(frozen=True)
class _GroupSums:
    reserve_count: IntArray
    gross: FloatArray
    net: FloatArray
    unrecorded: IntArray
    window_count: IntArray
    window_area: FloatArray
    brownfield: FloatArray
    production: FloatArray
    craft: FloatArray
    production_or_craft: FloatArray
    jobs: FloatArray
    jobs_area: FloatArray
    supply: FloatArray  # shape (horizon + 1, groups)


def _sum_by(group: IntArray, n_groups: int, weights: Any = None) -> FloatArray:
    return np.bincount(group, weights=weights, minlength=n_groups).astype(np.float64)


def _group_sums(
    parcels: ParcelTable,
    take_ups: TakeUpTable,
    *,
    as_of: date,
    years: int,
    horizon: int,
    parcel_group: IntArray,
    take_up_group: IntArray,
    n_groups: int,
) -> _GroupSums:
    """Σ per group; rows with group −1 (outside every group asked for) are left out."""
    unrecorded = unrecorded_take_up(parcels, take_ups)
    reserve = in_reserve(parcels, take_ups, as_of=as_of, unrecorded=unrecorded)
    net = net_reserve(parcels, reserve)
    p_in = parcel_group >= 0
    pg = parcel_group[p_in]
    area = parcels.area_m2[p_in]
    reserve, unrecorded, net = reserve[p_in], unrecorded[p_in], net[p_in]

    window = take_ups_in_window(take_ups, as_of=as_of, years=years) & (take_up_group >= 0)
    tg = take_up_group[window]
    t_area = take_ups.area_m2[window]
    division = take_ups.wz_division[window]
    production = (division >= PRODUCTION_DIVISIONS[0]) & (division <= PRODUCTION_DIVISIONS[1])
    craft = take_ups.is_craft[window]
    jobs = take_ups.jobs[window]
    has_jobs = ~np.isnan(jobs)

    available_from = parcels.available_from[p_in]
    supply = np.empty((horizon + 1, n_groups), dtype=np.float64)
    for t in range(horizon + 1):
        by = add_years(as_of, t).toordinal()
        supply[t] = _sum_by(pg, n_groups, np.where(net & (available_from <= by), area, 0.0))

    return _GroupSums(
        reserve_count=np.bincount(pg[reserve], minlength=n_groups).astype(np.int64),
        gross=_sum_by(pg, n_groups, np.where(reserve, area, 0.0)),
        net=_sum_by(pg, n_groups, np.where(net, area, 0.0)),
        unrecorded=np.bincount(pg[unrecorded], minlength=n_groups).astype(np.int64),
        window_count=np.bincount(tg, minlength=n_groups).astype(np.int64),
        window_area=_sum_by(tg, n_groups, t_area),
        brownfield=_sum_by(tg, n_groups, np.where(take_ups.brownfield[window], t_area, 0.0)),
        production=_sum_by(tg, n_groups, np.where(production, t_area, 0.0)),
        craft=_sum_by(tg, n_groups, np.where(craft, t_area, 0.0)),
        production_or_craft=_sum_by(tg, n_groups, np.where(production | craft, t_area, 0.0)),
        jobs=_sum_by(tg, n_groups, np.where(has_jobs, jobs, 0.0)),
        jobs_area=_sum_by(tg, n_groups, np.where(has_jobs, t_area, 0.0)),
        supply=supply,
    )


def _figures_of_groups(
    sums: _GroupSums, *, as_of: date, years: int, horizon: int
) -> list[LandFigures]:
    """One LandFigures per group; the arrays become lists once, the dates are computed once."""
    dates = [add_years(as_of, t) for t in range(horizon + 1)]
    start, end = take_up_window(as_of, years)
    supply = sums.supply.T.tolist()
    columns = zip(
        sums.reserve_count.tolist(),
        sums.gross.tolist(),
        sums.net.tolist(),
        sums.unrecorded.tolist(),
        sums.window_count.tolist(),
        sums.window_area.tolist(),
        sums.brownfield.tolist(),
        sums.production.tolist(),
        sums.craft.tolist(),
        sums.production_or_craft.tolist(),
        sums.jobs.tolist(),
        sums.jobs_area.tolist(),
        supply,
        strict=True,
    )
    result = []
    for (
        reserve_count,
        gross,
        net,
        unrecorded,
        window_count,
        window_area,
        brownfield,
        production,
        craft,
        production_or_craft,
        jobs,
        jobs_area,
        supply_by_year,
    ) in columns:
        annual = average_annual_take_up_m2(window_area_m2=window_area, years=years)
        points = tuple(
            AvailabilityPoint(
                years=t, on=dates[t], supply_m2=supply_by_year[t], demand_m2=annual * t
            )
            for t in range(horizon + 1)
        )
        result.append(
            LandFigures(
                as_of=as_of,
                years=years,
                window_start=start,
                window_end=end,
                reserve_parcels=reserve_count,
                gross_reserve_m2=gross,
                net_reserve_m2=net,
                restriction_share=restriction_share(gross_m2=gross, net_m2=net),
                take_ups_in_window=window_count,
                take_up_in_window_m2=window_area,
                annual_take_up_m2=annual,
                reach_net_years=reach_in_years(reserve_m2=net, annual_take_up_m2=annual),
                reach_gross_years=reach_in_years(reserve_m2=gross, annual_take_up_m2=annual),
                brownfield_share=share(brownfield, window_area),
                production_share=share(production, window_area),
                craft_share=share(craft, window_area),
                production_or_craft_share=share(production_or_craft, window_area),
                jobs=round(jobs),
                jobs_area_m2=jobs_area,
                jobs_per_ha=jobs_per_ha(jobs=jobs, area_m2=jobs_area),
                availability=points,
                first_shortfall_year=first_shortfall_year(points),
                unrecorded_take_up_parcels=unrecorded,
            )
        )
    return result


def _check(years: int, horizon: int) -> None:
    if years < 1:
        raise ValueError("The take-up window needs at least one year")
    if horizon < 0:
        raise ValueError("The horizon cannot be negative")


def land_figures(
    parcels: ParcelTable | Iterable[ParcelFacts],
    take_ups: TakeUpTable | Iterable[TakeUpFacts],
    *,
    as_of: date,
    years: int = DEFAULT_YEARS,
    horizon: int = DEFAULT_HORIZON,
) -> LandFigures:
    """All monitoring figures of the parcels and take-ups given (e.g. one masterplan) as of D."""
    _check(years, horizon)
    p, t = as_parcel_table(parcels), as_take_up_table(take_ups)
    sums = _group_sums(
        p,
        t,
        as_of=as_of,
        years=years,
        horizon=horizon,
        parcel_group=np.zeros(len(p), dtype=np.int64),
        take_up_group=np.zeros(len(t), dtype=np.int64),
        n_groups=1,
    )
    return _figures_of_groups(sums, as_of=as_of, years=years, horizon=horizon)[0]


def by_zone(
    parcels: ParcelTable | Iterable[ParcelFacts],
    take_ups: TakeUpTable | Iterable[TakeUpFacts],
    *,
    as_of: date,
    years: int = DEFAULT_YEARS,
    horizon: int = DEFAULT_HORIZON,
    zone_ids: Iterable[int] | None = None,
) -> dict[int, LandFigures]:
    """The same figures per core zone, keyed by core_zone_id, in ascending order.

    Parcels count for their core_zone_id, take-ups for theirs (not their parcel's). Without
    `zone_ids`, every zone that occurs in either table is reported; with it, exactly those zones
    (a zone without data gets zeros). Parcels and take-ups outside any zone are left out here;
    land_figures counts them.
    """
    _check(years, horizon)
    p, t = as_parcel_table(parcels), as_take_up_table(take_ups)
    if zone_ids is None:
        zones = np.unique(np.concatenate([p.zone, t.zone]))
        zones = zones[zones != NO_ID]
    else:
        zones = np.unique(np.fromiter(zone_ids, dtype=np.int64))
    sums = _group_sums(
        p,
        t,
        as_of=as_of,
        years=years,
        horizon=horizon,
        parcel_group=_group_index(zones, p.zone),
        take_up_group=_group_index(zones, t.zone),
        n_groups=len(zones),
    )
    figures = _figures_of_groups(sums, as_of=as_of, years=years, horizon=horizon)
    return dict(zip(zones.tolist(), figures, strict=True))


def _group_index(groups: IntArray, values: IntArray) -> IntArray:
    """Index of each value in the sorted `groups`, −1 where it is not one of them."""
    if len(groups) == 0:
        return np.full(values.shape, -1, dtype=np.int64)
    top = int(groups[-1])
    if (
        groups[0] >= 0 and top <= DENSE_LOOKUP_LIMIT
    ):  # ids are small integers: a lookup table beats a search
        lookup = np.full(top + 2, -1, dtype=np.int64)
        lookup[groups] = np.arange(len(groups), dtype=np.int64)
        inside = (values >= 0) & (values <= top)
        return np.where(inside, lookup[np.where(inside, values, top + 1)], -1)
    index = np.minimum(np.searchsorted(groups, values), len(groups) - 1)
    return np.where(groups[index] == values, index, -1).astype(np.int64)


# --- synthetic state and timing (for `make bench` and the speed tests) ------------------------


def synthetic_tables(
    *, parcels: int = 50_000, take_ups: int = 200_000, zones: int = 2_000, seed: int = 11
) -> tuple[ParcelTable, TakeUpTable]:
    """A random state of the given size (sample data, not a real register): 2000–2025."""
    rng = np.random.default_rng(seed)
    first, last = date(2000, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
    recorded = rng.integers(first, last, parcels)
    withdrawn = np.where(rng.random(parcels) < 0.05, recorded + 2_000, NO_DATE_AFTER)
    available_from = np.where(
        rng.random(parcels) < 0.5, recorded + rng.integers(0, 3_650, parcels), NO_DATE_BEFORE
    )
    parcel_table = ParcelTable(
        ids=np.arange(1, parcels + 1, dtype=np.int64),
        zone=np.where(rng.random(parcels) < 0.9, rng.integers(1, zones + 1, parcels), NO_ID),
        area_m2=rng.uniform(500, 80_000, parcels),
        area_type=rng.integers(0, len(AREA_TYPES), parcels).astype(np.int8),
        availability=rng.integers(0, len(AVAILABILITIES), parcels).astype(np.int8),
        restriction=rng.integers(0, len(RESTRICTIONS), parcels).astype(np.int8),
        brownfield=rng.random(parcels) < 0.3,
        status=rng.choice(np.array([0, 0, 0, 1, 2, 3], dtype=np.int8), parcels),
        recorded=recorded.astype(np.int64),
        withdrawn=withdrawn.astype(np.int64),
        available_from=available_from.astype(np.int64),
        price_per_m2=np.where(rng.random(parcels) < 0.9, rng.uniform(60, 400, parcels), np.nan),
        motorway_km=np.where(rng.random(parcels) < 0.95, rng.uniform(0.2, 25, parcels), np.nan),
        rail_siding=rng.random(parcels) < 0.2,
        port_km=np.where(rng.random(parcels) < 0.8, rng.uniform(0.1, 40, parcels), np.nan),
        distance_to_housing_m=np.where(
            rng.random(parcels) < 0.9, rng.uniform(20, 2_000, parcels), np.nan
        ),
    )
    take_up_table = TakeUpTable(
        parcel_id=np.where(
            rng.random(take_ups) < 0.2, rng.integers(1, parcels + 1, take_ups), NO_ID
        ),
        zone=np.where(rng.random(take_ups) < 0.9, rng.integers(1, zones + 1, take_ups), NO_ID),
        on=rng.integers(first, last, take_ups).astype(np.int64),
        area_m2=rng.uniform(300, 40_000, take_ups),
        wz_division=rng.integers(1, 99, take_ups).astype(np.int64),
        is_craft=rng.random(take_ups) < 0.25,
        jobs=np.where(rng.random(take_ups) < 0.7, rng.integers(0, 400, take_ups), np.nan),
        brownfield=rng.random(take_ups) < 0.3,
        kind=rng.integers(0, len(TAKE_UP_KINDS), take_ups).astype(np.int8),
    )
    return parcel_table, take_up_table


def bench_figures(*, as_of: date = date(2021, 6, 30), repeat: int = 3) -> dict[str, float]:
    """Seconds (best of `repeat`) for the state's figures and its per-zone figures as of D."""
    parcels, take_ups = synthetic_tables()
    timings: dict[str, float] = {}
    for name, run in (
        ("land_figures", lambda: land_figures(parcels, take_ups, as_of=as_of)),
        ("by_zone", lambda: by_zone(parcels, take_ups, as_of=as_of)),
    ):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        timings[name] = best
    return timings
