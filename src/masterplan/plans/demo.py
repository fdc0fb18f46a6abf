"""The two seed partnerships as tenants (see ../shared/seeds/), then their plans filled in.

What the seeds state is loaded as fact: the initiators and the signing of the Duisburg plan
in March 2017, the goal "top 10 by 2025", "Business beim Brötchen" since the end of
November 2022, the startport partnership of March 2022, the Kernzone workshops and the
development guidelines in Düsseldorf, the CO2 reduction of 33 % against 2016. Everything
added for realism (dates, milestone names, figures, status report texts) carries
`is_sample=True`, which the interface shows as "sample data". Fact records keep only the
dates the seeds give (a month is stored as its first day, as `signed_on` is); their invented
details live in separate sample records (milestones, key results, status reports).

Invented dates are offsets from today, so the demo always shows a current state: some work
late, milestones overdue and due soon, status reports for the last two quarters. Every write
goes through the plan services, so the audit trail tells the same story as the data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from masterplan.core.demo import DUESSELDORF, DUISBURG, DemoContext, register_demo
from masterplan.core.models import Masterplan, Publication
from masterplan.core.references import create_named
from masterplan.core.services import create_tracked
from masterplan.directory.demo import organizations_by_external_id
from masterplan.directory.models import Organization, Person
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    PartnerRole,
    PlanPartner,
    Priority,
    StatusReport,
    operational_unit_model,
)
from masterplan.plans.services import (
    field_create,
    goal_create,
    key_result_create,
    key_result_update,
    measure_create,
    measure_move,
    measure_set_dependencies,
    measure_update,
    milestone_achieve,
    milestone_create,
    status_report_review,
    status_report_submit,
)

PUBLISHED = Publication.PUBLISHED
DRAFT = Publication.DRAFT

# Status names of the default catalogue (services.DEFAULT_STATUSES).
IDEE = "Idee"
VORBEREITUNG = "In Vorbereitung"
UMSETZUNG = "In Umsetzung"
ABSCHLUSS = "Abschluss"
UMGESETZT = "Umgesetzt"
GESTOPPT = "Gestoppt"


@register_demo("plans")
def load(context: DemoContext) -> None:
    """Fill both plans: partners, fields of action, goals, key results, measures, reports.

    The directory's demo has written the organisations; invented dates count from
    `context.today`.
    """
    for slug, fill in ((DUESSELDORF, fill_duesseldorf), (DUISBURG, fill_duisburg)):
        masterplan = context.plans[slug]
        fill(
            PlanWriter.open(
                actor=context.actor,
                masterplan=masterplan,
                organizations=organizations_by_external_id(masterplan),
                today=context.today,
            )
        )


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class PlanWriter:
    """Writes one plan's content through the services, with the admin as the actor."""

    actor: Any
    masterplan: Masterplan
    organizations: Mapping[str, Organization]
    people: dict[str, Person]
    statuses: dict[str, MeasureStatus]
    today: date
    positions: dict[str, int] = dataclasses.field(default_factory=dict)
    bodies: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def open(
        cls,
        *,
        actor: Any,
        masterplan: Masterplan,
        organizations: Mapping[str, Organization],
        today: date,
    ) -> PlanWriter:
        return cls(
            actor=actor,
            masterplan=masterplan,
            organizations=organizations,
            people={p.family_name: p for p in Person.objects.filter(masterplan=masterplan)},
            statuses={s.name: s for s in MeasureStatus.objects.filter(masterplan=masterplan)},
            today=today,
        )

    # Dates -----------------------------------------------------------------------------

    def days(self, offset: int) -> date:
        """Today plus `offset` days (negative: in the past)."""
        return self.today + timedelta(days=offset)

    def quarter(self, back: int) -> tuple[date, date]:
        """First and last day of the quarter `back` complete quarters before the current one."""
        start = quarter_start(self.today)
        end = start
        for _ in range(back):
            end = start - timedelta(days=1)
            start = quarter_start(end)
        return start, end

    def recent(self, offset: int, *, after: date) -> date:
        """Today plus `offset`, but never on or before `after` (keeps readings in order)."""
        return max(self.days(offset), after + timedelta(days=1))

    def next_position(self, kind: str) -> int:
        self.positions[kind] = self.positions.get(kind, 0) + 1
        return self.positions[kind]

    # Structure -------------------------------------------------------------------------

    def partner(
        self,
        organization: str,
        role: PartnerRole,
        *,
        joined_on: date | None = None,
        is_sample: bool = False,
    ) -> PlanPartner:
        # No partner service yet: the generic tracked write keeps the audit trail complete.
        return create_tracked(
            actor=self.actor,
            model=PlanPartner,
            action="plans.partner.created",
            masterplan=self.masterplan,
            organization=self.organizations[organization],
            role=role,
            joined_on=joined_on,
            is_sample=is_sample,
            publication=PUBLISHED,
        )

    def field(
        self,
        external_id: str,
        name: str,
        *,
        lead: str,
        description: str,
        weight: int | None = None,
    ) -> FieldOfAction:
        return field_create(
            actor=self.actor,
            masterplan=self.masterplan,
            external_id=external_id,
            name=name,
            description=description,
            lead_organization=self.organizations[lead],
            position=self.next_position("field"),
            weight=weight,
            publication=PUBLISHED,
        )

    def goal(
        self,
        field_of_action: FieldOfAction,
        external_id: str,
        statement: str,
        *,
        organization: str,
        owner: str | None = None,
        description: str = "",
        due_date: date | None = None,
        priority: Priority = Priority.MEDIUM,
        is_focus: bool = False,
        is_sample: bool = False,
    ) -> Goal:
        return goal_create(
            actor=self.actor,
            field=field_of_action,
            external_id=external_id,
            statement=statement,
            description=description,
            responsible_organization=self.organizations[organization],
            owner=self.people[owner] if owner else None,
            due_date=due_date,
            priority=priority,
            is_focus=is_focus,
            position=self.next_position(f"goal-{field_of_action.pk}"),
            is_sample=is_sample,
            publication=PUBLISHED,
        )

    def key_result(
        self,
        goal: Goal,
        external_id: str,
        name: str,
        *,
        unit: str,
        baseline: tuple[date, float],
        target: tuple[date, float],
        readings: Sequence[tuple[date, float]],
        weight: int | None = None,
        is_sample: bool = True,
    ) -> KeyResult:
        """Created with the oldest reading as its current value, then updated in date order,
        so that the reading history and the audit trail show how the value moved."""
        (first_on, first), *later = readings
        key_result = key_result_create(
            actor=self.actor,
            goal=goal,
            external_id=external_id,
            name=name,
            unit=unit,
            baseline_date=baseline[0],
            baseline_value=decimal(baseline[1]),
            target_date=target[0],
            target_value=decimal(target[1]),
            current_value=decimal(first),
            current_as_of=first_on,
            weight=weight,
            is_sample=is_sample,
            publication=PUBLISHED,
        )
        for measured_on, value in later:
            key_result = key_result_update(
                actor=self.actor,
                key_result=key_result,
                version=key_result.version,
                current_value=decimal(value),
                current_as_of=measured_on,
            )
        return key_result

    # Measures --------------------------------------------------------------------------

    def measure(
        self,
        goal: Goal,
        external_id: str,
        title: str,
        *,
        lead: str,
        description: str = "",
        person: str | None = None,
        unit: str = "",
        planned: tuple[date, date] | None = None,
        status: str = VORBEREITUNG,
        depends_on: Iterable[Measure] = (),
        weight: int | None = None,
        is_sample: bool = True,
        publication: Publication = PUBLISHED,
    ) -> Measure:
        planned_start, planned_end = planned or (None, None)
        return measure_create(
            actor=self.actor,
            goal=goal,
            depends_on=depends_on,
            external_id=external_id,
            title=title,
            description=description,
            lead_organization=self.organizations[lead],
            responsible_person=self.people[person] if person else None,
            operational_body=self.operational_body(unit) if unit else None,
            planned_start=planned_start,
            planned_end=planned_end,
            status=self.statuses[status],
            weight=weight,
            is_sample=is_sample,
            publication=publication,
        )

    def operational_body(self, name: str) -> Any:
        """The working group named on measures; governance/demo.py adds members and meetings.

        Governance owns the bodies: its service makes them, reached through core.references.
        """
        if name not in self.bodies:
            model = operational_unit_model()
            ids = create_named(
                model, actor=self.actor, masterplan=self.masterplan, names={name: True}
            )
            self.bodies[name] = model.objects.get(pk=ids[name])
        return self.bodies[name]

    def set_status(self, measure: Measure, status: str, **changes: Any) -> Measure:
        """A status change together with the dates that go with it (start, end)."""
        current = Measure.objects.get(pk=measure.pk)
        return measure_update(
            actor=self.actor,
            measure=current,
            version=current.version,
            status=self.statuses[status],
            **changes,
        )

    def move(self, measure: Measure, status: str) -> Measure:
        """The board's move; only for steps whose dates are already recorded."""
        current = Measure.objects.get(pk=measure.pk)
        return measure_move(
            actor=self.actor, measure=current, version=current.version, status=self.statuses[status]
        )

    def set_health(self, measure: Measure, health: Health, reason: str) -> Measure:
        current = Measure.objects.get(pk=measure.pk)
        return measure_update(
            actor=self.actor,
            measure=current,
            version=current.version,
            health=health,
            health_reason=reason,
        )

    def set_dependencies(self, measure: Measure, depends_on: Iterable[Measure]) -> Measure:
        return measure_set_dependencies(actor=self.actor, measure=measure, depends_on=depends_on)

    def stop(self, measure: Measure, *, on: date, reason: str) -> Measure:
        """Stopped on a date, with the reason in the description. Weight 0 takes the measure
        out of the roll-up: a stopped project is neither 0 % progress nor overdue."""
        current = Measure.objects.get(pk=measure.pk)
        return measure_update(
            actor=self.actor,
            measure=current,
            version=current.version,
            status=self.statuses[GESTOPPT],
            actual_end=on,
            weight=0,
            description=f"{current.description} Gestoppt: {reason}".strip(),
        )

    def milestone(
        self,
        measure: Measure,
        title: str,
        due: date,
        *,
        achieved_on: date | None = None,
        evidence_url: str = "",
        is_sample: bool = True,
    ) -> Milestone:
        number = self.next_position(f"milestone-{measure.pk}")
        milestone = milestone_create(
            actor=self.actor,
            measure=measure,
            external_id=f"{measure.external_id}-MS{number}",
            title=title,
            due=due,
            is_sample=is_sample,
            publication=PUBLISHED,
        )
        if achieved_on is not None:
            milestone = milestone_achieve(
                actor=self.actor,
                milestone=milestone,
                version=milestone.version,
                achieved_on=achieved_on,
                evidence_url=evidence_url,
            )
        return milestone

    def report(
        self,
        measure: Measure,
        period: tuple[date, date],
        *,
        health: Health,
        progress: int,
        narrative: str,
        risks: str = "",
        next_steps: str = "",
        review: str | None = None,
    ) -> StatusReport:
        """A status report (always sample data); reviewed when `review` is given."""
        report = status_report_submit(
            actor=self.actor,
            measure=Measure.objects.get(pk=measure.pk),
            period_start=period[0],
            period_end=period[1],
            health=health,
            progress=progress,
            narrative=narrative,
            risks=risks,
            next_steps=next_steps,
            is_sample=True,
        )
        if review is not None:
            report = status_report_review(
                actor=self.actor, report=report, version=report.version, comment=review
            )
        return report


