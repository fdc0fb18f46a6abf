"""Governance objects for the permission matrix (tests/core/test_permission_matrix.py).

One draft object per model, owned by own_org (the organisation running the body) in the
world's plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import models

from masterplan.core.models import Publication
from masterplan.directory.models import Organization, Person
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    BodyMembership,
    Decision,
    Document,
    DocumentKind,
    Meeting,
)
from masterplan.plans.models import Goal, Measure
from tests.governance.oparl_matrix import route_values as oparl_route_values

PDF = b"%PDF-1.4\n% Tagesordnung Lenkungskreis\n"


def objects(base: Any) -> dict[type[models.Model], models.Model]:
    plan = base.plan
    own_org = base.objects[Organization]
    person = base.objects[Person]
    draft = Publication.DRAFT
    body = Body.objects.create(
        masterplan=plan,
        name="Lenkungskreis Masterplan Industrie",
        short_name="LK",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
        chair=person,
        publication=draft,
    )
    membership = BodyMembership.objects.create(
        masterplan=plan, body=body, person=person, organization=own_org, publication=draft
    )
    meeting = Meeting.objects.create(
        masterplan=plan,
        body=body,
        title="Jahresauftakt des Lenkungskreises",
        start=datetime(2026, 1, 20, 9, 0, tzinfo=UTC),
        location_name="Rathaus Düsseldorf",
        street_address="Marktplatz 2",
        postal_code="40213",
        locality="Düsseldorf",
        publication=draft,
    )
    attendance = Attendance.objects.create(
        masterplan=plan, meeting=meeting, person=person, organization=own_org, publication=draft
    )
    item = AgendaItem.objects.create(
        masterplan=plan,
        meeting=meeting,
        position=1,
        number="1",
        title="Rückblick auf die erreichten Meilensteine",
        publication=draft,
    )
    item.goals.add(base.objects[Goal])
    item.measures.add(base.objects[Measure])
    decision = Decision.objects.create(
        masterplan=plan,
        meeting=meeting,
        agenda_item=item,
        reference="LK-2026-01",
        title="Kernzonen-Workshops fortsetzen",
        decided_on=date(2026, 1, 20),
        responsible_organization=own_org,
        publication=draft,
    )
    action = ActionItem.objects.create(
        masterplan=plan,
        decision=decision,
        meeting=meeting,
        title="Termine mit den Eigentümern abstimmen",
        owner_person=person,
        owner_organization=own_org,
        due=date(2026, 3, 31),
        publication=draft,
    )
    document = Document(
        masterplan=plan,
        meeting=meeting,
        kind=DocumentKind.INVITATION,
        name="Einladung Jahresauftakt",
        file_name="einladung.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        publication=draft,
    )
    document.file.save("einladung.pdf", ContentFile(PDF), save=False)
    document.save()
    return {
        Body: body,
        BodyMembership: membership,
        Meeting: meeting,
        Attendance: attendance,
        AgendaItem: item,
        Decision: decision,
        ActionItem: action,
        Document: document,
    }


def rsvp_token(world: Any) -> str:
    """The personal answer link of the world's person for the world's meeting."""
    from masterplan.governance.services import rsvp_token as token_of

    return token_of(world.objects[Meeting], world.objects[Person])


route_values: dict[str, Callable[[Any], str]] = {
    "year": lambda world: "2026",
    "month": lambda world: "1",
    "rsvp_token": rsvp_token,
}

# OParl object ids and the private feed's token (public samples, not drafts): see oparl_matrix.py.
route_values.update(oparl_route_values)
