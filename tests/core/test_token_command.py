from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masterplan.core.api import token_digest
from masterplan.core.models import ApiToken


def test_created_token_is_shown_once_and_stored_as_digest(coordinator: Any) -> None:
    out = StringIO()
    call_command("token", "create", "--user", "koordination", "--name", "Statistik", stdout=out)
    secret = out.getvalue().split(": ", 1)[1].split()[0]
    token = ApiToken.objects.get()
    assert token.digest == token_digest(secret)
    assert secret not in (token.prefix + token.digest)


def test_revoked_token_no_longer_authenticates(coordinator: Any, plan: Any, client_as: Any) -> None:
    out = StringIO()
    call_command("token", "create", "--user", "koordination", "--name", "Statistik", stdout=out)
    secret = out.getvalue().split(": ", 1)[1].split()[0]
    call_command("token", "revoke", ApiToken.objects.get().prefix, stdout=StringIO())
    from django.test import Client

    response = Client().post(
        "/api/plans/duisburg/directory/organizations",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 401


def test_unknown_user_is_an_error(db: Any) -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("token", "create", "--user", "niemand", "--name", "x")
