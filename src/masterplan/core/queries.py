"""Reads of the ground floor: which masterplans (tenants) a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import is_admin


def visible_masterplans(user: Any) -> QuerySet[Masterplan]:
    """Published plans, plus those the user has a role in; all of them for admins."""
    qs = Masterplan.objects.order_by("name")
    if is_admin(user):
        return qs
    condition = Q(publication=Publication.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        condition |= Q(roles__user=user)
    return qs.filter(condition).distinct()
