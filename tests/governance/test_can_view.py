"""`core.permissions.can_view` (single objects: pages and API) follows the same rule as the
lists: a published record that hangs under something hidden stays hidden."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from masterplan.core import permissions as perms
from masterplan.core.models import Masterplan, Publication
from masterplan.governance.models import Body, MeetingState
from tests.factories import UserFactory
from tests.governance.factories import (
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(plan: Masterplan) -> Body:
    return BodyFactory(masterplan=plan, name="Lenkungskreis Masterplan Wirtschaft")


def test_published_records_under_something_hidden_are_not_viewable_by_outsiders(
    plan: Masterplan, committee: Body, viewer: Any
) -> None:
    closed = MeetingFactory(body=committee, title="Klausurtagung", is_public=False)
    hidden_parent = AgendaItemFactory(
        meeting=MeetingFactory(body=committee), title="Grundstücksverhandlungen", is_public=False
    )
    under_hidden = AgendaItemFactory(
        meeting=hidden_parent.meeting, parent=hidden_parent, title="Angebot Fläche Nord"
    )
    decision_in_closed = DecisionFactory(meeting=closed, title="Kaufpreis bestätigt")
    outsiders = [AnonymousUser(), UserFactory(username="buerger")]
    for obj in (closed, under_hidden, decision_in_closed):
        assert obj.publication == Publication.PUBLISHED
        for outsider in outsiders:
            assert not perms.can_view(outsider, obj), (obj, outsider)
        assert perms.can_view(viewer, obj)


def test_public_records_are_viewable_by_everyone(plan: Masterplan, committee: Body) -> None:
    invited = MeetingFactory(body=committee, state=MeetingState.INVITED)
    item = AgendaItemFactory(meeting=invited, title="Rückblick")
    assert perms.can_view(AnonymousUser(), item.meeting)
    assert perms.can_view(AnonymousUser(), item)
