"""Who may see and change what.

Roles are per masterplan: a viewer sees everything of the plan, a contributor also edits what
belongs to their organisation, a coordinator edits all of the plan. Superusers are global
admins. Anonymous users, and users without a role in a plan, see published objects of
published plans only. Which rows of a list a user sees is the querysets' `visible_to` (see
core/models.py); the functions here decide about one object or the plan. The facts they rest
on (admin, role, member) are in core/roles.py.

Every view and API operation declares one of the permission levels below (see
core/views.py and core/api.py); the permission-matrix test walks all of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from masterplan.core.actors import Actor
from masterplan.core.models import Publication, Role
from masterplan.core.roles import is_admin as is_admin
from masterplan.core.roles import is_plan_member as is_plan_member
from masterplan.core.roles import role_in as role_in

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


def can_view_plan(user: Actor, masterplan: Masterplan) -> bool:
    if is_admin(user) or role_in(user, masterplan) is not None:
        return masterplan.deleted_at is None or is_admin(user)
    return masterplan.is_published


def can_create_in(user: Actor, masterplan: Masterplan) -> bool:
    role = role_in(user, masterplan)
    return is_admin(user) or (
        role is not None and role.role in (Role.CONTRIBUTOR, Role.COORDINATOR)
    )


def can_manage(user: Actor, masterplan: Masterplan) -> bool:
    role = role_in(user, masterplan)
    return is_admin(user) or (role is not None and role.role == Role.COORDINATOR)


def can_view(user: Actor, obj: PlanScopedModel) -> bool:
    """Whether the user may see this one record: the rule of the lists (`visible_to`), so a
    published but non-public meeting, or an item under a hidden one, stays hidden here too."""
    if obj.deleted_at is not None:
        return False
    if is_plan_member(user, obj.masterplan):
        return True
    if obj.publication != Publication.PUBLISHED or not obj.masterplan.is_published:
        return False
    model = type(obj)
    public = model.public_filter(obj.masterplan)
    return model._default_manager.filter(public, pk=obj.pk).exists()


def can_edit(user: Actor, obj: PlanScopedModel) -> bool:
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


def contributor_organization_id(user: Actor, masterplan: Masterplan) -> int | None:
    """The organisation a contributor acts for; None for coordinators, admins and others."""
    role = role_in(user, masterplan)
    if is_admin(user) or role is None or role.role != Role.CONTRIBUTOR:
        return None
    return role.organization_id


class Contact(Protocol):
    """A person's record, as far as the rule on contact details reads it."""

    @property
    def consent_to_publish(self) -> bool: ...

    @property
    def masterplan(self) -> Masterplan: ...


def can_see_contact_details(user: Actor, person: Contact) -> bool:
    """E-mail and phone of a person: the plan's members, or everyone with consent to publish."""
    return bool(person.consent_to_publish) or is_plan_member(user, person.masterplan)


def ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def acting_user(actor: Actor) -> User:
    """The logged-in user behind an actor, for writes that record who did them.

    Anonymous visitors never pass a write's permission check; this makes that explicit where
    the user is stored (a token's owner, a job's requester).
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    return actor


def ensure_can_edit(user: Actor, obj: PlanScopedModel) -> None:
    ensure(can_edit(user, obj))
