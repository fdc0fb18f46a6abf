"""Filter drop-downs offer only what the list itself may show: a draft body's name never
reaches a visitor through the body filter of the decisions page or the calendar, nor through
the decisions of its meetings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import Masterplan, Publication
from tests.clock import on_day
from tests.governance.factories import BodyFactory, DecisionFactory, MeetingFactory

pytestmark = on_day(date(2026, 3, 2))


def options(html: str, name: str) -> list[str]:
    """The labels of the drop-down `name` on the page."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no drop-down {name}"
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", found.group(1))]


@pytest.fixture
def bodies(plan: Masterplan) -> None:
    BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")
    draft = BodyFactory(
        masterplan=plan, name="Arbeitskreis Ansiedlung Batteriewerk", publication=Publication.DRAFT
    )
    # A meeting and a decision marked public and published: the draft body still hides them.
    meeting = MeetingFactory(
        body=draft, title="Erste Sitzung", start=datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    )
    DecisionFactory(
        meeting=meeting, title="Standortsuche Batteriewerk", decided_on=date(2026, 3, 10)
    )


@pytest.mark.parametrize("page", ["decisions/", "calendar/", "calendar/2026/3/"])
def test_the_body_filter_offers_no_draft_body_to_the_public(
    plan: Masterplan, bodies: None, page: str
) -> None:
    html = Client().get(f"/p/{plan.slug}/governance/{page}").content.decode()

    offered = options(html, "body")

    assert "Lenkungskreis Masterplan Wirtschaft" in offered
    assert "Arbeitskreis Ansiedlung Batteriewerk" not in offered
    assert "Batteriewerk" not in html


@pytest.mark.parametrize("page", ["decisions/", "calendar/"])
def test_members_find_draft_bodies_in_the_filter(
    plan: Masterplan, bodies: None, viewer: Any, page: str
) -> None:
    client = Client()
    client.force_login(viewer)
    html = client.get(f"/p/{plan.slug}/governance/{page}").content.decode()

    assert "Arbeitskreis Ansiedlung Batteriewerk" in options(html, "body")
