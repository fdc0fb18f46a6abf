"""The export links of a list follow the filters on screen, also after an HTMX refresh."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.urls import reverse

from masterplan.core.models import Masterplan
from tests.factories import OrganizationFactory


def export_links(html: str) -> dict[str, str]:
    """id → href of the export links, and whether each is marked to be swapped out of band."""
    found = {}
    for tag in re.findall(r'<a id="export-[^>]*>', html):
        found[re.search(r'id="([^"]+)"', tag)[1]] = tag
    return found


def test_the_htmx_table_brings_the_export_links_with_the_new_filters(
    plan: Masterplan, viewer: Any, client_as: Any
) -> None:
    url = reverse("directory:organization_list", args=[plan.slug])
    html = client_as(viewer).get(url + "?q=hafen&kind=company", headers={"HX-Request": "true"})
    links = export_links(html.content.decode())
    assert set(links) == {"export-csv", "export-xlsx", "export-readable", "export-json"}
    for tag in links.values():
        assert 'hx-swap-oob="true"' in tag
        assert "?q=hafen&amp;kind=company" in tag


def test_the_full_page_has_the_links_once_and_not_out_of_band(
    plan: Masterplan, viewer: Any, client_as: Any
) -> None:
    url = reverse("directory:person_list", args=[plan.slug])
    html = client_as(viewer).get(url + "?q=kleff").content.decode()
    assert html.count('id="export-csv"') == 1
    assert "hx-swap-oob" not in html
    assert "/directory/people/export.csv?q=kleff" in html


def test_the_public_gets_no_export_links_in_htmx_answers(plan: Masterplan, client_as: Any) -> None:
    url = reverse("directory:organization_list", args=[plan.slug])
    html = client_as(None).get(url + "?q=x", headers={"HX-Request": "true"}).content.decode()
    assert "export-csv" not in html


def test_the_export_holds_the_filtered_and_sorted_rows(
    plan: Masterplan, viewer: Any, client_as: Any
) -> None:
    for name, city in (("Hafen Nord", "Duisburg"), ("Hafen Süd", "Moers"), ("Rhein", "Moers")):
        OrganizationFactory(masterplan=plan, name=name, city=city)
    url = reverse("directory:organization_export_csv", args=[plan.slug])
    response = client_as(viewer).get(url + "?q=hafen&city=moers&sort=-name&page=2")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["name"] for row in rows] == ["Hafen Süd"]
