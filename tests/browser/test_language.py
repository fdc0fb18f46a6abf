"""German is the default interface language; English is one click away, and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_german_without_an_accept_language_header(plan: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "Masterpläne" in response.text


@pytest.mark.parametrize("locale", ["de-DE", "fr-FR"])
def test_german_for_german_and_unsupported_browser_languages(
    page_as: Any, plan: Any, locale: str
) -> None:
    page = page_as(None, locale=locale)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Masterpläne")


def test_switching_to_english_and_back_stays_on_the_page(
    page_as: Any, live_server: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    list_url = f"/p/{directory.slug}/directory/organizations/?sort=-employees"
    page.goto(list_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    expect(page).to_have_url(f"{live_server.url}{list_url}")
    expect(page.get_by_role("columnheader", name="Employees")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "organization-list-english")

    # The choice sticks for the next page.
    page.get_by_role("navigation", name="Masterplan navigation").get_by_role(
        "link", name="People"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")

    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personen")
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
