"""Benchmark pages of the directory (see core/bench.py): the organisation and people lists,
as pages and in the API, compared at city and state scale."""

from __future__ import annotations

from masterplan.core.bench import ListScenario, register_bench

SEARCH_TERM = "Logistik"

SCENARIOS = [
    ListScenario("orgs_page", "Organisation list page", "/p/{slug}/directory/organizations/"),
    ListScenario(
        "orgs_search",
        f"  … search ?q={SEARCH_TERM}",
        f"/p/{{slug}}/directory/organizations/?q={SEARCH_TERM}",
    ),
    ListScenario(
        "orgs_sort",
        "  … sorted ?sort=-employees",
        "/p/{slug}/directory/organizations/?sort=-employees",
    ),
    ListScenario("people_page", "People list page", "/p/{slug}/directory/people/"),
    ListScenario("api_orgs", "API organisations", "/api/plans/{slug}/directory/organizations"),
    ListScenario("api_people", "API people", "/api/plans/{slug}/directory/people"),
]

# Pages people wait for: compared with the organisation list page (issue 10, #25).
MAIN_PAGES = ["people_page"]

register_bench("directory", scenarios=SCENARIOS, main_pages=MAIN_PAGES)
