"""Demo governance data for the two seed plans, written through the services (audited).

Düsseldorf (seed 000): the Steuerungskreis of the Masterplan Industrie — city with the
Oberbürgermeister, IHK, Industriekreis, the council committees for economy and for planning,
the DGB and companies — meets at the start of the year in the town hall (Rathaus Düsseldorf,
Marktplatz 2): review of the milestones reached, outlook on core-zone workshops, strategic
land management and industrial acceptance. The core-zone workshops form a workshop series.

Duisburg (seed 002): "responsible leads who set the direction, steering committees as
sparring partners for decisions at the top, and operational units that do the specialist
work" — the initiators as responsible leads, a Lenkungskreis, one steering group per field of
action with the operational units of its measures below it; and the general assembly of
Wirtschaft für Duisburg that sealed the partnership with startport.

People named in the seeds keep their public roles; everyone else (committee members, union
and company representatives, secretaries) is invented and marked as sample data. Dates of
invented meetings count from `today`, so there are always upcoming and past meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from masterplan.core.actors import Actor
from masterplan.core.demo import DUESSELDORF, DUISBURG, DemoContext, register_demo
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.demo import organizations_by_external_id
from masterplan.directory.models import Organization, Person
from masterplan.directory.services import affiliation_create, person_create
from masterplan.governance import agenda, services
from masterplan.governance.models import (
    AgendaItem,
    Body,
    BodyKind,
    Meeting,
    MeetingState,
    MembershipRole,
)
from masterplan.land.models import CoreZone
from masterplan.plans.models import FieldOfAction, Goal, Measure

PUBLISHED = Publication.PUBLISHED
DRAFT = Publication.DRAFT

RATHAUS = {
    "location_name": "Rathaus Düsseldorf, Plenarsaal",
    "street_address": "Marktplatz 2",
    "postal_code": "40213",
    "locality": "Düsseldorf",
    "latitude": Decimal("51.225900"),
    "longitude": Decimal("6.771600"),
}
HAUS_DER_UNTERNEHMER = {
    "location_name": "Haus der Unternehmer",
    "street_address": "Düsseldorfer Landstraße 7",
    "postal_code": "47249",
    "locality": "Duisburg",
    "latitude": Decimal("51.386400"),
    "longitude": Decimal("6.766600"),
}
DUISBURG_RATHAUS = {
    "location_name": "Rathaus Duisburg",
    "street_address": "Burgplatz 19",
    "postal_code": "47051",
    "locality": "Duisburg",
    "latitude": Decimal("51.435800"),
    "longitude": Decimal("6.762300"),
}


@dataclass
class Writer:
    actor: Actor
    masterplan: Masterplan
    organizations: dict[str, Organization]
    today: date
    people: dict[str, Person] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.people = {p.family_name: p for p in Person.objects.filter(masterplan=self.masterplan)}

    def at(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def org(self, key: str) -> Organization:
        return self.organizations[key]

    def person(
        self, given: str, family: str, function: str, organization: str, *, sample: bool = True
    ) -> Person:
        """A person of the seeds (by family name) or an invented one (sample data)."""
        if family in self.people:
            return self.people[family]
        person = person_create(
            actor=self.actor,
            masterplan=self.masterplan,
            given_name=given,
            family_name=family,
            function=function,
            is_sample=sample,
            publication=DRAFT,  # invented people stay out of public pages
            external_id=f"{self.masterplan.slug.upper()}-P-{family.upper()}",
        )
        affiliation_create(
            actor=self.actor,
            person=person,
            organization=self.org(organization),
            role=function,
            is_sample=sample,
            publication=DRAFT,
        )
        self.people[family] = person
        return person

    def body(self, name: str, kind: str, **fields: Any) -> Body:
        """The body of this name (created by the plans demo as an operational unit) or a new
        one; its kind and details are set either way."""
        existing = Body.objects.filter(masterplan=self.masterplan, name=name).first()
        if existing is None:
            return services.body_create(
                actor=self.actor,
                masterplan=self.masterplan,
                name=name,
                kind=kind,
                publication=PUBLISHED,
                **fields,
            )
        return services.body_update(
            actor=self.actor, body=existing, version=existing.version, kind=kind, **fields
        )

    def members(self, body: Body, rows: list[tuple[Person, str, str, bool]]) -> None:
        for person, organization, role, voting in rows:
            services.membership_create(
                actor=self.actor,
                body=body,
                person=person,
                organization=self.org(organization),
                role=role,
                voting_right=voting,
                start=date(2020, 1, 1),
                publication=PUBLISHED if not person.is_sample else DRAFT,
                is_sample=person.is_sample,
            )

    def meeting(
        self, body: Body, title: str, day: date, place: dict[str, Any], **fields: Any
    ) -> Meeting:
        hour = fields.pop("hour", 10)
        return services.meeting_create(
            actor=self.actor,
            body=body,
            title=title,
            start=self.at(day, hour),
            end=self.at(day, hour + 2),
            is_public=fields.pop("is_public", True),
            publication=fields.pop("publication", PUBLISHED),
            is_sample=fields.pop("is_sample", True),
            **place,
            **fields,
        )

    def agenda(
        self,
        meeting: Meeting,
        items: list[tuple[str, str, list[str], bool, list[tuple[str, str, list[str]]]]],
    ) -> dict[str, AgendaItem]:
        """(title, result, measure ids, public, sub-items (title, result, measure ids))."""
        made: dict[str, AgendaItem] = {}
        for title, result, measure_ids, public, children in items:
            parent = services.agenda_item_create(
                actor=self.actor,
                meeting=meeting,
                title=title,
                result=result,
                is_public=public,
                measures=self.measures(measure_ids),
                publication=meeting.publication,
            )
            made[title] = parent
            for child_title, child_result, child_measures in children:
                made[child_title] = services.agenda_item_create(
                    actor=self.actor,
                    meeting=meeting,
                    parent=parent,
                    title=child_title,
                    result=child_result,
                    is_public=public,
                    measures=self.measures(child_measures),
                    publication=meeting.publication,
                )
        return made

    def measures(self, ids: list[str]) -> list[Measure]:
        return list(Measure.objects.filter(masterplan=self.masterplan, external_id__in=ids))

    def attend(self, meeting: Meeting, absent: tuple[str, ...] = ()) -> None:
        """Everyone who was a member on the day attends, except those named (excused)."""
        services.attendance_from_members(actor=self.actor, meeting=meeting)
        for entry in meeting.attendances.select_related("person"):
            if entry.person.family_name in absent:
                services.attendance_update(
                    actor=self.actor, attendance=entry, version=entry.version, status="excused"
                )

    def advance(
        self, meeting: Meeting, *states: str, minutes: str = "", approved: date | None = None
    ) -> Meeting:
        meeting = Meeting.objects.get(pk=meeting.pk)  # the current version
        for state in states:
            if state == MeetingState.MINUTES_APPROVED and minutes:
                meeting = services.meeting_update(
                    actor=self.actor, meeting=meeting, version=meeting.version, minutes_text=minutes
                )
            meeting = services.meeting_transition(
                actor=self.actor,
                meeting=meeting,
                version=meeting.version,
                state=state,
                minutes_approved_on=approved,
            )
        return meeting

    def decision(
        self, meeting: Meeting, item: AgendaItem | None, reference: str, title: str, **fields: Any
    ) -> Any:
        state = fields.pop("state", None)
        evidence = fields.pop("evidence", "")
        changed = fields.pop("changed_on", None)
        decision = services.decision_create(
            actor=self.actor,
            meeting=meeting,
            agenda_item=item,
            reference=reference,
            title=title,
            publication=meeting.publication,
            is_sample=fields.pop("is_sample", True),
            **fields,
        )
        if state:
            decision = services.decision_set_implementation(
                actor=self.actor,
                decision=decision,
                version=decision.version,
                state=state,
                evidence=evidence,
                on=changed,
            )
        return decision

    def action(
        self,
        decision: Any,
        title: str,
        owner: Person | None,
        organization: str,
        due: date,
        **fields: Any,
    ) -> Any:
        status = fields.pop("status", None)
        item = services.action_item_create(
            actor=self.actor,
            decision=decision,
            title=title,
            owner_person=owner,
            owner_organization=self.org(organization),
            due=due,
            publication=PUBLISHED,
            is_sample=True,
            **fields,
        )
        if status:
            item = services.action_item_set_status(
                actor=self.actor,
                item=item,
                version=item.version,
                status=status,
                evidence=fields.get("evidence", "Erledigt laut Protokoll."),
            )
        return item


def year_opening(today: date) -> date:
    """The most recent steering meeting "zum Jahresauftakt" (as in the plans demo)."""
    kickoff = date(today.year, 1, 20)
    return kickoff if kickoff <= today else date(today.year - 1, 1, 20)


def next_weekday(day: date, weekday: int = 1) -> date:
    """The first given weekday (0 = Monday) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def load_duesseldorf(w: Writer) -> None:
    today = w.today
    kickoff = year_opening(today)
    keller, schmitz, kleine = w.people["Keller"], w.people["Schmitz"], w.people["Kleine"]
    committee_economy = w.person("Sabine", "Hoffmann", "Vorsitzende", "DUS-AWI")
    committee_planning = w.person("Markus", "Lehnen", "Vorsitzender", "DUS-APS")
    union = w.person("Claudia", "Bergmann", "Regionsgeschäftsführerin", "DUS-DGB")
    company = w.person("Thomas", "Reuter", "Werkleiter", "DUESSELDORF-SAMPLE-01")
    secretary = w.person(
        "Julia", "Wenders", "Wirtschaftsförderung, Geschäftsstelle MPI", "DUS-STADT"
    )
    land = w.person("Stefan", "Kamp", "Stadtplanungsamt", "DUS-STADT")

    steering = w.body(
        "Steuerungskreis Masterplan Industrie",
        BodyKind.STEERING_COMMITTEE,
        short_name="MPI-Steuerungskreis",
        organization=w.org("DUS-STADT"),
        chair=keller,
        purpose=(
            "Sicherung und Weiterentwicklung des Industriestandortes Düsseldorf in "
            "vertrauensvoller Zusammenarbeit von Stadt und Industrie: Rückblick auf die "
            "erreichten Meilensteine und Ausblick auf die kommenden Tätigkeiten."
        ),
    )
    w.members(
        steering,
        [
            (keller, "DUS-STADT", MembershipRole.CHAIR, True),
            (schmitz, "DUS-IHK", MembershipRole.MEMBER, True),
            (kleine, "DUS-IKD", MembershipRole.MEMBER, True),
            (committee_economy, "DUS-AWI", MembershipRole.MEMBER, True),
            (committee_planning, "DUS-APS", MembershipRole.MEMBER, True),
            (union, "DUS-DGB", MembershipRole.MEMBER, True),
            (company, "DUESSELDORF-SAMPLE-01", MembershipRole.MEMBER, True),
            (secretary, "DUS-STADT", MembershipRole.SECRETARY, False),
        ],
    )
    # The operational units named on measures work for the steering committee.
    for unit in Body.objects.filter(masterplan=w.masterplan, kind=BodyKind.WORKING_GROUP):
        lead = (
            Measure.objects.filter(operational_body=unit)
            .values_list("lead_organization_id", flat=True)
            .first()
        )
        services.body_update(
            actor=w.actor, body=unit, version=unit.version, parent=steering, organization=lead
        )
    workshops = w.body(
        "Kernzonen-Workshops",
        BodyKind.WORKSHOP_SERIES,
        parent=steering,
        organization=w.org("DUS-STADT"),
        chair=land,
        purpose=(
            "Workshops zu einzelnen Kernzonen legen mit den ansässigen Unternehmen die "
            "Grundlagen, Gewerbe- und Industriegebiete weiter zu qualifizieren und "
            "Entwicklungsleitlinien festzulegen."
        ),
    )
    w.members(
        workshops,
        [
            (land, "DUS-STADT", MembershipRole.CHAIR, True),
            (company, "DUESSELDORF-SAMPLE-01", MembershipRole.GUEST, False),
        ],
    )

    # The year-opening meeting in the town hall (seed 000).
    opening = w.meeting(
        steering,
        "Treffen des Steuerungskreises zum Jahresauftakt",
        kickoff,
        RATHAUS,
        is_sample=False,
        invitation_text=(
            "Oberbürgermeister Dr. Stephan Keller lädt zum Treffen des Steuerungskreises des "
            "Masterplan Industrie zum Jahresauftakt ins Rathaus ein."
        ),
    )
    opening = w.advance(opening, MeetingState.INVITED)
    items = w.agenda(
        opening,
        [
            ("Begrüßung durch Oberbürgermeister Dr. Stephan Keller", "", [], True, []),
            (
                "Rückblick auf die erreichten Meilensteine",
                "Der Steuerungskreis nimmt den Rückblick zur Kenntnis.",
                ["DUS-M11"],
                True,
                [
                    (
                        "Workshops zu einzelnen Kernzonen",
                        "Grundlagen für die Qualifizierung einzelner Gebiete gelegt.",
                        ["DUS-M01"],
                    ),
                    (
                        "CO2-Bilanz der Mitgliedsunternehmen des Industriekreises",
                        "Minus 33 Prozent gegenüber dem Basisjahr 2016.",
                        ["DUS-M12"],
                    ),
                ],
            ),
            (
                "Ausblick auf die kommenden Tätigkeiten",
                "",
                [],
                True,
                [
                    (
                        "Entwicklungsleitlinien für die Kernzonen",
                        "Leitlinien je Kernzone werden erarbeitet.",
                        ["DUS-M02"],
                    ),
                    ("Umsetzung des strategischen Flächenmanagements", "", ["DUS-M05"]),
                    ("Bewusstseinsbildung für Industrieakzeptanz", "", ["DUS-M09", "DUS-M10"]),
                ],
            ),
            (
                "Flächenanfragen einzelner Unternehmen",
                "Vertraulich beraten.",
                ["DUS-M08"],
                False,
                [],
            ),
            ("Verschiedenes", "", [], True, []),
        ],
    )
    w.attend(opening, absent=("Lehnen",))
    opening = w.advance(opening, MeetingState.HELD)
    workshops_decision = w.decision(
        opening,
        items["Entwicklungsleitlinien für die Kernzonen"],
        f"MPI-{kickoff.year}-01",
        "Kernzonen-Workshops fortsetzen und Entwicklungsleitlinien je Kernzone festlegen",
        text="Die Workshops zu den Kernzonen werden fortgesetzt; für jede Kernzone werden Entwicklungsleitlinien erarbeitet.",
        responsible_organization=w.org("DUS-STADT"),
        due=date(kickoff.year, 12, 31),
        state="in_progress",
        changed_on=kickoff + timedelta(days=30),
        is_sample=False,
    )
    land_decision = w.decision(
        opening,
        items["Umsetzung des strategischen Flächenmanagements"],
        f"MPI-{kickoff.year}-02",
        "Strategisches Flächenmanagement umsetzen",
        text="Stadt und IHK setzen das strategische Flächenmanagement um; Bericht im nächsten Steuerungskreis.",
        responsible_organization=w.org("DUS-STADT"),
        due=kickoff + timedelta(days=180),
        vote_kind="vote",
        votes_yes=7,
        votes_no=0,
        votes_abstain=0,
        is_sample=False,
    )
    acceptance = w.decision(
        opening,
        items["Bewusstseinsbildung für Industrieakzeptanz"],
        f"MPI-{kickoff.year}-03",
        "Kampagne „Industrie in Düsseldorf“ mit Tag der offenen Werkstore",
        responsible_organization=w.org("DUS-IHK"),
        due=kickoff + timedelta(days=240),
        state="done",
        evidence="Tag der offenen Werkstore durchgeführt; Kampagne läuft.",
        changed_on=kickoff + timedelta(days=200),
    )
    w.decision(
        opening,
        items["Flächenanfragen einzelner Unternehmen"],
        f"MPI-{kickoff.year}-04",
        "Flächenanfrage eines Bestandsunternehmens vorrangig prüfen",
        is_public=False,
        responsible_organization=w.org("DUS-STADT"),
    )
    w.action(
        workshops_decision,
        "Termine für die nächsten Kernzonen-Workshops abstimmen",
        land,
        "DUS-STADT",
        kickoff + timedelta(days=45),
        status="done",
    )
    w.action(
        workshops_decision,
        "Entwurf der Entwicklungsleitlinien für die Kernzone Reisholz vorlegen",
        land,
        "DUS-STADT",
        today - timedelta(days=10),
    )
    w.action(
        land_decision,
        "Flächentauschbörse mit den Mitgliedsunternehmen abstimmen",
        schmitz,
        "DUS-IHK",
        today + timedelta(days=5),
    )
    w.action(
        acceptance,
        "Termine der Schulpartnerschaften für das nächste Schuljahr sammeln",
        kleine,
        "DUS-IKD",
        today + timedelta(days=40),
    )
    w.advance(
        opening,
        MeetingState.MINUTES_APPROVED,
        minutes=(
            "Oberbürgermeister Dr. Stephan Keller begrüßt Andreas Schmitz (IHK Düsseldorf), "
            "Dr. Daniel Kleine (Industriekreis Düsseldorf), die politischen Vertretungen aus den "
            "Ausschüssen für Wirtschaft sowie Planung und Stadtentwicklung, den Deutschen "
            "Gewerkschaftsbund und die Unternehmerschaft. Rückblick auf die erreichten "
            "Meilensteine; Ausblick: Kernzonen-Workshops, Entwicklungsleitlinien, strategisches "
            "Flächenmanagement und Bewusstseinsbildung für Industrieakzeptanz."
        ),
        approved=kickoff + timedelta(days=21),
    )

    # An interim meeting held recently whose minutes are still open (a reminder is due).
    interim = w.meeting(
        steering,
        "Steuerungskreis: Zwischenstand Flächenmanagement",
        today - timedelta(days=20),
        RATHAUS,
        is_public=False,
    )
    interim = w.advance(interim, MeetingState.INVITED, MeetingState.HELD)
    w.attend(interim, absent=("Bergmann", "Reuter"))

    # Next year's opening meeting, with the draft agenda generated from the plan.
    following = w.meeting(
        steering,
        "Treffen des Steuerungskreises zum Jahresauftakt",
        date(kickoff.year + 1, 1, 20),
        RATHAUS,
    )
    agenda.generate_agenda(actor=w.actor, meeting=following)

    # Core-zone workshops: a series, some held, some ahead.
    places = [
        ("Reisholz", today - timedelta(days=150), MeetingState.MINUTES_APPROVED),
        ("Lierenfeld", today - timedelta(days=60), MeetingState.HELD),
        ("Hafen", next_weekday(today + timedelta(days=16), 1), MeetingState.INVITED),
        ("Benrath", next_weekday(today + timedelta(days=90), 3), MeetingState.PLANNED),
    ]
    for zone, day, state in places:
        meeting = w.meeting(
            workshops,
            f"Workshop Kernzone {zone}",
            day,
            {"location_name": f"Kernzone {zone}", "locality": "Düsseldorf"},
            hour=15,
        )
        made = w.agenda(
            meeting,
            [
                (f"Profil der Kernzone {zone}", "", ["DUS-M01"], True, []),
                ("Flächenbedarfe der ansässigen Unternehmen", "", ["DUS-M05"], True, []),
                ("Entwicklungsleitlinien: erste Ideen", "", ["DUS-M02"], True, []),
            ],
        )
        # The items are about the core zone of the land module's demo, where there is one.
        core_zone = CoreZone.objects.filter(
            masterplan=w.masterplan, name__startswith=f"Kernzone {zone}"
        ).first()
        if core_zone is not None:
            for item in made.values():
                services.agenda_item_update(
                    actor=w.actor, item=item, version=item.version, core_zones=[core_zone]
                )
        steps = {
            MeetingState.PLANNED: (),
            MeetingState.INVITED: (MeetingState.INVITED,),
            MeetingState.HELD: (MeetingState.INVITED, MeetingState.HELD),
            MeetingState.MINUTES_APPROVED: (
                MeetingState.INVITED,
                MeetingState.HELD,
                MeetingState.MINUTES_APPROVED,
            ),
        }[state]
        w.advance(
            meeting,
            *steps,
            minutes=f"Workshop zur Kernzone {zone} mit den ansässigen Unternehmen.",
            approved=day + timedelta(days=14) if steps else None,
        )


