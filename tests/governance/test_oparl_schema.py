"""Every OParl object type validates against its schema; the checker itself catches errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from jsonschema import ValidationError

from masterplan.core.models import Masterplan
from tests.governance import oparl_checks
from tests.governance.factories import AgendaItemFactory
from tests.governance.oparl_world import GovernanceWorld, build

BASE = "/oparl/v1/body/duisburg/"


@pytest.fixture
def world(plan: Masterplan) -> GovernanceWorld:
    return build(plan)


def get(url: str) -> dict[str, Any]:
    response = Client().get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)


def test_each_type_validates_at_its_own_url(world: GovernanceWorld) -> None:
    p = world.public
    urls = {
        "System": "/oparl/v1/",
        "Body": BASE,
        "LegislativeTerm": BASE + "legislative-term/",
        "Organization": f"{BASE}organization/{p['bodies'][1].pk}/",
        "Person": f"{BASE}person/{p['people'][0].pk}/",
        "Membership": f"{BASE}membership/{p['memberships'][0].pk}/",
        "Meeting": f"{BASE}meeting/{p['meetings'][0].pk}/",
        "AgendaItem": f"{BASE}agenda-item/{p['agenda_items'][0].pk}/",
        "Paper": f"{BASE}paper/report/{p['reports'][0].pk}/",
        "File": f"{BASE}file/{p['files'][0].pk}/",
        "Location": f"{BASE}location/{p['locations'][0].pk}/",
    }
    for type_name, url in urls.items():
        oparl_checks.validate(get(url), type_name)


def test_meeting_location_is_a_geojson_point_longitude_first(world: GovernanceWorld) -> None:
    location = get(f"{BASE}location/{world.public['locations'][0].pk}/")
    assert location["geojson"]["geometry"] == {
        "type": "Point",
        "coordinates": [6.772457, 51.225402],
    }


def test_the_checker_rejects_a_wrong_type_url() -> None:
    with pytest.raises(ValidationError):
        oparl_checks.validate(
            {"id": "https://x.example/1", "type": "https://schema.oparl.org/1.0/Meeting"},
            "Meeting",
        )


def test_the_checker_rejects_bad_embedded_objects() -> None:
    meeting = {
        "id": "https://x.example/m/1",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "created": "2026-01-01T10:00:00+01:00",
        "modified": "2026-01-01T10:00:00+01:00",
        "agendaItem": [
            {
                "id": "https://x.example/a/1",
                "type": oparl_checks.TYPE_PREFIX + "AgendaItem",
                "created": "2026-01-01T10:00:00+01:00",
                "modified": "2026-01-01T10:00:00+01:00",
            }
        ],
    }
    with pytest.raises(ValidationError, match="order"):
        oparl_checks.validate(meeting)


def test_the_checker_rejects_dates_without_time_zone_and_relative_urls() -> None:
    person = {
        "id": "https://x.example/p/1",
        "type": oparl_checks.TYPE_PREFIX + "Person",
        "created": "2026-01-01T10:00:00",
        "modified": "2026-01-01T10:00:00+01:00",
    }
    with pytest.raises(ValidationError):
        oparl_checks.validate(person)
    with pytest.raises(ValidationError):
        oparl_checks.validate({**person, "created": person["modified"], "body": "/oparl/v1/"})


def test_embedded_agenda_items_follow_their_numbers(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    for number in ("10", "2.1"):
        AgendaItemFactory(meeting=opening, number=number, title=f"TOP {number}")
    embedded = get(f"{BASE}meeting/{opening.pk}/")["agendaItem"]
    assert [item["number"] for item in embedded] == ["1", "2", "2.1", "10"]


def test_order_is_the_place_in_the_meetings_agenda_alone_and_embedded(
    world: GovernanceWorld,
) -> None:
    opening = world.public["meetings"][0]
    AgendaItemFactory(meeting=opening, number="1.1", position=1, title="Unterpunkt")
    embedded = get(f"{BASE}meeting/{opening.pk}/")["agendaItem"]
    assert [item["order"] for item in embedded] == list(range(len(embedded)))
    for item in embedded:
        assert get(item["id"])["order"] == item["order"]
    listed = {item["id"]: item["order"] for item in get(f"{BASE}agenda-items/")["data"]}
    assert all(listed[item["id"]] == item["order"] for item in embedded)


def test_meeting_states_use_the_values_oparl_recommends(world: GovernanceWorld) -> None:
    opening, cancelled = world.public["meetings"]
    assert get(f"{BASE}meeting/{opening.pk}/")["meetingState"] == "eingeladen"
    assert get(f"{BASE}meeting/{cancelled.pk}/")["meetingState"] == "abgesagt"


def test_the_system_answers_without_any_masterplan(db: Any) -> None:
    oparl_checks.validate(get("/oparl/v1/"), "System")
    assert get("/oparl/v1/bodies/")["data"] == []


def test_an_agenda_item_carries_its_public_decisions_text(world: GovernanceWorld) -> None:
    decided = world.public["agenda_items"][1]
    item = get(f"{BASE}agenda-item/{decided.pk}/")
    assert item["resolutionText"].startswith("Kernzonen-Workshops fortsetzen")
    assert "resolutionText" not in get(f"{BASE}agenda-item/{world.public['agenda_items'][0].pk}/")
