"""One masterplan holding a whole state's land: 2,000 core zones, 50,000 parcels and 200,000
take-ups (issue 11's state scale) in one plan, against a city's 20 / 500 / 2,000, in a
throw-away plan inside a rolled-back transaction. Prints the land dashboard's and the map data's
time, their SQL queries and the size of the map answer, at both sizes:

    masterplan shell -c "from masterplan.land.state_bench import lines; lines()"

The map answers by bounding box and zoom; above FEATURE_CAP parcels in the box it sends
clusters of centroids, so the whole state at zoom 7 is a few hundred points, never one 50 MB
document.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masterplan.core.benchtools import rolled_back
from masterplan.core.models import Masterplan, PlanRole, Role
from masterplan.land import synthetic

PAGES = {
    "dashboard": "/p/{slug}/land/",
    "map, whole state, zoom 7": "/p/{slug}/land/map/data.geojson?zoom=7",
    "map, one district, zoom 14": (
        "/p/{slug}/land/map/data.geojson?zoom=14&bbox={west},{south},{east},{north}"
    ),
}


@dataclass(frozen=True)
class Timing:
    page: str
    size: float
    parcels: int
    queries: int
    median_ms: float
    kilobytes: float


def measure(size: float, repeat: int = 7) -> list[Timing]:
    from django.contrib.auth import get_user_model

    from masterplan.land.models import Parcel

    timings: list[Timing] = []
    with rolled_back():
        plan = Masterplan.objects.create(
            name="Land state bench", slug=f"land-state-bench-{int(size)}", city="Bench"
        )
        counts = synthetic.write_content(
            plan,
            organization_ids=[],
            person_ids=[],
            rng=random.Random(7),
            today=timezone.localdate(),
            batch_size=2_000,
            size=size,
        )
        user = get_user_model().objects.create_user(f"land-bench-{int(size)}", password=None)
        PlanRole.objects.create(user=user, masterplan=plan, role=Role.COORDINATOR)
        client = Client()
        client.force_login(user)
        first = Parcel.objects.filter(masterplan=plan).order_by("id").first()
        assert first is not None and first.longitude is not None and first.latitude is not None
        district = {
            "west": first.longitude - 0.01,
            "south": first.latitude - 0.01,
            "east": first.longitude + 0.01,
            "north": first.latitude + 0.01,
        }
        for page, path in PAGES.items():
            url = path.format(slug=plan.slug, **district)
            client.get(url)  # warm-up
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured.captured_queries)  # the next request clears the log
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                samples.append(time.perf_counter() - started)
            timings.append(
                Timing(
                    page=page,
                    size=size,
                    parcels=counts["parcels"],
                    queries=queries,
                    median_ms=statistics.median(samples) * 1000,
                    kilobytes=len(response.content) / 1024,
                )
            )
    return timings


def lines(sizes: tuple[float, float] = (1.0, 100.0)) -> None:
    started = datetime.datetime.now()
    city, state = (measure(size) for size in sizes)
    sys.stdout.write(
        f"Land in one plan: city {city[0].parcels:,} parcels, state {state[0].parcels:,}\n"
        f"{'page':32} {'queries':>13} {'median ms':>17} {'state÷city':>10} {'KB':>15}\n"
    )
    for a, b in zip(city, state, strict=True):
        sys.stdout.write(
            f"{a.page:32} {a.queries:6} {b.queries:6} {a.median_ms:8.1f} {b.median_ms:8.1f} "
            f"{b.median_ms / a.median_ms:10.2f} {a.kilobytes:7.1f} {b.kilobytes:7.1f}\n"
        )
    sys.stdout.write(f"({(datetime.datetime.now() - started).seconds} s in all)\n")
