"""Benchmark pages of the plans module (see core/bench.py): the plan tree, a measure, the
API lists of measures and milestones, and the review report, at city and state scale."""

from __future__ import annotations

from collections.abc import Mapping

from masterplan.core.bench import ListScenario, register_bench
from masterplan.core.models import Masterplan
from masterplan.plans.models import Measure


def first_measure(masterplan: Masterplan) -> Mapping[str, object]:
    measure = Measure.objects.filter(masterplan=masterplan).order_by("pk").first()
    if measure is None:
        raise RuntimeError(f"{masterplan.slug} has no measures: run `masterplan generate`.")
    return {"measure": measure.pk}


SCENARIOS = [
    ListScenario("plan_overview", "Plan overview (tree)", "/p/{slug}/plan/"),
    ListScenario(
        "measure_page", "Measure page", "/p/{slug}/plan/measures/{measure}/", first_measure
    ),
    ListScenario("api_measures", "API measures", "/api/plans/{slug}/plan/measures"),
    ListScenario("api_milestones", "API milestones", "/api/plans/{slug}/plan/milestones"),
    ListScenario("review_report", "Review report (build + page)", "/p/{slug}/plan/report/"),
]

PDFS = [
    ListScenario("review_report_pdf", "Review report PDF", "/p/{slug}/plan/report/pdf/"),
]

# Pages people wait for: compared with the organisation list page (issue 10, #25).
MAIN_PAGES = ["plan_overview", "measure_page", "review_report"]

register_bench("plans", scenarios=SCENARIOS, pdfs=PDFS, main_pages=MAIN_PAGES)
