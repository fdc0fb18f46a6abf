"""Who a user is in a masterplan: an administrator, their role (if any), a member or not.

These facts sit below `core.models` (which applies them in `visible_to`) and below
`core.permissions` (which builds the permission rules on them), so this module imports no
model: a user's roles are reached through the `plan_roles` relation of the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from masterplan.core.models import Masterplan, PlanRole


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def role_in(user: Any, masterplan: Masterplan) -> PlanRole | None:
    """The user's role in the plan, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, PlanRole | None] = user.__dict__.setdefault("_plan_role_cache", {})
    if masterplan.pk not in cache:
        cache[masterplan.pk] = user.plan_roles.filter(masterplan=masterplan).first()
    return cache[masterplan.pk]


def is_plan_member(user: Any, masterplan: Masterplan) -> bool:
    """Administrators and anyone with a role in the plan: they see all of the plan's rows."""
    return is_admin(user) or role_in(user, masterplan) is not None
