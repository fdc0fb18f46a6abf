"""Who may see and change what.

Roles are per masterplan: a viewer sees everything of the plan, a contributor also edits what
belongs to their organisation, a coordinator edits all of the plan. Superusers are global
admins. Anonymous users, and users without a role in a plan, see published objects of
published plans only.

Every view and API operation declares one of the permission levels below (see
core/views.py and core/api.py); the permission-matrix test walks all of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from masterplan.core.models import PlanRole, Publication, Role

if TYPE_CHECKING:
    from masterplan.core.models import Masterplan, PlanScopedModel


class Level(StrEnum):
    PUBLIC = "public"  # anyone, no object involved
    AUTHENTICATED = "authenticated"  # any logged-in user
    PLAN_VIEW = "plan.view"  # the plan's published content, or everything with a role
    PLAN_MEMBER = "plan.member"  # any role in the plan
    PLAN_CREATE = "plan.create"  # may create objects in the plan (contributor, coordinator)
    PLAN_MANAGE = "plan.manage"  # coordinator: imports, bulk exports, audit trail
    OBJECT_VIEW = "object.view"
    OBJECT_EDIT = "object.edit"
    ADMIN = "admin"  # global administrator


def role_in(user: Any, masterplan: Masterplan) -> PlanRole | None:
    """The user's role in the plan, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, PlanRole | None] = user.__dict__.setdefault("_plan_role_cache", {})
    if masterplan.pk not in cache:
        cache[masterplan.pk] = PlanRole.objects.filter(user=user, masterplan=masterplan).first()
    return cache[masterplan.pk]


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def can_view_plan(user: Any, masterplan: Masterplan) -> bool:
    if is_admin(user) or role_in(user, masterplan) is not None:
        return masterplan.deleted_at is None or is_admin(user)
    return masterplan.is_published


def is_plan_member(user: Any, masterplan: Masterplan) -> bool:
    return is_admin(user) or role_in(user, masterplan) is not None


def can_create_in(user: Any, masterplan: Masterplan) -> bool:
    role = role_in(user, masterplan)
    return is_admin(user) or (
        role is not None and role.role in (Role.CONTRIBUTOR, Role.COORDINATOR)
    )


def can_manage(user: Any, masterplan: Masterplan) -> bool:
    role = role_in(user, masterplan)
    return is_admin(user) or (role is not None and role.role == Role.COORDINATOR)


def can_view(user: Any, obj: PlanScopedModel) -> bool:
    if obj.deleted_at is not None:
        return False
    if is_plan_member(user, obj.masterplan):
        return True
    return obj.publication == Publication.PUBLISHED and obj.masterplan.is_published


def can_edit(user: Any, obj: PlanScopedModel) -> bool:
    if obj.deleted_at is not None:
        return False
    if is_admin(user):
        return True
    role = role_in(user, obj.masterplan)
    if role is None:
        return False
    if role.role == Role.COORDINATOR:
        return True
    return role.role == Role.CONTRIBUTOR and role.organization_id in obj.owner_organization_ids()


def contributor_organization_id(user: Any, masterplan: Masterplan) -> int | None:
    """The organisation a contributor acts for; None for coordinators, admins and others."""
    role = role_in(user, masterplan)
    if is_admin(user) or role is None or role.role != Role.CONTRIBUTOR:
        return None
    return role.organization_id


def can_see_contact_details(user: Any, person: Any) -> bool:
    """E-mail and phone of a person: the plan's members, or everyone with consent to publish."""
    return bool(person.consent_to_publish) or is_plan_member(user, person.masterplan)


def ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def ensure_can_edit(user: Any, obj: PlanScopedModel) -> None:
    ensure(can_edit(user, obj))


def visible_filter(user: Any, masterplan: Masterplan) -> dict[str, Any]:
    """Queryset filter for the objects of a plan this user may list."""
    if is_plan_member(user, masterplan):
        return {"masterplan": masterplan}
    return {"masterplan": masterplan, "publication": Publication.PUBLISHED}