def decimal(value: float) -> Decimal:
    return Decimal(str(value))


GREEN, AMBER, RED = Health.GREEN, Health.AMBER, Health.RED


# Düsseldorf: Masterplan Industrie ------------------------------------------------------


def fill_duesseldorf(w: PlanWriter) -> None:
    d = w.days
    # The steering committee meets "zum Jahresauftakt" (the seed gives no year): the most
    # recent such meeting; the CO2 figure it heard is for the year before.
    kickoff = date(w.today.year, 1, 20)
    if kickoff > w.today:
        kickoff = date(w.today.year - 1, 1, 20)
    year = kickoff.year
    older, last = w.quarter(2), w.quarter(1)

    for org in ("DUS-STADT", "DUS-IHK", "DUS-IKD"):
        w.partner(org, PartnerRole.INITIATOR)
    w.partner("DUS-DGB", PartnerRole.MEMBER)
    for number in (1, 3, 5, 8):
        w.partner(
            f"DUESSELDORF-SAMPLE-{number:02d}",
            PartnerRole.MEMBER,
            joined_on=date(year - 2, 1, 1),
            is_sample=True,
        )

    # Kernzonen ---------------------------------------------------------------------------
    kernzonen = w.field(
        "DUS-HF1",
        "Kernzonen sichern und qualifizieren",
        lead="DUS-STADT",
        description=(
            "Sicherung der Gewerbe- und Industriegebiete und ihre Qualifizierung mit "
            "individuellem Profil je Kernzone – für die klassische Industrie ebenso wie für "
            "Betriebe aus Innovationsbereichen wie den Life Sciences."
        ),
    )
    kernzonen_goal = w.goal(
        kernzonen,
        "DUS-Z1",
        "Industrielle Kernzonen sichern und mit individuellem Profil weiterentwickeln",
        organization="DUS-STADT",
        owner="Keller",
        priority=Priority.HIGH,
        is_focus=True,
        description=(
            "Durch die Qualifizierung der einzelnen Kernzonen wird jedem Gebiet mit seinem "
            "individuellen Profil Rechnung getragen. Bestandsunternehmen und Neuansiedlungen "
            "erhalten gezielte Zukunftsperspektiven; neben einer Sicherung der Gebiete geht es "
            "darum, Entwicklungsleitlinien für die Zukunft festzulegen."
        ),
    )
    w.key_result(
        kernzonen_goal,
        "DUS-KR1.1",
        "Kernzonen mit durchgeführtem Qualifizierungs-Workshop",
        unit="Kernzonen",
        baseline=(date(year - 2, 1, 1), 0),
        target=(date(year + 1, 12, 31), 9),
        readings=[
            (date(year - 2, 1, 1), 0),
            (date(year - 1, 6, 30), 3),
            (kickoff, 5),
            (w.recent(-60, after=kickoff), 6),
        ],
    )
    w.key_result(
        kernzonen_goal,
        "DUS-KR1.2",
        "Kernzonen mit festgelegten Entwicklungsleitlinien",
        unit="Kernzonen",
        baseline=(date(year - 1, 1, 1), 0),
        target=(date(year + 2, 12, 31), 9),
        readings=[(date(year - 1, 1, 1), 0), (d(-45), 2)],
    )

    workshops = w.measure(
        kernzonen_goal,
        "DUS-M01",
        "Workshops zu einzelnen Kernzonen",
        lead="DUS-STADT",
        unit="AG Kernzonen",
        is_sample=False,
        description=(
            "In Workshops zu einzelnen Kernzonen werden mit den ansässigen Unternehmen die "
            "Grundlagen dafür gelegt, einzelne Gewerbe- und Industriegebiete weiter zu "
            "qualifizieren."
        ),
    )
    workshops = w.set_status(workshops, UMSETZUNG)
    w.milestone(
        workshops,
        "Workshop Kernzone Reisholz",
        kickoff - timedelta(days=200),
        achieved_on=kickoff - timedelta(days=200),
        evidence_url="https://www.duesseldorf.de/wirtschaft/masterplan-industrie/kernzonen",
    )
    w.milestone(
        workshops,
        "Workshop Kernzone Lierenfeld",
        kickoff - timedelta(days=120),
        achieved_on=kickoff - timedelta(days=113),
    )
    w.milestone(workshops, "Workshop Kernzone Heerdt", d(21))
    w.milestone(workshops, "Workshop Kernzone Rath", d(90))
    w.report(
        workshops,
        older,
        health=GREEN,
        progress=60,
        narrative="Workshop in der Kernzone Holthausen mit 14 Unternehmen durchgeführt; Ergebnisprotokoll an alle Teilnehmenden versandt.",
        next_steps="Termine für Heerdt und Rath mit den Unternehmen abstimmen.",
        review="Danke – bitte das Protokoll auch dem Ausschuss für Wirtschaft zur Kenntnis geben.",
    )
    w.report(
        workshops,
        last,
        health=GREEN,
        progress=65,
        narrative="Einladung zum Workshop Heerdt versandt, 11 Zusagen. Vorabbefragung zu Flächen- und Verkehrsbedarfen ausgewertet.",
        next_steps="Workshop Heerdt durchführen, Rath vorbereiten.",
    )

    guidelines = w.measure(
        kernzonen_goal,
        "DUS-M02",
        "Entwicklungsleitlinien für die Kernzonen festlegen",
        lead="DUS-STADT",
        unit="AG Kernzonen",
        is_sample=False,
        depends_on=[workshops],
        description=(
            "Auf Grundlage der Workshop-Ergebnisse werden für jede Kernzone "
            "Entwicklungsleitlinien für die Zukunft festgelegt."
        ),
    )
    w.milestone(guidelines, "Entwurf der Leitlinien für die ersten drei Kernzonen", d(-14))
    w.milestone(guidelines, "Beratung im Steuerungskreis", date(year + 1, 1, 20))
    w.milestone(guidelines, "Beschluss im Ausschuss für Planung und Stadtentwicklung", d(150))

    life_sciences = w.measure(
        kernzonen_goal,
        "DUS-M03",
        "Profil Life Sciences: Flächenangebot in der Kernzone Benrath-Reisholz",
        lead="DUS-STADT",
        unit="AG Kernzonen",
        planned=(d(-300), d(240)),
        description=(
            "Flächen und Bestandsgebäude für Betriebe aus den Life Sciences in der Kernzone "
            "qualifizieren, gemeinsam mit der Benrath Life Sciences GmbH."
        ),
    )
    life_sciences = w.set_status(life_sciences, UMSETZUNG, actual_start=d(-280))
    w.milestone(
        life_sciences,
        "Bedarfsabfrage bei Life-Sciences-Unternehmen ausgewertet",
        d(-200),
        achieved_on=d(-190),
        evidence_url="https://www.duesseldorf.de/wirtschaft/standort/life-sciences",
    )
    w.milestone(life_sciences, "Flächensteckbriefe veröffentlicht", d(45))
    w.milestone(life_sciences, "Vermarktung der ersten Labor- und Produktionsflächen", d(240))
    w.report(
        life_sciences,
        last,
        health=GREEN,
        progress=40,
        narrative="Acht Flächen mit Labor- und Reinraumeignung erfasst, drei davon sofort verfügbar.",
        next_steps="Flächensteckbriefe mit den Eigentümern abstimmen.",
        review="Gut. Bitte im Steuerungskreis kurz vorstellen.",
    )

    zoning = w.measure(
        kernzonen_goal,
        "DUS-M04",
        "Kernzonen planungsrechtlich sichern: Bebauungspläne mit GI-/GE-Festsetzung",
        lead="DUS-STADT",
        unit="Stadtplanungsamt / AG Kernzonen",
        planned=(d(-420), d(-60)),
        depends_on=[guidelines],
        description=(
            "Industrie- und Gewerbegebiete der Kernzonen durch Bebauungspläne (§§ 8, 9 BauNVO) "
            "gegen heranrückende Wohn- und Büronutzung sichern."
        ),
    )
    zoning = w.set_status(zoning, UMSETZUNG, actual_start=d(-400))
    w.milestone(
        zoning,
        "Aufstellungsbeschluss Kernzone Lierenfeld",
        d(-330),
        achieved_on=d(-325),
        evidence_url="https://www.duesseldorf.de/stadtplanung/bebauungsplaene",
    )
    w.milestone(zoning, "Offenlage des Bebauungsplans", d(-45))
    w.milestone(zoning, "Satzungsbeschluss", d(200))
    w.set_health(
        zoning,
        AMBER,
        "Die Abstimmung zum Abstandserlass mit der Bezirksregierung dauert länger als geplant.",
    )
    w.report(
        zoning,
        older,
        health=AMBER,
        progress=45,
        narrative="Gutachten zu Abstandsklassen beauftragt; Abstimmungstermin mit der Bezirksregierung hat stattgefunden.",
        risks="Gutachten liegt später vor als geplant; die Offenlage rückt nach hinten.",
        next_steps="Gutachten abnehmen, Offenlage vorbereiten.",
        review="Zur Kenntnis. Bitte Zeitplan für die Offenlage im nächsten Bericht.",
    )
    w.report(
        zoning,
        last,
        health=RED,
        progress=50,
        narrative="Gutachten liegt im Entwurf vor, Nachforderungen der Bezirksregierung zu zwei Störfallbetrieben.",
        risks="Offenlage auf das kommende Quartal verschoben; ohne Festsetzung droht die Umnutzung einzelner Flächen.",
        next_steps="Nachforderungen klären, Thema im Steuerungskreis zur Entscheidung vorlegen.",
    )

    # Flächenmanagement -------------------------------------------------------------------
    flaechen = w.field(
        "DUS-HF2",
        "Strategisches Flächenmanagement",
        lead="DUS-STADT",
        description=(
            "Mit der Umsetzung des strategischen Flächenmanagements sollen Unternehmen aus "
            "produktions- und handwerksgeprägten Branchen auch zukünftig Ansiedlungs- und "
            "Entwicklungsperspektiven in Düsseldorf gegeben werden."
        ),
    )
    flaechen_goal = w.goal(
        flaechen,
        "DUS-Z2",
        "Unternehmen aus produktions- und handwerksgeprägten Branchen Ansiedlungs- und Entwicklungsperspektiven in Düsseldorf geben",
        organization="DUS-STADT",
        priority=Priority.HIGH,
        is_focus=True,
    )
    w.key_result(
        flaechen_goal,
        "DUS-KR2.1",
        "Sofort verfügbare Gewerbe- und Industrieflächen",
        unit="ha",
        baseline=(date(year - 2, 12, 31), 31.5),
        target=(date(year + 3, 12, 31), 45),
        readings=[
            (date(year - 2, 12, 31), 31.5),
            (date(year - 1, 12, 31), 33.8),
            (w.recent(-30, after=date(year - 1, 12, 31)), 36.2),
        ],
        weight=2,
    )
    w.key_result(
        flaechen_goal,
        "DUS-KR2.2",
        "Reichweite der sofort verfügbaren Flächenreserve",
        unit="Jahre",
        baseline=(date(year - 2, 12, 31), 3.8),
        target=(date(year + 3, 12, 31), 6),
        readings=[
            (date(year - 2, 12, 31), 3.8),
            (date(year - 1, 12, 31), 4.1),
            (w.recent(-30, after=date(year - 1, 12, 31)), 4.3),
        ],
        weight=1,
    )

    land_management = w.measure(
        flaechen_goal,
        "DUS-M05",
        "Strategisches Flächenmanagement umsetzen",
        lead="DUS-STADT",
        unit="AG Flächen",
        is_sample=False,
        description=(
            "Flächen für produzierendes Gewerbe und Handwerk sichern, vorhalten und gezielt "
            "vergeben, damit Bestandsunternehmen wachsen und neue Betriebe sich ansiedeln können."
        ),
    )
    land_management = w.set_status(land_management, UMSETZUNG)
    w.milestone(
        land_management,
        "Flächenpool für produzierendes Gewerbe eingerichtet",
        kickoff - timedelta(days=60),
        achieved_on=kickoff - timedelta(days=55),
    )
    w.milestone(land_management, "Vorkaufsrechte für zwei Kernzonen geprüft", d(60))
    w.report(
        land_management,
        last,
        health=GREEN,
        progress=55,
        narrative="Vier Flächen mit zusammen 6,3 ha in den Flächenpool aufgenommen; zwei Erweiterungsanfragen von Bestandsunternehmen bedient.",
        next_steps="Vergabekriterien (Arbeitsplätze je ha, Produktionsanteil) im Steuerungskreis beschließen.",
        review="Vergabekriterien bitte als Beschlussvorlage vorbereiten.",
    )

    monitoring = w.measure(
        flaechen_goal,
        "DUS-M06",
        "Gewerbeflächenmonitoring mit Reichweitenberechnung",
        lead="DUS-STADT",
        unit="AG Flächen",
        planned=(d(-600), d(-200)),
        description="Jährliche Erhebung von Flächenreserve, Inanspruchnahme und Reichweite je Kernzone.",
    )
    monitoring = w.set_status(monitoring, UMSETZUNG, actual_start=d(-590))
    w.milestone(monitoring, "Flächenerhebung abgeschlossen", d(-400), achieved_on=d(-395))
    w.milestone(
        monitoring,
        "Erster Monitoringbericht veröffentlicht",
        d(-200),
        achieved_on=d(-190),
        evidence_url="https://www.duesseldorf.de/wirtschaft/gewerbeflaechen/monitoring",
    )
    monitoring = w.move(monitoring, ABSCHLUSS)
    w.set_status(monitoring, UMGESETZT, actual_end=d(-190))

    brownfield = w.measure(
        flaechen_goal,
        "DUS-M07",
        "Reaktivierung einer Industriebrache in Reisholz für produzierendes Gewerbe",
        lead="DUS-STADT",
        unit="AG Flächen",
        planned=(d(-500), d(-30)),
        depends_on=[monitoring],
        description="Sanierung und Erschließung von rund 7 ha einer früheren Industriefläche.",
    )
    brownfield = w.set_status(brownfield, UMSETZUNG, actual_start=d(-480))
    w.milestone(
        brownfield, "Gefährdungsabschätzung Boden abgeschlossen", d(-380), achieved_on=d(-370)
    )
    w.milestone(brownfield, "Förderbescheid Flächenrecycling", d(-90))
    w.milestone(brownfield, "Erschließung abgeschlossen", d(270))
    w.set_health(
        brownfield,
        AMBER,
        "Mehrkosten bei der Altlastensanierung; Förderantrag ist gestellt.",
    )
    w.report(
        brownfield,
        older,
        health=AMBER,
        progress=30,
        narrative="Sanierungsplan abgestimmt, Förderantrag eingereicht.",
        risks="Mehrkosten der Sanierung von rund 1,2 Mio. Euro sind nur mit Förderung zu tragen.",
        next_steps="Förderbescheid abwarten, Ausschreibung der Erschließung vorbereiten.",
        review="Bitte Alternativen zur Finanzierung prüfen, falls der Bescheid nicht kommt.",
    )
    w.report(
        brownfield,
        last,
        health=RED,
        progress=35,
        narrative="Förderbescheid liegt weiterhin nicht vor; Nachfragen beim Fördergeber ohne Ergebnis.",
        risks="Förderbescheid steht aus; die Vermarktung kann frühestens ein Jahr später beginnen als geplant.",
        next_steps="Eskalation über den Steuerungskreis; Zwischenfinanzierung prüfen.",
    )

    swap = w.measure(
        flaechen_goal,
        "DUS-M08",
        "Flächentauschbörse für Bestandsunternehmen",
        lead="DUS-IHK",
        unit="AG Flächen",
        status=IDEE,
        publication=DRAFT,
        description="Unternehmen mit ungenutzten Reserven und Unternehmen mit Erweiterungsbedarf zusammenbringen.",
    )
    w.milestone(swap, "Interesse bei Mitgliedsunternehmen abfragen", d(75))
    w.milestone(swap, "Konzept im Steuerungskreis vorstellen", date(year + 1, 1, 20))

    # Industrieakzeptanz ------------------------------------------------------------------
    akzeptanz = w.field(
        "DUS-HF3",
        "Industrieakzeptanz und Zusammenarbeit",
        lead="DUS-IHK",
        description=(
            "Bewusstseinsbildung für Industrieakzeptanz. Das Netzwerk aus "
            "Industrieunternehmen, industrienahen Dienstleistungen und technologieorientierten "
            "Gründungen wirkt stabilisierend auf den Wirtschaftsstandort: Nahezu 100.000 "
            "Menschen sind in ihm beschäftigt."
        ),
    )
    akzeptanz_goal = w.goal(
        akzeptanz,
        "DUS-Z3",
        "Bewusstsein für die Bedeutung der Industrie in Stadtgesellschaft und Politik stärken",
        organization="DUS-IHK",
        owner="Schmitz",
        description=(
            "Die Relevanz der Industriekonjunktur geht über die eigene Branche hinaus: Aufträge "
            "für industrienahe Dienstleister, Logistik, Start-ups und Forschungseinrichtungen; "
            "das Einkommen der Industriebeschäftigten ist Nachfrage für Handel und "
            "Freizeitwirtschaft."
        ),
    )
    w.key_result(
        akzeptanz_goal,
        "DUS-KR3.1",
        "Zustimmung zu „Industrie gehört zu Düsseldorf“ in der Bürgerbefragung",
        unit="%",
        baseline=(date(year - 2, 6, 30), 58),
        target=(date(year + 2, 6, 30), 70),
        readings=[(date(year - 2, 6, 30), 58), (date(year - 1, 6, 30), 61), (d(-120), 63)],
    )
    campaign = w.measure(
        akzeptanz_goal,
        "DUS-M09",
        "Kampagne „Industrie in Düsseldorf“ mit Tag der offenen Werkstore",
        lead="DUS-IHK",
        unit="AG Industrieakzeptanz",
        planned=(d(-330), d(10)),
        description="Unternehmen öffnen ihre Werkstore; Plakat- und Social-Media-Kampagne mit Beschäftigten als Gesichtern der Industrie.",
    )
    campaign = w.set_status(campaign, UMSETZUNG, actual_start=d(-320))
    w.milestone(
        campaign,
        "Kampagnenauftakt mit Plakataktion",
        d(-250),
        achieved_on=d(-245),
        evidence_url="https://www.duesseldorf.de/wirtschaft/industrie",
    )
    w.milestone(campaign, "Tag der offenen Werkstore", d(-70), achieved_on=d(-70))
    w.milestone(campaign, "Auswertung und Bericht an den Steuerungskreis", d(10))
    campaign = w.move(campaign, ABSCHLUSS)
    w.set_health(
        campaign,
        AMBER,
        "Zwei der zwölf geplanten Werksöffnungen wurden abgesagt; Ersatz wird gesucht.",
    )
    w.report(
        campaign,
        last,
        health=AMBER,
        progress=85,
        narrative="Tag der offenen Werkstore mit zehn Unternehmen und rund 4.800 Besucherinnen und Besuchern.",
        risks="Auswertung der Besucherbefragung verzögert sich.",
        next_steps="Bericht an den Steuerungskreis; Wiederholung im nächsten Jahr klären.",
    )

    schools = w.measure(
        akzeptanz_goal,
        "DUS-M10",
        "Ausbildungsbotschafter: Schulpartnerschaften der Industrie",
        lead="DUS-IKD",
        unit="AG Industrieakzeptanz",
        planned=(d(-700), d(-200)),
        description="Auszubildende aus Mitgliedsunternehmen berichten in Schulen über Berufe in der Industrie.",
    )
    w.set_status(schools, UMSETZUNG, actual_start=d(-690))
    w.milestone(schools, "Zehn Schulpartnerschaften vereinbart", d(-500), achieved_on=d(-480))
    w.milestone(schools, "Botschafterschulung für Auszubildende", d(-420), achieved_on=d(-430))
    w.stop(
        schools,
        on=d(-300),
        reason="Die Schulpartnerschaften laufen im Landesprogramm „Kein Abschluss ohne "
        "Anschluss“ weiter; eine eigene Struktur im Masterplan ist nicht mehr nötig.",
    )

    zusammenarbeit_goal = w.goal(
        akzeptanz,
        "DUS-Z4",
        "Vertrauensvolle Zusammenarbeit von Stadt und Industrie im Steuerungskreis fortsetzen",
        organization="DUS-STADT",
        owner="Keller",
        description=(
            "Der Masterplan Industrie ist eine Initiative von Stadt, IHK, "
            "Industrieunternehmen, Verbänden und Vereinen."
        ),
    )
    steering = w.measure(
        zusammenarbeit_goal,
        "DUS-M11",
        "Steuerungskreis: Rückblick und Ausblick zum Jahresauftakt",
        lead="DUS-STADT",
        person="Keller",
        unit="Steuerungskreis Masterplan Industrie",
        is_sample=False,
        description=(
            "Zum Jahresauftakt trifft sich der Steuerungskreis im Rathaus: Stadt, IHK, "
            "Industriekreis, politische Vertretungen aus den Ausschüssen für Wirtschaft sowie "
            "Planung und Stadtentwicklung, der Deutsche Gewerkschaftsbund und die "
            "Unternehmerschaft. Rückblick auf die erreichten Meilensteine und Ausblick auf die "
            "kommenden Tätigkeiten."
        ),
    )
    steering = w.set_status(steering, UMSETZUNG)
    w.milestone(
        steering,
        "Sitzung des Steuerungskreises zum Jahresauftakt im Rathaus",
        kickoff,
        achieved_on=kickoff,
        evidence_url="https://www.duesseldorf.de/medienportal/pressedienst",
    )
    w.milestone(
        steering,
        f"Sitzung des Steuerungskreises zum Jahresauftakt {year + 1}",
        date(year + 1, 1, 20),
    )

    # Klimaschutz -------------------------------------------------------------------------
    klima = w.field(
        "DUS-HF4",
        "Klima- und Umweltschutz",
        lead="DUS-IKD",
        description=(
            "Für den Industriekreis Düsseldorf und seine Mitgliedsunternehmen ist der Klima- und "
            "Umweltschutz fest verankerter Teil der unternehmerischen und gesellschaftlichen "
            "Verantwortung."
        ),
    )
    klima_goal = w.goal(
        klima,
        "DUS-Z5",
        "CO2-Emissionen der Mitgliedsunternehmen weiter senken und so zu den Klimazielen der Stadt beitragen",
        organization="DUS-IKD",
        owner="Kleine",
        priority=Priority.HIGH,
        is_focus=True,
        description=(
            "Auch in einem Jahr mit besonderem Augenmerk auf der Versorgungssicherheit haben "
            "die Mitgliedsunternehmen ihre CO2-Emissionen gegenüber dem Basisjahr 2016 um "
            "33 Prozent reduziert."
        ),
    )
    # Baseline (2016) and the −33 % are facts; the target for 2030 and the readings between
    # them are invented, so the key result as a whole is sample data.
    w.key_result(
        klima_goal,
        "DUS-KR5.1",
        "CO2-Emissionen der Mitgliedsunternehmen des Industriekreises (Basisjahr 2016 = 100)",
        unit="Index",
        baseline=(date(2016, 12, 31), 100),
        target=(date(2030, 12, 31), 55),
        readings=[
            (date(2016, 12, 31), 100),
            (date(year - 4, 12, 31), 84),
            (date(year - 3, 12, 31), 78),
            (date(year - 2, 12, 31), 71),
            (date(year - 1, 12, 31), 67),
        ],
        weight=2,
    )
    w.key_result(
        klima_goal,
        "DUS-KR5.2",
        "Mitgliedsunternehmen mit Treibhausgasbilanz nach GHG Protocol",
        unit="%",
        baseline=(date(year - 2, 12, 31), 40),
        target=(date(year + 1, 12, 31), 100),
        readings=[
            (date(year - 2, 12, 31), 40),
            (date(year - 1, 12, 31), 65),
            (w.recent(-20, after=date(year - 1, 12, 31)), 80),
        ],
        weight=1,
    )
    co2_monitoring = w.measure(
        klima_goal,
        "DUS-M12",
        "Gemeinsames CO2-Monitoring der Mitgliedsunternehmen (GHG Protocol, Scope 1 und 2)",
        lead="DUS-IKD",
        person="Kleine",
        unit="AG Klimaschutz Industriekreis",
        planned=(kickoff - timedelta(days=900), kickoff - timedelta(days=30)),
        description="Einheitlicher Erhebungsbogen, abgestimmte Emissionsfaktoren und eine Netzwerkbilanz gegenüber dem Basisjahr 2016.",
    )
    co2_monitoring = w.set_status(
        co2_monitoring, UMSETZUNG, actual_start=kickoff - timedelta(days=890)
    )
    w.milestone(
        co2_monitoring,
        "Erhebungsbogen und Emissionsfaktoren abgestimmt",
        kickoff - timedelta(days=800),
        achieved_on=kickoff - timedelta(days=805),
    )
    w.milestone(
        co2_monitoring,
        "Netzwerkbilanz gegenüber dem Basisjahr 2016 vorgelegt",
        kickoff - timedelta(days=30),
        achieved_on=kickoff - timedelta(days=20),
        evidence_url="https://www.duesseldorf.de/umweltamt/klimaschutz/industrie",
    )
    w.set_status(co2_monitoring, UMGESETZT, actual_end=kickoff - timedelta(days=20))

    efficiency = w.measure(
        klima_goal,
        "DUS-M13",
        "Klimaschutznetzwerk Industrie: Energieeffizienz und Versorgungssicherheit",
        lead="DUS-IKD",
        unit="AG Klimaschutz Industriekreis",
        planned=(d(-400), d(400)),
        depends_on=[co2_monitoring],
        description="Mitgliedsunternehmen heben gemeinsam Effizienzpotenziale (Abwärme, Druckluft, Eigenstrom) und sichern ihre Energieversorgung ab.",
    )
    efficiency = w.set_status(efficiency, UMSETZUNG, actual_start=d(-380))
    w.milestone(
        efficiency,
        "Netzwerkvereinbarung mit zwölf Mitgliedsunternehmen",
        d(-350),
        achieved_on=d(-340),
        evidence_url="https://www.duesseldorf.de/wirtschaft/klimaschutznetzwerk",
    )
    w.milestone(efficiency, "Gemeinsame Potenzialanalyse Abwärme", d(25))
    w.milestone(efficiency, "Zwischenbilanz der Einsparungen", d(200))
    w.report(
        efficiency,
        older,
        health=GREEN,
        progress=35,
        narrative="Energieaudits in neun von zwölf Betrieben abgeschlossen.",
        next_steps="Potenzialanalyse Abwärme beauftragen.",
        review="Danke.",
    )
    w.report(
        efficiency,
        last,
        health=AMBER,
        progress=40,
        narrative="Potenzialanalyse Abwärme beauftragt; erste Ergebnisse für den Hafenbereich liegen vor.",
        risks="Zwei Mitgliedsunternehmen haben Effizienzinvestitionen wegen der Energiepreise zurückgestellt.",
        next_steps="Gespräch mit den beiden Unternehmen; Fördermöglichkeiten aufzeigen.",
    )