def load_duisburg(w: Writer) -> None:
    today = w.today
    kranki, kleff, trapp = w.people["Kranki"], w.people["Kleff"], w.people["Trapp"]
    middelkamp = w.people["Middelkamp"]
    city = w.person("Martin", "Schürmann", "Beigeordneter für Wirtschaft", "DU-STADT")
    chamber = w.person("Birgit", "Hansen", "Geschäftsführerin Standortpolitik", "DU-IHK")
    dbi = w.person("Oliver", "Brandt", "Bereichsleiter Unternehmensservice", "DU-DBI")
    permits_lead = w.person("Katrin", "Vogt", "Leiterin Bauaufsicht", "DU-STADT")

    leads = w.body(
        "Verantwortliche des Masterplans Wirtschaft",
        BodyKind.BOARD,
        short_name="Verantwortliche",
        organization=w.org("DU-UV"),
        chair=kranki,
        purpose="Die Verantwortlichen der Initiatoren – Stadt, IHK und Unternehmerverband – geben die Richtung vor.",
    )
    w.members(
        leads,
        [
            (city, "DU-STADT", MembershipRole.MEMBER, True),
            (chamber, "DU-IHK", MembershipRole.MEMBER, True),
            (kranki, "DU-UV", MembershipRole.CHAIR, True),
        ],
    )
    steering = w.body(
        "Lenkungskreis Masterplan Wirtschaft",
        BodyKind.STEERING_COMMITTEE,
        short_name="Lenkungskreis",
        parent=leads,
        organization=w.org("DU-WFD"),
        chair=kranki,
        purpose=(
            "Sparringspartner für die nötigen Entscheidungen auf oberster Ebene: zentrale "
            "Themen mit klar definierten Zielen, Zeitplänen und Zuständigkeiten verbindlich "
            "angehen."
        ),
    )
    w.members(
        steering,
        [
            (kranki, "DU-WFD", MembershipRole.CHAIR, True),
            (city, "DU-STADT", MembershipRole.MEMBER, True),
            (chamber, "DU-IHK", MembershipRole.MEMBER, True),
            (dbi, "DU-DBI", MembershipRole.MEMBER, True),
            (trapp, "DU-STARTPORT", MembershipRole.GUEST, False),
            (kleff, "DU-WFD", MembershipRole.SECRETARY, False),
        ],
    )
    # One steering group per field of action; the operational units of its measures below it.
    groups: dict[int, Body] = {}
    for field_of_action in FieldOfAction.objects.filter(masterplan=w.masterplan).order_by(
        "position"
    ):
        groups[field_of_action.pk] = w.body(
            f"Steuerungsgruppe {field_of_action.name}",
            BodyKind.STEERING_GROUP,
            parent=steering,
            organization=field_of_action.lead_organization,
            purpose=f"Steuert das Handlungsfeld „{field_of_action.name}“.",
        )
    for unit in Body.objects.filter(masterplan=w.masterplan, kind=BodyKind.WORKING_GROUP):
        measure = (
            Measure.objects.filter(operational_body=unit)
            .select_related("goal")
            .order_by("id")
            .first()
        )
        if measure is None:
            continue
        services.body_update(
            actor=w.actor,
            body=unit,
            version=unit.version,
            parent=groups.get(measure.goal.field_id, steering),
            organization=measure.lead_organization,
        )
    permits = Body.objects.filter(masterplan=w.masterplan, name="AG Genehmigungen").first()
    if permits is not None:
        w.members(
            permits,
            [
                (permits_lead, "DU-STADT", MembershipRole.CHAIR, True),
                (dbi, "DU-DBI", MembershipRole.MEMBER, True),
                (middelkamp, "DU-UV", MembershipRole.MEMBER, True),
                (kleff, "DU-WFD", MembershipRole.SECRETARY, False),
            ],
        )

    # The general assembly of Wirtschaft für Duisburg, March 2022 (seed 002).
    assembly_body = w.body(
        "Mitgliederversammlung Wirtschaft für Duisburg",
        BodyKind.BOARD,
        organization=w.org("DU-WFD"),
        chair=kranki,
        purpose="Mitgliederversammlung des Vereins Wirtschaft für Duisburg e. V.",
    )
    w.members(
        assembly_body,
        [
            (kranki, "DU-WFD", MembershipRole.CHAIR, True),
            (trapp, "DU-STARTPORT", MembershipRole.MEMBER, True),
            (kleff, "DU-WFD", MembershipRole.SECRETARY, False),
        ],
    )
    assembly = w.meeting(
        assembly_body,
        "Mitgliederversammlung 2022: fünf Jahre Masterplan Wirtschaft",
        date(2022, 3, 22),
        HAUS_DER_UNTERNEHMER,
        hour=17,
        is_sample=False,
    )
    items = w.agenda(
        assembly,
        [
            (
                "Fünf Jahre Masterplan Wirtschaft für Duisburg",
                "Rückblick: die Großzahl der Projekte ist umgesetzt.",
                ["DU-M11"],
                True,
                [],
            ),
            (
                "Klarer Fokus: zentrale Themen mit Zielen, Zeitplänen und Zuständigkeiten",
                "",
                ["DU-M10"],
                True,
                [],
            ),
            (
                "Partnerschaft mit startport",
                "Memorandum of Understanding unterzeichnet.",
                ["DU-M05", "DU-M06"],
                True,
                [],
            ),
        ],
    )
    w.advance(assembly, MeetingState.INVITED, MeetingState.HELD)
    mou = w.decision(
        assembly,
        items["Partnerschaft mit startport"],
        "WfD-2022-01",
        "Memorandum of Understanding mit startport unterzeichnen",
        decided_on=date(2022, 3, 22),
        state="done",
        evidence="Memorandum of Understanding in der Mitgliederversammlung unterzeichnet.",
        changed_on=date(2022, 3, 22),
        is_sample=False,
    )
    w.decision(
        assembly,
        items["Partnerschaft mit startport"],
        "WfD-2022-02",
        "Zweijährige kostenlose Mitgliedschaft für alle Duisburger Start-ups",
        decided_on=date(2022, 3, 22),
        responsible_organization=w.org("DU-WFD"),
        state="in_progress",
        changed_on=date(2022, 6, 1),
        is_sample=False,
    )
    w.action(
        mou,
        "Start-ups über die kostenlose Mitgliedschaft informieren",
        kleff,
        "DU-WFD",
        date(2022, 6, 30),
        status="done",
    )
    w.advance(
        assembly,
        MeetingState.MINUTES_APPROVED,
        minutes="Protokoll der Mitgliederversammlung 2022.",
        approved=date(2022, 4, 12),
    )

    # The Lenkungskreis: one meeting behind, two ahead.
    past = w.meeting(
        steering,
        "Lenkungskreis: Genehmigungsverfahren und Start-up-Standort",
        today - timedelta(days=70),
        DUISBURG_RATHAUS,
    )
    items = w.agenda(
        past,
        [
            (
                "Ziel Top 10 der Oberzentren bei Genehmigungsverfahren",
                "Benchmark vorgestellt.",
                ["DU-M01", "DU-M04"],
                True,
                [],
            ),
            ("Start-up-Initiativen bündeln", "", ["DU-M07"], True, []),
        ],
    )
    w.attend(past, absent=("Hansen",))
    w.advance(past, MeetingState.INVITED, MeetingState.HELD)
    lotsen = w.decision(
        past,
        items["Ziel Top 10 der Oberzentren bei Genehmigungsverfahren"],
        f"LK-{past.start.year}-03",
        "Verfahrenslotsen für gewerbliche Großvorhaben einsetzen",
        responsible_organization=w.org("DU-DBI"),
        due=today + timedelta(days=60),
    )
    w.action(
        lotsen, "Stellenprofil Verfahrenslotse abstimmen", dbi, "DU-DBI", today - timedelta(days=5)
    )
    w.action(
        lotsen,
        "Liste der Großvorhaben 2027 zusammenstellen",
        permits_lead,
        "DU-STADT",
        today + timedelta(days=7),
    )
    w.advance(
        past,
        MeetingState.MINUTES_APPROVED,
        minutes="Protokoll des Lenkungskreises.",
        approved=today - timedelta(days=50),
    )
    upcoming = w.meeting(
        steering,
        "Lenkungskreis: Jahresplanung",
        next_weekday(today + timedelta(days=18), 2),
        DUISBURG_RATHAUS,
    )
    w.advance(upcoming, MeetingState.INVITED)
    agenda.generate_agenda(actor=w.actor, meeting=upcoming)
    w.meeting(
        steering, "Lenkungskreis", next_weekday(today + timedelta(days=110), 2), DUISBURG_RATHAUS
    )

    if permits is not None:
        held = w.meeting(
            permits,
            "AG Genehmigungen: Eingangsmanagement",
            today - timedelta(days=17),
            DUISBURG_RATHAUS,
            is_public=False,
            hour=9,
        )
        w.agenda(
            held,
            [
                (
                    "Vollständigkeitsprüfung binnen zwei Wochen",
                    "Pilot im Bauamt ab Januar.",
                    ["DU-M02"],
                    False,
                    [],
                )
            ],
        )
        w.attend(held)
        w.advance(held, MeetingState.INVITED, MeetingState.HELD)
        w.meeting(
            permits,
            "AG Genehmigungen",
            next_weekday(today + timedelta(days=60), 3),
            DUISBURG_RATHAUS,
            is_public=False,
            hour=9,
        )

    # "Business beim Brötchen – der Wirtschaftsdialog" on permits, linked to the goal "top 10"
    # (the permit monitor's benchmark, permits/demo.py, gives the figures to discuss).
    dialogue = w.body(
        "Business beim Brötchen – der Wirtschaftsdialog",
        BodyKind.WORKSHOP_SERIES,
        organization=w.org("DU-WFD"),
        chair=kranki,
        purpose=(
            "Gemeinsames Frühstücksformat von Wirtschaft für Duisburg und DBI: Unternehmen, "
            "Verwaltung und Politik im ehrlichen Austausch."
        ),
    )
    w.members(
        dialogue,
        [
            (kranki, "DU-WFD", MembershipRole.CHAIR, True),
            (dbi, "DU-DBI", MembershipRole.MEMBER, True),
            (permits_lead, "DU-STADT", MembershipRole.GUEST, False),
            (kleff, "DU-WFD", MembershipRole.SECRETARY, False),
        ],
    )
    breakfast = w.meeting(
        dialogue,
        "Wirtschaftsdialog Genehmigungsverfahren",
        today - timedelta(days=24),
        HAUS_DER_UNTERNEHMER,
        hour=8,
    )
    services.agenda_item_create(
        actor=w.actor,
        meeting=breakfast,
        title="Wie schnell genehmigt Duisburg? Der Genehmigungsmonitor im Vergleich der Oberzentren",
        result=(
            "Median vom vollständigen Antrag bis zum Bescheid mit offenen Verfahren gerechnet; "
            "Rang und Chance auf die Top 10 vorgestellt. Unternehmen berichten von "
            "Nachforderungen nach Ablauf der Vollständigkeitsprüfung."
        ),
        is_public=True,
        goals=list(Goal.objects.filter(masterplan=w.masterplan, external_id="DU-Z1")),
        measures=w.measures(["DU-M09"]),
        publication=breakfast.publication,
    )
    w.attend(breakfast)
    w.advance(breakfast, MeetingState.INVITED, MeetingState.HELD)


@register_demo("governance")
def load(context: DemoContext) -> None:
    """Governance demo for both seed plans (after the directory's and the plans' demos)."""
    loaders = {DUESSELDORF: load_duesseldorf, DUISBURG: load_duisburg}
    for slug, loader in loaders.items():
        masterplan = context.plans[slug]
        loader(
            Writer(
                actor=context.actor,
                masterplan=masterplan,
                organizations=organizations_by_external_id(masterplan),
                today=context.today,
            )
        )
