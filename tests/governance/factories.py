"""Factories for governance objects (realistic names from the seeds)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import factory

from masterplan.core.models import Publication
from masterplan.governance.models import BodyKind, MeetingState


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Body"

    masterplan = factory.SubFactory("tests.factories.MasterplanFactory")
    name = factory.Sequence(lambda n: f"AG Flächen {n}")
    kind = BodyKind.WORKING_GROUP
    publication = Publication.PUBLISHED


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Meeting"

    body = factory.SubFactory(BodyFactory)
    masterplan = factory.SelfAttribute("body.masterplan")
    title = factory.Sequence(lambda n: f"Sitzung des Lenkungskreises {n}")
    start = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    location_name = "Rathaus Düsseldorf"
    street_address = "Marktplatz 2"
    postal_code = "40213"
    locality = "Düsseldorf"
    state = MeetingState.PLANNED
    is_public = True
    publication = Publication.PUBLISHED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    masterplan = factory.SelfAttribute("meeting.masterplan")
    parent = None
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.position))
    title = "Rückblick auf die erreichten Meilensteine"
    publication = Publication.PUBLISHED
    # What services.refresh_agenda stores: every item above is published, public and live.
    ancestors_public = factory.LazyAttribute(
        lambda o: (
            o.parent is None
            or (
                o.parent.ancestors_public
                and o.parent.is_public
                and o.parent.publication == Publication.PUBLISHED
                and o.parent.deleted_at is None
            )
        )
    )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Decision"

    meeting = factory.SubFactory(MeetingFactory)
    masterplan = factory.SelfAttribute("meeting.masterplan")
    reference = factory.Sequence(lambda n: f"LK-2026-{n + 1:02d}")
    title = "Kernzonen-Workshops fortsetzen"
    decided_on = date(2026, 1, 20)
    publication = Publication.PUBLISHED


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    masterplan = factory.SelfAttribute("meeting.masterplan")
    title = "Termine mit den Eigentümern abstimmen"
    due = date(2026, 3, 31)
    publication = Publication.PUBLISHED
