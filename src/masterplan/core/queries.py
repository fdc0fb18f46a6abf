"""Reads of the ground floor: which masterplans (tenants) a user may see, and which
invitations to them are open."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from masterplan.core.actors import Actor
from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.core.permissions import is_admin

INVITATION_ACTIONS = ("core.user.invited", "core.user.invitation_resent")


def visible_masterplans(user: Actor) -> QuerySet[Masterplan]:
    """Published plans, plus those the user has a role in; all of them for admins."""
    qs = Masterplan.objects.order_by("name")
    if is_admin(user):
        return qs
    condition = Q(publication=Publication.PUBLISHED)
    if user.is_authenticated:
        condition |= Q(roles__user=user)
    return qs.filter(condition).distinct()


@dataclass(frozen=True)
class OpenInvitation:
    sent_at: datetime
    expires_at: datetime

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


def open_invitations(users: Iterable[User]) -> dict[int, OpenInvitation]:
    """The open invitations of these accounts (no password set, never logged in) by user id:
    when the newest link went out (the audit trail records each) and when it stops working
    (PASSWORD_RESET_TIMEOUT later). One query."""
    waiting = {
        str(user.pk): user
        for user in users
        if not user.has_usable_password() and user.last_login is None
    }
    sent = (
        AuditEntry.objects.filter(
            object_type="auth.user", object_id__in=waiting, action__in=INVITATION_ACTIONS
        )
        .values("object_id")
        .annotate(sent_at=Max("created_at"))
    )
    lifetime = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return {
        int(row["object_id"]): OpenInvitation(row["sent_at"], row["sent_at"] + lifetime)
        for row in sent
    }
