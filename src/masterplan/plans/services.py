"""Writes to masterplans. The plans issue adds fields of action, goals and measures."""

from __future__ import annotations

from typing import Any

from masterplan.core.permissions import ensure, is_admin
from masterplan.core.services import create_tracked
from masterplan.plans.models import Masterplan


def masterplan_create(*, actor: Any, **fields: Any) -> Masterplan:
    """A new masterplan (tenant). Only global administrators create tenants."""
    ensure(is_admin(actor))
    return create_tracked(
        actor=actor, model=Masterplan, action="plans.masterplan.created", **fields
    )
