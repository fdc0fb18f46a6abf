"""Sector codes (WZ 2008) are shown with the title of their division."""

from __future__ import annotations

from typing import Any

from masterplan.core.models import Masterplan
from masterplan.core.wz2008 import DIVISIONS, division_title, sector_label
from tests.factories import OrganizationFactory


def test_the_table_has_the_88_divisions_of_wz_2008() -> None:
    codes = [row[0] for row in DIVISIONS]
    assert len(codes) == len(set(codes)) == 88
    assert codes == sorted(codes)
    assert {row[1] for row in DIVISIONS} == set("ABCDEFGHIJKLMNOPQRSTU")
    # Manufacturing (section C) is divisions 10 to 33.
    assert [row[0] for row in DIVISIONS if row[1] == "C"] == [str(n) for n in range(10, 34)]


def test_any_depth_of_code_names_its_division() -> None:
    for code in ("20", "20.1", "20.30", "2030", " 20.30 "):
        assert division_title(code, "de") == "Herstellung von chemischen Erzeugnissen", code
    assert division_title("24.10", "en") == "Manufacture of basic metals"
    assert division_title("52.10", "de-at") == (
        "Lagerei sowie Erbringung von sonstigen Dienstleistungen für den Verkehr"
    )
    for unknown in ("", "04", "34.1", "x1", "99999"[:1]):
        assert division_title(unknown, "de") is None, unknown
    assert sector_label("62.01", "de") == (
        "62.01 – Erbringung von Dienstleistungen der Informationstechnologie"
    )
    assert sector_label("04.11", "de") == "04.11"  # no such division: the code alone


def test_organisation_page_names_the_sector(plan: Masterplan, client_as: Any) -> None:
    company = OrganizationFactory(masterplan=plan, name="Lörick Bauchemie GmbH", sector_wz="20.30")
    german = client_as(None).get(company.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    assert "20.30 – Herstellung von chemischen Erzeugnissen" in german.content.decode()
    english = client_as(None).get(company.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "20.30 – Manufacture of chemicals and chemical products" in english.content.decode()
