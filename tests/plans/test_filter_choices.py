"""Filter drop-downs offer only what the visitor may see: a published measure led by a draft
organisation (or with a responsible person not published) does not put that name into the
organisation or person filters of the board, the plan overview or the measure list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import Masterplan, Publication
from tests.factories import MeasureFactory, OrganizationFactory, PersonFactory


def options(html: str, name: str) -> list[str]:
    """The labels of the drop-down `name` on the page."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no drop-down {name}"
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", found.group(1))]


@pytest.fixture
def measures(plan: Masterplan) -> None:
    public = OrganizationFactory(masterplan=plan, name="Duisburg Business & Innovation GmbH")
    draft = OrganizationFactory(
        masterplan=plan, name="Batteriewerk Rheinhausen GmbH", publication=Publication.DRAFT
    )
    hidden_person = PersonFactory(
        masterplan=plan,
        given_name="Jutta",
        family_name="Verhandlungsführer",
        publication=Publication.DRAFT,
    )
    MeasureFactory(masterplan=plan, title="Flächenbörse Logport", lead_organization=public)
    MeasureFactory(
        masterplan=plan,
        title="Ansiedlung begleiten",
        lead_organization=draft,
        responsible_person=hidden_person,
    )


PAGES = ["board/", ""]  # the board and the plan overview


@pytest.mark.parametrize("page", PAGES)
def test_the_organisation_filter_offers_no_draft_organisation(
    plan: Masterplan, measures: None, page: str
) -> None:
    response = Client().get(f"/p/{plan.slug}/plan/{page}")
    assert response.status_code == 200
    offered = options(response.content.decode(), "organization")

    assert "Duisburg Business &amp; Innovation GmbH" in offered
    assert "Batteriewerk Rheinhausen GmbH" not in offered


@pytest.mark.parametrize("page", [""])
def test_the_person_filter_offers_no_hidden_person(
    plan: Masterplan, measures: None, page: str
) -> None:
    html = Client().get(f"/p/{plan.slug}/plan/{page}").content.decode()

    assert not any("Verhandlungsführer" in label for label in options(html, "owner"))


def test_members_find_draft_organisations_in_the_filter(
    plan: Masterplan, measures: None, viewer: Any
) -> None:
    client = Client()
    client.force_login(viewer)
    html = client.get(f"/p/{plan.slug}/plan/board/").content.decode()

    assert "Batteriewerk Rheinhausen GmbH" in options(html, "organization")
