"""Who may use the platform: roles in a masterplan and API tokens, granted and revoked only
through these functions, each write with its audit entry (`core.planrole.*`,
`core.apitoken.*`).

Callers check who may do it: the Django admin by its model permissions, the management
commands by access to the server, the demo as the system. The audit names the actor (or
"system") either way.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, audit_record, build_entry
from masterplan.core.models import ApiToken, Masterplan, PlanRole

TOKEN_PREFIX = "mp_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- Roles --------------------------------------------------------------------------------------


def record_role(
    *, actor: Actor | None, action: str, role: PlanRole, changes: dict[str, Any]
) -> None:
    """The entry names the user by id, not by name (`str(role)` holds the username), so that
    erasing the account (core/privacy.py) leaves no name behind in entries about it."""
    entry = build_entry(actor=actor, action=action, obj=role, changes=changes)
    entry.object_repr = f"{role.get_role_display()} – #{role.user_id} ({role.masterplan})"[:300]
    append_entries([entry])


@transaction.atomic
def role_grant(
    *,
    actor: Actor | None,
    user: Any,
    masterplan: Masterplan,
    role: str,
    organization: Any = None,
) -> PlanRole:
    """Give a user a role in a masterplan, or change the one they have (one per plan)."""
    current = PlanRole.objects.select_for_update().filter(user=user, masterplan=masterplan).first()
    organization_id = getattr(organization, "pk", organization)
    if current is None:
        granted = PlanRole(
            user=user, masterplan=masterplan, role=role, organization_id=organization_id
        )
        granted.full_clean()
        granted.save()
        record_role(
            actor=actor,
            action="core.planrole.granted",
            role=granted,
            changes={
                "user": [None, granted.user_id],
                "role": [None, role],
                "organization": [None, organization_id],
            },
        )
        return granted
    diff = {
        name: [old, new]
        for name, old, new in (
            ("role", current.role, role),
            ("organization", current.organization_id, organization_id),
        )
        if old != new
    }
    if diff:
        current.role, current.organization_id = role, organization_id
        current.full_clean()
        current.save()
        record_role(
            actor=actor,
            action="core.planrole.updated",
            role=current,
            changes={"user": [current.user_id, current.user_id], **diff},
        )
    return current


@transaction.atomic
def role_revoke(*, actor: Actor | None, role: PlanRole) -> None:
    """Take a user's role in a masterplan away (the entry is written before the row goes)."""
    record_role(
        actor=actor,
        action="core.planrole.revoked",
        role=role,
        changes={
            "user": [role.user_id, None],
            "role": [role.role, None],
            "organization": [role.organization_id, None],
        },
    )
    PlanRole.objects.filter(pk=role.pk).delete()


# --- API tokens ---------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: Actor | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its digest is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=token_digest(secret)
    )
    audit_record(
        actor=actor,
        action="core.apitoken.created",
        obj=token,
        changes={
            "user": [None, user.pk],
            "name": [None, token.name],
            "prefix": [None, token.prefix],
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    """Revoke a token; revoking it again changes nothing (and is not recorded twice)."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="core.apitoken.revoked",
            obj=current,
            changes={"revoked_at": [None, current.revoked_at]},
        )
    return current


@transaction.atomic
def api_token_delete(*, actor: Actor | None, token: ApiToken) -> None:
    """Remove a token (the admin's delete): recorded like a revocation, then gone."""
    entry = build_entry(
        actor=actor,
        action="core.apitoken.deleted",
        obj=token,
        changes={"user": [token.user_id, None], "prefix": [token.prefix, None]},
    )
    ApiToken.objects.filter(pk=token.pk).delete()
    append_entries([entry])
