"""Benchmark hooks of the climate module (registered with core/bench.py).

SCENARIOS: the climate page and the energy-report API list, compared at city and state
scale. `throughputs`: the time to recompute the network CO2 balance of a masterplan (all its
reports, both Scope 2 methods, recalculated base year, decomposition, data quality).
"""

from __future__ import annotations

import time

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from masterplan.climate import queries
from masterplan.climate.models import EnergyReport
from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.models import Masterplan

SCENARIOS = [
    ListScenario("climate_page", "Climate page (network CO2 balance)", "/p/{slug}/climate/"),
    ListScenario(
        "climate_api_reports",
        "API energy reports (first page)",
        "/api/plans/{slug}/climate/energy-reports",
    ),
    ListScenario("climate_api_balance", "API network balance", "/api/plans/{slug}/climate/balance"),
]


def throughputs(masterplan: Masterplan, client: Client) -> list[tuple[str, float, str]]:
    """Seconds to recompute the network balance (median of 3), and reports per second."""
    reports = EnergyReport.objects.filter(masterplan=masterplan).count()
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        queries.climate_overview(user=AnonymousUser(), masterplan=masterplan)
        timings.append(time.perf_counter() - started)
    seconds = sorted(timings)[1]
    return [
        ("Network CO2 balance: energy reports", float(reports), "reports"),
        ("Network CO2 balance: recompute", seconds, "s"),
        ("Network CO2 balance", reports / seconds if seconds else 0.0, "reports/s"),
    ]


PDFS = [ListScenario("climate_pdf", "Climate report PDF", "/p/{slug}/climate/report.pdf")]

# Pages people wait for: compared with the organisation list page (issue 10, #25).
MAIN_PAGES = ["climate_page"]

register_bench(
    "climate", scenarios=SCENARIOS, throughputs=throughputs, pdfs=PDFS, main_pages=MAIN_PAGES
)
