"""Pages reflow on a 320 px wide screen (WCAG 1.4.10): no sideways scrolling of the page."""

from __future__ import annotations

from typing import Any

import pytest

from masterplan.directory.models import Organization, Person
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_pages_fit_a_narrow_screen(page_as: Any, directory: Any, coordinator: Any) -> None:
    page = page_as(coordinator)
    page.set_viewport_size({"width": 320, "height": 640})
    organization = Organization.objects.get(masterplan=directory, external_id="DU-WFD")
    paths = {
        "organization-list": f"/p/{directory.slug}/directory/organizations/",
        "organization-detail": organization.get_absolute_url(),
        "organization-edit": f"{organization.get_absolute_url()}edit/",
        "person-detail": Person.objects.get(masterplan=directory).get_absolute_url(),
    }
    too_wide = {}
    for name, path in paths.items():
        page.goto(path)
        screenshot(page, f"narrow-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width

    assert not too_wide, f"wider than the screen: {too_wide}"
