"""iCalendar feeds (RFC 5545) of meetings: which meetings a feed holds, and the calendar text.

Each meeting is one VEVENT whose UID never changes (`meeting-<id>@masterplan`), so that a
calendar that subscribed updates the event instead of adding a second one. SEQUENCE is the
meeting's revision counter (services increase it whenever time, place, title or state
change) and a cancelled meeting stays in the feed with STATUS:CANCELLED, so that
subscribers see the cancellation. Times are given in Europe/Berlin with its VTIMEZONE.

Public feeds hold the public meetings only (the same rule as OParl: published, marked
public, of a published body). Private feeds, opened by a secret token, hold every meeting
the token's owner may see in the plan, public or not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, Timezone

from masterplan.core.models import Masterplan
from masterplan.governance.models import (
    AgendaItem,
    Body,
    FeedToken,
    Meeting,
    MeetingState,
)
from masterplan.governance.oparl.objects import agenda_order
from masterplan.governance.oparl.queries import without_own_deletion

BERLIN = ZoneInfo("Europe/Berlin")
UID_DOMAIN = "masterplan"  # independent of the host name, so UIDs survive a move
PRODID = "-//Masterplan//Sitzungskalender//DE"
DEFAULT_DURATION = timedelta(hours=2)  # when a meeting has no end time
PAST_DAYS = 730  # feeds hold meetings from two years ago onwards
REFRESH = "PT1H"
# Europe/Berlin since 1996 (EU summer time rules), as calendar programs expect it.
VTIMEZONE = Timezone.from_ical(
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


# --- which meetings -------------------------------------------------------------------------


class FeedItem(NamedTuple):
    """What an event's description shows of an agenda item."""

    pk: int
    number: str
    title: str


@dataclass(frozen=True)
class FeedScope:
    """The meetings of one feed: a plan, optionally one body, public or private."""

    masterplan: Masterplan
    body: Body | None = None
    private_for: Any = None  # the user of a private feed; None = public feed

    def condition(self, *, live: bool) -> Q:
        condition = Q(masterplan=self.masterplan, start__gte=timezone.now() - timedelta(PAST_DAYS))
        if self.body is not None:
            condition &= Q(body=self.body)
        if self.private_for is None:
            # Deleted meetings count for Last-Modified: their removal is a change too.
            public = Meeting.public_filter(self.masterplan)
            condition &= public if live else without_own_deletion(public)
        else:
            condition &= Meeting.visibility_filter(self.private_for, self.masterplan)
        return condition

    def items(self) -> QuerySet[AgendaItem]:
        """The agenda items the feed's reader may see (the public, or the token's owner)."""
        if self.private_for is None:
            return AgendaItem.objects.filter(AgendaItem.public_filter(self.masterplan))
        return AgendaItem.objects.visible_to(self.private_for, self.masterplan)

    def meetings(self) -> list[Meeting]:
        """The feed's meetings by start, each with `feed_items`, its agenda items the reader
        may see (number and title only: hundreds of meetings with thousands of items, read
        as tuples rather than as model instances)."""
        meetings = list(
            Meeting.objects.filter(self.condition(live=True))
            .select_related("body")
            .order_by("start", "id")
        )
        items: dict[int, list[FeedItem]] = {meeting.pk: [] for meeting in meetings}
        rows = (
            self.items()
            .filter(meeting_id__in=list(items))
            .order_by("number", "position", "id")
            .values_list("id", "meeting_id", "number", "title")
        )
        for pk, meeting_id, number, title in rows:
            items[meeting_id].append(FeedItem(pk, number, title))
        for meeting in meetings:
            meeting.feed_items = items[meeting.pk]  # type: ignore[attr-defined]
        return meetings

    def last_modified(self) -> datetime | None:
        """The latest change of any meeting of the feed, deleted ones included."""
        changed = Meeting.all_objects.filter(self.condition(live=False)).aggregate(
            last=Max("modified_at")
        )
        last: datetime | None = changed["last"]
        return last


# --- the calendar -----------------------------------------------------------------------------


def place(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.location_name, meeting.address) if part)


def description(meeting: Meeting, page_url: str) -> str:
    lines = [f"{meeting.body.name}", ""]
    items: list[FeedItem] = sorted(getattr(meeting, "feed_items", []), key=agenda_order)
    if items:
        lines.append(gettext("Agenda:"))
        lines += [f"{item.number} {item.title}".strip() for item in items]
        lines.append("")
    lines.append(gettext("Meeting page: %(url)s") % {"url": page_url})
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, page_url: str, private: bool = False) -> Event:
    start = meeting.start.astimezone(BERLIN)
    end = (meeting.end or meeting.start + DEFAULT_DURATION).astimezone(BERLIN)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.modified_at.astimezone(ZoneInfo("UTC")))
    event.add("created", meeting.created_at.astimezone(ZoneInfo("UTC")))
    event.add("last-modified", meeting.modified_at.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.title)
    event.add("sequence", meeting.sequence)
    cancelled = meeting.state == MeetingState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if place(meeting):
        event.add("location", place(meeting))
    if meeting.latitude is not None and meeting.longitude is not None:
        event.add("geo", (float(meeting.latitude), float(meeting.longitude)))
    event.add("url", page_url)
    event.add("description", description(meeting, page_url))
    event.add("categories", [meeting.body.name])
    if private and not meeting.is_publicly_visible:
        event.add("class", "CONFIDENTIAL")
    else:
        event.add("class", "PUBLIC")
    return event


