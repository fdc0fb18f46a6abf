"""Synthetic governance data for benchmarks (`masterplan generate`), one masterplan at a time.

Per masterplan: a steering committee (Lenkungskreis), two steering groups, operational units
(working groups) under them, workshop series and a board; their members; about 1,000
meetings over six years (the steering committee meets a few times a year, the working groups
monthly) with about 10 agenda items each (state scale with 100 plans: 100,000 meetings and
1,000,000 agenda items), attendance, decisions with their implementation state, and action
items. Meetings in the past were held (most with approved minutes), a few were cancelled,
future ones are planned or invited. Written with bulk inserts, no services and no audit
trail; every row is sample data. Deterministic for a given random generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from masterplan.core.models import Masterplan, Publication
from masterplan.core.synthetic import register_content
from masterplan.governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyMembership,
    Decision,
    Document,
    FeedToken,
    ImplementationState,
    Meeting,
    MeetingState,
    MembershipRole,
    VoteKind,
)

MEETINGS_PER_PLAN = 1000
PAST_YEARS = 5
PUBLISHED_SHARE = 0.97


@dataclass(frozen=True)
class BodyPlan:
    name: str
    short_name: str
    kind: str
    meetings_weight: float  # relative number of meetings
    public_share: float  # share of its meetings open to the public
    parent: int | None = None  # index of the parent body in BODIES


BODIES = (
    BodyPlan("Lenkungskreis Masterplan", "LK", BodyKind.STEERING_COMMITTEE, 4, 0.9),
    BodyPlan("Steuerungsgruppe Flächen und Infrastruktur", "SG-F", BodyKind.STEERING_GROUP, 6, 0.5),
    BodyPlan("Steuerungsgruppe Innovation und Fachkräfte", "SG-I", BodyKind.STEERING_GROUP, 6, 0.5),
    BodyPlan("AG Industrielle Kernzonen", "AG-K", BodyKind.WORKING_GROUP, 12, 0.3, 1),
    BodyPlan("AG Strategisches Flächenmanagement", "AG-F", BodyKind.WORKING_GROUP, 12, 0.3, 1),
    BodyPlan("AG Schnellere Genehmigungsverfahren", "AG-G", BodyKind.WORKING_GROUP, 12, 0.3, 1),
    BodyPlan("AG Start-ups und Innovation", "AG-S", BodyKind.WORKING_GROUP, 12, 0.3, 2),
    BodyPlan("AG Fachkräfte und Ausbildung", "AG-A", BodyKind.WORKING_GROUP, 12, 0.3, 2),
    BodyPlan("AG Klimaschutz in der Industrie", "AG-C", BodyKind.WORKING_GROUP, 12, 0.3, 2),
    BodyPlan("Workshopreihe Kernzonen", "WS-K", BodyKind.WORKSHOP_SERIES, 6, 1.0, 3),
    BodyPlan(
        "Business beim Brötchen – der Wirtschaftsdialog", "BBB", BodyKind.WORKSHOP_SERIES, 8, 1.0
    ),
    BodyPlan("Vorstand Wirtschaft für den Standort e. V.", "VS", BodyKind.BOARD, 6, 0.0),
)
AGENDA = (
    "Begrüßung und Feststellung der Tagesordnung",
    "Genehmigung des Protokolls der letzten Sitzung",
    "Bericht aus den operativen Einheiten",
    "Sachstand der Maßnahmen mit Status rot oder gelb",
    "Rückblick und Ausblick: erreichte Meilensteine",
    "Beschlussfassung",
    "Verschiedenes",
    "Termine und nächste Sitzung",
)
SUB_ITEMS = {  # top-level position -> its sub-item
    3: "Kernzone Reisholz: Ergebnisse des Workshops",
    6: "Beschlussvorlage zur Fortschreibung des Masterplans",
}
ITEMS_PER_MEETING = len(AGENDA) + len(SUB_ITEMS)  # 10
CONFIDENTIAL = {6}  # "Beschlussfassung" is often held in camera
DECISIONS = (
    "Workshopreihe Kernzonen fortsetzen",
    "Lotsenstelle für Genehmigungsverfahren einrichten",
    "Flächenbörse für produzierendes Gewerbe starten",
    "Gründerstammtisch ins Programm aufnehmen",
    "Energieeffizienz-Netzwerk der Mitgliedsunternehmen ausweiten",
    "Entwicklungsleitlinie Kernzone verabschieden",
    "Ausbildungsbörse gemeinsam mit der IHK ausrichten",
)
ACTIONS = (
    "Termine mit den Eigentümern abstimmen",
    "Entwurf der Entwicklungsleitlinie vorlegen",
    "Ansprechpartner in den Unternehmen benennen",
    "Kosten und Finanzierung klären",
    "Ergebnisse im Lenkungskreis berichten",
)
# Town halls with coordinates (WGS 84) where the synthetic plan's city has one listed here.
TOWN_HALLS = {
    "Düsseldorf": ("Marktplatz 2", "40213", Decimal("51.225402"), Decimal("6.772457")),
    "Duisburg": ("Burgplatz 19", "47051", Decimal("51.435917"), Decimal("6.762512")),
    "Essen": ("Porscheplatz 1", "45127", Decimal("51.457963"), Decimal("7.014580")),
    "Köln": ("Rathausplatz 2", "50667", Decimal("50.938056"), Decimal("6.958889")),
    "Dortmund": ("Friedensplatz 1", "44135", Decimal("51.511770"), Decimal("7.466740")),
}


def moment(day: date, hour: int) -> datetime:
    # Stored in UTC; 9:00 or 14:00 in Germany is 8:00/13:00 UTC in winter (good enough here).
    return datetime.combine(day, time(hour - 1), tzinfo=UTC)


def meeting_state(rng: random.Random, start: date, today: date) -> str:
    if rng.random() < 0.03:
        return MeetingState.CANCELLED
    if start >= today:
        return MeetingState.INVITED if (start - today).days < 21 else MeetingState.PLANNED
    if (today - start).days < 30 and rng.random() < 0.5:
        return MeetingState.HELD
    return MeetingState.MINUTES_APPROVED if rng.random() < 0.9 else MeetingState.HELD


def published(rng: random.Random) -> str:
    return Publication.PUBLISHED if rng.random() < PUBLISHED_SHARE else Publication.DRAFT


def write_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    person_ids: list[int],
    rng: random.Random,
    today: date,
    batch_size: int,
    size: float = 1.0,
) -> dict[str, int]:
    """Bulk-write one plan's governance; call inside the transaction that created the plan.

    `size` scales the number of meetings (MEETINGS_PER_PLAN at 1.0).
    """
    meetings = max(1, round(MEETINGS_PER_PLAN * size))
    sample: dict[str, Any] = {"masterplan": masterplan, "is_sample": True}
    bodies: list[Body] = []
    for spec in BODIES:
        body = Body(
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            purpose=f"{spec.name} im {masterplan.name}",
            organization_id=rng.choice(organization_ids),
            chair_id=rng.choice(person_ids),
            parent=bodies[spec.parent] if spec.parent is not None else None,
            publication=Publication.PUBLISHED,
            **sample,
        )
        Body.objects.bulk_create([body])  # one by one: children need their parent's id
        bodies.append(body)
    members: dict[int, list[int]] = {}
    memberships = []
    for body in bodies:
        people = rng.sample(person_ids, min(len(person_ids), rng.randint(6, 14)))
        members[body.pk] = people
        for position, person_id in enumerate(people):
            role = MembershipRole.CHAIR if position == 0 else MembershipRole.MEMBER
            if position == 1:
                role = MembershipRole.DEPUTY
            memberships.append(
                BodyMembership(
                    body=body,
                    person_id=person_id,
                    organization_id=rng.choice(organization_ids),
                    role=role,
                    voting_right=role != MembershipRole.GUEST,
                    start=today - timedelta(days=rng.randint(200, 2500)),
                    publication=Publication.PUBLISHED,
                    **sample,
                )
            )
    BodyMembership.objects.bulk_create(memberships, batch_size=batch_size)

    street, postcode, latitude, longitude = TOWN_HALLS.get(
        masterplan.city, ("Rathausplatz 1", "", None, None)
    )
    weights = [spec.meetings_weight for spec in BODIES]
    first_day = today - timedelta(days=365 * PAST_YEARS)
    span = (today + timedelta(days=365) - first_day).days
    meeting_rows: list[Meeting] = []
    for _ in range(meetings):
        index = rng.choices(range(len(BODIES)), weights=weights)[0]
        day = first_day + timedelta(days=rng.randrange(span))
        start = moment(day, rng.choice((9, 10, 14, 16)))
        state = meeting_state(rng, day, today)
        created = start - timedelta(days=rng.randint(14, 60))
        in_town_hall = index == 0 or rng.random() < 0.3
        meeting_rows.append(
            Meeting(
                body=bodies[index],
                title=f"{rng.randint(1, 60)}. Sitzung {BODIES[index].short_name}"
                if BODIES[index].kind != BodyKind.WORKSHOP_SERIES
                else f"{BODIES[index].name}: Termin {day:%m/%Y}",
                start=start,
                end=start + timedelta(hours=rng.choice((1, 2, 2, 3))),
                location_name=f"Rathaus {masterplan.city}" if in_town_hall else "IHK, Saal 2",
                street_address=street if in_town_hall else "Ernst-Schneider-Platz 1",
                postal_code=postcode,
                locality=masterplan.city,
                latitude=latitude if in_town_hall else None,
                longitude=longitude if in_town_hall else None,
                state=state,
                is_public=rng.random() < BODIES[index].public_share,
                invitation_text="Zur Sitzung laden wir herzlich ein.",
                minutes_text="Protokoll liegt vor."
                if state == MeetingState.MINUTES_APPROVED
                else "",
                minutes_approved_on=day + timedelta(days=21)
                if state == MeetingState.MINUTES_APPROVED
                else None,
                sequence=rng.choice((0, 0, 0, 1, 2)),
                publication=published(rng),
                created_at=created,
                modified_at=max(created, start + timedelta(days=rng.randint(-7, 28))),
                **sample,
            )
        )
    meeting_rows.sort(key=lambda m: m.start)  # ids follow the calendar, as in real use
    Meeting.objects.bulk_create(meeting_rows, batch_size=batch_size)

    top_items: list[AgendaItem] = []
    for meeting in meeting_rows:
        for position, title in enumerate(AGENDA, start=1):
            top_items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    number=str(position),
                    title=title,
                    is_public=not (position in CONFIDENTIAL and rng.random() < 0.3),
                    ancestors_public=True,  # nothing above a top-level item
                    result="Zur Kenntnis genommen." if meeting.state in PAST_STATES else "",
                    publication=meeting.publication,
                    created_at=meeting.created_at,
                    modified_at=meeting.modified_at,
                    **sample,
                )
            )
    AgendaItem.objects.bulk_create(top_items, batch_size=batch_size)
    sub_items = [
        AgendaItem(
            meeting=parent.meeting,
            parent=parent,
            position=1,
            number=f"{parent.position}.1",
            title=SUB_ITEMS[parent.position],
            is_public=parent.is_public,
            publication=parent.publication,
            # What services.refresh_agenda would store: the parent is the only item above.
            ancestors_public=parent.is_public and parent.publication == Publication.PUBLISHED,
            created_at=parent.created_at,
            modified_at=parent.modified_at,
            **sample,
        )
        for parent in top_items
        if parent.position in SUB_ITEMS
    ]
    AgendaItem.objects.bulk_create(sub_items, batch_size=batch_size)

    held = [m for m in meeting_rows if m.state in PAST_STATES]
    attendances = []
    for meeting in held:
        for person_id in members[meeting.body_id]:
            status = rng.choices(
                (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT),
                weights=(8, 2, 1),
            )[0]
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person_id=person_id,
                    status=status,
                    publication=Publication.PUBLISHED,
                    **sample,
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=batch_size)

    decision_items = {item.meeting_id: item for item in top_items if item.position == 6}
    decisions: list[Decision] = []
    candidates: list[list[int]] = []  # per decision: the members who may own its actions
    for meeting in held:
        for _ in range(rng.choice((0, 1, 1, 2))):
            decided = meeting.start.date()
            age = (today - decided).days
            implementation = rng.choices(
                list(ImplementationState),
                weights=(max(1, 400 - age), 3, max(1, age // 2), 1),
            )[0]
            by_vote = rng.random() < 0.2
            voters = len(members[meeting.body_id])
            yes = rng.randint(voters // 2 + 1, voters) if by_vote else None
            candidates.append(members[meeting.body_id])
            decisions.append(
                Decision(
                    meeting=meeting,
                    agenda_item=decision_items[meeting.pk],
                    reference=f"{BODIES[0].short_name}-{decided.year}-{len(decisions) + 1:04d}",
                    title=rng.choice(DECISIONS),
                    text="Der Beschluss wird wie vorgelegt gefasst.",
                    decided_on=decided,
                    vote_kind=VoteKind.VOTE if by_vote else VoteKind.CONSENSUS,
                    votes_yes=yes,
                    votes_no=(voters - yes) // 2 if yes is not None else None,
                    votes_abstain=voters - yes - (voters - yes) // 2 if yes is not None else None,
                    implementation_state=implementation,
                    implementation_changed_on=decided + timedelta(days=rng.randint(1, max(2, age)))
                    if implementation != ImplementationState.OPEN
                    else None,
                    responsible_organization_id=rng.choice(organization_ids),
                    due=decided + timedelta(days=rng.randint(60, 365)),
                    is_public=meeting.is_public and rng.random() < 0.9,
                    publication=meeting.publication,
                    created_at=meeting.start,
                    modified_at=meeting.modified_at,
                    **sample,
                )
            )
    Decision.objects.bulk_create(decisions, batch_size=batch_size)

    actions = []
    for decision, owners in zip(decisions, candidates, strict=True):
        for _ in range(rng.randint(1, 2)):
            due = decision.decided_on + timedelta(days=rng.randint(14, 180))
            closed = decision.implementation_state == ImplementationState.DONE or (
                due < today and rng.random() < 0.7
            )
            actions.append(
                ActionItem(
                    decision=decision,
                    meeting_id=decision.meeting_id,
                    agenda_item_id=decision.agenda_item_id,
                    title=rng.choice(ACTIONS),
                    owner_person_id=rng.choice(owners),
                    owner_organization_id=decision.responsible_organization_id,
                    due=due,
                    status=ActionStatus.DONE if closed else rng.choice(OPEN_ACTIONS),
                    completed_on=min(due, today) if closed else None,
                    publication=decision.publication,
                    **sample,
                )
            )
    ActionItem.objects.bulk_create(actions, batch_size=batch_size)
    return {
        "bodies": len(bodies),
        "body memberships": len(memberships),
        "meetings": len(meeting_rows),
        "agenda items": len(top_items) + len(sub_items),
        "attendances": len(attendances),
        "decisions": len(decisions),
        "action items": len(actions),
    }


PAST_STATES = (MeetingState.HELD, MeetingState.MINUTES_APPROVED)
OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def delete_content(masterplan: Masterplan) -> None:
    """Everything write_content wrote (and whatever else governance holds for the plan)."""
    Body.all_objects.filter(masterplan=masterplan).update(parent=None)
    for model in (
        ActionItem,
        Document,
        Decision,
        Attendance,
        AgendaItem,
        Meeting,
        BodyMembership,
    ):
        model.all_objects.filter(masterplan=masterplan).delete()
    FeedToken.objects.filter(masterplan=masterplan).delete()
    Body.all_objects.filter(masterplan=masterplan).delete()


register_content("governance", write=write_content, delete=delete_content)
