"""The governance panel on "my work" (see core/panels.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.panels import MY_WORK, register_object_panel, register_panel
from masterplan.governance.models import AgendaItem, Meeting
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


@register_object_panel(
    "governance.zone_workshops", on="land.corezone", template="governance/_zone_workshops.html"
)
def zone_workshops(request: HttpRequest, masterplan: Masterplan, zone: Any) -> dict[str, Any]:
    """On a core zone's page: the meetings of its workshop series and the agenda items about
    the zone (as the visitor may see them)."""
    user = request.user
    meetings = (
        Meeting.objects.visible_to(user, masterplan)
        .filter(body__core_zone=zone)
        .select_related("body")
        .order_by("-start")
    )
    items = (
        AgendaItem.objects.visible_to(user, masterplan)
        .filter(core_zones=zone)
        .filter(Meeting.visibility_filter(user, masterplan, "meeting__"))
        .select_related("meeting")
        .order_by("-meeting__start", "number")
    )
    return {"zone_meetings": list(meetings[:50]), "zone_items": list(items[:50])}
