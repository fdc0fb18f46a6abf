"""OParl external lists: filters, tombstones, paging, privacy, errors, CORS, query counts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Person
from masterplan.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    Meeting,
    MeetingState,
)
from tests.factories import PersonFactory
from tests.governance import oparl_checks
from tests.governance.factories import (
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)
from tests.governance.oparl_world import GovernanceWorld, build, document, soft_delete

BASE = "/oparl/v1/body/duisburg/"


@pytest.fixture
def world(plan: Masterplan) -> GovernanceWorld:
    return build(plan)


def get(url: str, client: Client | None = None) -> dict[str, Any]:
    response = (client or Client()).get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.content!r}"
    return json.loads(response.content)


def ids(page: dict[str, Any]) -> list[str]:
    return [obj["id"] for obj in page["data"]]


def pk_of(obj: dict[str, Any]) -> int:
    return int(obj["id"].rstrip("/").rsplit("/", 1)[1])


def test_tombstones_appear_only_with_modified_since(world: GovernanceWorld) -> None:
    gone = world.public["deleted_meeting"]
    plain = get(BASE + "meetings/")
    assert gone.pk not in [pk_of(o) for o in plain["data"]]
    synced = get(BASE + "meetings/?modified_since=2000-01-01T00:00:00%2B01:00")
    stone = next(o for o in synced["data"] if pk_of(o) == gone.pk)
    oparl_checks.validate(stone, "Meeting")
    assert stone["deleted"] is True
    assert set(stone) == {"id", "type", "created", "modified", "deleted"}


def test_a_deleted_object_answers_as_tombstone_at_its_url(world: GovernanceWorld) -> None:
    gone = world.public["deleted_meeting"]
    stone = get(f"{BASE}meeting/{gone.pk}/")
    assert stone["deleted"] is True and "name" not in stone


def test_a_deleted_draft_gives_no_tombstone(world: GovernanceWorld) -> None:
    draft = world.hidden["meetings"][1]
    soft_delete(draft)
    synced = get(BASE + "meetings/?modified_since=2000-01-01")
    assert draft.pk not in [pk_of(o) for o in synced["data"]]
    assert Client().get(f"{BASE}meeting/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("organization", "bodies"),
        ("person", "people"),
        ("membership", "memberships"),
        ("meeting", "meetings"),
        ("agenda-item", "agenda_items"),
        ("paper/decision", "decisions"),
        ("file", "files"),
    ],
)
def test_non_public_objects_are_not_found_even_by_members(
    world: GovernanceWorld, kind: str, key: str, client_as: Any, coordinator: Any
) -> None:
    for obj in world.hidden[key]:
        if obj.deleted_at is not None:
            continue
        for client in (Client(), client_as(coordinator)):
            response = client.get(f"{BASE}{kind}/{obj.pk}/")
            assert response.status_code == 404, f"{kind} {obj} visible"
            assert response["Content-Type"].startswith("application/json")


def test_non_public_files_cannot_be_downloaded(world: GovernanceWorld) -> None:
    for doc in world.hidden["files"]:
        assert Client().get(f"{BASE}file/{doc.pk}/download/").status_code == 404
    public = world.public["files"][0]
    response = Client().get(f"{BASE}file/{public.pk}/download/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_a_draft_masterplan_has_no_body(world: GovernanceWorld) -> None:
    Masterplan.objects.filter(pk=world.plan.pk).update(publication=Publication.DRAFT)
    assert Client().get(BASE).status_code == 404
    assert Client().get(BASE + "meetings/").status_code == 404
    assert get("/oparl/v1/bodies/")["data"] == []


def test_created_and_modified_filters_select_by_date(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    old = timezone.now() - timedelta(days=400)
    Meeting.objects.filter(pk=opening.pk).update(created_at=old, modified_at=old)
    # A meeting's `modified` moves with what it embeds and hangs on: age those too.
    Body.all_objects.filter(pk=opening.body_id).update(modified_at=old)
    for model in (AgendaItem, Document, Decision, Attendance):
        model.all_objects.filter(meeting=opening).update(modified_at=old)
    Person.all_objects.filter(attendances__meeting=opening).update(modified_at=old)
    cut = (old + timedelta(days=1)).isoformat().replace("+", "%2B")
    since = [pk_of(o) for o in get(f"{BASE}meetings/?created_since={cut}")["data"]]
    until = [pk_of(o) for o in get(f"{BASE}meetings/?created_until={cut}")["data"]]
    assert opening.pk not in since and opening.pk in until
    modified = [pk_of(o) for o in get(f"{BASE}meetings/?modified_until={cut}")["data"]]
    assert modified == [opening.pk]


def test_an_unencoded_plus_in_the_offset_is_understood(world: GovernanceWorld) -> None:
    page = get(BASE + "meetings/?modified_since=2000-01-01T00:00:00+01:00")
    assert page["data"]


@pytest.mark.parametrize(
    "query",
    [
        "created_since=yesterday",
        "modified_until=2026-02-30",
        "modified_since=2026-01-01T25:00",
        "omit_internal=perhaps",
        "limit=0",
        "limit=many",
        "after=x",
        "after=1&before=3",
    ],
)
def test_bad_parameters_answer_400_with_a_message(world: GovernanceWorld, query: str) -> None:
    response = Client().get(f"{BASE}meetings/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    message = json.loads(response.content)["error"]
    assert query.split("=")[0].split("&")[0] in message


def test_filters_are_carried_into_the_links(world: GovernanceWorld) -> None:
    page = get(BASE + "agenda-items/?limit=1&omit_internal=true&created_since=2000-01-01")
    for name in ("first", "next", "self"):
        assert "created_since=2000-01-01" in page["links"][name]
        assert "omit_internal=true" in page["links"][name]
        assert "limit=1" in page["links"][name]
    follow = get(page["links"]["next"])
    assert "prev" in follow["links"]
    back = get(follow["links"]["prev"])
    assert ids(back) == ids(page)


def test_omit_internal_leaves_embedded_objects_out(world: GovernanceWorld) -> None:
    full = get(BASE + "meetings/")["data"][0]
    lean = get(BASE + "meetings/?omit_internal=true")["data"][0]
    assert "agendaItem" in full and "location" in full
    assert "agendaItem" not in lean and "location" not in lean
    assert lean["id"] == full["id"]


def test_pages_keep_a_stable_order_by_id(world: GovernanceWorld) -> None:
    seen: list[int] = []
    url: str | None = BASE + "files/?limit=2"
    while url:
        page = get(url)
        seen += [pk_of(o) for o in page["data"]]
        url = page["links"].get("next")
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == len(world.public["files"])


def test_cancelled_meetings_stay_listed_as_cancelled(world: GovernanceWorld) -> None:
    cancelled = world.public["meetings"][1]
    obj = get(f"{BASE}meeting/{cancelled.pk}/")
    assert obj["cancelled"] is True


def test_non_public_agenda_items_are_not_embedded(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    embedded = get(f"{BASE}meeting/{opening.pk}/")["agendaItem"]
    assert [item["name"] for item in embedded] == ["Rückblick 2025", "Ausblick 2026"]


def test_people_without_consent_are_neither_listed_nor_participants(
    world: GovernanceWorld,
) -> None:
    names = {p["familyName"] for p in get(BASE + "people/")["data"]}
    assert names == {"Keller", "Berghausen"}
    opening = world.public["meetings"][0]
    participants = get(f"{BASE}meeting/{opening.pk}/")["participant"]
    assert participants == [f"http://testserver{BASE}person/{world.public['people'][0].pk}/"]


def test_cors_and_options(world: GovernanceWorld) -> None:
    response = Client().options(BASE + "meetings/")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert Client().post(BASE + "meetings/").status_code in (403, 405)


def add_meetings(world: GovernanceWorld, count: int) -> None:
    """More of everything: meetings with items and files, bodies, people, memberships."""
    for n in range(count):
        body = BodyFactory(masterplan=world.plan, parent=world.public["bodies"][0])
        person = PersonFactory(masterplan=world.plan, consent_to_publish=True)
        BodyMembership.objects.create(
            masterplan=world.plan, body=body, person=person, publication=Publication.PUBLISHED
        )
        meeting = MeetingFactory(body=body, title=f"Sitzung {n}", state=MeetingState.HELD)
        Attendance.objects.create(masterplan=world.plan, meeting=meeting, person=person)
        item = AgendaItemFactory(meeting=meeting, position=1, number="1")
        AgendaItemFactory(meeting=meeting, position=2, number="2", is_public=False)
        document(meeting, DocumentKind.MINUTES, f"Protokoll {n}")
        document(meeting, DocumentKind.ATTACHMENT, f"Anlage {n}", agenda_item=item)
        DecisionFactory(meeting=meeting, agenda_item=item)


def queries_for(url: str) -> int:
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "kind",
    [
        "meetings",
        "agenda-items",
        "organizations",
        "people",
        "memberships",
        "papers",
        "files",
        "locations",
    ],
)
def test_list_pages_run_a_constant_number_of_queries(world: GovernanceWorld, kind: str) -> None:
    add_meetings(world, 3)
    small = queries_for(f"{BASE}{kind}/?limit=2")
    add_meetings(world, 12)
    assert AgendaItem.objects.count() > 20
    assert queries_for(f"{BASE}{kind}/?limit=2") == small
    second_page = get(f"{BASE}{kind}/?limit=2")["links"]["next"]
    assert queries_for(second_page) == small


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}meetings/?after=99999999999999999999999",
        f"{BASE}meetings/?before=99999999999999999999999",
        f"{BASE}papers/?after=1-99999999999999999999999",
        f"{BASE}meetings/?modified_since=9999-12-31T23:59:59%2B14:00",
        f"{BASE}meetings/?created_until=0001-01-01T00:00:00-12:00",
        f"{BASE}meetings/?created_until=0001-01-01",
        f"{BASE}meetings/?modified_until=9999-12-31T23:59:59-12:00",
        f"{BASE}meeting/99999999999999999999999/",
        f"{BASE}file/99999999999999999999999/download/",
    ],
)
def test_extreme_values_never_give_a_server_error(world: GovernanceWorld, url: str) -> None:
    response = Client().get(url)
    assert response.status_code in (200, 400, 404), response.content


@pytest.mark.parametrize(
    ("kind", "key", "list_name"),
    [
        ("organization", "bodies", "organizations"),
        ("person", "people", "people"),
        ("membership", "memberships", "memberships"),
        ("agenda-item", "agenda_items", "agenda-items"),
        ("paper/decision", "decisions", "papers"),
        ("file", "files", "files"),
    ],
)
def test_every_type_leaves_a_tombstone(
    world: GovernanceWorld, kind: str, key: str, list_name: str
) -> None:
    obj = world.public[key][-1]
    soft_delete(obj)
    url = f"http://testserver{BASE}{kind}/{obj.pk}/"
    assert url not in ids(get(f"{BASE}{list_name}/?limit=1000"))
    synced = get(f"{BASE}{list_name}/?limit=1000&modified_since=2000-01-01")
    stone = next(o for o in synced["data"] if o["id"] == url)
    oparl_checks.validate(stone)
    assert stone["deleted"] is True
    assert get(url)["deleted"] is True


def test_a_deleted_masterplan_is_a_deleted_body_for_syncing_clients(
    world: GovernanceWorld,
) -> None:
    soft_delete(world.plan)
    assert get("/oparl/v1/bodies/")["data"] == []
    synced = get("/oparl/v1/bodies/?modified_since=2000-01-01")["data"]
    assert [(b["id"], b["deleted"]) for b in synced] == [(f"http://testserver{BASE}", True)]
    oparl_checks.validate(synced[0], "Body")


def test_minutes_are_public_only_once_approved(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    Meeting.objects.filter(pk=opening.pk).update(state=MeetingState.HELD)
    minutes = document(opening, DocumentKind.MINUTES, "Protokoll Jahresauftakt")
    page_url = reverse("governance:document_download", args=[world.plan.slug, minutes.pk])

    assert Client().get(f"{BASE}file/{minutes.pk}/").status_code == 404
    hidden = Client().get(page_url)
    assert hidden.status_code in (403, 404) or "/accounts/login/" in hidden.get("Location", "")

    Meeting.objects.filter(pk=opening.pk).update(state=MeetingState.MINUTES_APPROVED)
    assert get(f"{BASE}file/{minutes.pk}/")["fileName"] == "Protokoll Jahresauftakt.pdf"
    assert Client().get(page_url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "meeting/abc/",
        "meeting/12x/",
        "agenda-item/-1/",
        "paper/decision/1.5/",
        "no-such-list/",
    ],
)
def test_a_malformed_address_gets_the_json_404_with_cors(world: GovernanceWorld, path: str) -> None:
    """A malformed id answered the site's HTML 404 without CORS, which browser clients
    cannot read."""
    response = Client().get(f"{BASE}{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == {"error": "Not found."}


def test_a_plan_without_a_signing_date_still_has_a_term_start(
    world: GovernanceWorld, plan: Masterplan
) -> None:
    """A plan period without a start broke consumers that read `startDate`."""
    Masterplan.objects.filter(pk=plan.pk).update(signed_on=None)
    term = get(f"{BASE}legislative-term/")
    expected = timezone.localtime(Masterplan.objects.get(pk=plan.pk).created_at).date()
    assert term["startDate"] == expected.isoformat()
    body = get(f"{BASE}")
    assert body["legislativeTerm"][0]["startDate"] == expected.isoformat()


def test_embedded_objects_carry_no_back_reference(world: GovernanceWorld) -> None:
    """An agenda item inside its meeting said "meeting": <that meeting>, a membership inside
    its person "person": <that person>, a file inside its parent pointed back to it."""
    opening = world.public["meetings"][0]
    meeting = get(f"{BASE}meeting/{opening.pk}/")
    assert meeting["agendaItem"] and meeting["invitation"] and meeting["auxiliaryFile"]
    assert all("meeting" not in item for item in meeting["agendaItem"])
    assert "meeting" not in meeting["invitation"]
    assert all("meeting" not in f for f in meeting["auxiliaryFile"])
    slides = [f for item in meeting["agendaItem"] for f in item.get("auxiliaryFile", [])]
    assert slides and all("agendaItem" not in f for f in slides)
    person = get(f"{BASE}person/{world.public['people'][1].pk}/")
    assert person["membership"] and all("person" not in m for m in person["membership"])
    # Fetched on their own, the objects name their parents.
    item = get(meeting["agendaItem"][0]["id"].replace("http://testserver", ""))
    assert item["meeting"] == meeting["id"]


def test_a_decision_paper_names_its_consultation(world: GovernanceWorld) -> None:
    """Papers had no Consultation: nothing linked a decision to the meeting that took it."""
    decision = world.public["decisions"][0]
    paper = get(f"{BASE}paper/decision/{decision.pk}/")
    (consultation,) = paper["consultation"]
    assert consultation["type"] == "https://schema.oparl.org/1.1/Consultation"
    assert "paper" not in consultation  # embedded: no back-reference
    assert consultation["meeting"].endswith(f"/meeting/{decision.meeting_id}/")
    assert consultation["role"] == "Beschlussfassung" and consultation["authoritative"] is True
    alone = get(consultation["id"].replace("http://testserver", ""))
    assert alone["paper"] == paper["id"] and alone["meeting"] == consultation["meeting"]
    hidden = world.hidden["decisions"][0]
    assert Client().get(f"{BASE}paper/decision/{hidden.pk}/consultation/").status_code == 404
