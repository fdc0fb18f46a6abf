"""A meine-stadt-transparent-style sync: walk every list, let the platform change, walk again
with `modified_since` = the time of the first walk, apply the changes (upsert what is listed,
remove tombstones) and end up with exactly what a fresh full walk finds.

Issue 10, points 9 and 10: a parent's `modified` moves with its embedded children, and objects
that stop being public (consent withdrawn, made non-public, parent deleted) come as tombstones.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from masterplan.core.models import Masterplan, Publication
from masterplan.directory import services as directory_services
from masterplan.directory.models import Person
from masterplan.governance import services
from masterplan.governance.models import (
    AgendaItem,
    Body,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    Meeting,
    MeetingState,
)
from masterplan.governance.oparl import queries
from tests.governance import oparl_checks
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.oparl_world import PDF, GovernanceWorld, build, document
from tests.governance.test_oparl_walk import get as get_json
from tests.governance.test_oparl_walk import walk_all, walk_list

TOMBSTONE_KEYS = {"id", "type", "created", "modified", "deleted", "order", "accessUrl"}
PUBLIC = {"publication": Publication.PUBLISHED, "is_public": True}


@pytest.fixture
def world(plan: Masterplan) -> GovernanceWorld:
    w = build(plan)
    opening = w.public["meetings"][0]
    steering = w.public["bodies"][0]
    # A public item with a file, to be made non-public later.
    reisholz = AgendaItemFactory(
        meeting=opening, position=5, number="5", title="Kernzone Reisholz", is_public=True
    )
    w.public["reisholz"] = reisholz
    w.public["reisholz_file"] = document(
        opening, DocumentKind.ATTACHMENT, "Lageplan Reisholz", agenda_item=reisholz
    )
    # A public meeting with items and files, to be deleted later.
    rath = MeetingFactory(
        body=steering,
        title="Sitzung Kernzone Rath",
        start=opening.start + timedelta(days=60),
        location_name="Rathaus Düsseldorf",
    )
    w.public["rath"] = rath
    w.public["rath_items"] = [
        AgendaItemFactory(meeting=rath, position=1, number="1", title="Flächenbilanz Rath"),
        AgendaItemFactory(meeting=rath, position=2, number="2", title="Verkehrsanbindung"),
    ]
    w.public["rath_files"] = [
        document(rath, DocumentKind.INVITATION, "Einladung Rath"),
        document(
            rath,
            DocumentKind.ATTACHMENT,
            "Flächenbilanz",
            agenda_item=w.public["rath_items"][0],
        ),
    ]
    return w


def plan_lists(found: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """Every external list the objects of a walk point to (the lists a consumer polls)."""
    lists: set[tuple[str, str]] = set()
    for obj in found.values():
        lists.update(oparl_checks.external_lists(obj))
    return sorted(lists)


def test_a_consumer_that_syncs_by_date_ends_with_what_a_full_walk_finds(
    world: GovernanceWorld, coordinator: Any
) -> None:
    client = Client()
    consumer = walk_all(client, limit=2)
    lists = plan_lists(consumer)
    public = world.public
    assert any(url.endswith(f"/meeting/{public['rath'].pk}/") for url in consumer)
    assert ("http://testserver/oparl/v1/bodies/", "Body") in lists
    # The client remembers the (whole) second it started its walk; the platform changes after.
    since = (timezone.now() + timedelta(seconds=1)).replace(microsecond=0)
    with time_machine.travel(since + timedelta(seconds=1), tick=True):
        edited, deleted = public["agenda_items"]
        services.agenda_item_update(
            actor=coordinator, item=edited, version=edited.version, title="Rückblick 2025 (ergänzt)"
        )
        services.agenda_item_delete(actor=coordinator, item=deleted, version=deleted.version)
        reisholz = public["reisholz"]
        reisholz.refresh_from_db()
        services.agenda_item_update(
            actor=coordinator, item=reisholz, version=reisholz.version, is_public=False
        )
        ihk = public["people"][1]
        directory_services.person_update(
            actor=coordinator, person=ihk, version=ihk.version, consent_to_publish=False
        )
        rath = Meeting.objects.get(pk=public["rath"].pk)
        services.meeting_delete(actor=coordinator, meeting=rath, version=rath.version)
        added = services.document_upload(
            actor=coordinator,
            file_name="Präsentation Jahresauftakt.pdf",
            content=PDF,
            meeting=public["meetings"][0],
            **PUBLIC,
        )

        stamp = since.isoformat().replace("+", "%2B")
        changes: dict[str, dict[str, Any]] = {}
        for url, item_type in lists:
            for obj in walk_list(client, f"{url}?limit=2&modified_since={stamp}", item_type):
                changes[obj["id"]] = obj
        fresh = walk_all(client, limit=2)

    stones = {url for url, obj in changes.items() if obj.get("deleted")}
    for url in stones:
        assert set(changes[url]) <= TOMBSTONE_KEYS, f"a tombstone with content: {changes[url]}"
    for url, obj in changes.items():
        if obj.get("deleted"):
            consumer.pop(url, None)
        else:
            consumer[url] = obj

    base = "http://testserver/oparl/v1/body/duisburg/"
    expected_stones = {
        f"{base}agenda-item/{deleted.pk}/",
        f"{base}agenda-item/{reisholz.pk}/",
        f"{base}file/{public['reisholz_file'].pk}/",
        f"{base}person/{ihk.pk}/",
        f"{base}membership/{public['memberships'][1].pk}/",
        f"{base}meeting/{rath.pk}/",
        f"{base}location/{rath.pk}/",
        *(f"{base}agenda-item/{item.pk}/" for item in public["rath_items"]),
        *(f"{base}file/{doc.pk}/" for doc in public["rath_files"]),
        f"{base}paper/decision/{public['decisions'][0].pk}/",  # decided on the deleted item
    }
    assert expected_stones <= stones, f"missing tombstones: {expected_stones - stones}"
    assert f"{base}file/{added.pk}/" in changes
    # Changed through embedded children only: the meeting (items, files) and the Lenkungskreis
    # (a member withdrew consent) come again.
    assert f"{base}meeting/{public['meetings'][0].pk}/" in changes
    assert f"{base}organization/{public['bodies'][0].pk}/" in changes
    assert sorted(consumer) == sorted(fresh)
    for url, obj in fresh.items():
        assert consumer[url] == obj, f"{url} is stale in the consumer's copy"


def test_objects_that_were_never_seen_are_no_tombstones(world: GovernanceWorld) -> None:
    """Non-public objects created after the client's last sync are not listed at all: the
    client cannot hold them, and their existence is not announced."""
    stamp = (timezone.now() - timedelta(minutes=5)).isoformat().replace("+", "%2B")
    found = walk_all(Client(), limit=100, query=f"&modified_since={stamp}")
    stones = {url for url, obj in found.items() if obj.get("deleted")}
    pk = world.public["deleted_meeting"].pk
    base = "http://testserver/oparl/v1/body/duisburg/"
    assert stones == {f"{base}meeting/{pk}/", f"{base}location/{pk}/"}


def test_a_change_of_an_embedded_child_moves_the_parents_modified(
    world: GovernanceWorld, coordinator: Any
) -> None:
    """The object's `modified` and the `modified_since` filter agree: both move with the
    agenda items and files a meeting embeds and the memberships a person embeds."""
    client = Client()
    base = "http://testserver/oparl/v1/body/duisburg/"
    opening = world.public["meetings"][0]
    chair = world.public["people"][0]
    since = (timezone.now() + timedelta(seconds=1)).replace(microsecond=0)
    stamp = since.isoformat().replace("+", "%2B")
    with time_machine.travel(since + timedelta(seconds=1), tick=True):
        item = world.public["agenda_items"][0]
        services.agenda_item_update(
            actor=coordinator, item=item, version=item.version, title="Rückblick auf 2025"
        )
        membership = world.public["memberships"][0]
        services.membership_update(
            actor=coordinator, membership=membership, version=membership.version, voting_right=False
        )
        meeting = get_json(client, f"{base}meeting/{opening.pk}/")
        person = get_json(client, f"{base}person/{chair.pk}/")
        meetings = walk_list(client, f"{base}meetings/?modified_since={stamp}", "Meeting")
        people = walk_list(client, f"{base}people/?modified_since={stamp}", "Person")
    for obj in (meeting, person):
        assert datetime.fromisoformat(obj["modified"]) >= since
    assert [m["id"] for m in meetings] == [meeting["id"]]
    assert meetings[0] == meeting
    assert [p["id"] for p in people] == [person["id"]]
    assert people[0] == person
    assert meeting["agendaItem"][0]["name"] == "Rückblick auf 2025"


def test_a_syncing_client_reads_every_row_whatever_it_hangs_on(world: GovernanceWorld) -> None:
    """The public flags are computed over outer joins: no row is lost for a missing parent
    (a decision without agenda item, a file without decision), so none misses its tombstone."""
    plan = world.plan
    for rows, model in [
        (queries.bodies, Body),
        (queries.people, Person),
        (queries.memberships, BodyMembership),
        (queries.meetings, Meeting),
        (queries.agenda_items, AgendaItem),
        (queries.decisions, Decision),
        (queries.files, Document),
    ]:
        everything = model.all_objects.filter(masterplan=plan).count()
        assert rows(plan, True).count() == everything, model.__name__


def test_the_agenda_of_a_planned_meeting_comes_with_the_invitation(
    world: GovernanceWorld, coordinator: Any
) -> None:
    """Issue 10, point 4: a draft agenda stays internal while the meeting is planned. Once the
    invitation goes out its items appear, and a client syncing by date picks them up (the
    meeting's `modified` moves with its state, and the items' with their meeting)."""
    client = Client()
    base = "http://testserver/oparl/v1/body/duisburg/"
    planned = MeetingFactory(
        body=world.public["bodies"][0],
        title="Sitzung in Vorbereitung",
        start=timezone.now() + timedelta(days=30),
        state=MeetingState.PLANNED,
    )
    draft = services.agenda_item_create(
        actor=coordinator,
        meeting=planned,
        title="Entwurf: Flächenbedarf Kernzone Hafen",
        publication=Publication.PUBLISHED,
    )
    consumer = walk_all(client, limit=100)
    assert f"{base}agenda-item/{draft.pk}/" not in consumer
    assert client.get(f"{base}agenda-item/{draft.pk}/").status_code == 404
    since = (timezone.now() + timedelta(seconds=1)).replace(microsecond=0)
    stamp = since.isoformat().replace("+", "%2B")
    with time_machine.travel(since + timedelta(seconds=1), tick=True):
        planned.refresh_from_db()
        services.meeting_transition(
            actor=coordinator,
            meeting=planned,
            version=planned.version,
            state=MeetingState.INVITED,
        )
        items = walk_list(client, f"{base}agenda-items/?modified_since={stamp}", "AgendaItem")
        meetings = walk_list(client, f"{base}meetings/?modified_since={stamp}", "Meeting")
    assert [item.get("name") for item in items] == ["Entwurf: Flächenbedarf Kernzone Hafen"]
    assert not items[0].get("deleted")
    assert [m["name"] for m in meetings] == ["Sitzung in Vorbereitung"]
    assert [i["name"] for i in meetings[0]["agendaItem"]] == [
        "Entwurf: Flächenbedarf Kernzone Hafen"
    ]
