"""What OParl may show: the public part of a masterplan's governance, as querysets.

OParl is anonymous. An object appears only when it is published, marked public where the
model has that flag, and everything it hangs on (body, meeting, every agenda item above it,
decision) is public and not deleted too: for meetings, agenda items, decisions and files the
models' own `public_filter`, which every other channel reads as well. People appear only
when published and with consent to be published.

`include_deleted` (clients that sync with `modified_since`) reads every row of the
masterplan instead, annotated with `oparl_public` (shown in full) and `oparl_listed` (public,
or deleted itself with everything above it public). The lists show a row that is not public
as a tombstone when it was listed, or when it existed before the client's `modified_since`
and changed since (it, or what it hangs on: it may have stopped being public, oparl/pages.py).
A tombstone carries id, type, created, modified and `deleted: true`, never content.

`oparl_modified` is the `modified` that OParl shows and `modified_since` filters on: the
newest of the row's own `modified_at`, of the records embedded in it or listed by it
(AgendaItem and File in Meeting, Membership in Person and Organization, File in Paper), and
of the records it hangs on (whose change may hide it). So a change of an embedded child
moves its parent, and a parent's deletion moves its children's tombstones.

Related objects are prefetched into plain lists (`to_attr="oparl_…"`): with a filtered
Prefetch and no to_attr, Django builds a queryset per parent row, which costs more than
the queries themselves on a page of 100 meetings.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest

from masterplan.core.models import Masterplan, PlanScopedModel, Publication
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
)

PUBLISHED = Publication.PUBLISHED

P = TypeVar("P", bound=PlanScopedModel)
Stamp = Combinable | str  # an expression, or the path of a `modified_at`


def published_here(prefix: str = "") -> Q:
    return Q(**{f"{prefix}publication": PUBLISHED, f"{prefix}deleted_at__isnull": True})


def public_body(prefix: str = "") -> Q:
    return published_here(prefix)


def public_person(prefix: str = "") -> Q:
    return published_here(prefix) & Q(**{f"{prefix}consent_to_publish": True})


# Meetings, agenda items, decisions and documents: the models' own rule (`public_filter`,
# governance/models.py), the same the pages, the REST API and the calendar feeds read, which
# follows every record above (parent items, meeting, body, plan).


def public_meeting(masterplan: Masterplan, prefix: str = "") -> Q:
    return Meeting.public_filter(masterplan, prefix)


def public_agenda_item(masterplan: Masterplan, prefix: str = "") -> Q:
    return AgendaItem.public_filter(masterplan, prefix)


def public_decision(masterplan: Masterplan, prefix: str = "") -> Q:
    return Decision.public_filter(masterplan, prefix)


def public_document(masterplan: Masterplan, prefix: str = "") -> Q:
    return Document.public_filter(masterplan, prefix)


def without_own_deletion(condition: Q) -> Q:
    """The same condition, but the object's own `deleted_at` may be set (tombstones)."""
    children = [
        without_own_deletion(child) if isinstance(child, Q) else child
        for child in condition.children
        if child != ("deleted_at__isnull", True)
    ]
    result = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return result


def newest(model: type[PlanScopedModel], link: str, *stamps: str, outer: str = "pk") -> Combinable:
    """The newest `modified_at` (or other stamps) of the rows of `model` whose `link` is
    this row, deleted ones included; NULL when there are none."""
    fields = ["modified_at", *stamps]
    stamp = Greatest(*[F(name) for name in fields]) if len(fields) > 1 else F("modified_at")
    return Subquery(
        model.all_objects.filter(**{link: OuterRef(outer)})
        .annotate(oparl_stamp=stamp)
        .order_by("-oparl_stamp")
        .values("oparl_stamp")[:1],
        output_field=DateTimeField(),
    )


def modified(*parts: Stamp) -> Combinable:
    """The newest of the row's own `modified_at` and `parts` (NULL parts count as none)."""
    own = F("modified_at")
    if not parts:
        return own
    values = [Coalesce(F(p) if isinstance(p, str) else p, own) for p in parts]
    return Greatest(own, *values)


def flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def rows(
    model: type[P],
    condition: Q,
    masterplan: Masterplan,
    include_deleted: bool,
    *,
    scope: Q | None = None,
    changed: tuple[Stamp, ...] = (),
) -> QuerySet[P]:
    """The public rows of `model` (`condition`) or, with `include_deleted`, all its rows in
    `scope`, annotated as the module's docstring says."""
    scope = scope or Q()
    queryset: QuerySet[Any]
    if include_deleted:
        queryset = model.all_objects.filter(scope, masterplan=masterplan).annotate(
            oparl_public=flag(condition), oparl_listed=flag(without_own_deletion(condition))
        )
    else:
        queryset = model.objects.filter(condition, scope, masterplan=masterplan)
    # `objects` is declared on the abstract base, so mypy types it for PlanScopedModel.
    return cast("QuerySet[P]", queryset.annotate(oparl_modified=modified(*changed)))


def published_masterplans(include_deleted: bool = False) -> QuerySet[Masterplan]:
    if include_deleted:
        return Masterplan.all_objects.filter(publication=PUBLISHED)
    return Masterplan.objects.filter(publication=PUBLISHED, deleted_at__isnull=True)


