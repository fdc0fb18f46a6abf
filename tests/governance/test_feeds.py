"""Calendar feeds, parsed back with icalendar: stable UIDs, SEQUENCE, cancellation, privacy."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from icalendar.parser import Contentline

from masterplan.core.models import Masterplan, PlanRole
from masterplan.governance import feeds
from masterplan.governance.feeds import PAST_DAYS
from masterplan.governance.models import Meeting, MeetingState
from masterplan.governance.services import feed_token_create, feed_token_revoke
from tests.clock import on_day
from tests.governance.factories import AgendaItemFactory, MeetingFactory
from tests.governance.oparl_world import GovernanceWorld, build, soft_delete

PLAN_FEED = "/p/duisburg/feeds/meetings.ics"

# Feeds hold the meetings of the last two years; the world's meetings are of early 2026, so the
# clock stands ten days before its year-opening meeting.
pytestmark = on_day(date(2026, 1, 10))


@pytest.fixture
def world(plan: Masterplan) -> GovernanceWorld:
    return build(plan)


def events(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@masterplan"


def test_public_feed_holds_public_meetings_only(world: GovernanceWorld) -> None:
    found = events(Client().get(PLAN_FEED))
    assert set(found) == {uid(m) for m in world.public["meetings"]}
    for hidden in world.hidden["meetings"]:
        assert uid(hidden) not in found


def test_a_coordinator_gets_the_same_public_feed(
    world: GovernanceWorld, client_as: Any, coordinator: Any
) -> None:
    found = events(client_as(coordinator).get(PLAN_FEED))
    assert set(found) == {uid(m) for m in world.public["meetings"]}


def test_an_event_has_time_zone_place_geo_link_and_status(world: GovernanceWorld) -> None:
    response = Client().get(PLAN_FEED)
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    opening = world.public["meetings"][0]
    event = events(response)[uid(opening)]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == opening.start
    assert event.decoded("DTEND") == opening.end
    assert str(event["SUMMARY"]) == "Jahresauftakt des Lenkungskreises"
    assert str(event["LOCATION"]) == "Rathaus Düsseldorf, Marktplatz 2, 40213 Düsseldorf"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (51.225402, 6.772457)
    assert str(event["URL"]) == f"http://testserver/p/duisburg/governance/meetings/{opening.pk}/"
    assert str(event["URL"]) in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Personalien" not in str(event["DESCRIPTION"])  # a non-public agenda item
    assert "Rückblick 2025" in str(event["DESCRIPTION"])
    assert "DTSTAMP" in event


def test_cancelled_meetings_stay_with_status_cancelled(world: GovernanceWorld) -> None:
    cancelled = world.public["meetings"][1]
    event = events(Client().get(PLAN_FEED))[uid(cancelled)]
    assert str(event["STATUS"]) == "CANCELLED"


def test_uid_stays_and_sequence_rises_when_the_meeting_moves(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    before = events(Client().get(PLAN_FEED))[uid(opening)]
    Meeting.objects.filter(pk=opening.pk).update(
        start=opening.start + timedelta(days=7),
        end=opening.end + timedelta(days=7),
        sequence=opening.sequence + 1,
        modified_at=timezone.now(),
    )
    after = events(Client().get(PLAN_FEED))[uid(opening)]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") - before.decoded("DTSTART") == timedelta(days=7)


def test_feeds_hold_the_meetings_of_the_last_two_years(world: GovernanceWorld) -> None:
    body = world.public["bodies"][0]
    now = timezone.now()
    within = MeetingFactory(body=body, start=now - timedelta(days=PAST_DAYS - 1))
    older = MeetingFactory(body=body, start=now - timedelta(days=PAST_DAYS + 1))
    found = events(Client().get(PLAN_FEED))
    assert uid(within) in found
    assert uid(older) not in found


def test_a_body_feed_holds_that_bodys_public_meetings(world: GovernanceWorld) -> None:
    steering, group = world.public["bodies"]
    found = events(Client().get(f"/p/duisburg/feeds/bodies/{group.pk}.ics"))
    assert set(found) == {uid(world.public["meetings"][1])}
    found = events(Client().get(f"/p/duisburg/feeds/bodies/{steering.pk}.ics"))
    assert set(found) == {uid(world.public["meetings"][0])}


def test_a_draft_body_has_no_public_feed(world: GovernanceWorld) -> None:
    draft = world.hidden["bodies"][0]
    response = Client().get(f"/p/duisburg/feeds/bodies/{draft.pk}.ics")
    assert response.status_code in (302, 404)


def test_private_feed_holds_non_public_meetings(world: GovernanceWorld, coordinator: Any) -> None:
    secret = feed_token_create(actor=coordinator, masterplan=world.plan).secret
    found = events(Client().get(f"/feeds/private/{secret}.ics"))
    closed = world.hidden["meetings"][0]
    assert uid(closed) in found
    assert str(found[uid(closed)]["CLASS"]) == "CONFIDENTIAL"
    assert set(found) >= {uid(m) for m in world.public["meetings"]}
    assert uid(world.public["deleted_meeting"]) not in found


def test_private_feed_of_one_body(world: GovernanceWorld, coordinator: Any) -> None:
    group = world.public["bodies"][1]
    secret = feed_token_create(actor=coordinator, masterplan=world.plan, body=group).secret
    found = events(Client().get(f"/feeds/private/{secret}.ics"))
    assert set(found) == {uid(world.public["meetings"][1])}


def test_a_revoked_token_answers_gone(world: GovernanceWorld, coordinator: Any) -> None:
    created = feed_token_create(actor=coordinator, masterplan=world.plan)
    feed_token_revoke(actor=coordinator, token=created.token)
    response = Client().get(f"/feeds/private/{created.secret}.ics")
    assert response.status_code == 410
    assert b"Vertrauliche" not in response.content


def test_an_unknown_token_answers_not_found(world: GovernanceWorld) -> None:
    assert Client().get("/feeds/private/erfunden.ics").status_code == 404


def test_a_token_closes_when_its_user_leaves_the_plan(world: GovernanceWorld, viewer: Any) -> None:
    secret = feed_token_create(actor=viewer, masterplan=world.plan).secret
    assert Client().get(f"/feeds/private/{secret}.ics").status_code == 200
    PlanRole.objects.filter(user=viewer).delete()
    assert Client().get(f"/feeds/private/{secret}.ics").status_code == 404


def test_etag_and_last_modified_give_304_until_something_changes(
    world: GovernanceWorld,
) -> None:
    first = Client().get(PLAN_FEED)
    etag, stamp = first["ETag"], first["Last-Modified"]
    again = Client().get(PLAN_FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert Client().get(PLAN_FEED, headers={"If-Modified-Since": stamp}).status_code == 304
    soft_delete(world.public["meetings"][1], timezone.now() + timedelta(seconds=2))
    changed = Client().get(PLAN_FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["Last-Modified"] != stamp


def test_cancelling_reaches_subscribers(world: GovernanceWorld) -> None:
    opening = world.public["meetings"][0]
    Meeting.objects.filter(pk=opening.pk).update(
        state=MeetingState.CANCELLED, sequence=opening.sequence + 1
    )
    event = events(Client().get(PLAN_FEED))[uid(opening)]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == opening.sequence + 1


def queries_for(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_feed_runs_a_constant_number_of_queries(world: GovernanceWorld) -> None:
    body = world.public["bodies"][0]

    def more(count: int) -> None:
        for n in range(count):
            meeting = MeetingFactory(body=body, title=f"Sitzung {n}")
            AgendaItemFactory(meeting=meeting, position=1, number="1")

    more(2)
    small = queries_for(PLAN_FEED)
    more(10)
    assert queries_for(PLAN_FEED) == small


@pytest.mark.parametrize("private", [False, True])
def test_the_feed_is_written_as_icalendar_writes_it(
    world: GovernanceWorld, private: bool, coordinator: Any
) -> None:
    """The fast writer gives the bytes of to_ical(): the events' properties in icalendar's
    order, texts escaped, long lines folded (umlauts counted in octets)."""
    scope = feeds.FeedScope(masterplan=world.plan, private_for=coordinator if private else None)
    meetings = scope.meetings()
    arguments: dict[str, Any] = {
        "name": "Masterplan Wirtschaft Düsseldorf – Sitzungen",
        "page_url": lambda meeting: f"https://masterplan.example/sitzungen/{meeting.pk}/",
        "private": private,
    }

    content = feeds.feed_bytes(meetings, **arguments)

    assert content == feeds.build_calendar(meetings, **arguments).to_ical()
    assert b"\r\n " in content  # some lines were folded
    assert b"BEGIN:VEVENT" in content


def test_events_with_awkward_texts_are_written_as_icalendar_writes_them(
    world: GovernanceWorld,
) -> None:
    """Commas, semicolons, backslashes, a literal \\N, line breaks of every kind, an empty
    place, no coordinates, a cancelled and a confidential meeting."""
    texts = ["Rat, Ausschuss; AG", "C:\\Pfad\\N", "Zeile 1\r\nZeile 2\nZeile 3\rEnde", "Ümläut 😀"]
    generator = random.Random(5)
    for meeting in Meeting.objects.filter(masterplan=world.plan).select_related("body"):
        meeting.title = generator.choice(texts) + meeting.title
        meeting.location_name = generator.choice([*texts, ""])
        meeting.street_address = generator.choice([*texts, ""])
        meeting.locality = generator.choice([*texts, ""])
        meeting.body.name = generator.choice(texts)
        if generator.random() < 0.5:
            meeting.latitude = meeting.longitude = None
        meeting.state = generator.choice([MeetingState.CANCELLED, meeting.state])
        meeting.feed_items = []  # type: ignore[attr-defined]
        for private in (False, True):
            page = f"https://masterplan.example/sitzungen/{meeting.pk}/"
            reference = feeds.meeting_event(meeting, page_url=page, private=private)
            expected = [line for line in reference.content_lines() if line]

            assert feeds.event_lines(meeting, page_url=page, private=private) == expected


def test_long_lines_are_folded_as_icalendar_folds_them() -> None:
    """Umlauts, emoji and escapes at every position of the 74-octet boundary."""
    generator = random.Random(10)
    alphabet = "Rathaus Düsseldorf, Tagesordnung; Rückblick\\^:€😀"
    for _ in range(3000):
        line = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 300)))
        assert feeds.fold(line.encode()) == Contentline(line).to_ical()
