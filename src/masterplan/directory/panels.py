"""The directory's panel on the plan's home page (see core/panels.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.panels import PLAN_HOME, register_panel


@register_panel("directory.home", page=PLAN_HOME, template="directory/_home.html", order=20)
def directory_links(request: HttpRequest, masterplan: Masterplan, today: date) -> dict[str, Any]:
    """Links to the organisations and people of the plan."""
    return {}
