"""The governance panel on "my work" (see core/panels.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.panels import MY_WORK, register_panel
from masterplan.governance.queries import my_governance_work
from masterplan.governance.reminders import reminders_for_user


@register_panel("governance.my_work", page=MY_WORK, template="governance/_my_work.html", order=20)
def my_actions(request: HttpRequest, masterplan: Masterplan, today: date) -> dict[str, Any]:
    """Open action items, minutes to approve, decisions to carry out, reminders sent."""
    return {
        "governance_work": my_governance_work(
            user=request.user, masterplan=masterplan, today=today
        ),
        "governance_reminders": reminders_for_user(request.user, masterplan),
        "today": today,
    }
