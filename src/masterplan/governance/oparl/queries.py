"""What OParl may show: the public part of a masterplan's governance, as querysets.

OParl is anonymous. An object appears only when it is published, marked public where the
model has that flag, and everything it hangs on (body, meeting, parent agenda item) is public
and not deleted too. People appear only when published and with consent to be published.

`include_deleted` adds the object's own soft-deleted rows, which the lists show as
tombstones to clients that ask with `modified_since`. A deleted parent hides its children
(they are not shown as tombstones of their own).

Related objects are prefetched into plain lists (`to_attr="oparl_…"`): with a filtered
Prefetch and no to_attr, Django builds a queryset per parent row, which costs more than
the queries themselves on a page of 100 meetings.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Person
from masterplan.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    Meeting,
    approved_minutes_q,
)

PUBLISHED = Publication.PUBLISHED


def published_here(prefix: str = "") -> Q:
    return Q(**{f"{prefix}publication": PUBLISHED, f"{prefix}deleted_at__isnull": True})


def public_body(prefix: str = "") -> Q:
    return published_here(prefix)


def public_person(prefix: str = "") -> Q:
    return published_here(prefix) & Q(**{f"{prefix}consent_to_publish": True})


def public_meeting(prefix: str = "") -> Q:
    return (
        published_here(prefix) & Q(**{f"{prefix}is_public": True}) & public_body(f"{prefix}body__")
    )


def public_agenda_item(prefix: str = "") -> Q:
    parent = f"{prefix}parent__"
    return (
        published_here(prefix)
        & Q(**{f"{prefix}is_public": True})
        & public_meeting(f"{prefix}meeting__")
        & (
            Q(**{f"{prefix}parent__isnull": True})
            | (published_here(parent) & Q(**{f"{parent}is_public": True}))
        )
    )


def optional(prefix: str, condition: Q) -> Q:
    """The link is empty, or points to something public."""
    return Q(**{f"{prefix}isnull": True}) | condition


def public_decision(prefix: str = "") -> Q:
    return (
        published_here(prefix)
        & Q(**{f"{prefix}is_public": True})
        & optional(f"{prefix}meeting__", public_meeting(f"{prefix}meeting__"))
        & optional(f"{prefix}agenda_item__", public_agenda_item(f"{prefix}agenda_item__"))
    )


def public_document(prefix: str = "") -> Q:
    return (
        published_here(prefix)
        & Q(**{f"{prefix}is_public": True})
        & optional(f"{prefix}meeting__", public_meeting(f"{prefix}meeting__"))
        & optional(f"{prefix}agenda_item__", public_agenda_item(f"{prefix}agenda_item__"))
        & optional(f"{prefix}decision__", public_decision(f"{prefix}decision__"))
        & approved_minutes_q(prefix)
    )


def without_own_deletion(condition: Q) -> Q:
    """The same condition, but the object's own `deleted_at` may be set (tombstones)."""
    children = [
        without_own_deletion(child) if isinstance(child, Q) else child
        for child in condition.children
        if child != ("deleted_at__isnull", True)
    ]
    result = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return result


def rows(model: Any, condition: Q, masterplan: Masterplan, include_deleted: bool) -> QuerySet[Any]:
    if include_deleted:
        return model.all_objects.filter(without_own_deletion(condition), masterplan=masterplan)
    return model.objects.filter(condition, masterplan=masterplan)


def published_masterplans(include_deleted: bool = False) -> QuerySet[Masterplan]:
    if include_deleted:
        return Masterplan.all_objects.filter(publication=PUBLISHED)
    return Masterplan.objects.filter(publication=PUBLISHED, deleted_at__isnull=True)


def public_files() -> Prefetch[Any]:
    return Prefetch(
        "documents",
        queryset=Document.objects.filter(public_document()).order_by("pk"),
        to_attr="oparl_files",
    )


def public_decisions() -> Prefetch[Any]:
    """An agenda item's public decisions (their text is the item's resolutionText)."""
    return Prefetch(
        "decisions",
        queryset=Decision.objects.filter(public_decision()).order_by("pk"),
        to_attr="oparl_decisions",
    )


def bodies(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Body]:
    memberships = BodyMembership.objects.filter(public_membership()).only("id", "body_id")
    return (
        rows(Body, public_body(), masterplan, include_deleted)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=memberships.order_by("pk"), to_attr="oparl_memberships"
            )
        )
    )


def people(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Person]:
    memberships = BodyMembership.objects.filter(public_membership())
    return rows(Person, public_person(), masterplan, include_deleted).prefetch_related(
        Prefetch(
            "body_memberships", queryset=memberships.order_by("pk"), to_attr="oparl_memberships"
        )
    )


def public_membership(prefix: str = "") -> Q:
    return (
        published_here(prefix) & public_body(f"{prefix}body__") & public_person(f"{prefix}person__")
    )


def memberships(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[BodyMembership]:
    return rows(BodyMembership, public_membership(), masterplan, include_deleted)


def meetings(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Meeting]:
    items = AgendaItem.objects.filter(public_agenda_item()).prefetch_related(
        public_files(), public_decisions()
    )
    participants = Attendance.objects.filter(
        public_person("person__"), status=AttendanceStatus.PRESENT
    ).only("id", "meeting_id", "person_id")
    # One call per kind of prefetched row, so that each Prefetch keeps its own type.
    return (
        rows(Meeting, public_meeting(), masterplan, include_deleted)
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=items.order_by("number", "position", "id"),
                to_attr="oparl_items",
            )
        )
        .prefetch_related(
            Prefetch(
                "attendances", queryset=participants.order_by("pk"), to_attr="oparl_participants"
            )
        )
        .prefetch_related(public_files())
    )


def locations(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Meeting]:
    """Meetings that name a place: each is one OParl Location."""
    named = ~Q(location_name="") | ~Q(street_address="") | ~Q(locality="")
    placed = named | Q(latitude__isnull=False)
    return rows(Meeting, public_meeting() & placed, masterplan, include_deleted)


def agenda_items(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[AgendaItem]:
    """Public agenda items, with the public items of their meeting (for `order`)."""
    siblings = AgendaItem.objects.filter(public_agenda_item()).only("id", "number", "meeting_id")
    return (
        rows(AgendaItem, public_agenda_item(), masterplan, include_deleted)
        .select_related("meeting")
        .prefetch_related(
            public_files(),
            public_decisions(),
            Prefetch("meeting__agenda_items", queryset=siblings, to_attr="oparl_siblings"),
        )
    )


def decisions(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Decision]:
    return (
        rows(Decision, public_decision(), masterplan, include_deleted)
        .select_related("meeting")
        .prefetch_related(public_files())
    )


def reports(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Document]:
    """Review reports: each is an OParl Paper whose main file is the report itself."""
    return rows(
        Document, public_document() & Q(kind=DocumentKind.REPORT), masterplan, include_deleted
    ).select_related("meeting")


def files(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Document]:
    return rows(Document, public_document(), masterplan, include_deleted)