def public_files(masterplan: Masterplan) -> Prefetch[Any]:
    return Prefetch(
        "documents",
        queryset=Document.objects.filter(public_document(masterplan)).order_by("pk"),
        to_attr="oparl_files",
    )


def public_decisions(masterplan: Masterplan) -> Prefetch[Any]:
    """An agenda item's public decisions (their text is the item's resolutionText)."""
    return Prefetch(
        "decisions",
        queryset=Decision.objects.filter(public_decision(masterplan)).order_by("pk"),
        to_attr="oparl_decisions",
    )


def bodies(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Body]:
    memberships = BodyMembership.objects.filter(public_membership()).only("id", "body_id")
    return (
        rows(
            Body,
            public_body(),
            masterplan,
            include_deleted,
            changed=(
                "parent__modified_at",
                newest(BodyMembership, "body", "person__modified_at"),
            ),
        )
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=memberships.order_by("pk"), to_attr="oparl_memberships"
            )
        )
    )


def people(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Person]:
    memberships = BodyMembership.objects.filter(public_membership())
    return rows(
        Person,
        public_person(),
        masterplan,
        include_deleted,
        changed=(newest(BodyMembership, "person", "body__modified_at"),),
    ).prefetch_related(
        Prefetch(
            "body_memberships", queryset=memberships.order_by("pk"), to_attr="oparl_memberships"
        )
    )


def public_membership(prefix: str = "") -> Q:
    return (
        published_here(prefix) & public_body(f"{prefix}body__") & public_person(f"{prefix}person__")
    )


def memberships(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[BodyMembership]:
    return rows(
        BodyMembership,
        public_membership(),
        masterplan,
        include_deleted,
        changed=("body__modified_at", "person__modified_at"),
    )


def meeting_changes() -> tuple[Stamp, ...]:
    """What a Meeting (and its Location) shows: its body, its public agenda items with
    their files and decisions, its files and its participants."""
    return (
        "body__modified_at",
        newest(AgendaItem, "meeting"),
        newest(Document, "meeting"),
        newest(Decision, "meeting"),
        newest(Attendance, "meeting", "person__modified_at"),
    )


def meetings(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Meeting]:
    items = AgendaItem.objects.filter(public_agenda_item(masterplan)).prefetch_related(
        public_files(masterplan), public_decisions(masterplan)
    )
    participants = Attendance.objects.filter(
        public_person("person__"), status=AttendanceStatus.PRESENT
    ).only("id", "meeting_id", "person_id")
    # One call per kind of prefetched row, so that each Prefetch keeps its own type.
    return (
        rows(
            Meeting,
            public_meeting(masterplan),
            masterplan,
            include_deleted,
            changed=meeting_changes(),
        )
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
        .prefetch_related(public_files(masterplan))
    )


def locations(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Meeting]:
    """Meetings that name a place: each is one OParl Location."""
    named = ~Q(location_name="") | ~Q(street_address="") | ~Q(locality="")
    placed = named | Q(latitude__isnull=False)
    return rows(
        Meeting,
        public_meeting(masterplan),
        masterplan,
        include_deleted,
        scope=placed,
        changed=meeting_changes(),
    )


def agenda_items(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[AgendaItem]:
    """Public agenda items, with the public items of their meeting (for `order`)."""
    public = public_agenda_item(masterplan)
    siblings = AgendaItem.objects.filter(public).only("id", "number", "meeting_id")
    return (
        rows(
            AgendaItem,
            public,
            masterplan,
            include_deleted,
            changed=(
                "meeting__modified_at",
                "meeting__body__modified_at",
                "parent__modified_at",
                # The item's `order` counts the public items of its meeting.
                newest(AgendaItem, "meeting", outer="meeting"),
                newest(Document, "agenda_item"),
                newest(Decision, "agenda_item"),
            ),
        )
        .select_related("meeting")
        .prefetch_related(
            public_files(masterplan),
            public_decisions(masterplan),
            Prefetch("meeting__agenda_items", queryset=siblings, to_attr="oparl_siblings"),
        )
    )


def decisions(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Decision]:
    return (
        rows(
            Decision,
            public_decision(masterplan),
            masterplan,
            include_deleted,
            changed=(
                "meeting__modified_at",
                "meeting__body__modified_at",
                "agenda_item__modified_at",
                newest(Document, "decision"),
            ),
        )
        .select_related("meeting")
        .prefetch_related(public_files(masterplan))
    )


def document_changes() -> tuple[Stamp, ...]:
    return (
        "meeting__modified_at",
        "meeting__body__modified_at",
        "agenda_item__modified_at",
        "decision__modified_at",
        "decision__agenda_item__modified_at",
        "decision__meeting__modified_at",
    )


def reports(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Document]:
    """Review reports: each is an OParl Paper whose main file is the report itself."""
    return rows(
        Document,
        public_document(masterplan),
        masterplan,
        include_deleted,
        scope=Q(kind=DocumentKind.REPORT),
        changed=document_changes(),
    ).select_related("meeting")


def files(masterplan: Masterplan, include_deleted: bool = False) -> QuerySet[Document]:
    return rows(
        Document,
        public_document(masterplan),
        masterplan,
        include_deleted,
        changed=document_changes(),
    )
