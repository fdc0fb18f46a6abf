"""Benchmark hooks of the indicators (registered with core/bench.py): pages and API lists
compared at city and state scale, and the time to recompute every forecast of a masterplan."""

from __future__ import annotations

import time

from django.test import Client
from django.utils import timezone

from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.models import Masterplan
from masterplan.indicators.models import Indicator
from masterplan.indicators.queries import forecast_all


def busiest_indicator(masterplan: Masterplan) -> dict[str, object]:
    """The first indicator with monthly values for the whole plan (200 of them)."""
    indicator = (
        Indicator.objects.filter(masterplan=masterplan, granularity="month")
        .order_by("code")
        .first()
    ) or Indicator.objects.filter(masterplan=masterplan).order_by("code").first()
    return {"indicator": indicator.pk if indicator else 0}


SCENARIOS = [
    ListScenario("indicator_list", "Indicator list", "/p/{slug}/indicators/"),
    ListScenario(
        "indicator_page",
        "Indicator page (200 values)",
        "/p/{slug}/indicators/{indicator}/",
        busiest_indicator,
    ),
    ListScenario(
        "api_indicator_observations",
        "API: indicator observations",
        "/api/plans/{slug}/indicator-observations",
    ),
]


def throughputs(masterplan: Masterplan, client: Client) -> list[tuple[str, float, str]]:
    import scipy.stats  # noqa: F401 - import before timing (~2 s)

    start = time.perf_counter()
    count = forecast_all(masterplan, timezone.localdate())
    seconds = time.perf_counter() - start
    return [
        ("Recompute all indicator forecasts of the plan", seconds, "s"),
        ("Indicator forecasts per second", count / seconds if seconds else 0.0, "1/s"),
    ]


# Pages people wait for: compared with the organisation list page (issue 10, #25).
MAIN_PAGES = ["indicator_list", "indicator_page"]

register_bench("indicators", scenarios=SCENARIOS, throughputs=throughputs, main_pages=MAIN_PAGES)
