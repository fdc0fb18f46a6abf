"""The admin speaks German: headings, model names and field labels."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

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


def test_the_background_tasks_read_german_in_the_admin(db: Any) -> None:
    admin = UserFactory(username="verwaltung", is_superuser=True, is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "Hintergrundaufträge" in index
    for english in ("Tasks Database Backend", "Task Results"):
        assert english not in index, english
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="masterplan.core.tasks.run_import",
        backend_name="default",
        run_after=timezone.now(),
    )
    listing = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert listing.status_code == 200
    page = listing.content.decode()
    for german in ("Auftrag", "Eingereiht am", "Warteschlange", "Bereit"):
        assert german in page, german
    with translation.override("de"):
        assert str(DBTaskResult._meta.app_config.verbose_name) == "Hintergrundaufträge"
