"""Benchmark hooks of the governance module (registered with core/bench.py).

SCENARIOS are pages and lists whose median time and query count are compared at city and
state scale. `throughputs` walks every page of the OParl meeting and agenda-item lists of
a masterplan, as an OParl client that mirrors the data would, and reports rows per second.
"""

from __future__ import annotations

import json
import time

from django.test import Client

from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.models import Masterplan
from masterplan.governance.models import Meeting


def first_public_meeting(masterplan: Masterplan) -> dict[str, object]:
    meeting = (
        Meeting.objects.filter(masterplan=masterplan, is_public=True, publication="published")
        .order_by("pk")
        .first()
    )
    if meeting is None:
        raise RuntimeError(f"{masterplan.slug} has no public meetings: run `masterplan generate`.")
    return {"meeting": meeting.pk}


SCENARIOS = [
    ListScenario(
        "oparl_meetings", "OParl meetings (first page)", "/oparl/v1/body/{slug}/meetings/"
    ),
    ListScenario(
        "oparl_agenda_items",
        "OParl agenda items (first page)",
        "/oparl/v1/body/{slug}/agenda-items/",
    ),
    ListScenario("api_meetings", "API meetings", "/api/plans/{slug}/governance/meetings"),
    ListScenario(
        "meeting_page",
        "Meeting page",
        "/p/{slug}/governance/meetings/{meeting}/",
        first_public_meeting,
    ),
    ListScenario(
        "meetings_feed", "Calendar feed (public meetings)", "/p/{slug}/feeds/meetings.ics"
    ),
]


def walk_oparl_list(client: Client, url: str) -> tuple[int, int, float]:
    """(objects, pages, seconds) to read an OParl list from its first page to its last."""
    rows = pages = 0
    started = time.perf_counter()
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {next_url} answered {response.status_code}, not 200.")
        page = json.loads(response.content)
        rows += len(page["data"])
        pages += 1
        next_url = page["links"].get("next")
    return rows, pages, time.perf_counter() - started


def throughputs(masterplan: Masterplan, client: Client) -> list[tuple[str, float, str]]:
    """Rows per second walking all OParl pages (100 objects each) of meetings and agenda items."""
    figures: list[tuple[str, float, str]] = []
    for label, kind in (("meetings", "meetings"), ("agenda items", "agenda-items")):
        url = f"http://testserver/oparl/v1/body/{masterplan.slug}/{kind}/"
        client.get(url)  # warm-up: the first request of a process loads code, not data
        rows, pages, seconds = walk_oparl_list(client, url)
        figures.append((f"OParl walk, all {label}: rows", float(rows), "rows"))
        figures.append((f"OParl walk, all {label}: pages", float(pages), "pages"))
        figures.append((f"OParl walk, all {label}: time", seconds, "s"))
        figures.append((f"OParl walk, all {label}", rows / seconds if seconds else 0.0, "rows/s"))
    return figures


# Pages people wait for: compared with the organisation list page (issue 10, #25).
MAIN_PAGES = ["meeting_page", "meetings_feed"]

register_bench("governance", scenarios=SCENARIOS, throughputs=throughputs, main_pages=MAIN_PAGES)
