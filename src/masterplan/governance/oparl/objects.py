"""OParl 1.1 objects built from the masterplan's data: one function per OParl type.

Mapping: a published masterplan is an OParl Body; its plan period the LegislativeTerm;
a governance Body an Organization; a directory Person (with consent) a Person; a
BodyMembership a Membership; a Meeting a Meeting and, when it names a place, a Location;
an AgendaItem an AgendaItem; a Decision and a review report (Document of kind report) a
Paper; every Document a File. Every object carries `id` (its absolute URL), `type`,
`created` and `modified`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.directory.models import Person
from masterplan.governance.models import (
    AgendaItem,
    Body,
    BodyMembership,
    Decision,
    DecisionKind,
    Document,
    DocumentKind,
    Meeting,
    MeetingState,
)

SCHEMA = "https://schema.oparl.org/1.1/"
BERLIN = ZoneInfo("Europe/Berlin")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SENTINEL_PK = 987654321  # reversed once, then replaced: cheaper than a reverse() per row
JsonObject = dict[str, Any]
# The values OParl recommends: scheduled, invited (until the minutes are approved), held.
MEETING_STATES: dict[str, str] = {
    MeetingState.PLANNED: "terminiert",
    MeetingState.INVITED: "eingeladen",
    MeetingState.HELD: "eingeladen",
    MeetingState.MINUTES_APPROVED: "durchgeführt",
    MeetingState.CANCELLED: "abgesagt",
}


def oparl_type(name: str) -> str:
    return f"{SCHEMA}{name}"


def moment(value: datetime) -> str:
    return value.astimezone(BERLIN).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def compact(values: JsonObject) -> JsonObject:
    """Leave out empty optional values: OParl says absent rather than null or ""."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def web_pattern(absolute: str, name: str, slug: str, fallback: str | None = None) -> str | None:
    """The absolute URL of a page of the site with `{pk}` in place of the object's id."""
    try:
        path = reverse(name, args=[slug, SENTINEL_PK])
    except NoReverseMatch:
        if fallback is None:
            return None
        path = fallback
    return absolute + path.replace(str(SENTINEL_PK), "{pk}")


@dataclass
class Oparl:
    """URLs of one OParl body (masterplan) and the output options of the request."""

    root: str  # absolute URL of /oparl/v1/
    site: str  # scheme and host, e.g. https://masterplan.example
    masterplan: Masterplan | None = None
    omit_internal: bool = False
    web_pages: dict[str, str | None] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        assert self.masterplan is not None
        return self.masterplan.slug

    def body_url(self, slug: str | None = None) -> str:
        return f"{self.root}body/{slug or self.slug}/"

    def url(self, kind: str, pk: int | None = None) -> str:
        return f"{self.body_url()}{kind}/" + ("" if pk is None else f"{pk}/")

    def web(self, name: str, pk: int, fallback: str | None = None) -> str | None:
        if name not in self.web_pages:
            self.web_pages[name] = web_pattern(self.site, name, self.slug, fallback)
        pattern = self.web_pages[name]
        return pattern.format(pk=pk) if pattern else None


def prefetched(obj: Any, name: str) -> list[Any]:
    """Related rows that oparl/queries.py prefetched into a list attribute."""
    return list(getattr(obj, name))


def stamps(obj: Any) -> JsonObject:
    """`modified` is the one `modified_since` filters on (oparl/queries.py: it moves with
    embedded children); an embedded object shows its own."""
    changed = getattr(obj, "oparl_modified", None) or obj.modified_at
    return {"created": moment(obj.created_at), "modified": moment(changed)}


def tombstone(url: str, type_name: str, obj: Any) -> JsonObject:
    """What is left of a deleted object: id, type, created, modified and `deleted: true`,
    plus the few properties the type's schema requires of every object (an AgendaItem's
    `order`, a File's `accessUrl`), which then carry no information."""
    values = {"id": url, "type": oparl_type(type_name), **stamps(obj), "deleted": True}
    if type_name == "AgendaItem":
        values["order"] = 0
    if type_name == "File":
        values["accessUrl"] = url + "download/"
    return values


