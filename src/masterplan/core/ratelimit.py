"""Login throttling: failed attempts are counted per username and per client address."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from masterplan.core.models import LoginFailure


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients too and cannot be trusted here.
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def is_locked_out(request: HttpRequest, username: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    by_user = recent.filter(username=username.lower()).count() if username else 0
    by_address = recent.filter(address=client_address(request)).count()
    limit = settings.LOGIN_RATE_LIMIT
    return by_user >= limit or by_address >= limit * 4


def record_failure(request: HttpRequest, username: str) -> None:
    LoginFailure.objects.create(username=username.lower(), address=client_address(request))
    cutoff = timezone.now() - timedelta(days=1)
    LoginFailure.objects.filter(Q(created_at__lt=cutoff)).delete()
