"""Demo indicators of both seed partnerships, written through the services (audited).

Duisburg's permit time and start-up figures follow the key results of the plans demo, which
take their values from these indicators through targets. Statistics whose real values are not
in the seeds (business registrations, employment, land) are invented in realistic orders of
magnitude and marked as sample data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from masterplan.core.actors import Actor
from masterplan.core.demo import DUESSELDORF, DUISBURG, DemoContext, register_demo
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.demo import organizations_by_external_id
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator
from masterplan.indicators.services import (
    indicator_create,
    indicator_follow_source,
    observation_record,
    sync_key_results,
    target_create,
)
from masterplan.plans.models import KeyResult


@dataclass(frozen=True)
class DemoTarget:
    value: float
    on: date
    baseline: tuple[date, float] | None = None
    key_result: str = ""  # external id of a key result of the plans demo


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    unit: str
    direction: str
    method: str
    source: str
    responsible: str
    values: Sequence[tuple[str, float]]  # (period, value); the last one may be provisional
    target: DemoTarget | None = None
    aggregation: str = "sum"
    per_organization: Mapping[str, Sequence[tuple[str, float]]] | None = None
    provisional_last: bool = False
    is_sample: bool = True


def duisburg(year: int) -> list[DemoIndicator]:
    return [
        DemoIndicator(
            code="DU-GEN-DAUER",
            name="Dauer der Baugenehmigungsverfahren vom vollständigen Antrag bis zum Bescheid",
            unit="Tage",
            direction="lower",
            method=(
                "Median der Kalendertage vom Eingang der vollständigen Unterlagen bis zum "
                "Bescheid, über alle im Jahr beschiedenen Bauanträge."
            ),
            source="Stadt Duisburg, Amt für Baurecht und Bauberatung (Beispielwerte)",
            responsible="DU-STADT",
            values=[("2022", 96), ("2023", 88), ("2024", 77), ("2025", 71)]
            + ([(str(year), 66)] if year > 2025 else []),
            provisional_last=year > 2025,
            target=DemoTarget(60, date(2026, 12, 31), (date(2022, 12, 31), 96), "DU-KR1.2"),
        ),
        DemoIndicator(
            code="DU-STARTUPS",
            name="Start-ups mit kostenloser Mitgliedschaft bei Wirtschaft für Duisburg",
            unit="Start-ups",
            direction="higher",
            method="Bestand der beitragsfreien Mitgliedschaften von Start-ups am Jahresende.",
            source="Wirtschaft für Duisburg e. V., Mitgliederverwaltung (Beispielwerte)",
            responsible="DU-WFD",
            values=[("2022", 9), ("2023", 18), ("2024", 26), ("2025", 31)]
            + ([(str(year), 34)] if year > 2025 else []),
            provisional_last=year > 2025,
            target=DemoTarget(40, date(2026, 12, 31), (date(2022, 3, 1), 0), "DU-KR2.1"),
        ),
        DemoIndicator(
            code="DU-GEWERBE",
            name="Gewerbeanmeldungen (Neuerrichtungen) in Duisburg",
            unit="Anmeldungen",
            direction="higher",
            method="Neuerrichtungen laut Gewerbeanzeigenstatistik, ohne Zuzüge und Übernahmen.",
            source="IT.NRW, Gewerbeanzeigenstatistik (Beispielwerte)",
            responsible="DU-DBI",
            values=[
                ("2019", 3710),
                ("2020", 3480),
                ("2021", 3620),
                ("2022", 3550),
                ("2023", 3490),
                ("2024", 3580),
            ],
            target=DemoTarget(4000, date(2027, 12, 31)),
        ),
        DemoIndicator(
            code="DU-SVB",
            name="Sozialversicherungspflichtig Beschäftigte am Arbeitsort Duisburg",
            unit="Beschäftigte",
            direction="higher",
            method="Beschäftigte am Arbeitsort zum Stichtag 30. Juni.",
            source="Bundesagentur für Arbeit, Beschäftigungsstatistik (Beispielwerte)",
            responsible="DU-DBI",
            values=[
                ("2019", 178900),
                ("2020", 177600),
                ("2021", 179800),
                ("2022", 182100),
                ("2023", 183400),
                ("2024", 183000),
            ],
            target=DemoTarget(186000, date(2027, 12, 31)),
        ),
        DemoIndicator(
            code="DU-AUSBILDUNG",
            name="Neue Ausbildungsverträge bei den Partnern des Masterplans",
            unit="Verträge",
            direction="higher",
            method=(
                "Summe der im Jahr neu abgeschlossenen Ausbildungsverträge, von jedem Partner "
                "für sich gemeldet."
            ),
            source="Meldungen der Partner (Beispielwerte)",
            responsible="DU-IHK",
            values=[],
            per_organization={
                "DU-STADT": [("2022", 231), ("2023", 240), ("2024", 255)],
                "DU-IHK": [("2022", 11), ("2023", 12), ("2024", 14)],
                "DU-UV": [("2022", 4), ("2023", 5), ("2024", 5)],
                "DU-DBI": [("2023", 6), ("2024", 7)],
            },
            target=DemoTarget(300, date(2027, 12, 31)),
        ),
    ]


def duesseldorf(year: int) -> list[DemoIndicator]:
    return [
        DemoIndicator(
            code="DUS-FLAECHE",
            name="Sofort verfügbare Gewerbe- und Industrieflächen",
            unit="ha",
            direction="higher",
            method=(
                "Summe der Flächen im Gewerbeflächenkataster, die ohne weitere Planung oder "
                "Erschließung vergeben werden können, zum Jahresende."
            ),
            source="Landeshauptstadt Düsseldorf, Amt für Wirtschaftsförderung (Beispielwerte)",
            responsible="DUS-AWI",
            values=[(str(year - 2), 31.5), (str(year - 1), 33.8), (str(year), 36.2)],
            provisional_last=True,
            target=DemoTarget(
                45, date(year + 3, 12, 31), (date(year - 2, 12, 31), 31.5), "DUS-KR2.1"
            ),
        ),
        DemoIndicator(
            code="DUS-IND-BESCH",
            name="Beschäftigte im Verarbeitenden Gewerbe in Düsseldorf",
            unit="Beschäftigte",
            direction="higher",
            method="Sozialversicherungspflichtig Beschäftigte am Arbeitsort, WZ 2008 Abschnitt C.",
            source="Bundesagentur für Arbeit, Beschäftigungsstatistik (Beispielwerte)",
            responsible="DUS-IHK",
            values=[
                ("2019", 46200),
                ("2020", 45100),
                ("2021", 44300),
                ("2022", 44800),
                ("2023", 44500),
                ("2024", 44100),
            ],
            target=DemoTarget(45000, date(2027, 12, 31)),
        ),
    ]


@register_demo("indicators")
def load(context: DemoContext) -> None:
    """Create the demo indicators with their values and targets in both plans."""
    year = context.today.year
    for slug, demo in ((DUISBURG, duisburg(year)), (DUESSELDORF, duesseldorf(year))):
        masterplan = context.plans[slug]
        orgs = organizations_by_external_id(masterplan)
        for d in demo:
            write(actor=context.actor, masterplan=masterplan, orgs=orgs, demo=d)
    permit_indicators(context)


def permit_indicators(context: DemoContext) -> None:
    """Duisburg's goal "top 10 of the German Oberzentren with the fastest permitting by 2025"
    followed through the permit monitor's figures (sample data): the chance of a top-10 place
    by net Kaplan–Meier median among the peers (the duration itself is DU-GEN-DAUER)."""
    indicator = indicator_create(
        actor=context.actor,
        masterplan=context.plans[DUISBURG],
        code="DU-GEN-TOP10",
        name=(
            "Chance auf einen Platz unter den 10 schnellsten Oberzentren "
            "(Baugenehmigungen, Median netto)"
        ),
        unit="%",
        direction="higher",
        follows="permits.p_top10",
        source="Genehmigungsmonitor (Beispieldaten)",
        is_sample=True,
        publication=Publication.PUBLISHED,
    )
    indicator_follow_source(actor=context.actor, indicator=indicator, today=context.today)
    target_create(
        actor=context.actor,
        indicator=indicator,
        value=Decimal(50),
        target_date=date(context.today.year, 12, 31),
        is_sample=True,
    )


def write(
    *, actor: Actor, masterplan: Masterplan, orgs: Mapping[str, Organization], demo: DemoIndicator
) -> Indicator:
    indicator = indicator_create(
        actor=actor,
        masterplan=masterplan,
        code=demo.code,
        name=demo.name,
        unit=demo.unit,
        direction=demo.direction,
        aggregation=demo.aggregation,
        method=demo.method,
        source=demo.source,
        responsible_organization=orgs.get(demo.responsible),
        is_sample=demo.is_sample,
        publication=Publication.PUBLISHED,
    )
    for n, (period, value) in enumerate(demo.values):
        provisional = demo.provisional_last and n == len(demo.values) - 1
        observation_record(
            actor=actor,
            indicator=indicator,
            period=period,
            value=Decimal(str(value)),
            status="provisional" if provisional else "final",
            source=demo.source,
            is_sample=demo.is_sample,
            sync=False,
        )
    for external_id, values in (demo.per_organization or {}).items():
        for period, value in values:
            observation_record(
                actor=actor,
                indicator=indicator,
                period=period,
                value=Decimal(str(value)),
                scope="organization",
                organization=orgs[external_id],
                source=demo.source,
                is_sample=demo.is_sample,
                sync=False,
            )
    if demo.target is not None:
        t = demo.target
        key_result = (
            KeyResult.objects.filter(masterplan=masterplan, external_id=t.key_result).first()
            if t.key_result
            else None
        )
        target_create(
            actor=actor,
            indicator=indicator,
            value=Decimal(str(t.value)),
            target_date=t.on,
            baseline_value=Decimal(str(t.baseline[1])) if t.baseline else None,
            baseline_date=t.baseline[0] if t.baseline else None,
            key_result=key_result,
            is_sample=demo.is_sample,
        )
    sync_key_results(actor=actor, indicator=indicator)
    return indicator
