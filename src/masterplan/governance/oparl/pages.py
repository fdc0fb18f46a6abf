"""External lists: filtered, paginated by key (id), in a stable order.

A list is one or more sources (querysets of one model each, e.g. decisions then review
reports for papers), read in the order (source, id). A page is found by key, not by offset:
`after=<position>` continues behind the last object of the previous page and `before=`
goes back, so every page costs the same few queries however deep into the list it lies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from masterplan.governance.oparl.objects import JsonObject, Oparl, tombstone
from masterplan.governance.oparl.params import Cursor, ListParams

DATE_LOOKUPS = {
    "created_since": "created_at__gte",
    "created_until": "created_at__lte",
    "modified_since": "modified_at__gte",
    "modified_until": "modified_at__lte",
}


@dataclass(frozen=True)
class Source:
    """One model's part of a list: its public rows and how each becomes an OParl object."""

    rows: Callable[[bool], QuerySet[Any]]  # include_deleted -> queryset
    serialize: Callable[[Oparl, Any], JsonObject]
    url: Callable[[Oparl, Any], str]
    type_name: str
    serializes_deleted: bool = False  # serialize() itself marks deleted objects

    def render(self, o: Oparl, obj: Any) -> JsonObject:
        hidden = obj.deleted_at is not None or not getattr(obj, "oparl_public", True)
        if hidden and not self.serializes_deleted:
            return tombstone(self.url(o, obj), self.type_name, obj)
        return self.serialize(o, obj)


def filtered(source: Source, params: ListParams) -> QuerySet[Any]:
    """The source's rows that the list shows. A syncing client (`modified_since`) also gets
    tombstones of objects that stopped being public since: rows that are not public (any
    more) but existed before its `modified_since` and changed after it — the client may
    hold them from its last walk (oparl/queries.py)."""
    rows = source.rows(params.with_tombstones)
    annotations = rows.query.annotations
    if params.with_tombstones and "oparl_listed" in annotations:
        since = params.dates["modified_since"]
        rows = rows.filter(Q(oparl_listed=True) | Q(created_at__lt=since))
    lookups = {}
    for name, value in params.dates.items():
        lookup = DATE_LOOKUPS[name]
        if lookup.startswith("modified_at") and "oparl_modified" in annotations:
            lookup = lookup.replace("modified_at", "oparl_modified")
        lookups[lookup] = value
    return rows.filter(**lookups)


def read_forward(sources: list[Source], params: ListParams, start: Cursor | None) -> list[Any]:
    """Up to limit + 1 rows after `start` (the extra row tells whether there is a next page)."""
    wanted = params.limit + 1
    found: list[tuple[int, Any]] = []
    first = start.source if start else 0
    for index in range(first, len(sources)):
        rows = filtered(sources[index], params).order_by("pk")
        if start is not None and index == start.source:
            rows = rows.filter(pk__gt=start.pk)
        found += [(index, row) for row in rows[: wanted - len(found)]]
        if len(found) >= wanted:
            break
    return found


def read_backward(sources: list[Source], params: ListParams, end: Cursor) -> list[Any]:
    """Up to limit + 1 rows before `end`, nearest first."""
    wanted = params.limit + 1
    found: list[tuple[int, Any]] = []
    for index in range(end.source, -1, -1):
        rows = filtered(sources[index], params).order_by("-pk")
        if index == end.source:
            rows = rows.filter(pk__lt=end.pk)
        found += [(index, row) for row in rows[: wanted - len(found)]]
        if len(found) >= wanted:
            break
    return found


def list_page(o: Oparl, sources: list[Source], params: ListParams, self_url: str) -> JsonObject:
    """One page of an external list with `data`, `pagination` and `links`."""
    count = len(sources)

    def position(entry: tuple[int, Any]) -> str:
        return Cursor(entry[0], entry[1].pk).encode(count)

    if params.before is not None:
        found = read_backward(sources, params, params.before)
        has_previous = len(found) > params.limit
        entries = list(reversed(found[: params.limit]))
        has_next = True
    else:
        found = read_forward(sources, params, params.after)
        has_next = len(found) > params.limit
        entries = found[: params.limit]
        has_previous = params.after is not None
    links = {"first": self_url + params.query()}
    if has_previous and entries:
        links["prev"] = self_url + params.query(before=position(entries[0]))
    elif has_previous and params.after is not None:
        links["prev"] = self_url + params.query(before=params.after.encode(count))
    if has_next and entries:
        links["next"] = self_url + params.query(after=position(entries[-1]))
    cursor = {}
    if params.after is not None:
        cursor["after"] = params.after.encode(count)
    if params.before is not None:
        cursor["before"] = params.before.encode(count)
    links["self"] = self_url + params.query(**cursor)
    return {
        "data": [sources[index].render(o, row) for index, row in entries],
        "pagination": {"elementsPerPage": params.limit},
        "links": links,
    }
