"""The query parameters every OParl external list accepts (OParl 1.1, section "Filter").

`created_since`, `created_until`, `modified_since`, `modified_until` (ISO 8601 date-times),
`omit_internal` (leave embedded objects out), `limit` (page size) and our page cursors
`after` / `before`. A bad value is refused with a message naming the parameter and the
value, never with a server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
# A space where a "+" of a time-zone offset was left unencoded in the query string.
UNENCODED_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class BadParameter(ValueError):
    """A list parameter that cannot be understood; the message says which and why."""


@dataclass(frozen=True)
class Cursor:
    """A position in a list ordered by (source, id): the page starts after or ends before it."""

    source: int
    pk: int

    def encode(self, sources: int) -> str:
        return str(self.pk) if sources == 1 else f"{self.source}-{self.pk}"


@dataclass(frozen=True)
class ListParams:
    dates: dict[str, datetime] = field(default_factory=dict)
    raw_dates: dict[str, str] = field(default_factory=dict)
    omit_internal: bool = False
    limit: int = DEFAULT_LIMIT
    after: Cursor | None = None
    before: Cursor | None = None

    @property
    def with_tombstones(self) -> bool:
        """Deleted objects are listed (as tombstones) only to clients that sync by date."""
        return "modified_since" in self.dates

    def query(self, **cursor: str) -> str:
        """The query string of a link to another page of the same filtered list."""
        values: dict[str, Any] = dict(self.raw_dates)
        if self.omit_internal:
            values["omit_internal"] = "true"
        if self.limit != DEFAULT_LIMIT:
            values["limit"] = self.limit
        values.update(cursor)
        return "?" + urlencode(values) if values else ""


def restore_plus(value: str) -> str:
    return UNENCODED_PLUS.sub(r"\1+\2", value.strip())


def parse_moment(name: str, value: str) -> datetime:
    """An ISO 8601 date-time (a date alone means its midnight), in Europe/Berlin if naive."""
    text = restore_plus(value)
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time.min) if day is not None else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(
            f"{name}: {value!r} is not an ISO 8601 date-time such as 2026-01-31T09:00:00+01:00."
        )
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise BadParameter(f"{name}: {value!r} lies outside the years 1 to 9999.") from error


def parse_cursor(name: str, value: str, sources: int) -> Cursor:
    source, _sep, pk = value.rpartition("-") if sources > 1 else ("0", "", value)
    if source.isdigit() and pk.isdigit() and int(source) < sources:
        return Cursor(int(source), int(pk))
    raise BadParameter(f"{name}: {value!r} is not a position in this list.")


def parse_flag(name: str, value: str) -> bool:
    if value.lower() in ("", "1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise BadParameter(f"{name}: {value!r} is neither true nor false.")


def parse_limit(value: str) -> int:
    if value.isdigit() and 1 <= int(value) <= MAX_LIMIT:
        return int(value)
    raise BadParameter(f"limit: {value!r} is not a whole number from 1 to {MAX_LIMIT}.")


def parse_list_params(request_query: QueryDict, *, sources: int = 1) -> ListParams:
    """Read the list parameters; raises BadParameter with a message for the client."""
    query = {name: str(request_query.get(name, "")) for name in request_query}
    dates = {name: parse_moment(name, query[name]) for name in DATE_FILTERS if name in query}
    if "after" in query and "before" in query:
        raise BadParameter("after and before: give one position, not both.")
    return ListParams(
        dates=dates,
        raw_dates={name: restore_plus(query[name]) for name in DATE_FILTERS if name in query},
        omit_internal=parse_flag("omit_internal", query["omit_internal"])
        if "omit_internal" in query
        else False,
        limit=parse_limit(query["limit"]) if "limit" in query else DEFAULT_LIMIT,
        after=parse_cursor("after", query["after"], sources) if "after" in query else None,
        before=parse_cursor("before", query["before"], sources) if "before" in query else None,
    )
