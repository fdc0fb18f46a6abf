"""Site-request matching (Ansiedlungsanfrage → parcels): hard filters, then a weighted score.

Pure and vectorised over a `ParcelTable` (masterplan.land.figures): one request against 50,000
parcels takes a few milliseconds. German messages and reasons are built only for the rows a page
shows (`MatchResult.matches()`, `.rejections()`), never for all 50,000.

**Hard filters**, in this order; a rejected parcel is listed with the FIRST rule that excluded it
(`RULES`):

1. status: only "available" (reserved, sold, in use are out);
2. area: area_min_m2 ≤ area ≤ area_max_m2 (no maximum when None);
3. area type in the request's compatible types (`compatible_area_types` gives the default);
4. availability: availability "restricted" or restriction "severe" are out; with a needed_by
   date, available_from ≤ needed_by (no available_from = available now);
5. rail siding, if needed;
6. port within max_port_km (default 5 km), if needed;
7. motorway junction within max_motorway_km, if given;
8. price per m² ≤ max_price_per_m2, if given;
9. distance to housing ≥ min_distance_to_housing_m (emissions), if given;
10. sector not "excluded" by the core zone's profile.

A limit that is set needs a value on record: a parcel without a port distance, motorway
distance, price or distance to housing fails that limit ("not on record"), because an offer to
a firm must hold. Parcels outside any core zone, and sectors a zone's profile does not name,
count as "permitted".

**Score** of the remaining parcels = Σ weightᵢ · valueᵢ with weights normalised to sum 1 and
each value in [0, 1]:

- motorway = 1 − min(d, 10 km) / 10 km (0 without a distance on record);
- sector fit = 1 if the zone prefers the sector, 0.5 if it permits it;
- jobs density = min(1, (jobs / area × 1,000 m²) / 4), i.e. jobs per 1,000 m² against a
  reference of 4 per 1,000 m² (40 per ha); 0 when the request gives no jobs;
- price = 1 − price / max price with a budget; without a budget cheapest price among the
  candidates / price; 0 without a price on record.

Ranked by score, highest first; ties by parcel id ascending.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from masterplan.land.figures import (
    AREA_TYPES,
    AVAILABILITIES,
    NO_ID,
    RESTRICTIONS,
    STATUSES,
    BoolArray,
    FloatArray,
    IntArray,
    ParcelTable,
    synthetic_tables,
)

PREFERRED = "preferred"
PERMITTED = "permitted"
EXCLUDED = "excluded"
PROFILE_LEVELS = (PREFERRED, PERMITTED, EXCLUDED)
SECTOR_CATEGORIES = (
    "production",
    "craft",
    "logistics",
    "office",
    "large_retail",
    "life_sciences",
    "other",
)

DEFAULT_MAX_PORT_KM = 5.0
MOTORWAY_REFERENCE_KM = 10.0
JOBS_PER_1000_M2_REFERENCE = 4.0
SECTOR_FIT = {PREFERRED: 1.0, PERMITTED: 0.5}

# The rules in the order they are applied; a rejection names the first that failed.
RULES = (
    "status",
    "area_min",
    "area_max",
    "area_type",
    "availability",
    "needed_by",
    "rail",
    "port",
    "motorway",
    "price",
    "housing_distance",
    "sector",
)
CRITERIA = ("motorway", "sector_fit", "jobs_density", "price")

ZoneProfiles = Mapping[int, Mapping[str, str]]


def compatible_area_types(requested: str) -> frozenset[str]:
    """The BauNVO area types a request for `requested` accepts by default.

    - GI (§ 9 BauNVO, industrial area: significantly disturbing businesses) → GI only;
    - GE (§ 8, commercial area: businesses that do not disturb significantly) → GE and GI, since
      § 9 (2) no. 1 admits "Gewerbebetriebe aller Art" in GI as well;
    - MI (§ 6, mixed) and MU (§ 6a, urban) → MI, MU and GE: businesses that do not disturb
      housing significantly are admissible in all three (§ 8 (2) nos. 1 and 2). Not GI: the
      masterplan keeps the scarce GI land for firms that need it;
    - SO (§ 11, special area, e.g. large retail) → SO only: its purpose is fixed by the plan.
    """
    return {
        "GI": frozenset({"GI"}),
        "GE": frozenset({"GE", "GI"}),
        "MI": frozenset({"MI", "MU", "GE"}),
        "MU": frozenset({"MU", "MI", "GE"}),
        "SO": frozenset({"SO"}),
    }[requested]


@dataclass(frozen=True)
class RequestFacts:
    """A site request as the matching needs it (the land queries build it from SiteRequest)."""

    area_min_m2: float
    area_max_m2: float | None
    area_types: frozenset[str]
    needed_by: date | None
    needs_rail: bool
    needs_port: bool
    max_motorway_km: float | None
    max_price_per_m2: float | None
    min_distance_to_housing_m: float | None
    sector_category: str
    jobs: int | None
    max_port_km: float = DEFAULT_MAX_PORT_KM

    def __post_init__(self) -> None:
        unknown = set(self.area_types) - set(AREA_TYPES)
        if unknown:
            raise ValueError(f"Unknown area types {sorted(unknown)}")
        if self.area_max_m2 is not None and self.area_max_m2 < self.area_min_m2:
            raise ValueError("The maximum area is below the minimum")
        if self.sector_category not in SECTOR_CATEGORIES:
            raise ValueError(f"Unknown sector category {self.sector_category!r}")


@dataclass(frozen=True)
class Weights:
    """Weights of the four criteria; non-negative, not all zero; `normalised()` sums to 1."""

    motorway: float = 0.3
    sector_fit: float = 0.3
    jobs_density: float = 0.2
    price: float = 0.2

    def __post_init__(self) -> None:
        values = self.as_dict().values()
        if any(not np.isfinite(v) or v < 0 for v in values):
            raise ValueError("Weights must be finite and non-negative")
        if sum(values) <= 0:
            raise ValueError("At least one weight must be positive")

    def as_dict(self) -> dict[str, float]:
        return {
            "motorway": self.motorway,
            "sector_fit": self.sector_fit,
            "jobs_density": self.jobs_density,
            "price": self.price,
        }

    def normalised(self) -> Weights:
        total = sum(self.as_dict().values())
        return Weights(**{k: v / total for k, v in self.as_dict().items()})


@dataclass(frozen=True)
class PrefilterLimits:
    """Attribute limits the database can apply before matching (none of them needs geometry).

    A parcel outside them is certain to fail the hard filters; the query still hands the rest to
    `match_request`, which applies every rule and gives the reasons. `available_from_by`: keep
    parcels with available_from ≤ it or NULL. The numeric maxima/minima exclude NULL values.
    """

    status: str
    area_min_m2: float
    area_max_m2: float | None
    area_types: frozenset[str]
    excluded_availabilities: frozenset[str]
    excluded_restrictions: frozenset[str]
    available_from_by: date | None
    rail_siding: bool | None  # True: only parcels with a rail siding; None: no limit
    max_port_km: float | None
    max_motorway_km: float | None
    max_price_per_m2: float | None
    min_distance_to_housing_m: float | None


def prefilter(request: RequestFacts) -> PrefilterLimits:
    """The limits of `request` that a database query can apply (rules 1–9; not the sector)."""
    return PrefilterLimits(
        status="available",
        area_min_m2=request.area_min_m2,
        area_max_m2=request.area_max_m2,
        area_types=request.area_types,
        excluded_availabilities=frozenset({"restricted"}),
        excluded_restrictions=frozenset({"severe"}),
        available_from_by=request.needed_by,
        rail_siding=True if request.needs_rail else None,
        max_port_km=request.max_port_km if request.needs_port else None,
        max_motorway_km=request.max_motorway_km,
        max_price_per_m2=request.max_price_per_m2,
        min_distance_to_housing_m=request.min_distance_to_housing_m,
    )


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    key: str  # CRITERIA
    label: str
    value: float  # normalised to [0, 1]
    weight: float  # normalised weight
    contribution: float  # weight · value
    reason: str


@dataclass(frozen=True)
class Match:
    parcel_id: int
    rank: int  # 1 = best
    score: float  # Σ contributions, in [0, 1]
    criteria: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class Rejection:
    parcel_id: int
    rule: str  # RULES
    message: str


@dataclass(frozen=True, eq=False)
class MatchResult:
    """The outcome as arrays; German texts are built on demand for the rows shown."""

    request: RequestFacts
    weights: Weights  # normalised
    parcels: ParcelTable
    rule: IntArray  # per parcel row: index into RULES of the first failed rule, −1 = passed
    ranked_rows: IntArray  # candidate rows, best first
    values: FloatArray  # shape (len(CRITERIA), len(parcels)); meaningful for candidates only
    scores: FloatArray  # per parcel row
    sector_preferred: BoolArray = field(repr=False)  # per parcel row
    sector_named: BoolArray = field(repr=False)  # per parcel row: the zone's profile names it
    cheapest_price: float | None = None

    @property
    def match_count(self) -> int:
        return int(self.ranked_rows.shape[0])

    def rejection_counts(self) -> dict[str, int]:
        """Rejected parcels per rule, in rule order (rules that excluded nothing left out)."""
        counts = np.bincount(self.rule[self.rule >= 0], minlength=len(RULES))
        return {RULES[i]: int(c) for i, c in enumerate(counts) if c}

    def matches(self, limit: int | None = None) -> list[Match]:
        rows = self.ranked_rows if limit is None else self.ranked_rows[:limit]
        weights = self.weights.as_dict()
        result = []
        for rank, row in enumerate(rows.tolist(), start=1):
            criteria = tuple(
                CriterionScore(
                    key=key,
                    label=criterion_label(key),
                    value=float(self.values[i, row]),
                    weight=weights[key],
                    contribution=weights[key] * float(self.values[i, row]),
                    reason=self._reason(key, row, float(self.values[i, row])),
                )
                for i, key in enumerate(CRITERIA)
            )
            result.append(
                Match(
                    parcel_id=int(self.parcels.ids[row]),
                    rank=rank,
                    score=float(self.scores[row]),
                    criteria=criteria,
                )
            )
        return result

    def rejections(self, limit: int | None = None, *, rule: str | None = None) -> list[Rejection]:
        """Rejected parcels by id, each with the first rule that excluded it (or one rule's)."""
        selected = self.rule >= 0 if rule is None else self.rule == RULES.index(rule)
        rows = np.flatnonzero(selected)
        if limit is not None:
            rows = rows[:limit]
        return [
            Rejection(
                parcel_id=int(self.parcels.ids[row]),
                rule=RULES[int(self.rule[row])],
                message=self._rejection_message(RULES[int(self.rule[row])], row),
            )
            for row in rows.tolist()
        ]

    # --- German (translated) texts ---

    def _rejection_message(self, rule: str, row: int) -> str:
        p, r = self.parcels, self.request
        if rule == "status":
            return _("Status is %(status)s, not available.") % {
                "status": status_label(STATUSES[int(p.status[row])])
            }
        if rule == "area_min":
            return _("Area %(area)s m² smaller than the required %(min)s m².") % {
                "area": _number(p.area_m2[row]),
                "min": _number(r.area_min_m2),
            }
        if rule == "area_max":
            return _("Area %(area)s m² larger than the maximum of %(max)s m².") % {
                "area": _number(p.area_m2[row]),
                "max": _number(r.area_max_m2 or 0.0),
            }
        if rule == "area_type":
            return _("Area type %(type)s does not fit the requested %(types)s.") % {
                "type": AREA_TYPES[int(p.area_type[row])],
                "types": ", ".join(t for t in AREA_TYPES if t in r.area_types),
            }
        if rule == "availability":
            if AVAILABILITIES[int(p.availability[row])] == "restricted":
                return _("Availability is restricted.")
            return _("Severe restrictions on the parcel.")
        if rule == "needed_by":
            return _("Available from %(date)s, needed by %(needed)s.") % {
                "date": _date(date.fromordinal(int(p.available_from[row]))),
                "needed": _date(r.needed_by) if r.needed_by else "",
            }
        if rule == "rail":
            return _("No rail siding.")
        if rule == "port":
            if np.isnan(p.port_km[row]):
                return _("No distance to a port on record.")
            return _("Port %(km)s km away, at most %(max)s km wanted.") % {
                "km": _number(p.port_km[row], 1),
                "max": _number(r.max_port_km, 1),
            }
        if rule == "motorway":
            if np.isnan(p.motorway_km[row]):
                return _("No distance to a motorway junction on record.")
            return _("Motorway junction %(km)s km away, at most %(max)s km wanted.") % {
                "km": _number(p.motorway_km[row], 1),
                "max": _number(r.max_motorway_km or 0.0, 1),
            }
        if rule == "price":
            if np.isnan(p.price_per_m2[row]):
                return _("No price on record.")
            return _("Price %(price)s €/m² above the budget of %(max)s €/m².") % {
                "price": _number(p.price_per_m2[row], 2),
                "max": _number(r.max_price_per_m2 or 0.0, 2),
            }
        if rule == "housing_distance":
            if np.isnan(p.distance_to_housing_m[row]):
                return _("No distance to housing on record.")
            return _("Distance to housing %(m)s m, at least %(min)s m needed.") % {
                "m": _number(p.distance_to_housing_m[row]),
                "min": _number(r.min_distance_to_housing_m or 0.0),
            }
        return _("Sector “%(sector)s” is excluded by the core zone's profile.") % {
            "sector": sector_label(r.sector_category)
        }

    def _reason(self, key: str, row: int, value: float) -> str:
        p, r = self.parcels, self.request
        shown = _number(value, 2)
        if key == "motorway":
            if np.isnan(p.motorway_km[row]):
                return _("No distance to a motorway junction on record: 0.")
            return _("%(km)s km to the motorway junction: 1 − min(%(km)s; 10)/10 = %(value)s.") % {
                "km": _number(p.motorway_km[row], 1),
                "value": shown,
            }
        if key == "sector_fit":
            sector = sector_label(r.sector_category)
            if p.zone[row] == NO_ID:
                text = _("Parcel outside any core zone: sector “%(sector)s” counts as permitted")
            elif not self.sector_named[row]:
                text = _(
                    "Sector “%(sector)s” not named in the core zone's profile: counts as permitted"
                )
            elif self.sector_preferred[row]:
                text = _("Sector “%(sector)s” preferred in this core zone")
            else:
                text = _("Sector “%(sector)s” permitted in this core zone")
            return f"{text % {'sector': sector}}: {shown}."
        if key == "jobs_density":
            if r.jobs is None:
                return _("The request gives no number of jobs: 0.")
            density = r.jobs / p.area_m2[row] * 1_000
            return _(
                "%(jobs)s jobs on %(area)s m² = %(density)s per 1,000 m² "
                "(reference %(reference)s): %(value)s."
            ) % {
                "jobs": _number(r.jobs),
                "area": _number(p.area_m2[row]),
                "density": _number(density, 2),
                "reference": _number(JOBS_PER_1000_M2_REFERENCE),
                "value": shown,
            }
        price = p.price_per_m2[row]
        if np.isnan(price):
            return _("No price on record: 0.")
        if r.max_price_per_m2 is not None:
            return _("%(price)s €/m² against a budget of %(max)s €/m²: %(value)s.") % {
                "price": _number(price, 2),
                "max": _number(r.max_price_per_m2, 2),
                "value": shown,
            }
        return _("%(price)s €/m², cheapest candidate %(cheapest)s €/m²: %(value)s.") % {
            "price": _number(price, 2),
            "cheapest": _number(self.cheapest_price or 0.0, 2),
            "value": shown,
        }


def _number(value: float, decimals: int = 0) -> str:
    return number_format(
        round(float(value), decimals), decimals, use_l10n=True, force_grouping=True
    )


def _date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT", use_l10n=True)


def criterion_label(key: str) -> str:
    return {
        "motorway": _("Motorway junction"),
        "sector_fit": _("Sector fit"),
        "jobs_density": _("Jobs per 1,000 m²"),
        "price": _("Price"),
    }[key]


def status_label(status: str) -> str:
    return {
        "available": _("available"),
        "reserved": _("reserved"),
        "sold": _("sold"),
        "in_use": _("in use"),
    }[status]


def sector_label(category: str) -> str:
    return {
        "production": _("production"),
        "craft": _("craft"),
        "logistics": _("logistics"),
        "office": _("office"),
        "large_retail": _("large retail"),
        "life_sciences": _("life sciences"),
        "other": _("other sector"),
    }[category]


# --- the matching -----------------------------------------------------------------------------


def _sector_levels(
    parcels: ParcelTable, profiles: ZoneProfiles, sector: str
) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Per parcel row: (excluded, preferred, named in its zone's profile) for `sector`."""
    named = np.array(sorted(z for z, prof in profiles.items() if sector in prof), dtype=np.int64)
    excluded = np.array(
        sorted(z for z, prof in profiles.items() if prof.get(sector) == EXCLUDED), dtype=np.int64
    )
    preferred = np.array(
        sorted(z for z, prof in profiles.items() if prof.get(sector) == PREFERRED), dtype=np.int64
    )
    return (
        np.isin(parcels.zone, excluded),
        np.isin(parcels.zone, preferred),
        np.isin(parcels.zone, named),
    )


def match_request(
    parcels: ParcelTable,
    request: RequestFacts,
    *,
    profiles: ZoneProfiles | None = None,
    weights: Weights | None = None,
) -> MatchResult:
    """Filter, score and rank all parcels for one request (see the module docstring)."""
    profiles = profiles or {}
    for zone_id, profile in profiles.items():
        if any(level not in PROFILE_LEVELS for level in profile.values()):
            raise ValueError(f"Core zone {zone_id}: profile levels must be one of {PROFILE_LEVELS}")
    w = (weights or Weights()).normalised()
    p, r = parcels, request
    n = len(p)
    excluded_sector, preferred_sector, named_sector = _sector_levels(p, profiles, r.sector_category)

    # np.nan compares False, so "value ≤ limit" fails where the value is not on record.
    with np.errstate(invalid="ignore"):
        failed: list[BoolArray] = [
            p.status != STATUSES.index("available"),
            p.area_m2 < r.area_min_m2,
            (p.area_m2 > r.area_max_m2) if r.area_max_m2 is not None else _none(n),
            ~np.isin(p.area_type, [AREA_TYPES.index(t) for t in r.area_types]),
            (p.availability == AVAILABILITIES.index("restricted"))
            | (p.restriction == RESTRICTIONS.index("severe")),
            (p.available_from > r.needed_by.toordinal()) if r.needed_by else _none(n),
            ~p.rail_siding if r.needs_rail else _none(n),
            ~(p.port_km <= r.max_port_km) if r.needs_port else _none(n),
            ~(p.motorway_km <= r.max_motorway_km) if r.max_motorway_km is not None else _none(n),
            ~(p.price_per_m2 <= r.max_price_per_m2) if r.max_price_per_m2 is not None else _none(n),
            ~(p.distance_to_housing_m >= r.min_distance_to_housing_m)
            if r.min_distance_to_housing_m is not None
            else _none(n),
            excluded_sector,
        ]
    fails = np.vstack(failed)
    any_failed = fails.any(axis=0)
    rule = np.where(any_failed, fails.argmax(axis=0), -1).astype(np.int64)
    candidate = ~any_failed

    values = np.zeros((len(CRITERIA), n), dtype=np.float64)
    motorway = np.nan_to_num(
        1 - np.minimum(p.motorway_km, MOTORWAY_REFERENCE_KM) / MOTORWAY_REFERENCE_KM
    )
    values[0] = motorway
    values[1] = np.where(preferred_sector, SECTOR_FIT[PREFERRED], SECTOR_FIT[PERMITTED])
    if r.jobs is not None:
        density = r.jobs / np.maximum(p.area_m2, 1.0) * 1_000
        values[2] = np.minimum(density / JOBS_PER_1000_M2_REFERENCE, 1.0)
    cheapest: float | None = None
    price = p.price_per_m2
    if r.max_price_per_m2 is not None:
        values[3] = (
            np.clip(1 - price / r.max_price_per_m2, 0.0, 1.0)
            if r.max_price_per_m2 > 0
            else np.where(price <= 0, 1.0, 0.0)
        )
    else:
        known = candidate & ~np.isnan(price)
        if known.any():
            cheapest = float(price[known].min())
            with np.errstate(divide="ignore", invalid="ignore"):
                values[3] = np.where(price > 0, cheapest / price, np.where(price == 0, 1.0, 0.0))
    values[3] = np.nan_to_num(values[3])

    weight_vector = np.array([w.as_dict()[k] for k in CRITERIA])
    scores = weight_vector @ values
    rows = np.flatnonzero(candidate)
    ranked_rows = rows[np.lexsort((p.ids[rows], -scores[rows]))]

    return MatchResult(
        request=r,
        weights=w,
        parcels=p,
        rule=rule,
        ranked_rows=ranked_rows.astype(np.int64),
        values=values,
        scores=scores,
        sector_preferred=preferred_sector,
        sector_named=named_sector,
        cheapest_price=cheapest,
    )


def _none(n: int) -> BoolArray:
    return np.zeros(n, dtype=np.bool_)


def bench_match(*, repeat: int = 5) -> float:
    """Seconds (best of `repeat`) to match one request against 50,000 synthetic parcels."""
    parcels, _take_ups = synthetic_tables(take_ups=0)
    request = RequestFacts(
        area_min_m2=5_000,
        area_max_m2=40_000,
        area_types=compatible_area_types("GE"),
        needed_by=date(2027, 6, 30),
        needs_rail=False,
        needs_port=False,
        max_motorway_km=15.0,
        max_price_per_m2=250.0,
        min_distance_to_housing_m=100.0,
        sector_category="production",
        jobs=80,
    )
    profiles = {z: {"production": PREFERRED, "logistics": EXCLUDED} for z in range(1, 2_001, 2)}
    best = float("inf")
    for _run in range(repeat):
        started = time.perf_counter()
        result = match_request(parcels, request, profiles=profiles)
        result.matches(limit=50)
        best = min(best, time.perf_counter() - started)
    return best
