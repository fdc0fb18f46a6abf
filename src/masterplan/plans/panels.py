"""The plans module's panels on the plan's home page and on "my work" (see core/panels.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.panels import MY_WORK, PLAN_HOME, register_panel
from masterplan.core.permissions import role_in
from masterplan.plans import queries
from masterplan.plans.figures import METHODS


@register_panel("plans.home", page=PLAN_HOME, template="plans/_home.html", order=10)
def plan_links(request: HttpRequest, masterplan: Masterplan, today: date) -> dict[str, Any]:
    """The plan's progress (loaded by HTMX) and its pages; "my work" for members only."""
    return {"role": role_in(request.user, masterplan)}


@register_panel("plans.my_work", page=MY_WORK, template="plans/_my_work.html", order=10)
def my_measures(request: HttpRequest, masterplan: Masterplan, today: date) -> dict[str, Any]:
    """Milestones and status reports due, reports to review, measures that need attention."""
    return {
        "work": queries.my_work(user=request.user, masterplan=masterplan, today=today),
        "today": today,
        "due_soon_days": queries.DUE_SOON_DAYS,
        "report_interval_days": queries.REPORT_INTERVAL_DAYS,
        "methods": METHODS,
    }