def build_calendar(
    meetings: Iterable[Meeting], *, name: str, page_url: Callable[[Meeting], str], private: bool
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    calendar.add_component(VTIMEZONE)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, page_url=page_url(meeting), private=private))
    return calendar


FOLD_OCTETS = 74  # RFC 5545: at most 75 octets a line; icalendar writes 74


def fold(encoded: bytes) -> bytes:
    """A UTF-8 content line folded as icalendar's Contentline.to_ical() folds it: into the
    longest runs of whole characters of at most 74 octets, without ending a run on the
    backslash or caret of an escape; but on bytes, not character by character."""
    if len(encoded) <= FOLD_OCTETS:
        return encoded
    parts = []
    start = 0
    while len(encoded) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while encoded[end] & 0xC0 == 0x80:  # inside a character: fold before it
            end -= 1
        if end - start > 1 and encoded[end - 1] in b"\\^":
            end -= 1
        parts.append(encoded[start:end])
        start = end
    parts.append(encoded[start:])
    return b"\r\n ".join(parts)


def calendar_bytes(calendar: Calendar) -> bytes:
    """`calendar.to_ical()`, byte for byte, without icalendar's folding character by
    character (a third of a feed's time)."""
    lines = calendar.content_lines()
    return b"\r\n".join(fold(line.encode("utf-8")) for line in lines if line) + b"\r\n"


# --- the feed, written directly -----------------------------------------------------------------
#
# A feed has hundreds of events. icalendar builds each property as an object (a datetime's
# time zone is looked up for every one), which made up two thirds of a feed's time;
# `feed_bytes` writes the same lines itself. `meeting_event` and `build_calendar` stay the
# reference: the tests compare the two outputs byte for byte.


def ical_text(value: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545, 3.3.11), in the same order."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def ical_time(moment: datetime) -> str:
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


def ical_utc(moment: datetime) -> str:
    return ical_time(moment.astimezone(UTC)) + "Z"


def event_lines(meeting: Meeting, *, page_url: str, private: bool = False) -> list[str]:
    """The content lines of `meeting_event(...)`, unfolded, in icalendar's order: the
    canonical properties of a VEVENT first, then the others alphabetically."""
    start = meeting.start.astimezone(BERLIN)
    end = (meeting.end or meeting.start + DEFAULT_DURATION).astimezone(BERLIN)
    cancelled = meeting.state == MeetingState.CANCELLED
    confidential = private and not meeting.is_publicly_visible
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{ical_text(meeting.title)}",
        f"DTSTART;TZID=Europe/Berlin:{ical_time(start)}",
        f"DTEND;TZID=Europe/Berlin:{ical_time(end)}",
        f"DTSTAMP:{ical_utc(meeting.modified_at)}",
        f"UID:{ical_text(meeting_uid(meeting))}",
        f"SEQUENCE:{int(meeting.sequence)}",
        f"CATEGORIES:{ical_text(meeting.body.name)}",
        f"CLASS:{'CONFIDENTIAL' if confidential else 'PUBLIC'}",
        f"CREATED:{ical_utc(meeting.created_at)}",
        f"DESCRIPTION:{ical_text(description(meeting, page_url))}",
    ]
    if meeting.latitude is not None and meeting.longitude is not None:
        lines.append(f"GEO:{float(meeting.latitude)};{float(meeting.longitude)}")
    lines.append(f"LAST-MODIFIED:{ical_utc(meeting.modified_at)}")
    if place(meeting):
        lines.append(f"LOCATION:{ical_text(place(meeting))}")
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if cancelled else 'OPAQUE'}",
        f"URL:{page_url}",
        "END:VEVENT",
    ]
    return lines


def feed_bytes(
    meetings: Iterable[Meeting], *, name: str, page_url: Callable[[Meeting], str], private: bool
) -> bytes:
    """`build_calendar(...).to_ical()`, byte for byte: the calendar's head and time zone from
    icalendar, the events written by `event_lines`."""
    head = [
        line
        for line in build_calendar(
            [], name=name, page_url=page_url, private=private
        ).content_lines()
        if line
    ]
    closing = head.pop()  # END:VCALENDAR
    lines = head
    for meeting in meetings:
        lines += event_lines(meeting, page_url=page_url(meeting), private=private)
    lines.append(closing)
    return b"\r\n".join(fold(line.encode("utf-8")) for line in lines) + b"\r\n"


def content_tag(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


# --- private feed tokens ----------------------------------------------------------------------


def token_state(secret: str) -> str:
    """ "revoked" when the secret belongs to a revoked token, else "unknown"."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    revoked = FeedToken.objects.filter(token_hash=digest, revoked_at__isnull=False).exists()
    return "revoked" if revoked else "unknown"


# --- the invitation's calendar attachment -----------------------------------------------------


def invitation_calendar(
    meeting: Meeting, *, page_url: str, organizer: str, attendee: str, attendee_name: str
) -> bytes:
    """The meeting as an invitation to one member (METHOD:REQUEST, RFC 5546): the same event,
    UID and SEQUENCE as in the feeds, so the calendar entry follows later changes, with the
    sender as ORGANIZER and the member as ATTENDEE. The description lists
    `meeting.feed_items` (set by the caller)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    calendar.add_component(VTIMEZONE)
    event = meeting_event(meeting, page_url=page_url, private=True)
    event.add("organizer", f"mailto:{organizer}")
    event.add(
        "attendee",
        f"mailto:{attendee}",
        parameters={
            "CN": attendee_name,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",  # the answer goes through the links of the e-mail
        },
    )
    calendar.add_component(event)
    return calendar_bytes(calendar)
