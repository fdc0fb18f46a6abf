"""Creating and editing an organisation, and the stale-edit conflict between two windows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from masterplan.directory.models import Organization
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def field(page: Any, label: str) -> Any:
    """The input labelled exactly so (optional fields add "– optional" to their label)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( – optional)?$"))


def save(page: Any) -> None:
    page.get_by_role("main").get_by_role("button", name="Speichern").click()


def test_coordinator_creates_an_organisation_and_edits_it(
    page_as: Any, plan: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{plan.slug}/directory/organizations/")
    page.get_by_role("link", name="Neue Organisation").click()
    expect(page.get_by_role("heading", name="Neue Organisation", level=1)).to_be_visible()

    field(page, "Name").fill("Duisport Startport GmbH")
    field(page, "Art").select_option(label="Start-up")
    field(page, "Branche (WZ 2008)").fill("52.24")
    field(page, "Beschäftigte").fill("42")
    field(page, "Ort").fill("Duisburg")
    field(page, "Veröffentlichung").select_option(label="Veröffentlicht")
    screenshot(page, "organization-create")
    save(page)

    expect(page.get_by_role("heading", name="Duisport Startport GmbH", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Die Organisation wurde angelegt.")
    details = page.locator("dl")
    expect(details).to_contain_text("Start-up")
    expect(details).to_contain_text("52.24")
    screenshot(page, "organization-detail")

    page.get_by_role("link", name="Bearbeiten").click()
    expect(page.get_by_role("heading", name="Organisation bearbeiten", level=1)).to_be_visible()
    expect(field(page, "Beschäftigte")).to_have_value("42")
    field(page, "Beschäftigte").fill("57")
    field(page, "Beschäftigte, Stand (Jahr)").fill("2025")
    save(page)

    expect(page.get_by_role("status")).to_contain_text("Ihre Änderungen wurden gespeichert.")
    expect(details).to_contain_text("57 (2025)")
    assert Organization.objects.get(name="Duisport Startport GmbH").employees == 57


def test_invalid_input_is_marked_at_the_field(page_as: Any, own_org: Any, coordinator: Any) -> None:
    page = page_as(coordinator)
    page.goto(f"{own_org.get_absolute_url()}edit/")
    field(page, "Amtlicher Gemeindeschlüssel (AGS)").fill("5112")
    save(page)

    ags = field(page, "Amtlicher Gemeindeschlüssel (AGS)")
    expect(ags).to_have_attribute("aria-invalid", "true")
    expect(ags).to_have_accessible_description("Ein AGS hat genau 8 Ziffern.")
    expect(ags).to_have_value("5112")
    expect(page.get_by_role("alert").first).to_contain_text("Bitte korrigieren Sie")
    screenshot(page, "organization-edit-errors")


def test_stale_edit_shows_a_conflict_and_keeps_the_input(
    new_context: Any, own_org: Any, coordinator: Any
) -> None:
    edit_url = f"{own_org.get_absolute_url()}edit/"
    first = new_context(coordinator).new_page()
    second = new_context(coordinator).new_page()
    first.goto(edit_url)
    second.goto(edit_url)

    field(first, "Ort").fill("Duisburg-Ruhrort")
    save(first)
    expect(first.get_by_role("status")).to_contain_text("Ihre Änderungen wurden gespeichert.")

    field(second, "Beschäftigte").fill("999")
    save(second)

    expect(second.get_by_role("alert").first).to_contain_text("zwischenzeitlich")
    expect(field(second, "Beschäftigte")).to_have_value("999")
    current = second.get_by_role("region", name="Zwischenzeitlich von jemand anderem geändert")
    expect(current.get_by_role("row", name="Ort")).to_contain_text("Duisburg-Ruhrort")
    # The other person's change to a field this user did not touch is taken over.
    expect(field(second, "Ort")).to_have_value("Duisburg-Ruhrort")
    screenshot(second, "organization-edit-conflict")
    assert Organization.objects.get(pk=own_org.pk).employees == 120

    # Saving again keeps both changes: nothing is lost.
    save(second)

    expect(second.get_by_role("status")).to_contain_text("Ihre Änderungen wurden gespeichert.")
    saved = Organization.objects.get(pk=own_org.pk)
    assert (saved.city, saved.employees) == ("Duisburg-Ruhrort", 999)
