"""Land monitoring figures against hand-computed values (sample data, Düsseldorf).

Core zone 1 = Reisholz, core zone 2 = Lierenfeld; D = 31 Dec 2025, n = 5 years, so the take-up
window is 1 Jan 2021 … 31 Dec 2025 (31 Dec 2020 < on ≤ 31 Dec 2025).

In the reserve at D: Reisholz Nord 20,000 m² (no restriction), Reisholz Süd 12,000 m² (minor
restriction), Lierenfeld Ost 8,000 m² (no restriction, reserved). Out: Lierenfeld West (taken up
2022), Flingern (recorded 2026), Reisholz Hafenkante (withdrawn 2024), Lierenfeld Halle 3 (in use,
no take-up on record).
G = 20,000 + 12,000 + 8,000 = 40,000 m² = 4 ha; N = 20,000 + 8,000 = 28,000 m²;
restriction share = (40,000 − 28,000) / 40,000 = 0.3.

Take-ups in the window: 6,000 (2021-01-01, production, brownfield, 30 jobs) + 5,000 (2022,
craft, 20 jobs) + 4,000 (2024, logistics, brownfield, jobs unknown) + 5,000 (2025-12-31,
production, 50 jobs) = 20,000 m²; Ā = 20,000 / 5 = 4,000 m²/year. Outside: 10,000 m² on
2020-12-31 (the window's start is exclusive) and 9,000 m² in 2026 (after D).
Reach N / Ā = 28,000 / 4,000 = 7 years; G / Ā = 40,000 / 4,000 = 10 years.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from masterplan.land import figures as f

D = date(2025, 12, 31)


def parcel(id: int, **changes: object) -> f.ParcelFacts:
    base = f.ParcelFacts(
        id=id,
        core_zone_id=1,
        area_m2=10_000,
        area_type="GI",
        availability="immediate",
        restriction="none",
        brownfield=False,
        status="available",
        recorded_on=date(2015, 3, 1),
        withdrawn_on=None,
        available_from=None,
        price_per_m2=150.0,
        motorway_km=2.0,
        rail_siding=False,
        port_km=None,
        distance_to_housing_m=400.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def take_up(on: date, area: float, **changes: object) -> f.TakeUpFacts:
    base = f.TakeUpFacts(
        parcel_id=None,
        core_zone_id=1,
        on=on,
        area_m2=area,
        wz_code="25.62",  # Mechanik a. n. g. (section C)
        is_craft=False,
        jobs=None,
        brownfield=False,
        kind="new",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


PARCELS = [
    parcel(1, area_m2=20_000, brownfield=True),  # Reisholz Nord
    parcel(2, area_m2=12_000, area_type="GE", availability="medium_term", restriction="minor",
           recorded_on=date(2018, 6, 1), available_from=date(2028, 1, 1)),  # Reisholz Süd
    parcel(3, core_zone_id=2, area_m2=8_000, area_type="GE", status="reserved",
           recorded_on=date(2019, 1, 15), available_from=date(2027, 1, 1)),  # Lierenfeld Ost
    parcel(4, core_zone_id=2, area_m2=5_000, area_type="GE", status="sold",
           recorded_on=date(2016, 4, 1)),  # Lierenfeld West, taken up 2022
    parcel(5, core_zone_id=None, area_m2=3_000, area_type="MI",
           recorded_on=date(2026, 2, 1)),  # Flingern, recorded after D
    parcel(6, area_m2=6_000, recorded_on=date(2017, 1, 1),
           withdrawn_on=date(2024, 1, 1)),  # Reisholz Hafenkante, re-planned
    parcel(7, core_zone_id=2, area_m2=4_000, status="in_use"),  # Lierenfeld Halle 3
]  # fmt: skip

TAKE_UPS = [
    take_up(date(2020, 12, 31), 10_000),  # just before the window
    take_up(date(2021, 1, 1), 6_000, jobs=30, brownfield=True),
    take_up(date(2022, 5, 10), 5_000, parcel_id=4, core_zone_id=2, wz_code="43.22",
            is_craft=True, jobs=20),  # Installateur (craft, section F)
    take_up(date(2024, 9, 15), 4_000, core_zone_id=2, wz_code="52.10",
            brownfield=True),  # Lagerei, jobs unknown
    take_up(date(2025, 12, 31), 5_000, wz_code="21.10", jobs=50, kind="expansion"),
    take_up(date(2026, 3, 1), 9_000, parcel_id=1),  # after D: ignored
]  # fmt: skip


@pytest.fixture
def figures() -> f.LandFigures:
    return f.land_figures(PARCELS, TAKE_UPS, as_of=D)


def test_gross_and_net_reserve_and_restriction_share(figures: f.LandFigures) -> None:
    assert figures.reserve_parcels == 3
    assert figures.gross_reserve_m2 == 40_000
    assert figures.gross_reserve_ha == 4.0
    assert figures.net_reserve_m2 == 28_000
    assert figures.restriction_share == pytest.approx(0.3)


def test_average_take_up_and_reach(figures: f.LandFigures) -> None:
    assert (figures.window_start, figures.window_end) == (date(2020, 12, 31), D)
    assert figures.take_ups_in_window == 4
    assert figures.take_up_in_window_m2 == 20_000
    assert figures.annual_take_up_m2 == 4_000
    assert figures.annual_take_up_ha == 0.4
    assert figures.reach_net_years == 7.0
    assert figures.reach_gross_years == 10.0


def test_shares_of_the_take_up(figures: f.LandFigures) -> None:
    # brownfield (6,000 + 4,000) / 20,000; production 21.10 and 25.62: (6,000 + 5,000) / 20,000;
    # craft 5,000 / 20,000; production or craft 16,000 / 20,000
    assert figures.brownfield_share == pytest.approx(0.5)
    assert figures.production_share == pytest.approx(0.55)
    assert figures.craft_share == pytest.approx(0.25)
    assert figures.production_or_craft_share == pytest.approx(0.8)


def test_jobs_per_hectare_counts_only_take_ups_with_jobs(figures: f.LandFigures) -> None:
    # (30 + 20 + 50) jobs on (6,000 + 5,000 + 5,000) m² = 1.6 ha: 62.5 per ha (the 4,000 m²
    # without a job count are in neither sum)
    assert (figures.jobs, figures.jobs_area_m2) == (100, 16_000)
    assert figures.jobs_per_ha == pytest.approx(62.5)


def test_availability_over_time_against_projected_demand(figures: f.LandFigures) -> None:
    # Net reserve: Reisholz Nord 20,000 now, Lierenfeld Ost 8,000 from 1 Jan 2027 (Reisholz Süd
    # has a restriction). Demand 4,000 · t: 28,000 at t = 7 is still covered, 32,000 at t = 8 not.
    points = {p.years: (p.on, p.supply_m2, p.demand_m2) for p in figures.availability}
    assert len(points) == 11
    assert points[0] == (D, 20_000, 0)
    assert points[1] == (date(2026, 12, 31), 20_000, 4_000)
    assert points[2] == (date(2027, 12, 31), 28_000, 8_000)
    assert points[7] == (date(2032, 12, 31), 28_000, 28_000)
    assert points[8] == (date(2033, 12, 31), 28_000, 32_000)
    assert figures.first_shortfall_year == 8


def test_sold_or_in_use_without_take_up_is_out_of_the_reserve_and_counted(
    figures: f.LandFigures,
) -> None:
    assert figures.unrecorded_take_up_parcels == 1  # Lierenfeld Halle 3
    earlier = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2020, 1, 1))
    assert earlier.unrecorded_take_up_parcels == 1
    # nor in the past: Reisholz Nord, Süd, Lierenfeld Ost and West, Hafenkante, not Halle 3
    assert earlier.gross_reserve_m2 == 20_000 + 12_000 + 8_000 + 5_000 + 6_000


def test_figures_as_the_data_stood_on_a_past_date() -> None:
    # 31 Dec 2021: Lierenfeld West (taken up 2022) and Reisholz Hafenkante (withdrawn 2024) are
    # still in the reserve: G = 20,000 + 12,000 + 8,000 + 5,000 + 6,000 = 51,000.
    # Window 1 Jan 2017 … 31 Dec 2021: 10,000 + 6,000 = 16,000, Ā = 3,200.
    past = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2021, 12, 31))
    assert past.gross_reserve_m2 == 51_000
    assert past.net_reserve_m2 == 20_000 + 8_000 + 5_000 + 6_000
    assert past.annual_take_up_m2 == 3_200


def test_a_parcel_leaves_the_reserve_on_the_day_of_its_withdrawal_or_take_up() -> None:
    before = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2023, 12, 31))
    on_the_day = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2024, 1, 1))
    assert before.gross_reserve_m2 - on_the_day.gross_reserve_m2 == 6_000
    day_before = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2022, 5, 9))
    take_up_day = f.land_figures(PARCELS, TAKE_UPS, as_of=date(2022, 5, 10))
    assert day_before.gross_reserve_m2 - take_up_day.gross_reserve_m2 == 5_000


def test_take_ups_after_the_date_are_ignored(figures: f.LandFigures) -> None:
    # The 9,000 m² on Reisholz Nord in March 2026: the parcel is still in the reserve at D
    without = f.land_figures(PARCELS, TAKE_UPS[:-1], as_of=D)
    assert figures == without


def test_a_parcel_recorded_after_the_date_is_not_counted() -> None:
    assert f.land_figures(PARCELS, [], as_of=date(2026, 1, 31)).gross_reserve_m2 == 40_000
    assert f.land_figures(PARCELS, [], as_of=date(2026, 2, 1)).gross_reserve_m2 == 43_000


def test_no_take_up_makes_reach_not_meaningful() -> None:
    figures = f.land_figures(PARCELS, [], as_of=D)
    assert figures.annual_take_up_m2 == 0
    assert figures.reach_net_years is None
    assert figures.reach_gross_years is None
    assert figures.brownfield_share is None
    assert figures.jobs_per_ha is None
    assert figures.first_shortfall_year is None


def test_no_reserve_has_no_restriction_share_and_zero_reach() -> None:
    figures = f.land_figures([], TAKE_UPS, as_of=D)
    assert figures.gross_reserve_m2 == 0
    assert figures.restriction_share is None
    assert figures.reach_net_years == 0.0
    assert figures.first_shortfall_year == 1


def test_the_window_of_a_leap_day_starts_after_the_28th_of_february() -> None:
    assert f.take_up_window(date(2024, 2, 29), 5) == (date(2019, 2, 28), date(2024, 2, 29))
    assert f.take_up_window(date(2028, 2, 29), 4) == (date(2024, 2, 29), date(2028, 2, 29))
    take_ups = [take_up(date(2019, 2, 28), 1_000), take_up(date(2019, 3, 1), 2_500)]
    figures = f.land_figures([], take_ups, as_of=date(2024, 2, 29))
    assert figures.take_up_in_window_m2 == 2_500
    assert figures.annual_take_up_m2 == 500
    assert f.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_the_window_length_is_configurable() -> None:
    # n = 2: 31 Dec 2023 < on ≤ 31 Dec 2025: 4,000 + 5,000 = 9,000 m², Ā = 4,500
    figures = f.land_figures(PARCELS, TAKE_UPS, as_of=D, years=2, horizon=3)
    assert figures.annual_take_up_m2 == 4_500
    assert len(figures.availability) == 4
    with pytest.raises(ValueError):
        f.land_figures(PARCELS, TAKE_UPS, as_of=D, years=0)


def test_by_zone_counts_take_ups_by_their_core_zone() -> None:
    zones = f.by_zone(PARCELS, TAKE_UPS, as_of=D)
    assert list(zones) == [1, 2]
    reisholz, lierenfeld = zones[1], zones[2]
    # Reisholz: G = 20,000 + 12,000, N = 20,000; take-up 6,000 + 5,000 = 11,000, Ā = 2,200;
    # reach N/Ā = 20,000 / 2,200 = 9.09 years; jobs (30 + 50) / 1.1 ha = 72.7 per ha
    assert (reisholz.gross_reserve_m2, reisholz.net_reserve_m2) == (32_000, 20_000)
    assert reisholz.annual_take_up_m2 == 2_200
    assert reisholz.reach_net_years == pytest.approx(9.0909, abs=1e-4)
    assert reisholz.jobs_per_ha == pytest.approx(72.727, abs=1e-3)
    assert reisholz.production_share == 1.0
    # Lierenfeld: G = N = 8,000; take-up 5,000 + 4,000 = 9,000, Ā = 1,800; reach 4.44 years;
    # craft 5,000 / 9,000; jobs 20 / 0.5 ha = 40 per ha
    assert (lierenfeld.gross_reserve_m2, lierenfeld.net_reserve_m2) == (8_000, 8_000)
    assert lierenfeld.annual_take_up_m2 == 1_800
    assert lierenfeld.reach_gross_years == pytest.approx(4.4444, abs=1e-4)
    assert lierenfeld.craft_share == pytest.approx(5 / 9)
    assert lierenfeld.jobs_per_ha == pytest.approx(40)
    assert lierenfeld.unrecorded_take_up_parcels == 1


def test_by_zone_reports_exactly_the_zones_asked_for() -> None:
    zones = f.by_zone(PARCELS, TAKE_UPS, as_of=D, zone_ids=[2, 99])
    assert list(zones) == [2, 99]
    assert zones[99].gross_reserve_m2 == 0
    assert zones[99].reach_net_years is None


def test_tables_and_facts_give_the_same_figures(figures: f.LandFigures) -> None:
    parcels = f.ParcelTable.from_facts(reversed(PARCELS))
    assert list(parcels.ids) == [1, 2, 3, 4, 5, 6, 7]
    take_ups = f.TakeUpTable.from_facts(TAKE_UPS)
    assert f.land_figures(parcels, take_ups, as_of=D) == figures


def test_unknown_codes_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'GX'"):
        f.ParcelTable.from_facts([parcel(1, area_type="GX")])


def test_wz_division() -> None:
    assert f.wz_division("25.62") == 25
    assert f.wz_division("C 10.71") == 10
    assert f.wz_division("") == -1


def test_state_figures_in_under_a_second() -> None:
    # 50,000 parcels, 200,000 take-ups, 2,000 core zones (goal ≤ 1 s; measured ~0.03 s / 0.15 s).
    # CPU time of this thread, best of three: another process loading the machine (a parallel
    # test worker, a bench) must not make the test fail, a slow computation must.
    parcels, take_ups = f.synthetic_tables()

    def cpu_seconds(work: object) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            work()  # type: ignore[operator]
            best = min(best, time.thread_time() - started)
        return best

    state = f.land_figures(parcels, take_ups, as_of=date(2021, 6, 30))
    zones = f.by_zone(parcels, take_ups, as_of=date(2021, 6, 30))
    state_seconds = cpu_seconds(lambda: f.land_figures(parcels, take_ups, as_of=date(2021, 6, 30)))
    zone_seconds = cpu_seconds(lambda: f.by_zone(parcels, take_ups, as_of=date(2021, 6, 30)))
    print(f"land_figures {state_seconds:.3f} s, by_zone ({len(zones)} zones) {zone_seconds:.3f} s")
    assert state.gross_reserve_m2 > 0
    assert len(zones) == 2_000
    assert state_seconds < 1.0
    assert zone_seconds < 1.0


def test_zone_sums_agree_with_the_definition_written_out() -> None:
    parcels, take_ups = f.synthetic_tables(parcels=2_000, take_ups=6_000, zones=12, seed=3)
    as_of = date(2016, 2, 29)
    zones = f.by_zone(parcels, take_ups, as_of=as_of, years=3)
    day, start = as_of.toordinal(), date(2013, 2, 28).toordinal()
    taken = {int(p) for p, on in zip(take_ups.parcel_id, take_ups.on, strict=True) if on <= day}
    ever = set(take_ups.parcel_id.tolist())
    for zone in (1, 7, 12):
        gross = net = 0.0
        for row in range(len(parcels)):
            pid = int(parcels.ids[row])
            gone = f.STATUSES[parcels.status[row]] in ("sold", "in_use") and pid not in ever
            if (
                parcels.zone[row] == zone
                and parcels.recorded[row] <= day
                and parcels.withdrawn[row] > day
                and pid not in taken
                and not gone
            ):
                gross += parcels.area_m2[row]
                net += parcels.area_m2[row] if parcels.restriction[row] == 0 else 0.0
        window = sum(
            area
            for area, z, on in zip(take_ups.area_m2, take_ups.zone, take_ups.on, strict=True)
            if z == zone and start < on <= day
        )
        assert zones[zone].gross_reserve_m2 == pytest.approx(gross)
        assert zones[zone].net_reserve_m2 == pytest.approx(net)
        assert zones[zone].annual_take_up_m2 == pytest.approx(window / 3)


def test_the_take_up_table_built_from_rows_equals_the_one_built_from_facts() -> None:
    """The dashboard builds its take-up columns straight from database rows; every column
    equals the one built record by record, missing jobs, zones and parcels included."""
    from datetime import date as day

    from masterplan.land.figures import TakeUpFacts, TakeUpTable, take_up_table_from_rows

    rows = [
        (7, 3, day(2021, 3, 1), 12_000.0, "25.62", False, 40, None, True, "new"),
        (None, 3, day(2022, 6, 30), 8_500.0, "C 43.21", True, None, None, False, "expansion"),
        (None, None, day(2024, 1, 15), 3_000.0, "", False, 5, 12, False, "new"),
    ]
    built = take_up_table_from_rows(rows)
    expected = TakeUpTable.from_facts(
        TakeUpFacts(
            parcel_id=parcel,
            core_zone_id=zone,
            on=on,
            area_m2=area,
            wz_code=wz,
            is_craft=craft,
            jobs=None if created is None and secured is None else (created or 0) + (secured or 0),
            brownfield=brownfield,
            kind=kind,
        )
        for parcel, zone, on, area, wz, craft, created, secured, brownfield, kind in rows
    )
    for name in ("parcel_id", "zone", "on", "area_m2", "wz_division", "is_craft", "brownfield"):
        assert getattr(built, name).tolist() == getattr(expected, name).tolist(), name
    assert built.kind.tolist() == expected.kind.tolist()
    assert np.allclose(built.jobs, expected.jobs, equal_nan=True)
    assert built.jobs.tolist()[2] == 17 and np.isnan(built.jobs[1])
    assert len(take_up_table_from_rows([])) == 0
