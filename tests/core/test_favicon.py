"""Every page names the site's icon, and /favicon.ico (which browsers ask for) finds it."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders


def test_pages_link_the_icon_and_favicon_ico_leads_to_it(db: None, client_as: Any) -> None:
    home = client_as(None).get("/").content.decode()
    assert 'rel="icon"' in home and "favicon.svg" in home and "favicon.ico" in home
    response = client_as(None).get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".ico")
    assert finders.find("masterplan/favicon.ico") and finders.find("masterplan/favicon.svg")
    with open(finders.find("masterplan/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
