"""Walk the whole OParl API from /oparl/v1/: every list to its end, every object valid,
every reference resolving to an object of the referenced type."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from masterplan.core.models import Masterplan
from tests.governance import oparl_checks
from tests.governance.oparl_world import GovernanceWorld, build

ROOT = "http://testserver/oparl/v1/"


@pytest.fixture
def world(plan: Masterplan) -> GovernanceWorld:
    return build(plan)


def get(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def walk_list(client: Client, url: str, item_type: str) -> list[dict[str, Any]]:
    """Every object of an external list, following links.next; checks each page's shape."""
    objects: list[dict[str, Any]] = []
    seen_pages = set()
    while url:
        assert url not in seen_pages, f"the list loops back to {url}"
        seen_pages.add(url)
        page = get(client, url)
        assert set(page) >= {"data", "pagination", "links"}, url
        assert {"first", "self"} <= set(page["links"]), page["links"]
        for obj in page["data"]:
            oparl_checks.validate(obj, item_type)
        objects += page["data"]
        url = page["links"].get("next")
    return objects


def walk_all(client: Client, *, limit: int, query: str = "") -> dict[str, dict[str, Any]]:
    """Every object reachable from the system, by id."""
    system = get(client, ROOT)
    oparl_checks.validate(system, "System")
    found: dict[str, dict[str, Any]] = {system["id"]: system}
    pending = [(system["body"] + f"?limit={limit}{query}", "Body")]
    lists_done = set()
    while pending:
        url, item_type = pending.pop()
        if url in lists_done:
            continue
        lists_done.add(url)
        for obj in walk_list(client, url, item_type):
            assert obj["id"] not in found or found[obj["id"]]["type"] == obj["type"]
            found[obj["id"]] = obj
            for list_url, list_type in oparl_checks.external_lists(obj):
                pending.append((f"{list_url}?limit={limit}{query}", list_type))
    return found


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_every_reference_resolves_to_an_object_of_its_type(
    world: GovernanceWorld, limit: int
) -> None:
    client = Client()
    found = walk_all(client, limit=limit)
    checked: dict[str, str] = {}
    for obj in list(found.values()):
        for url, expected in oparl_checks.references(obj):
            if url not in checked:
                target = get(client, url)
                oparl_checks.validate(target)
                checked[url] = oparl_checks.type_name(target)
            assert checked[url] == expected, f"{obj['id']} → {url}: {checked[url]} ≠ {expected}"
    kinds = {oparl_checks.type_name(obj) for obj in found.values()}
    assert kinds >= {
        "System",
        "Body",
        "LegislativeTerm",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "File",
        "Location",
    }


def test_each_object_answers_at_its_id_as_listed(world: GovernanceWorld) -> None:
    client = Client()
    for obj in walk_all(client, limit=100).values():
        alone = get(client, obj["id"])
        oparl_checks.validate(alone)
        assert alone["id"] == obj["id"] and alone["type"] == obj["type"]


def test_the_walk_finds_exactly_the_public_objects(world: GovernanceWorld) -> None:
    found = walk_all(Client(), limit=2)
    ids = {
        url.rstrip("/").rsplit("/", 2)[-2] + "/" + url.rstrip("/").rsplit("/", 1)[-1]
        for url in found
    }
    public = world.public
    for kind, key in [
        ("organization", "bodies"),
        ("person", "people"),
        ("membership", "memberships"),
        ("meeting", "meetings"),
        ("agenda-item", "agenda_items"),
        ("decision", "decisions"),
        ("file", "files"),
    ]:
        expected = {f"{kind}/{obj.pk}" for obj in public[key]}
        assert expected <= ids, f"{kind}: missing {expected - ids}"
        hidden = {f"{kind}/{obj.pk}" for obj in world.hidden[key]}
        assert not hidden & ids, f"{kind}: shown although not public: {hidden & ids}"


def test_a_syncing_walk_sees_valid_tombstones(world: GovernanceWorld) -> None:
    found = walk_all(Client(), limit=2, query="&modified_since=2000-01-01T00:00:00%2B01:00")
    stones = [obj for obj in found.values() if obj.get("deleted")]
    # The deleted meeting named a place, so its Location goes with it.
    pk = world.public["deleted_meeting"].pk
    body = "http://testserver/oparl/v1/body/duisburg/"
    assert sorted(s["id"] for s in stones) == [f"{body}location/{pk}/", f"{body}meeting/{pk}/"]
