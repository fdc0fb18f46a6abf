"""The pages work with the keyboard: skip link, visible focus, sorting without a mouse."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    tag: e.tagName, id: e.id, text: (e.innerText || e.value || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    inViewport: box.width > 1 && box.height > 1 && box.top >= 0 && box.left >= 0
      && box.bottom <= window.innerHeight && box.right <= window.innerWidth,
  };
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def test_skip_link_is_first_visible_on_focus_and_jumps_to_the_content(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    assert focused(page)["inViewport"], "the focused skip link must be on screen"
    screenshot(page, "keyboard-skip-link")

    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Neue Organisation")).to_be_focused()


def test_every_control_shows_where_the_focus_is(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")

    invisible = []
    for _ in range(20):
        page.keyboard.press("Tab")
        element = focused(page)
        if not (element["outline"] or element["shadow"]) or not element["inViewport"]:
            invisible.append(element)

    assert not invisible, f"focus not visible on: {invisible}"


def test_sorting_with_the_keyboard_keeps_the_focus_on_the_column(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")
    page.get_by_role("columnheader", name="Stadt").get_by_role("link").focus()

    page.keyboard.press("Enter")

    header = page.get_by_role("columnheader", name="Stadt")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(header.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name="Stadt")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(page.get_by_role("columnheader", name="Stadt").get_by_role("link")).to_be_focused()


def test_paging_with_the_keyboard_moves_the_focus_to_the_table(
    page_as: Any, directory: Any, coordinator: Any
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{directory.slug}/directory/organizations/")
    page.get_by_role("link", name="Nächste Seite").focus()

    page.keyboard.press("Enter")

    expect(page.get_by_role("navigation", name="Seiten")).to_contain_text("Seite 2 von 2")
    expect(page.locator("#results table")).to_be_focused()
    expect(page.get_by_role("status").last).to_have_text("26–31 von 31 Datensätzen")
