"""axe-core finds no serious or critical WCAG problem on the main pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from masterplan.directory import services
from masterplan.directory.models import Organization, Person
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def blocking_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings, one readable line per rule."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


BROKEN_REFERENCES = """() => {
  const broken = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) broken.push(`${attribute}="${id}" on #${element.id}`);
      }
    }
  }
  return broken;
}"""


def broken_references(page: Any) -> list[str]:
    """ID references (labels, descriptions) that point nowhere; axe only flags them for review."""
    return [f"broken reference: {text}" for text in page.evaluate(BROKEN_REFERENCES)]


def org(plan: Any) -> Organization:
    return Organization.objects.get(masterplan=plan, external_id="DU-WFD")


def submit_invalid_edit(page: Any, plan: Any) -> None:
    page.goto(f"{org(plan).get_absolute_url()}edit/")
    page.locator("#id_name").fill("")
    page.locator("#id_ags").fill("5112")
    page.locator("#id_website").fill("not a web address")
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    page.locator(".kern-error").first.wait_for()


def go(path: Callable[[Any], str]) -> Callable[[Any, Any], None]:
    return lambda page, plan: page.goto(path(plan))


PAGES: dict[str, tuple[str | None, Callable[[Any, Any], None]]] = {
    "home-anonymous": (None, go(lambda plan: "/")),
    "login": (None, go(lambda plan: "/accounts/login/")),
    "password-reset": (None, go(lambda plan: "/accounts/password/reset/")),
    "home": ("coordinator", go(lambda plan: "/")),
    "plan-home": ("coordinator", go(lambda plan: f"/p/{plan.slug}/")),
    "organization-list": (
        "coordinator",
        go(lambda plan: f"/p/{plan.slug}/directory/organizations/"),
    ),
    "organization-detail": ("coordinator", go(lambda plan: org(plan).get_absolute_url())),
    "organization-edit": ("coordinator", go(lambda plan: f"{org(plan).get_absolute_url()}edit/")),
    "organization-edit-errors": ("coordinator", submit_invalid_edit),
    "person-list": ("coordinator", go(lambda plan: f"/p/{plan.slug}/directory/people/")),
    "person-detail": (
        "coordinator",
        go(lambda plan: Person.objects.get(masterplan=plan).get_absolute_url()),
    ),
    "person-edit": (
        "coordinator",
        go(lambda plan: f"{Person.objects.get(masterplan=plan).get_absolute_url()}edit/"),
    ),
    "audit-trail": ("coordinator", go(lambda plan: f"/p/{plan.slug}/audit/")),
    "403": ("viewer", go(lambda plan: f"/p/{plan.slug}/directory/organizations/new/")),
    "404": ("coordinator", go(lambda plan: f"/p/{plan.slug}/directory/organizations/999999/")),
}


@pytest.fixture
def audited(directory: Any, coordinator: Any) -> Any:
    """Two changes in the audit trail, so that its table has rows."""
    organization = org(directory)
    organization = services.organization_update(
        actor=coordinator, organization=organization, version=organization.version, city="Ruhrort"
    )
    services.organization_update(
        actor=coordinator, organization=organization, version=organization.version, employees=130
    )
    return directory


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(
    name: str, request: Any, page_as: Any, audited: Any, viewer: Any
) -> None:
    role, open_page = PAGES[name]
    page = page_as(request.getfixturevalue(role) if role else None)
    open_page(page, audited)
    screenshot(page, f"a11y-{name}")

    violations = blocking_violations(page) + broken_references(page)

    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def test_english_pages_have_no_serious_accessibility_violation(
    page_as: Any, audited: Any, coordinator: Any
) -> None:
    page = page_as(coordinator, locale="en-GB")
    page.goto(f"/p/{audited.slug}/directory/organizations/")
    assert page.locator("html").get_attribute("lang") == "en"

    violations = blocking_violations(page)

    assert not violations, "\n".join(violations)