# --- system and body (masterplan) -----------------------------------------------------------


def system(o: Oparl, *, created: datetime, modified: datetime, name: str) -> JsonObject:
    return {
        "id": o.root,
        "type": oparl_type("System"),
        "oparlVersion": SCHEMA,
        "name": name,
        "body": f"{o.root}bodies/",
        "website": o.site + "/",
        "license": LICENSE,
        "created": moment(created),
        "modified": moment(modified),
    }


def legislative_term(o: Oparl, masterplan: Masterplan) -> JsonObject:
    # Consumers read a term's start: without a signing date the plan runs from the day it
    # was set up on the platform.
    start = masterplan.signed_on or timezone.localtime(masterplan.created_at).date()
    end = date(masterplan.horizon, 12, 31) if masterplan.horizon else None
    return compact(
        {
            "id": o.url("legislative-term"),
            "type": oparl_type("LegislativeTerm"),
            "body": o.body_url(),
            "name": f"Laufzeit {masterplan.name}",
            "startDate": day(start),
            "endDate": day(end),
            **stamps(masterplan),
        }
    )


def body(o: Oparl, masterplan: Masterplan) -> JsonObject:
    return compact(
        {
            "id": o.body_url(),
            "type": oparl_type("Body"),
            "system": o.root,
            "name": masterplan.name,
            "shortName": masterplan.city,
            "ags": masterplan.ags,
            "website": o.site + masterplan.get_absolute_url(),
            "license": LICENSE,
            "organization": o.url("organizations"),
            "person": o.url("people"),
            "meeting": o.url("meetings"),
            "paper": o.url("papers"),
            "agendaItem": o.url("agenda-items"),
            "file": o.url("files"),
            "locationList": o.url("locations"),
            "legislativeTermList": o.url("legislative-terms"),
            "membership": o.url("memberships"),
            "classification": "Masterplan",
            "web": o.site + masterplan.get_absolute_url(),
            **stamps(masterplan),
        }
    ) | {"legislativeTerm": [legislative_term(o, masterplan)]}


# --- organisation, person, membership -------------------------------------------------------


def organization(o: Oparl, obj: Body) -> JsonObject:
    parent = obj.parent
    parent_public = parent is not None and parent.is_published
    return compact(
        {
            "id": o.url("organization", obj.pk),
            "type": oparl_type("Organization"),
            "body": o.body_url(),
            "name": obj.name,
            "shortName": obj.short_name,
            "membership": [o.url("membership", m.pk) for m in prefetched(obj, "oparl_memberships")],
            "meeting": o.url("organization", obj.pk) + "meetings/",
            "organizationType": "Gremium",
            "classification": obj.get_kind_display(),
            "subOrganizationOf": o.url("organization", obj.parent_id) if parent_public else None,
            "website": obj.website,
            "web": o.web("governance:body_detail", obj.pk),
            **stamps(obj),
        }
    )


def membership(o: Oparl, obj: BodyMembership) -> JsonObject:
    return compact(
        {
            "id": o.url("membership", obj.pk),
            "type": oparl_type("Membership"),
            "person": o.url("person", obj.person_id),
            "organization": o.url("organization", obj.body_id),
            "role": obj.get_role_display(),
            "votingRight": obj.voting_right,
            "startDate": day(obj.start),
            "endDate": day(obj.end),
            **stamps(obj),
        }
    )


def embedded(values: JsonObject, back_reference: str) -> JsonObject:
    """An object embedded in its parent leaves out the reference back to that parent
    (OParl 1.1: the parent is where the object stands); fetched on its own, the
    object carries it."""
    return {key: value for key, value in values.items() if key != back_reference}


def person(o: Oparl, obj: Person) -> JsonObject:
    values = {
        "id": o.url("person", obj.pk),
        "type": oparl_type("Person"),
        "body": o.body_url(),
        "name": obj.full_name,
        "familyName": obj.family_name,
        "givenName": obj.given_name,
        "title": [obj.title] if obj.title else [],
        # Published with the person's consent to be named as a contact.
        "email": [obj.email] if obj.email else [],
        "phone": [obj.phone] if obj.phone else [],
        "status": [obj.function] if obj.function else [],
        **stamps(obj),
    }
    if not o.omit_internal:
        values["membership"] = [
            embedded(membership(o, m), "person") for m in prefetched(obj, "oparl_memberships")
        ]
    return compact(values)


