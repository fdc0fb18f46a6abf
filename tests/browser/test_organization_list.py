"""The organisation list: search, sort and page without reloading the page (HTMX)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def rows(page: Any) -> Any:
    return page.locator("#results tbody tr")


def first_column(page: Any) -> list[str]:
    links = page.locator("#results tbody tr td:first-child a")
    return [text.strip() for text in links.all_inner_texts()]


def employees_column(page: Any) -> list[int]:
    """The employee counts shown (German digit grouping, year in brackets); blanks left out."""
    texts = page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()
    return [int(t.split("(")[0].strip().replace(".", "")) for t in texts if t.strip()]


def test_search_refreshes_the_table_and_the_address(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")
    expect(rows(page)).to_have_count(25)
    page.evaluate("window.fullPageLoads = (window.fullPageLoads || 0) + 1")

    page.get_by_label("Suche").fill("logistik")

    expect(rows(page)).to_have_count(2)
    expect(page).to_have_url(re.compile(r"[?&]q=logistik"))
    assert first_column(page) == ["Hafen Duisburg Logistik AG", "Rheinhausen Logistik GmbH"]
    expect(page.get_by_role("navigation", name="Seiten")).to_contain_text("1–2 von 2 Datensätzen")
    # The table was swapped in place: the marker set on the loaded page is still there.
    assert page.evaluate("window.fullPageLoads") == 1
    screenshot(page, "organization-list-search")


def test_sorting_by_a_column_header_orders_the_rows(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")

    header = page.get_by_role("columnheader", name="Beschäftigte")
    header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=employees"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    counts = employees_column(page)
    assert counts == sorted(counts)
    assert counts[0] == 11

    page.get_by_role("columnheader", name="Beschäftigte").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"[?&]sort=-employees"))
    expect(page.get_by_role("columnheader", name="Beschäftigte")).to_have_attribute(
        "aria-sort", "descending"
    )
    counts = employees_column(page)
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 1520
    screenshot(page, "organization-list-sorted")

    # A search afterwards keeps the chosen order.
    page.get_by_label("Suche").fill("gmbh")
    expect(page.get_by_role("navigation", name="Seiten")).to_contain_text("von 26 Datensätzen")
    expect(page).to_have_url(re.compile(r"[?&]q=gmbh"))
    expect(page).to_have_url(re.compile(r"[?&]sort=-employees"))
    counts = employees_column(page)
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 760


def test_paging_shows_the_rest_and_keeps_the_sort(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/?sort=-name")
    expect(rows(page)).to_have_count(25)
    pages = page.get_by_role("navigation", name="Seiten")
    expect(pages).to_contain_text("Seite 1 von 2")

    pages.get_by_role("link", name="Nächste Seite").click()

    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page).to_have_url(re.compile(r"[?&]sort=-name"))
    expect(rows(page)).to_have_count(6)
    expect(pages).to_contain_text("26–31 von 31 Datensätzen")
    assert first_column(page)[-1] == "Baerl Agrarservice GmbH"

    pages.get_by_role("link", name="Vorherige Seite").click()
    expect(page).to_have_url(re.compile(r"[?&]page=1"))
    expect(rows(page)).to_have_count(25)