# Duisburg: Masterplan Wirtschaft -------------------------------------------------------


def fill_duisburg(w: PlanWriter) -> None:
    d = w.days
    older, last = w.quarter(2), w.quarter(1)
    signed = date(2017, 3, 1)
    general_assembly = date(2022, 3, 1)  # Mitgliederversammlung of Wirtschaft für Duisburg
    dialogue_start = date(2022, 11, 30)  # "Ende November" 2022

    for org in ("DU-STADT", "DU-IHK", "DU-UV"):
        w.partner(org, PartnerRole.INITIATOR, joined_on=signed)
    w.partner("DU-WFD", PartnerRole.MEMBER)
    w.partner("DU-DBI", PartnerRole.MEMBER)
    w.partner("DU-STARTPORT", PartnerRole.MEMBER, joined_on=general_assembly, is_sample=True)
    w.partner("DU-WJ", PartnerRole.MEMBER, joined_on=date(2023, 1, 1), is_sample=True)
    for number in (1, 3, 5):
        w.partner(
            f"DUISBURG-SAMPLE-{number:02d}",
            PartnerRole.MEMBER,
            joined_on=date(2019, 1, 1),
            is_sample=True,
        )

    # Genehmigungen -----------------------------------------------------------------------
    permits = w.field(
        "DU-HF1",
        "Schnellere Genehmigungsverfahren",
        lead="DU-STADT",
        weight=2,
        description=(
            "Eines der zentralen Themen aus Sicht der Wirtschaft: Zu Genehmigungsprozessen kann "
            "wahrscheinlich fast jedes Duisburger Unternehmen eine Geschichte erzählen."
        ),
    )
    top10 = w.goal(
        permits,
        "DU-Z1",
        "Duisburg gehört bis 2025 zu den Top 10 der deutschen Oberzentren mit den schnellsten Genehmigungsverfahren",
        organization="DU-STADT",
        due_date=date(2025, 12, 31),
        priority=Priority.HIGH,
        is_focus=True,
        description="Hierzu suchen Wirtschaft für Duisburg und seine Partner das Gespräch mit Verwaltung und Politik.",
    )
    # The target (top 10 by 2025) is the seed's; the ranks before it are invented.
    w.key_result(
        top10,
        "DU-KR1.1",
        "Rang unter den deutschen Oberzentren bei der Dauer der Baugenehmigungsverfahren",
        unit="Rang",
        baseline=(date(2022, 11, 30), 27),
        target=(date(2025, 12, 31), 10),
        readings=[
            (date(2022, 11, 30), 27),
            (date(2023, 12, 31), 22),
            (date(2024, 12, 31), 16),
            (date(2025, 12, 31), 13),
        ],
        weight=2,
    )
    w.key_result(
        top10,
        "DU-KR1.2",
        "Dauer der Baugenehmigungsverfahren vom vollständigen Antrag bis zum Bescheid (Median)",
        unit="Tage",
        baseline=(date(2022, 12, 31), 96),
        target=(date(2026, 12, 31), 60),
        readings=[
            (date(2022, 12, 31), 96),
            (date(2023, 12, 31), 88),
            (date(2024, 12, 31), 77),
            (date(2025, 12, 31), 71),
            (w.recent(-35, after=date(2025, 12, 31)), 66),
        ],
    )
    w.key_result(
        top10,
        "DU-KR1.3",
        "Digital eingereichte Bauanträge",
        unit="%",
        baseline=(date(2022, 12, 31), 8),
        target=(date(2026, 12, 31), 90),
        readings=[
            (date(2022, 12, 31), 8),
            (date(2023, 12, 31), 31),
            (date(2024, 12, 31), 58),
            (w.recent(-35, after=date(2024, 12, 31)), 74),
        ],
    )

    portal = w.measure(
        top10,
        "DU-M01",
        "Digitaler Bauantrag: vollständige Anbindung an das Bauportal.NRW",
        lead="DU-STADT",
        unit="AG Genehmigungen",
        planned=(d(-560), d(-45)),
        description="Bauanträge werden digital eingereicht, geprüft und mit den Fachämtern abgestimmt – ohne Medienbruch.",
    )
    portal = w.set_status(portal, UMSETZUNG, actual_start=d(-540))
    w.milestone(
        portal,
        "Online-Einreichung für einfache Verfahren",
        d(-400),
        achieved_on=d(-410),
        evidence_url="https://www.duisburg.de/microsites/bauaufsicht/bauportal",
    )
    w.milestone(portal, "Digitale Beteiligung der Fachämter", d(-60))
    w.milestone(portal, "Vollständig digitale Bauakte", d(120))
    w.set_health(
        portal,
        AMBER,
        "Die Schnittstelle zum Fachverfahren der Bauaufsicht ist erst mit dem nächsten Update des Herstellers verfügbar.",
    )
    w.report(
        portal,
        older,
        health=AMBER,
        progress=70,
        narrative="Gut zwei Drittel der Bauanträge gehen inzwischen digital ein; Testbetrieb der Fachämterbeteiligung mit dem Umweltamt.",
        risks="Das Update des Fachverfahrens verschiebt sich um ein Quartal.",
        next_steps="Testbetrieb auf Feuerwehr und Tiefbauamt ausweiten.",
        review="Bitte den Hersteller zum nächsten Lenkungskreis einladen.",
    )
    w.report(
        portal,
        last,
        health=AMBER,
        progress=75,
        narrative="Testbetrieb mit drei Fachämtern läuft; Schulungen für die Sachbearbeitung abgeschlossen.",
        risks="Der Produktivstart der Fachämterbeteiligung hängt weiter am Update des Herstellers.",
        next_steps="Produktivstart nach dem Update; geplantes Ende neu festlegen.",
    )

    intake = w.measure(
        top10,
        "DU-M02",
        "Eingangsmanagement: Vollständigkeitsprüfung binnen zwei Wochen",
        lead="DU-STADT",
        unit="AG Genehmigungen",
        planned=(d(-700), d(-150)),
        description="Die Bauaufsicht prüft Anträge innerhalb der Frist des § 71 Abs. 1 BauO NRW auf Vollständigkeit und fordert fehlende Unterlagen gebündelt nach.",
    )
    intake = w.set_status(intake, UMSETZUNG, actual_start=d(-690))
    w.milestone(
        intake,
        "Checklisten je Verfahrensart veröffentlicht",
        d(-600),
        achieved_on=d(-590),
        evidence_url="https://www.duisburg.de/microsites/bauaufsicht/checklisten",
    )
    w.milestone(
        intake,
        "Über 90 % der Vollständigkeitsprüfungen fristgerecht",
        d(-150),
        achieved_on=d(-120),
    )
    intake = w.move(intake, ABSCHLUSS)
    w.report(
        intake,
        last,
        health=GREEN,
        progress=90,
        narrative="92 % der Vollständigkeitsprüfungen im Quartal fristgerecht; Nachforderungen gebündelt in einem Schreiben.",
        next_steps="Verfahren in den Regelbetrieb übergeben, Abschlussbericht.",
        review="Ein Erfolg – bitte im Wirtschaftsdialog vorstellen.",
    )

    pilots = w.measure(
        top10,
        "DU-M03",
        "Verfahrenslotsen für gewerbliche Großvorhaben",
        lead="DU-DBI",
        unit="AG Genehmigungen",
        planned=(d(-300), d(180)),
        description="Eine feste Ansprechperson begleitet große Ansiedlungs- und Erweiterungsvorhaben durch alle Genehmigungsschritte.",
    )
    pilots = w.set_status(pilots, UMSETZUNG, actual_start=d(-250))
    w.milestone(
        pilots,
        "Lotsenkonzept mit Bauaufsicht und Umweltamt abgestimmt",
        d(-260),
        achieved_on=d(-255),
    )
    w.milestone(pilots, "Zweite Lotsenstelle besetzt", d(-30))
    w.milestone(pilots, "Erste Bilanz der begleiteten Vorhaben", d(28))
    w.set_health(pilots, AMBER, "Eine der zwei Lotsenstellen ist noch unbesetzt.")
    w.report(
        pilots,
        older,
        health=AMBER,
        progress=30,
        narrative="Die erste Lotsin begleitet sechs Vorhaben; die Ausschreibung der zweiten Stelle brachte keine geeignete Bewerbung.",
        risks="Die zweite Stelle ist unbesetzt.",
        next_steps="Erneute Ausschreibung, auch über die Netzwerke der IHK.",
        review="Bitte die Stellenbesetzung im Lenkungskreis ansprechen.",
    )
    w.report(
        pilots,
        last,
        health=RED,
        progress=30,
        narrative="Acht Vorhaben in Begleitung; auch die zweite Ausschreibung blieb ohne Erfolg.",
        risks="Die zweite Lotsenstelle ist weiterhin unbesetzt; Großvorhaben werden nur eingeschränkt begleitet.",
        next_steps="Abordnung aus der Bauaufsicht prüfen; Entscheidung im Lenkungskreis.",
    )

    benchmark = w.measure(
        top10,
        "DU-M04",
        "Jährlicher Benchmark der Genehmigungsdauer in den Oberzentren",
        lead="DU-IHK",
        unit="AG Genehmigungen",
        planned=(d(-1000), d(60)),
        description="Veröffentlichte Verfahrensdauern der Oberzentren sammeln und mit offengelegter Definition von Beginn und Ende vergleichen.",
    )
    benchmark = w.set_status(benchmark, UMSETZUNG, actual_start=d(-990))
    w.milestone(
        benchmark,
        "Methodik mit Vergleichsstädten abgestimmt (Beginn und Ende eines Verfahrens)",
        d(-900),
        achieved_on=d(-880),
    )
    w.milestone(
        benchmark,
        "Benchmark des Vorjahres veröffentlicht",
        d(-200),
        achieved_on=d(-210),
        evidence_url="https://www.duisburg.de/wirtschaft/genehmigungsbenchmark",
    )
    w.milestone(benchmark, "Benchmark des laufenden Jahres", d(60))
    w.report(
        benchmark,
        last,
        health=GREEN,
        progress=70,
        narrative="Zahlen von 31 Oberzentren angefragt, 24 haben geantwortet.",
        next_steps="Auswertung und Veröffentlichung.",
        review="Danke – die Definitionen der Städte bitte mit veröffentlichen.",
    )

    # Start-ups ---------------------------------------------------------------------------
    startups = w.field(
        "DU-HF2",
        "Start-up-Standort Duisburg",
        lead="DU-WFD",
        weight=2,
        description=(
            "Start-ups brauchen Partner, um sich weiterentwickeln zu können. Die Partnerschaft "
            "mit startport ergänzt die bestehenden Entrepreneur-Aktivitäten in Duisburg."
        ),
    )
    startup_goal = w.goal(
        startups,
        "DU-Z2",
        "Junge und etablierte Unternehmen sowie Finanzierungspartner zusammenbringen und das Image Duisburgs als Start-up-Standort stärken",
        organization="DU-WFD",
        owner="Trapp",
        priority=Priority.HIGH,
        is_focus=True,
        description="Win-win-Situationen für alle Seiten schaffen – nur gemeinsam entsteht genug Strahlkraft, um die Stadt weiter nach vorne zu bringen.",
    )
    w.key_result(
        startup_goal,
        "DU-KR2.1",
        "Duisburger Start-ups mit kostenloser Mitgliedschaft bei Wirtschaft für Duisburg",
        unit="Start-ups",
        baseline=(general_assembly, 0),
        target=(date(2026, 12, 31), 40),
        readings=[
            (general_assembly, 0),
            (date(2022, 12, 31), 9),
            (date(2023, 12, 31), 18),
            (date(2024, 12, 31), 26),
            (date(2025, 12, 31), 31),
            (w.recent(-15, after=date(2025, 12, 31)), 34),
        ],
    )
    w.key_result(
        startup_goal,
        "DU-KR2.2",
        "Vermittelte Kontakte zwischen Start-ups und Finanzierungspartnern",
        unit="Kontakte",
        baseline=(date(2023, 1, 1), 0),
        target=(date(2026, 12, 31), 60),
        readings=[
            (date(2023, 1, 1), 0),
            (date(2023, 12, 31), 14),
            (date(2024, 12, 31), 29),
            (w.recent(-15, after=date(2024, 12, 31)), 37),
        ],
    )
    mou = w.measure(
        startup_goal,
        "DU-M05",
        "Partnerschaft mit startport: Memorandum of Understanding",
        lead="DU-WFD",
        person="Kleff",
        unit="Wirtschaft für Duisburg",
        is_sample=False,
        description=(
            "In der Mitgliederversammlung von Wirtschaft für Duisburg im März 2022 ist der "
            "Start-up-Spezialist startport als Mitglied beigetreten; beide haben ein Memorandum "
            "of Understanding unterzeichnet."
        ),
    )
    w.milestone(
        mou,
        "startport tritt Wirtschaft für Duisburg als Mitglied bei (Mitgliederversammlung März 2022)",
        general_assembly,
        achieved_on=general_assembly,
        is_sample=False,
    )
    w.milestone(
        mou,
        "Memorandum of Understanding unterzeichnet (Mitgliederversammlung März 2022)",
        general_assembly,
        achieved_on=general_assembly,
        is_sample=False,
    )
    mou = w.set_status(mou, UMSETZUNG, actual_start=general_assembly)
    mou = w.set_status(mou, UMGESETZT, actual_end=general_assembly)

    membership = w.measure(
        startup_goal,
        "DU-M06",
        "Zweijährige kostenlose Mitgliedschaft für alle Duisburger Start-ups",
        lead="DU-WFD",
        person="Kleff",
        unit="Wirtschaft für Duisburg",
        is_sample=False,
        description=(
            "Wirtschaft für Duisburg bietet allen Duisburger Start-ups eine zweijährige "
            "kostenlose Mitgliedschaft an, innerhalb derer sie auch von ausgewählten Leistungen "
            "der Unternehmerverbandsgruppe profitieren können."
        ),
    )
    membership = w.set_status(membership, UMSETZUNG, actual_start=general_assembly)
    w.milestone(membership, "25. Start-up als Mitglied begrüßt", d(-500), achieved_on=d(-520))
    w.milestone(membership, "Anschlussangebot nach Ablauf der zwei Jahre", d(40))
    w.report(
        membership,
        last,
        health=GREEN,
        progress=60,
        narrative="Drei weitere Start-ups aufgenommen; vier Start-ups sind nach zwei Jahren in die reguläre Mitgliedschaft gewechselt.",
        next_steps="Anschlussangebot mit gestaffeltem Beitrag ausarbeiten.",
        review="Bitte das Anschlussangebot im Vorstand abstimmen.",
    )

    umbrella = w.measure(
        startup_goal,
        "DU-M07",
        "Eine Klammer um die Start-up-Initiativen: Start-up-Wettbewerb der DBI, WestVisions und Ruhrpitch",
        lead="DU-STARTPORT",
        person="Trapp",
        unit="startport",
        is_sample=False,
        depends_on=[mou],
        description=(
            "Mit allen Akteuren eine Klammer um die vielfältigen Start-up-Initiativen in "
            "Duisburg bilden: den angekündigten Start-up-Wettbewerb der DBI, die WestVisions "
            "und den Ruhrpitch der Wirtschaftsjunioren."
        ),
    )
    umbrella = w.set_status(umbrella, UMSETZUNG)
    w.milestone(
        umbrella,
        "Gemeinsamer Start-up-Kalender online",
        d(-180),
        achieved_on=d(-175),
        evidence_url="https://www.duisburg.de/wirtschaft/startups",
    )
    w.milestone(umbrella, "Termine von Start-up-Wettbewerb und Ruhrpitch abgestimmt", d(50))
    w.report(
        umbrella,
        last,
        health=AMBER,
        progress=45,
        narrative="Start-up-Kalender mit 27 Terminen online; die Abstimmungsrunde der Veranstalter hat zweimal getagt.",
        risks="Start-up-Wettbewerb und Ruhrpitch liegen im kommenden Jahr in derselben Woche.",
        next_steps="Terminabstimmung mit DBI und Wirtschaftsjunioren.",
    )

    matching = w.measure(
        startup_goal,
        "DU-M08",
        "Matching-Abende: Start-ups treffen Finanzierungspartner",
        lead="DU-STARTPORT",
        unit="startport",
        status=IDEE,
        publication=DRAFT,
        depends_on=[mou, membership],
        description="Junge und etablierte Unternehmen sowie Finanzierungspartner an einen Tisch bringen.",
    )
    w.milestone(matching, "Format mit Kapital Niederrhein Beteiligungen abgestimmt", d(45))
    w.milestone(matching, "Erster Matching-Abend", d(120))

    # Wirtschaftsdialog -------------------------------------------------------------------
    dialogue = w.field(
        "DU-HF3",
        "Wirtschaftsdialog",
        lead="DU-WFD",
        weight=2,
        description=(
            "Ein ehrlicher und regelmäßiger Austausch zwischen den Akteuren auf allen Ebenen. "
            "Gemeinsame Projekte fördern das Verständnis für die Zwänge und Nöte der jeweils "
            "anderen Seite."
        ),
    )
    dialogue_goal = w.goal(
        dialogue,
        "DU-Z3",
        "Ehrlicher und regelmäßiger Austausch zwischen Wirtschaft, Verwaltung und Politik auf allen Ebenen",
        organization="DU-WFD",
        owner="Kranki",
        priority=Priority.HIGH,
        is_focus=True,
    )
    w.key_result(
        dialogue_goal,
        "DU-KR3.1",
        "Teilnehmende Unternehmen bei „Business beim Brötchen“ im Jahr",
        unit="Unternehmen",
        baseline=(date(2022, 12, 31), 35),
        target=(date(2026, 12, 31), 150),
        readings=[
            (date(2022, 12, 31), 35),
            (date(2023, 12, 31), 82),
            (date(2024, 12, 31), 109),
            (date(2025, 12, 31), 121),
        ],
    )
    w.key_result(
        dialogue_goal,
        "DU-KR3.2",
        "Zufriedenheit mit der Zusammenarbeit von Wirtschaft und Verwaltung (Unternehmensbefragung, Schulnote)",
        unit="Note",
        baseline=(date(2022, 6, 30), 3.4),
        target=(date(2026, 12, 31), 2.5),
        readings=[
            (date(2022, 6, 30), 3.4),
            (date(2024, 6, 30), 3.1),
            (w.recent(-60, after=date(2024, 6, 30)), 2.9),
        ],
    )
    breakfast = w.measure(
        dialogue_goal,
        "DU-M09",
        "„Business beim Brötchen – der Wirtschaftsdialog“",
        lead="DU-WFD",
        person="Kranki",
        unit="Wirtschaft für Duisburg und DBI",
        is_sample=False,
        description=(
            "Gemeinsames Format von Wirtschaft für Duisburg und Duisburg Business & Innovation "
            "(DBI), gestartet Ende November 2022. Erstes Thema auf der Agenda: "
            "Genehmigungsprozesse."
        ),
    )
    breakfast = w.set_status(breakfast, UMSETZUNG, actual_start=dialogue_start)
    w.milestone(
        breakfast,
        "Auftakt zum Thema Genehmigungsprozesse",
        dialogue_start,
        achieved_on=dialogue_start,
        is_sample=False,
    )
    w.milestone(
        breakfast,
        "Ausgabe zum Thema Fachkräfte",
        d(-120),
        achieved_on=d(-120),
        evidence_url="https://www.duisburg.de/wirtschaft/wirtschaftsdialog",
    )
    w.milestone(breakfast, "Ausgabe zum Thema Gewerbeflächen", d(24))
    w.report(
        breakfast,
        older,
        health=GREEN,
        progress=50,
        narrative="Ausgabe zum Thema Fachkräfte mit 38 Unternehmen; Fragen an die Ausländerbehörde gesammelt und weitergegeben.",
        next_steps="Thema Gewerbeflächen vorbereiten, Referentin aus der Stadtplanung anfragen.",
        review="Sehr gut besucht. Die Antworten der Ausländerbehörde bitte an alle Teilnehmenden.",
    )
    w.report(
        breakfast,
        last,
        health=GREEN,
        progress=55,
        narrative="Antworten der Ausländerbehörde an die Teilnehmenden versandt; Termin und Ort für die nächste Ausgabe stehen.",
        next_steps="Einladung zur Ausgabe Gewerbeflächen versenden.",
    )
    # The pilots build on what the dialogue on permitting brought up.
    w.set_dependencies(pilots, [breakfast])

    binding_goal = w.goal(
        dialogue,
        "DU-Z4",
        "Gemeinsame Projekte verbindlich steuern: klar definierte Ziele, Zeitpläne und Zuständigkeiten, agile Herangehensweise",
        organization="DU-WFD",
        owner="Kleff",
        description=(
            "Wie in jedem Projekt braucht es Verantwortliche, die die Richtung vorgeben, "
            "Lenkungskreise als Sparringspartner für die nötigen Entscheidungen auf oberster "
            "Ebene und operative Einheiten, die die eigentliche Facharbeit machen."
        ),
    )
    steering = w.measure(
        binding_goal,
        "DU-M10",
        "Lenkungskreis als Sparringspartner für Entscheidungen auf oberster Ebene einrichten",
        lead="DU-WFD",
        person="Kranki",
        unit="Wirtschaft für Duisburg",
        planned=(d(-120), d(90)),
        description="Verwaltungsspitze, IHK, Unternehmerverband und Wirtschaft für Duisburg beraten zweimal im Jahr über die zentralen Themen.",
    )
    w.milestone(steering, "Geschäftsordnung abgestimmt", d(-10))
    w.milestone(steering, "Konstituierende Sitzung des Lenkungskreises", d(60))
    w.set_health(
        steering,
        AMBER,
        "Die Benennung der Vertretung aus der Verwaltungsspitze steht noch aus.",
    )

    # The first phase, 2017 to the fifth anniversary in March 2022 ------------------------
    history = w.field(
        "DU-HF4",
        "Projekte des Masterplans 2017",
        lead="DU-STADT",
        weight=1,
        description=(
            "Im März 2017 von Stadt, IHK und Unternehmerverband unterzeichnet. Bis zum fünften "
            "Jahrestag im März 2022 wurde in guter Partnerschaft die Großzahl der Projekte "
            "umgesetzt – ein festes Vertrauensfundament zwischen Wirtschaft und Stadt."
        ),
    )
    history_goal = w.goal(
        history,
        "DU-Z5",
        "Die Projekte des Masterplans 2017 umsetzen",
        organization="DU-STADT",
        priority=Priority.LOW,
    )
    association = w.measure(
        history_goal,
        "DU-M11",
        "Gründung des Vereins Wirtschaft für Duisburg",
        lead="DU-UV",
        person="Kranki",
        unit="Unternehmerverband",
        is_sample=False,
        description=(
            "Ein Kind des Masterplan-Prozesses: ein stetig wachsender Zusammenschluss "
            "engagierter Duisburger Unternehmerinnen und Unternehmer, die sich für ihre Stadt "
            "einsetzen. Alexander Kranki ist seit Gründung Vorstandsvorsitzender."
        ),
    )
    w.milestone(
        association, "Gründungsversammlung", date(2017, 10, 1), achieved_on=date(2017, 10, 1)
    )
    w.milestone(association, "100. Mitglied", date(2020, 6, 30), achieved_on=date(2020, 2, 14))
    w.set_status(association, UMGESETZT)

    office = w.measure(
        history_goal,
        "DU-M12",
        "Unternehmenslotse: eine Anlaufstelle für Anliegen von Unternehmen in der Verwaltung",
        lead="DU-DBI",
        unit="Wirtschaftsförderung",
        planned=(date(2017, 6, 1), date(2018, 6, 30)),
    )
    office = w.set_status(office, UMSETZUNG, actual_start=date(2017, 7, 1))
    w.milestone(office, "Lotsenstelle besetzt", date(2017, 10, 1), achieved_on=date(2017, 9, 15))
    w.milestone(
        office,
        "Servicezusage: Rückmeldung binnen 48 Stunden",
        date(2018, 6, 30),
        achieved_on=date(2018, 5, 31),
    )
    w.set_status(office, UMGESETZT, actual_end=date(2018, 5, 31))

    land = w.measure(
        history_goal,
        "DU-M13",
        "Gewerbeflächeninitiative: Reserveflächen mobilisieren",
        lead="DU-STADT",
        unit="Stadtentwicklung",
        planned=(date(2017, 9, 1), date(2019, 12, 31)),
    )
    land = w.set_status(land, UMSETZUNG, actual_start=date(2017, 10, 1))
    w.milestone(
        land,
        "Flächenkataster mit Verfügbarkeiten",
        date(2018, 6, 30),
        achieved_on=date(2018, 8, 15),
    )
    w.milestone(
        land,
        "Drei Brachflächen für Neuansiedlungen vermarktet",
        date(2019, 12, 31),
        achieved_on=date(2020, 9, 30),
    )
    w.set_health(land, AMBER, "Die Vermarktung der dritten Brachfläche verzögert sich.")
    w.set_status(land, UMGESETZT, actual_end=date(2020, 9, 30), health=GREEN, health_reason="")

    fair = w.measure(
        history_goal,
        "DU-M14",
        "Gemeinsame Ausbildungsmesse von Stadt, IHK und Unternehmerverband",
        lead="DU-IHK",
        unit="AG Fachkräfte",
        planned=(date(2019, 9, 1), date(2020, 11, 30)),
    )
    w.set_status(fair, UMSETZUNG, actual_start=date(2019, 10, 1))
    w.milestone(fair, "Messekonzept abgestimmt", date(2019, 12, 15), achieved_on=date(2019, 12, 10))
    w.milestone(fair, "Hallenvertrag geschlossen", date(2020, 2, 28), achieved_on=date(2020, 2, 26))
    w.stop(
        fair,
        on=date(2020, 4, 15),
        reason="Die Präsenzmesse konnte wegen Corona nicht stattfinden; die Partner "
        "beteiligen sich seitdem an den bestehenden Ausbildungsbörsen.",
    )