# --- meetings, places, agenda ---------------------------------------------------------------


def location(o: Oparl, meeting: Meeting) -> JsonObject:
    values: JsonObject = {
        "id": o.url("location", meeting.pk),
        "type": oparl_type("Location"),
        "description": meeting.location_name or meeting.address,
        "streetAddress": meeting.street_address,
        "postalCode": meeting.postal_code,
        "locality": meeting.locality,
        "meetings": [o.url("meeting", meeting.pk)],
        **stamps(meeting),
    }
    if meeting.latitude is not None and meeting.longitude is not None:
        # GeoJSON (RFC 7946): longitude first.
        values["geojson"] = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(meeting.longitude), float(meeting.latitude)],
            },
            "properties": {"name": meeting.location_name},
        }
    return compact(values)


def has_place(meeting: Meeting) -> bool:
    return bool(
        meeting.location_name
        or meeting.street_address
        or meeting.locality
        or meeting.latitude is not None
    )


def meeting(o: Oparl, obj: Meeting) -> JsonObject:
    values: JsonObject = {
        "id": o.url("meeting", obj.pk),
        "type": oparl_type("Meeting"),
        "name": obj.title,
        "meetingState": MEETING_STATES[obj.state],
        "cancelled": obj.state == MeetingState.CANCELLED,
        "start": moment(obj.start),
        "end": moment(obj.end) if obj.end else None,
        "organization": [o.url("organization", obj.body_id)],
        "participant": [
            o.url("person", a.person_id) for a in prefetched(obj, "oparl_participants")
        ],
        "web": o.web(
            "governance:meeting_detail",
            obj.pk,
            fallback=f"/p/{o.slug}/governance/meetings/{SENTINEL_PK}/",
        ),
        **stamps(obj),
    }
    if not o.omit_internal:
        documents = prefetched(obj, "oparl_files")
        by_kind = {kind: [d for d in documents if d.kind == kind] for kind in DocumentKind}
        if has_place(obj):
            values["location"] = location(o, obj)
        if by_kind[DocumentKind.INVITATION]:
            values["invitation"] = embedded(file(o, by_kind[DocumentKind.INVITATION][0]), "meeting")
        if by_kind[DocumentKind.MINUTES]:
            values["resultsProtocol"] = embedded(
                file(o, by_kind[DocumentKind.MINUTES][0]), "meeting"
            )
        values["auxiliaryFile"] = [
            embedded(file(o, d), "meeting")
            for d in documents
            if d.kind in (DocumentKind.ATTACHMENT, DocumentKind.REPORT) and d.agenda_item_id is None
        ]
        items = sorted(prefetched(obj, "oparl_items"), key=agenda_order)
        values["agendaItem"] = [
            embedded(agenda_item(o, item, order), "meeting") for order, item in enumerate(items)
        ]
    return compact(values)


class Numbered(Protocol):
    """An agenda item, or what a list reads of one (the calendar feed)."""

    @property
    def pk(self) -> Any: ...
    @property
    def number(self) -> str: ...


def agenda_order(item: Numbered) -> tuple[tuple[int, ...], int]:
    """Agenda order by number, numerically: 2 before 10, 3 before 3.1 before 4."""
    parts = tuple(int(part) if part.isdigit() else 0 for part in item.number.split("."))
    return parts, item.pk


def agenda_item(o: Oparl, obj: AgendaItem, order: int | None = None) -> JsonObject:
    """`order` is the item's place among the meeting's public items, counted from 0."""
    if order is None:
        siblings = sorted(prefetched(obj.meeting, "oparl_siblings"), key=agenda_order)
        order = [item.pk for item in siblings].index(obj.pk)
    values: JsonObject = {
        "id": o.url("agenda-item", obj.pk),
        "type": oparl_type("AgendaItem"),
        "meeting": o.url("meeting", obj.meeting_id),
        "number": obj.number,
        "order": order,
        "name": obj.title,
        "public": True,
        "result": obj.result,
        "resolutionText": "\n\n".join(
            "\n".join(part for part in (d.title, d.text) if part)
            for d in prefetched(obj, "oparl_decisions")
        ),
        **stamps(obj),
    }
    if not o.omit_internal:
        values["auxiliaryFile"] = [
            embedded(file(o, d), "agendaItem") for d in prefetched(obj, "oparl_files")
        ]
    return compact(values)


