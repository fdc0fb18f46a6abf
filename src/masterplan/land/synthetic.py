"""Synthetic land data for benchmarks (`masterplan generate`): per masterplan 20 core zones,
500 parcels and 2,000 take-ups over ten years (at state scale with 100 plans: 2,000 zones,
50,000 parcels, 200,000 take-ups, the figures of issue 11). Parcels lie in a grid inside their
zones, in EPSG:25832 near the Rhine; bulk inserts, no audit entries, all marked as sample."""

from __future__ import annotations

import datetime
import random

from shapely.geometry import box

from masterplan.core.models import Masterplan, Publication
from masterplan.core.synthetic import register_content
from masterplan.land.geometry import area_m2
from masterplan.land.models import CoreZone, Parcel, TakeUp
from masterplan.land.services import located

ZONES = 20
PARCELS_PER_ZONE = 25
TAKE_UPS_PER_PARCEL = 4
WZ = ["25.62", "28.29", "10.71", "22.29", "52.10", "43.21", "21.20", "16.23"]


def write_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    person_ids: list[int],
    rng: random.Random,
    today: datetime.date,
    batch_size: int,
    size: float = 1.0,
) -> dict[str, int]:
    """Bulk-write one plan's land data; `size` scales the number of core zones."""
    zone_count = max(1, round(ZONES * size))
    common = {"masterplan": masterplan, "is_sample": True, "publication": Publication.PUBLISHED}
    origin_e = 330_000 + (masterplan.pk % 50) * 4_000
    origin_n = 5_650_000 + (masterplan.pk // 50 % 50) * 4_000
    zones = []
    for index in range(zone_count):
        east = origin_e + (index % 5) * 800
        north = origin_n + (index // 5) * 800
        shape = box(east, north, east + 700, north + 700)
        zones.append(
            CoreZone(
                **common,
                name=f"Kernzone {index + 1}",
                code=f"KZ{index + 1}",
                profile="Produktion und Handwerk",
                sector_priorities={"production": "preferred", "logistics": "excluded"},
                area_m2=area_m2(shape),
                **located(shape),
            )
        )
    zones = CoreZone.objects.bulk_create(zones, batch_size=batch_size)
    parcels = []
    for zone in zones:
        zone_e, zone_n = zone.min_x or 0.0, zone.min_y or 0.0
        for number in range(PARCELS_PER_ZONE):
            x0 = zone_e + (number % 5) * 140 + 5
            y0 = zone_n + (number // 5) * 140 + 5
            shape = box(x0, y0, x0 + rng.choice([60, 90, 120, 130]), y0 + rng.choice([60, 90, 130]))
            availability = rng.choices(["immediate", "medium_term", "restricted"], [5, 3, 1])[0]
            parcels.append(
                Parcel(
                    **common,
                    name=f"{zone.name} – Fläche {number + 1}",
                    core_zone=zone,
                    area_m2=area_m2(shape),
                    area_type=rng.choice(["GI", "GI", "GE"]),
                    availability=availability,
                    restriction=rng.choices(["none", "minor", "severe"], [6, 2, 1])[0],
                    brownfield=rng.random() < 0.4,
                    status=rng.choices(["available", "reserved", "in_use"], [6, 1, 3])[0],
                    available_from=None
                    if availability == "immediate"
                    else today + datetime.timedelta(days=rng.randint(100, 2_500)),
                    price_per_m2=rng.choice([90, 110, 130, 160]),
                    motorway_km=round(rng.uniform(0.3, 8.0), 1),
                    rail_siding=rng.random() < 0.25,
                    port_km=round(rng.uniform(0.2, 15.0), 1),
                    distance_to_housing_m=rng.choice([150, 300, 600, 1_000]),
                    recorded_on=today - datetime.timedelta(days=rng.randint(3_700, 4_000)),
                    confirmed_on=today - datetime.timedelta(days=rng.randint(10, 700)),
                    **located(shape),
                )
            )
    parcels = Parcel.objects.bulk_create(parcels, batch_size=batch_size)
    # The first take-up of a parcel in use is on the parcel; the others are land taken up in
    # its zone outside the register (older plots), which the figures count as take-up.
    take_ups: list[TakeUp] = []
    for parcel in parcels:
        for index in range(TAKE_UPS_PER_PARCEL):
            take_ups.append(
                TakeUp(
                    masterplan=masterplan,
                    publication=Publication.PUBLISHED,
                    parcel=parcel if index == 0 and parcel.status == "in_use" else None,
                    core_zone_id=parcel.core_zone_id,
                    on=today - datetime.timedelta(days=rng.randint(1, 3_650)),
                    area_m2=float(rng.randint(800, 12_000)),
                    company_name="Synthetische GmbH",
                    wz_code=rng.choice(WZ),
                    is_craft=rng.random() < 0.2,
                    jobs_created=rng.randint(0, 60),
                    kind=rng.choice(["new", "expansion"]),
                    brownfield=rng.random() < 0.3,
                )
            )
    TakeUp.objects.bulk_create(take_ups, batch_size=batch_size)
    return {"core zones": len(zones), "parcels": len(parcels), "take-ups": len(take_ups)}


def delete_content(masterplan: Masterplan) -> None:
    for model in (TakeUp, Parcel, CoreZone):
        model.all_objects.filter(masterplan=masterplan).delete()


register_content("land", write=write_content, delete=delete_content)
