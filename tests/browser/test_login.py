"""Logging in through the form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, screenshot

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_and_lands_on_the_requested_page(
    page_as: Any, live_server: Any, plan: Any, coordinator: Any
) -> None:
    page = page_as(None)
    page.goto(f"/p/{plan.slug}/audit/")
    expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
    page.get_by_label("Benutzername").fill(coordinator.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    screenshot(page, "login")
    page.get_by_role("main").get_by_role("button", name="Anmelden").click()

    expect(page).to_have_url(f"{live_server.url}/p/{plan.slug}/audit/")
    expect(page.get_by_role("heading", name="Prüfprotokoll", level=1)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(coordinator.username)


def test_wrong_password_shows_an_error_and_keeps_the_user_name(
    page_as: Any, coordinator: Any
) -> None:
    page = page_as(None)
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill(coordinator.username)
    page.get_by_label("Passwort").fill("wrong password")
    page.get_by_role("main").get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Benutzername")).to_have_value(coordinator.username)
    expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
