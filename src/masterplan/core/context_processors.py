from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from masterplan.core import permissions as perms


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current masterplan (from the URL) and what the user may do in it, for the menu."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("plan") if match else None
    if not slug:
        return {}
    from masterplan.core.models import Masterplan

    masterplan = Masterplan.objects.filter(slug=slug).first()
    if masterplan is None or not perms.can_view_plan(request.user, masterplan):
        return {}
    return {
        "nav_plan": masterplan,
        "nav_can_manage": perms.can_manage(request.user, masterplan),
        "nav_role": perms.role_in(request.user, masterplan),
    }
