"""A contributor of a member company enters its energy report and the network figure on the
climate page changes; the climate page and the member page are clean for axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from masterplan.climate.models import EnergyReport, NetworkMembership
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references
from tests.climate.helpers import load_worked_example

pytestmark = pytest.mark.browser


@pytest.fixture
def network(plan: Any, own_org: Any) -> NetworkMembership:
    """The worked example with own_org as member A, whose 2023 report is not entered yet."""
    organizations = load_worked_example(plan, organizations={1: own_org})
    EnergyReport.objects.filter(organization=organizations[1], year=2023).delete()
    return NetworkMembership.objects.get(organization=own_org)


def test_contributor_enters_report_and_network_figure_changes(
    page_as: Any, plan: Any, contributor: Any, network: NetworkMembership
) -> None:
    page = page_as(contributor)
    page.goto(f"/p/{plan.slug}/climate/")
    row_2023 = page.locator("#climate-years-table tr", has_text="2023")
    expect(row_2023).to_contain_text("974,1")  # only B + C in 2023, market-based
    expect(row_2023).to_contain_text("unvollständig")  # 2 of 3 members reported
    total = page.locator("#climate-network-total")
    expect(total).not_to_contain_text("1.584,4")
    screenshot(page, "climate-before")

    page.goto(network.get_absolute_url())
    page.locator(f"a[href='/p/{plan.slug}/climate/members/{network.pk}/reports/new/']").click()
    for name, value in (
        ("year", "2023"),
        ("electricity_grid_kwh", "800000"),
        ("green_power_kwh", "200000"),
        ("green_power_factor", "0"),
        ("natural_gas_kwh", "1500000"),
        ("employees", "1200"),
    ):
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_publication").select_option("published")
    screenshot(page, "climate-report-form")
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_be_visible()
    screenshot(page, "climate-report-detail")

    page.goto(f"/p/{plan.slug}/climate/")
    expect(total).to_contain_text("1.584,4")  # A + B + C, as in the worked example
    expect(row_2023).to_contain_text("1.584,4")
    expect(page.locator("#climate-decomposition-table")).to_contain_text("−782,4")
    screenshot(page, "climate-after")
    assert EnergyReport.objects.filter(organization=network.organization, year=2023).exists()


@pytest.mark.parametrize("where", ["overview", "member", "factors"])
def test_climate_pages_pass_axe(
    page_as: Any, plan: Any, contributor: Any, network: NetworkMembership, where: str
) -> None:
    page = page_as(contributor)
    paths = {
        "overview": f"/p/{plan.slug}/climate/",
        "member": network.get_absolute_url(),
        "factors": f"/p/{plan.slug}/climate/factors/",
    }
    page.goto(paths[where])
    screenshot(page, f"climate-axe-{where}")
    assert blocking_violations(page) + broken_references(page) == []


@pytest.mark.parametrize("path", ["", "factors/", "member"])
def test_climate_tables_scroll_by_keyboard_at_phone_width(
    page_as: Any, plan: Any, coordinator: Any, network: NetworkMembership, path: str
) -> None:
    """At phone width the climate tables scroll sideways; axe found their wrappers unreachable
    by keyboard (scrollable-region-focusable, serious)."""
    page = page_as(coordinator)
    page.set_viewport_size({"width": 375, "height": 812})
    url = network.get_absolute_url() if path == "member" else f"/p/{plan.slug}/climate/{path}"
    page.goto(url)
    scrolling = page.locator(".kern-table-responsive").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => [e.getAttribute('tabindex'), e.getAttribute('aria-label')"
        " || e.getAttribute('aria-labelledby')])"
    )
    assert scrolling, "no table scrolls at this width: the test would prove nothing"
    assert all(tabindex == "0" and label for tabindex, label in scrolling), scrolling
    screenshot(page, f"climate-phone-{path or 'overview'}".rstrip("/").replace("/", ""))

    violations = blocking_violations(page) + broken_references(page)

    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def test_the_public_sees_the_figures_of_consenting_companies_only(
    page_as: Any, plan: Any, network: NetworkMembership
) -> None:
    """Member A agreed to publish its figures, B and C did not: the public sees A's row, the
    network total, and "not published" for the others; the page stays clean for axe."""
    NetworkMembership.objects.filter(pk=network.pk).update(figures_public=True)
    page = page_as(None)
    page.goto(f"/p/{plan.slug}/climate/")
    members = page.locator("section[aria-labelledby='climate-members-heading']")
    expect(members).to_contain_text("nicht veröffentlicht")
    expect(members).not_to_contain_text("799,6")
    screenshot(page, "climate-public")
    assert blocking_violations(page) + broken_references(page) == []
