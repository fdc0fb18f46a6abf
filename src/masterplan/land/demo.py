"""Demo data: Düsseldorf's industrial core zones (Masterplan Industrie) with parcels, ten years
of take-up, development guidelines from the zone workshops and site requests of producing and
craft firms.

The zone names are real industrial areas of Düsseldorf; every outline, parcel and figure is
invented and marked as sample data (`is_sample`). Outlines are rectangles near the real areas
in EPSG:25832, so the map shows them where a Düsseldorfer expects them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from shapely.geometry import Polygon, box

from masterplan.core.demo import DUESSELDORF, DemoContext, register_demo
from masterplan.core.models import Publication
from masterplan.land import services
from masterplan.land.models import CoreZone, Parcel

PUBLISHED = Publication.PUBLISHED

# name, profile, centre (E, N in EPSG:25832), size (m), sector priorities
ZONES: list[tuple[str, str, tuple[float, float], tuple[float, float], dict[str, str]]] = [
    (
        "Kernzone Reisholz",
        "Klassische Industrie",
        (348_900, 5_672_600),
        (1_600, 1_100),
        {"production": "preferred", "craft": "preferred", "logistics": "excluded"},
    ),
    (
        "Kernzone Hafen/Lausward",
        "Hafen, Energie und Logistik",
        (341_300, 5_677_900),
        (1_800, 900),
        {"production": "preferred", "logistics": "permitted", "large_retail": "excluded"},
    ),
    (
        "Kernzone Heerdt",
        "Produktion und Handwerk",
        (338_700, 5_679_100),
        (1_200, 900),
        {"craft": "preferred", "production": "preferred", "office": "excluded"},
    ),
    (
        "Kernzone Rath/Reichsbahnausbesserungswerk",
        "Maschinenbau und Life Sciences",
        (348_300, 5_682_900),
        (1_300, 1_000),
        {"production": "preferred", "life_sciences": "preferred", "large_retail": "excluded"},
    ),
    (
        "Kernzone Lierenfeld",
        "Klassische Industrie und Metall",
        (347_400, 5_675_400),
        (1_100, 800),
        {"production": "preferred", "logistics": "excluded", "office": "excluded"},
    ),
]

GUIDELINES = [
    ("Produktion und Handwerk haben Vorrang vor Logistik, Büro und großflächigem Handel", "agreed"),
    ("Brachflächen werden vor neuen Flächen entwickelt", "in_progress"),
    ("Erweiterungen ansässiger Betriebe haben Vorrang vor Neuansiedlungen", "agreed"),
    ("Emissionsabstände zur Wohnbebauung werden bei Planungen gesichert", "proposed"),
]

COMPANIES = [
    ("Rheinische Präzisionsteile GmbH", "25.62", False),
    ("Tischlerei Kemper", "16.23", True),
    ("Düsseldorfer Stahlbau GmbH", "25.11", False),
    ("Elektro Schmitz GmbH & Co. KG", "43.21", True),
    ("Lausward Anlagenbau GmbH", "28.29", False),
    ("Heerdt Kunststofftechnik GmbH", "22.29", False),
    ("Bäckerei Hinkel Produktion", "10.71", True),
    ("Rhein-Logistik Düsseldorf GmbH", "52.10", False),
    ("Metallbau Wienands", "25.12", True),
    ("BioPharm Rath GmbH", "21.20", False),
]


def sample_parcels(
    rng: random.Random, zone: tuple[float, float], size: tuple[float, float]
) -> Iterator[Polygon]:
    """Non-overlapping rectangles on a grid inside the zone's outline."""
    (east, north), (width, height) = zone, size
    cell = 160.0
    columns, rows = int(width // cell), int(height // cell)
    for column in range(columns):
        for row in range(rows):
            if rng.random() < 0.45:
                continue
            x0 = east - width / 2 + column * cell + 10
            y0 = north - height / 2 + row * cell + 10
            w = rng.choice([60, 80, 100, 120, 140])
            h = rng.choice([60, 80, 100, 120, 140])
            yield box(x0, y0, x0 + w, y0 + h)


@register_demo("land")
def load(context: DemoContext) -> None:
    """Düsseldorf's core zones, parcels and take-up; Duisburg keeps its land elsewhere."""
    actor = context.actor
    plan = context.plans[DUESSELDORF]
    today = context.today
    rng = random.Random(20251205)
    zones: list[tuple[CoreZone, list[Parcel]]] = []
    for index, (name, profile, centre, size, priorities) in enumerate(ZONES, start=1):
        east, north = centre
        width, height = size
        zone = services.zone_create(
            actor=actor,
            masterplan=plan,
            name=name,
            code=f"KZ{index}",
            profile=profile,
            sector_priorities=priorities,
            description="Beispieldaten: Umriss und Zahlen sind erfunden.",
            geometry=box(
                east - width / 2, north - height / 2, east + width / 2, north + height / 2
            ),
            is_sample=True,
            publication=PUBLISHED,
            external_id=f"DUS-KZ{index}",
        )
        for position, (title, status) in enumerate(GUIDELINES, start=1):
            services.guideline_create(
                actor=actor,
                zone=zone,
                position=position,
                title=title,
                status=status,
                publication=PUBLISHED,
            )
        parcels = []
        for number, shape in enumerate(sample_parcels(rng, centre, size), start=1):
            restriction = rng.choices(["none", "minor", "severe"], weights=[6, 2, 1])[0]
            availability = rng.choices(
                ["immediate", "medium_term", "restricted"], weights=[5, 3, 1]
            )[0]
            available_from = (
                None
                if availability == "immediate"
                else today + timedelta(days=rng.randint(200, 2_500))
            )
            parcels.append(
                services.parcel_create(
                    actor=actor,
                    masterplan=plan,
                    name=f"{name.removeprefix('Kernzone ')} – Fläche {number}",
                    area_type=rng.choices(["GI", "GE"], weights=[3, 2])[0],
                    availability=availability,
                    restriction=restriction,
                    restriction_reasons="Altlastenverdacht" if restriction != "none" else "",
                    brownfield=rng.random() < 0.4,
                    owner=rng.choice(["public", "private"]),
                    available_from=available_from,
                    price_per_m2=rng.choice([95, 110, 120, 135, 150, 180]),
                    motorway_km=round(rng.uniform(0.5, 6.0), 1),
                    rail_siding=rng.random() < 0.3,
                    port_km=round(rng.uniform(0.3, 12.0), 1),
                    distance_to_housing_m=rng.choice([150, 300, 500, 800, 1_200]),
                    recorded_on=today - timedelta(days=rng.randint(3_700, 4_400)),
                    confirmed_on=today - timedelta(days=rng.randint(10, 600)),
                    geometry=shape,
                    is_sample=True,
                    publication=PUBLISHED,
                    external_id=f"DUS-KZ{index}-F{number:02d}",
                )
            )
        zones.append((zone, parcels))
    # Ten years of take-up: about a third of the parcels, spread over the years.
    for _zone, parcels in zones:
        for parcel in rng.sample(parcels, k=len(parcels) // 3):
            company, wz, craft = rng.choice(COMPANIES)
            on = today - timedelta(days=rng.randint(30, 3_650))
            services.take_up_create(
                actor=actor,
                masterplan=plan,
                parcel=parcel,
                on=on,
                company_name=company,
                wz_code=wz,
                is_craft=craft,
                jobs_created=rng.randint(5, 80),
                jobs_secured=rng.randint(0, 120),
                kind=rng.choice(["new", "expansion"]),
                external_id=f"DUS-TU-{parcel.pk}",
            )
    requests = [
        (
            "Blechbearbeitung sucht Produktionsfläche",
            "Metallbau Wienands",
            "production",
            8_000,
            15_000,
            ["GI"],
            None,
        ),
        (
            "Tischlerei sucht Werkstatt mit Lager",
            "Tischlerei Kemper",
            "craft",
            3_000,
            12_000,
            ["GE"],
            None,
        ),
        (
            "Anlagenbauer braucht Gleisanschluss",
            "Lausward Anlagenbau GmbH",
            "production",
            20_000,
            40_000,
            ["GI"],
            "too_small",
        ),
        (
            "Logistikzentrum am Hafen",
            "Rhein-Logistik Düsseldorf GmbH",
            "logistics",
            30_000,
            None,
            [],
            "area_type",
        ),
    ]
    for title, company, sector, low, high, types, lost in requests:
        request = services.request_create(
            actor=actor,
            masterplan=plan,
            title=title,
            company_name=company,
            sector_category=sector,
            area_min_m2=low,
            area_max_m2=high,
            area_types=types,
            needed_by=date(today.year + 1, 6, 30),
            max_motorway_km=5,
            jobs=rng.randint(10, 90),
            needs_rail="Gleis" in title,
        )
        if lost:
            services.request_update(
                actor=actor,
                request=request,
                version=request.version,
                status="lost",
                lost_reason=lost,
            )
