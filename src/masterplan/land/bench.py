"""Benchmark hooks of the land module (registered with core/bench.py).

SCENARIOS: the land dashboard, the parcel list, the parcel API list and the map's data (all of
Germany, and one city) at city and state scale (constant queries). `throughputs`: matching one
request against 50,000 parcels and the monitoring figures of a whole state (2,000 zones, 50,000
parcels, 200,000 take-ups) as of a past date, on synthetic columns (goals: ≤ 100 ms and ≤ 1 s),
and, on the plan's database, the dashboard's figures and a request's ranked matches including
the reads.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.benchtools import best_of
from masterplan.core.models import Masterplan
from masterplan.land import queries
from masterplan.land.figures import bench_figures
from masterplan.land.import_bench import throughputs as import_throughputs
from masterplan.land.matching import bench_match
from masterplan.land.models import Parcel, SiteRequest

SCENARIOS = [
    ListScenario("land_dashboard", "Land dashboard (figures per core zone)", "/p/{slug}/land/"),
    ListScenario("land_parcels", "Parcel list", "/p/{slug}/land/parcels/"),
    ListScenario("land_api_parcels", "API parcels (first page)", "/api/plans/{slug}/land/parcels"),
    # The map at a state's zoom (all of Germany: clusters beyond 5,000 parcels) and at a city's.
    ListScenario(
        "land_map_data_state",
        "Map data, all of Germany, zoom 7",
        "/p/{slug}/land/map/data.geojson?zoom=7",
    ),
    ListScenario(
        "land_map_data_city",
        "Map data, Düsseldorf, zoom 12",
        "/p/{slug}/land/map/data.geojson?zoom=12&bbox=6.68,51.12,6.94,51.29",
    ),
]


def throughputs(masterplan: Masterplan, client: Client) -> list[tuple[str, float, str]]:
    figures = bench_figures()
    parcels = Parcel.objects.filter(masterplan=masterplan).count()
    user = AnonymousUser()
    today = timezone.localdate()
    dashboard = best_of(
        3, lambda: queries.land_dashboard(user=user, masterplan=masterplan, as_of=today)
    )
    request = SiteRequest(
        masterplan=masterplan, title="Bench", area_min_m2=5_000, area_types=["GI"]
    )
    matching = best_of(3, lambda: queries.request_matches(user=user, request=request))
    return [
        ("Land: match one request against 50,000 parcels (columns)", bench_match() * 1000, "ms"),
        (
            "Land: state figures as of a past date (50,000 parcels)",
            figures["land_figures"] * 1000,
            "ms",
        ),
        ("Land: state figures per core zone (2,000 zones)", figures["by_zone"] * 1000, "ms"),
        ("Land: parcels of the plan", float(parcels), "parcels"),
        ("Land: dashboard figures of the plan from the database", dashboard * 1000, "ms"),
        ("Land: ranked matches of a request from the database", matching * 1000, "ms"),
        # 20 × the plan's parcels: 10,000 features in a full run, 500 with --quick
        *import_throughputs(max(500, 20 * parcels)),
    ]


MAIN_PAGES = ["land_dashboard"]

register_bench("land", scenarios=SCENARIOS, throughputs=throughputs, main_pages=MAIN_PAGES)
