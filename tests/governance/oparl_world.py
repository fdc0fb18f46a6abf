"""A masterplan with public and non-public governance data, for the OParl and feed tests.

Düsseldorf-style: the Lenkungskreis (public, with a public year-opening meeting in the town
hall) and its working group; next to them everything the public must never see: a draft
body, a non-public meeting, a draft meeting, a non-public agenda item (and a public sub-item
under it), a person without consent, a draft person, non-public documents and decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Person
from masterplan.governance.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    Meeting,
    MeetingState,
    MembershipRole,
)
from tests.factories import PersonFactory
from tests.governance.factories import (
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

DRAFT = Publication.DRAFT
PDF = b"%PDF-1.4\n% Masterplan Industrie\n"


@dataclass
class GovernanceWorld:
    plan: Masterplan
    public: dict[str, Any] = field(default_factory=dict)
    hidden: dict[str, Any] = field(default_factory=dict)


def document(meeting: Meeting | None, kind: str, name: str, **extra: Any) -> Document:
    masterplan = extra.pop("masterplan", None) or meeting.masterplan  # type: ignore[union-attr]
    doc = Document(
        masterplan=masterplan,
        meeting=meeting,
        kind=kind,
        name=name,
        file_name=f"{name}.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        sha256="a" * 64,
        **{"publication": Publication.PUBLISHED, "is_public": True, **extra},
    )
    doc.file.save(f"{name}.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def soft_delete(obj: Any, when: datetime | None = None) -> None:
    moment = when or timezone.now()
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=moment, modified_at=moment)
    obj.refresh_from_db()


def build(plan: Masterplan) -> GovernanceWorld:
    plan.signed_on = date(2017, 11, 8)
    plan.horizon = 2030
    plan.save()
    w = GovernanceWorld(plan=plan)
    chair = PersonFactory(
        masterplan=plan,
        given_name="Stephan",
        family_name="Keller",
        title="Dr.",
        function="Oberbürgermeister",
        email="ob@duesseldorf.de",
        consent_to_publish=True,
    )
    ihk = PersonFactory(
        masterplan=plan, given_name="Gregor", family_name="Berghausen", consent_to_publish=True
    )
    shy = PersonFactory(masterplan=plan, given_name="Petra", family_name="Ohne-Zustimmung")
    draft_person = PersonFactory(
        masterplan=plan,
        given_name="Jan",
        family_name="Entwurf",
        consent_to_publish=True,
        publication=DRAFT,
    )
    steering = BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Industrie",
        short_name="LK",
        kind=BodyKind.STEERING_COMMITTEE,
        chair=chair,
    )
    group = BodyFactory(masterplan=plan, name="AG Kernzonen", parent=steering)
    draft_body = BodyFactory(masterplan=plan, name="AG in Gründung", publication=DRAFT)
    memberships = [
        BodyMembership.objects.create(
            masterplan=plan,
            body=steering,
            person=chair,
            role=MembershipRole.CHAIR,
            publication=Publication.PUBLISHED,
            start=date(2017, 11, 8),
        ),
        BodyMembership.objects.create(
            masterplan=plan, body=steering, person=ihk, publication=Publication.PUBLISHED
        ),
    ]
    hidden_memberships = [
        BodyMembership.objects.create(
            masterplan=plan, body=steering, person=shy, publication=Publication.PUBLISHED
        ),
        BodyMembership.objects.create(
            masterplan=plan, body=draft_body, person=ihk, publication=Publication.PUBLISHED
        ),
    ]
    opening = MeetingFactory(
        body=steering,
        title="Jahresauftakt des Lenkungskreises",
        start=datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        end=datetime(2026, 1, 20, 11, 0, tzinfo=UTC),
        latitude=Decimal("51.225402"),
        longitude=Decimal("6.772457"),
        state=MeetingState.INVITED,
    )
    cancelled = MeetingFactory(
        body=group,
        title="Workshop Kernzone Reisholz",
        start=datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
        location_name="",
        street_address="",
        postal_code="",
        locality="",
        state=MeetingState.CANCELLED,
    )
    closed = MeetingFactory(body=steering, title="Vertrauliche Sitzung", is_public=False)
    draft_meeting = MeetingFactory(body=steering, title="Sitzung in Planung", publication=DRAFT)
    of_draft_body = MeetingFactory(body=draft_body, title="Gründungstreffen")
    gone = MeetingFactory(body=steering, title="Abgesagte Doppelung")
    items = [
        AgendaItemFactory(meeting=opening, position=1, number="1", title="Rückblick 2025"),
        AgendaItemFactory(meeting=opening, position=2, number="2", title="Ausblick 2026"),
    ]
    secret_item = AgendaItemFactory(
        meeting=opening, position=3, number="3", title="Personalien", is_public=False
    )
    secret_child = AgendaItemFactory(
        meeting=opening, position=1, number="3.1", title="Nachfolge", parent=secret_item
    )
    closed_item = AgendaItemFactory(meeting=closed, position=1, number="1", title="Haushalt")
    draft_item = AgendaItemFactory(
        meeting=opening, position=4, number="4", title="Entwurf", publication=DRAFT
    )
    decision = DecisionFactory(
        meeting=opening, agenda_item=items[1], title="Kernzonen-Workshops fortsetzen"
    )
    secret_decision = DecisionFactory(meeting=opening, title="Vertraulich", is_public=False)
    closed_decision = DecisionFactory(meeting=closed, title="Haushaltsansatz")
    Attendance.objects.create(masterplan=plan, meeting=opening, person=chair)
    Attendance.objects.create(masterplan=plan, meeting=opening, person=shy)
    files = [
        document(opening, DocumentKind.INVITATION, "Einladung Jahresauftakt"),
        document(
            opening,
            DocumentKind.REPORT,
            "Rückblick und Ausblick 2025",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
        ),
        document(opening, DocumentKind.ATTACHMENT, "Beschlussvorlage", decision=decision),
        document(opening, DocumentKind.ATTACHMENT, "Folien TOP 1", agenda_item=items[0]),
    ]
    hidden_files = [
        document(opening, DocumentKind.ATTACHMENT, "Interne Notiz", is_public=False),
        document(closed, DocumentKind.MINUTES, "Protokoll vertraulich"),
        # Minutes of a public meeting whose minutes are not approved yet (it is only invited).
        document(opening, DocumentKind.MINUTES, "Protokoll Jahresauftakt"),
        document(opening, DocumentKind.ATTACHMENT, "Zu TOP 3", agenda_item=secret_item),
    ]
    soft_delete(gone, timezone.now() - timedelta(minutes=1))
    w.public = {
        "bodies": [steering, group],
        "people": [chair, ihk],
        "memberships": memberships,
        "meetings": [opening, cancelled],
        "agenda_items": items,
        "decisions": [decision],
        "files": files,
        "reports": [files[1]],
        "locations": [opening],
        "deleted_meeting": gone,
    }
    w.hidden = {
        "bodies": [draft_body],
        "people": [shy, draft_person],
        "memberships": hidden_memberships,
        "meetings": [closed, draft_meeting, of_draft_body, gone],
        "agenda_items": [secret_item, secret_child, closed_item, draft_item],
        "decisions": [secret_decision, closed_decision],
        "files": hidden_files,
    }
    return w


__all__ = [
    "AgendaItem",
    "Body",
    "Decision",
    "GovernanceWorld",
    "Person",
    "build",
    "document",
    "soft_delete",
]
