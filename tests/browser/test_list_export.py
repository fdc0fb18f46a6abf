"""The export of a list holds exactly the rows the list shows, also after filtering in place."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import COMPANIES

pytestmark = pytest.mark.browser


def names_shown(page: Any) -> list[str]:
    links = page.locator("#results tbody tr td:first-child a")
    return [text.strip() for text in links.all_inner_texts()]


def names_exported(page: Any, link_name: str) -> list[str]:
    """Download the file behind the export link and read the names in its CSV rows."""
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return [row["name"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]


def test_export_after_a_search_holds_the_rows_on_screen(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")
    expect(page.locator("#results tbody tr")).to_have_count(25)
    page.evaluate("window.fullPageLoads = (window.fullPageLoads || 0) + 1")

    page.get_by_label("Suche").fill("logistik")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"[?&]q=logistik"))
    # The table was swapped in place, not loaded again with the page.
    assert page.evaluate("window.fullPageLoads") == 1

    shown = names_shown(page)
    assert shown == ["Hafen Duisburg Logistik AG", "Rheinhausen Logistik GmbH"]
    assert names_exported(page, "CSV exportieren") == shown


def test_export_follows_a_new_search_and_sort(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/?q=gmbh")
    expect(page.get_by_role("navigation", name="Seiten")).to_contain_text("von 26 Datensätzen")

    page.get_by_label("Suche").fill("technik")
    expected = sorted(name for name, _ in COMPANIES if "technik" in name.lower())
    expect(page.locator("#results tbody tr")).to_have_count(len(expected))
    page.get_by_role("columnheader", name="Name").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=-name"))
    expect(page.locator("#results tbody tr").first).to_contain_text(expected[-1])

    shown = names_shown(page)
    assert shown == expected[::-1]
    assert names_exported(page, "CSV exportieren") == shown
