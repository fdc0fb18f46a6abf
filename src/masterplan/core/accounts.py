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

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

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


# --- Invitations --------------------------------------------------------------------------------


def username_from_email(email: str) -> str:
    """A free user name made of the address (``anna.schmidt@duisburg.de``, then ``…-2``)."""
    base = email.strip().lower()[:140]
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


@transaction.atomic
def invite(
    *,
    actor: Actor | None,
    masterplan: Masterplan,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organization: Any = None,
) -> tuple[User, PlanRole, bool]:
    """Give the person with this address a role in the plan, creating their account (without
    a usable password: they set one through the invitation link) if there is none.

    Someone with a role in the plan already is refused (a role is changed with `role_grant`,
    not by a second invitation that might lower it). Returns the user, their role and whether
    the account is new. The new account is recorded
    as `core.user.invited` by id only, so that erasing it leaves no name in the trail.
    """
    email = email.strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None and PlanRole.objects.filter(user=user, masterplan=masterplan).exists():
        raise ValidationError(
            {"email": _("This person has access already: change their role in the list.")}
        )
    created = user is None
    if user is None:
        user = User(
            username=username_from_email(email),
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        user.set_unusable_password()
        user.save()
    if created or is_invitation_open(user):
        record_invitation(actor=actor, action="core.user.invited", user=user, masterplan=masterplan)
    granted = role_grant(
        actor=actor, user=user, masterplan=masterplan, role=role, organization=organization
    )
    return user, granted, created


def record_invitation(
    *, actor: Actor | None, action: str, user: User, masterplan: Masterplan
) -> None:
    """An invitation link went out (the account by id only, see `invite`). The newest such
    entry is when the link was made, which tells when it expires (`core.queries.
    open_invitations`)."""
    entry = build_entry(actor=actor, action=action, obj=user, changes={"user": [None, user.pk]})
    entry.masterplan_id = masterplan.pk
    entry.object_repr = f"#{user.pk}"
    append_entries([entry])


def is_invitation_open(user: User) -> bool:
    """Invited and not come yet: no password set, never logged in (also not by sign-on)."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def invitation_renew(*, actor: Actor | None, role: PlanRole) -> User:
    """Make a new invitation link for the person of this role, for an invitation that has
    expired or not been used. The account gets a new unusable password, which is part of
    what the links are made of: every earlier link stops working. Recorded as
    `core.user.invitation_resent`; send the new link with `send_invitation`."""
    user = User.objects.select_for_update().get(pk=role.user_id)
    if not is_invitation_open(user):
        raise ValidationError(
            _("This person has set a password or logged in already: no invitation is open.")
        )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record_invitation(
        actor=actor, action="core.user.invitation_resent", user=user, masterplan=role.masterplan
    )
    return user


def invitation_link(user: User, base_url: str) -> str:
    """The one-time link to set a password (Django's reset token: it no longer holds once the
    password is set, nor after the reset timeout)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


def send_invitation(
    *, user: User, masterplan: Masterplan, role: PlanRole, inviter: User, base_url: str
) -> None:
    """The invitation e-mail, in German: who invites whom to which plan, and the link to set a
    password (for an account that has one already, the link to log in)."""
    context = {
        "user": user,
        "masterplan": masterplan,
        "role": role.get_role_display(),
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "link": invitation_link(user, base_url) if not user.has_usable_password() else "",
        "login": base_url.rstrip("/") + reverse("login"),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    with translation.override("de"):
        subject = render_to_string("core/access/invitation_subject.txt", context)
        body = render_to_string("core/access/invitation_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


# --- Single sign-on -----------------------------------------------------------------------------


@transaction.atomic
def account_create_from_sign_on(*, email: str, first_name: str, last_name: str) -> User:
    """An account for a person the city's sign-on vouches for (only when the installation
    lets sign-on create accounts: MASTERPLAN_OIDC_CREATE_USERS). It has no role in any plan
    and no usable password; recorded as `core.user.sso_created` by id only, like an
    invitation."""
    user = User(
        username=username_from_email(email),
        email=email.strip(),
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
    )
    user.set_unusable_password()
    user.save()
    entry = build_entry(
        actor=None, action="core.user.sso_created", obj=user, changes={"user": [None, user.pk]}
    )
    entry.object_repr = f"#{user.pk}"
    append_entries([entry])
    return user