# --- papers and files -----------------------------------------------------------------------


def decision_paper(o: Oparl, obj: Decision) -> JsonObject:
    values: JsonObject = {
        "id": o.url("paper/decision", obj.pk),
        "type": oparl_type("Paper"),
        "body": o.body_url(),
        "name": obj.title,
        "reference": obj.reference,
        "date": day(obj.decided_on),
        # A decision by circulation is taken by its body without a meeting (no Meeting,
        # no AgendaItem): the paper names the body directly.
        "paperType": "Umlaufbeschluss" if obj.kind == DecisionKind.CIRCULATION else "Beschluss",
        "underDirectionOf": [o.url("organization", body_id)]
        if (body_id := obj.deciding_body_id)
        else [],
        **stamps(obj),
    }
    if not o.omit_internal:
        documents = prefetched(obj, "oparl_files")
        if documents:
            values["mainFile"] = embedded(file(o, documents[0]), "paper")
            values["auxiliaryFile"] = [embedded(file(o, d), "paper") for d in documents[1:]]
        values["consultation"] = [embedded(consultation(o, obj), "paper")]
    return compact(values)


def consultation(o: Oparl, obj: Decision) -> JsonObject:
    """How the paper was dealt with: decided by its body, in a meeting (at an agenda item) or
    by circulation. One per decision, at the decision paper's address + consultation/."""
    circulated = obj.kind == DecisionKind.CIRCULATION
    return compact(
        {
            "id": o.url("paper/decision", obj.pk) + "consultation/",
            "type": oparl_type("Consultation"),
            "paper": o.url("paper/decision", obj.pk),
            "meeting": o.url("meeting", obj.meeting_id) if obj.meeting_id else None,
            "agendaItem": o.url("agenda-item", obj.agenda_item_id) if obj.agenda_item_id else None,
            "organization": [o.url("organization", body_id)]
            if (body_id := obj.deciding_body_id)
            else [],
            "authoritative": True,
            "role": "Umlaufverfahren" if circulated else "Beschlussfassung",
            **stamps(obj),
        }
    )


def report_paper(o: Oparl, obj: Document) -> JsonObject:
    values: JsonObject = {
        "id": o.url("paper/report", obj.pk),
        "type": oparl_type("Paper"),
        "body": o.body_url(),
        "name": obj.name,
        "date": day(obj.period_end or obj.created_at.astimezone(BERLIN).date()),
        "paperType": "Bericht",
        "underDirectionOf": [o.url("organization", obj.meeting.body_id)] if obj.meeting else [],
        **stamps(obj),
    }
    if not o.omit_internal:
        values["mainFile"] = embedded(file(o, obj), "paper")
    return compact(values)


def file(o: Oparl, obj: Document) -> JsonObject:
    papers = []
    if obj.decision_id is not None:
        papers.append(o.url("paper/decision", obj.decision_id))
    if obj.kind == DocumentKind.REPORT:
        papers.append(o.url("paper/report", obj.pk))
    access = o.url("file", obj.pk) + "download/"
    return compact(
        {
            "id": o.url("file", obj.pk),
            "type": oparl_type("File"),
            "name": obj.name,
            "fileName": obj.file_name,
            "mimeType": obj.mime_type,
            "date": day(obj.created_at.astimezone(BERLIN).date()),
            "size": obj.size,
            "text": obj.text,
            "accessUrl": access,
            "downloadUrl": access + "?download=1",
            "meeting": [o.url("meeting", obj.meeting_id)] if obj.meeting_id else [],
            "agendaItem": [o.url("agenda-item", obj.agenda_item_id)] if obj.agenda_item_id else [],
            "paper": papers,
            **stamps(obj),
        }
    )
