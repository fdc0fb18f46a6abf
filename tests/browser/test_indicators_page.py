"""The indicator page in the browser: entering a value updates the chart and the forecast;
axe-core finds no serious problem on the list and the page."""

from __future__ import annotations

from typing import Any

import pytest

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references
from tests.indicators.factories import permit_time_indicator

pytestmark = pytest.mark.browser


@pytest.fixture
def permit_time(plan: Masterplan, own_org: Organization) -> Indicator:
    return permit_time_indicator(plan, own_org)


def test_entering_a_value_updates_chart_and_forecast(
    page_as: Any,
    coordinator: Any,
    permit_time: Indicator,
) -> None:
    page = page_as(coordinator)
    page.goto(permit_time.get_absolute_url())
    before = page.locator("#projection").inner_text()
    points_before = page.locator("#chart svg circle").count()
    screenshot(page, "indicators-page-before")
    page.locator("#enter-value summary").click()
    page.locator("#id_period").fill("2026")
    page.locator("#id_value").fill("58")
    page.locator("#id_status").select_option("provisional")
    page.locator("#enter-value button[type=submit]").click()
    page.wait_for_url(f"**{permit_time.get_absolute_url()}#observations")
    assert page.locator("#chart svg circle").count() == points_before + 1
    assert page.locator("#projection").inner_text() != before
    assert "2026" in page.locator("#series-table").inner_text()
    screenshot(page, "indicators-page-after")


def test_a_duplicate_period_is_explained_in_the_form(
    page_as: Any,
    coordinator: Any,
    permit_time: Indicator,
) -> None:
    page = page_as(coordinator, locale="en-GB")
    page.goto(permit_time.get_absolute_url())
    page.locator("#enter-value summary").click()
    page.locator("#id_period").fill("2025")
    page.locator("#id_value").fill("70")
    page.locator("#enter-value button[type=submit]").click()
    page.locator(".kern-error").first.wait_for()
    assert "already recorded" in page.content() or "bereits erfasst" in page.content()
    screenshot(page, "indicators-duplicate-period")


@pytest.mark.parametrize("which", ["list", "page"])
def test_no_serious_accessibility_problems(
    page_as: Any,
    coordinator: Any,
    permit_time: Indicator,
    which: str,
) -> None:
    page = page_as(coordinator)
    url = (
        permit_time.get_absolute_url()
        if which == "page"
        else f"/p/{permit_time.masterplan.slug}/indicators/"
    )
    page.goto(url)
    if which == "page":
        page.locator("#enter-value summary").click()
    assert blocking_violations(page) + broken_references(page) == []
    screenshot(page, f"indicators-{which}")
