"""Login throttling: failed attempts are counted per username and per client address.

An attempt is counted as failed *before* its password is checked, and forgotten when the
password was right. Every attempt first writes its row (committed at once: the login runs in
autocommit) and then counts the rows of the window, its own included. So concurrent attempts
see each other: of any number of parallel attempts at most `LOGIN_RATE_LIMIT` get to the
password check, since the last of them to count sees the rows of all the others. Under a burst
some attempts may be refused that would have been allowed one after the other; none gets
through that would have been refused.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from masterplan.core.models import LoginFailure


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients too and cannot be trusted here.
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def attempt_begin(request: HttpRequest, username: str) -> LoginFailure | None:
    """Count a login attempt as failed; None (and not counted) when the limit is reached.

    Call it before the password is checked, and `attempt_succeeded` when it was right.
    """
    now = timezone.now()
    LoginFailure.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    attempt = LoginFailure.objects.create(
        username=username.lower(), address=client_address(request), created_at=now
    )
    recent = LoginFailure.objects.filter(
        created_at__gte=now - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    )
    limit = settings.LOGIN_RATE_LIMIT
    by_user = recent.filter(username=attempt.username).count() if username else 0
    by_address = recent.filter(address=attempt.address).count()
    if by_user > limit or by_address > limit * 4:
        attempt.delete()
        return None
    return attempt


def attempt_succeeded(attempt: LoginFailure) -> None:
    """The password was right: the attempt no longer counts as a failure."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()
