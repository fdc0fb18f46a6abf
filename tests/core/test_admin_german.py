"""The admin speaks German: headings, model names and field labels."""

from __future__ import annotations

from typing import Any

from django.test import Client

from masterplan.core.accounts import api_token_create
from tests.factories import UserFactory


def test_the_admin_index_and_forms_read_german(db: Any) -> None:
    admin = UserFactory(username="verwaltung", is_superuser=True, is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "Masterplan-Verwaltung" in index
    for english in ("Django administration", "Api tokens", "Plan roles", "Reminder logs"):
        assert english not in index, english
    assert "API-Tokens" in index and "Rollen in Masterplänen" in index
    # Tokens are issued by `masterplan token create` (the admin revokes them, audited).
    token, _secret = api_token_create(actor=None, user=admin, name="Statistikstelle")
    form = client.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert "Läuft ab am" in form or "läuft ab am" in form
    assert "Expires at" not in form
