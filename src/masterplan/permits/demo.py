"""Demo data of the permit monitor: Duisburg and peer Oberzentren in NRW.

In the Duisburg plan: the statutory procedure types, the city's building authority and its
immission control authority (with contacts who get the deadline reminders), building
authorities of eight peer cities that share record-level data, and published figures of six
more. Every procedure and figure is invented and marked as sample data: procedures carry
`is_sample`, published figures say "Beispieldaten" in their source. The figures are plausible
(net median of building permits 2–4 months, BImSchG § 19 3–6 months, § 10 7–14 months, 5–15 %
withdrawn) and Gelsenkirchen has a backlog of stalled open cases: its naive mean of closed
cases ranks it better than its Kaplan–Meier median does.

Dates count back from `context.today`, so the demo always has recent and open procedures
(some of them past their deadline). Reference data goes through the services (audited); the
~4,000 procedures with their events are drawn by synthetic.py and bulk-written (sample data,
no audit entries), which keeps `masterplan setup` fast.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from masterplan.core.actors import Actor
from masterplan.core.demo import DUISBURG, DemoContext, register_demo
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.demo import organizations_by_external_id
from masterplan.directory.models import Organization, Person
from masterplan.directory.services import affiliation_create, person_create
from masterplan.permits import services
from masterplan.permits.models import AuthorityKind, ClockStart, Statistic
from masterplan.permits.synthetic import AuthorityProfile, write_procedures

SEED = 20_221_129  # the first "Business beim Brötchen" on permits, end of November 2022
SAMPLE_SOURCE = "Beispieldaten: erfundene Zahl für die Demo, keine Veröffentlichung der Stadt"
BUILDING = AuthorityKind.BUILDING
IMMISSION = AuthorityKind.IMMISSION

# The plan's own authorities and the peers that share their records. Official municipality
# keys (AGS) as in core.synthetic.MUNICIPALITIES (Gemeindeverzeichnis).
AUTHORITIES: tuple[AuthorityProfile, ...] = (
    AuthorityProfile(
        "Amt für Baurecht und Bauberatung Duisburg",
        "Duisburg",
        "05112000",
        BUILDING,
        volume=1_400,
        speed=0.88,
        trend=0.12,
        withdrawn=0.09,
        is_own=True,
    ),
    AuthorityProfile(
        "Umweltamt Duisburg – Immissionsschutz",
        "Duisburg",
        "05112000",
        IMMISSION,
        volume=260,
        speed=1.05,
        trend=0.05,
        withdrawn=0.07,
        is_own=True,
    ),
    AuthorityProfile("Bauaufsicht Essen", "Essen", "05113000", BUILDING, 280, 0.85),
    AuthorityProfile("Immissionsschutz Essen", "Essen", "05113000", IMMISSION, 90, 0.9),
    AuthorityProfile("Bauaufsicht Dortmund", "Dortmund", "05913000", BUILDING, 300, 0.8),
    AuthorityProfile("Bauaufsicht Düsseldorf", "Düsseldorf", "05111000", BUILDING, 300, 0.95),
    AuthorityProfile("Immissionsschutz Düsseldorf", "Düsseldorf", "05111000", IMMISSION, 90),
    # A fast authority with a backlog of stalled cases: flattered by the naive mean.
    AuthorityProfile(
        "Bauaufsicht Gelsenkirchen",
        "Gelsenkirchen",
        "05513000",
        BUILDING,
        volume=260,
        speed=0.6,
        withdrawn=0.06,
        backlog=0.35,
    ),
    AuthorityProfile("Bauaufsicht Oberhausen", "Oberhausen", "05119000", BUILDING, 200, 1.1),
    AuthorityProfile(
        "Bauaufsicht Mülheim an der Ruhr",
        "Mülheim an der Ruhr",
        "05117000",
        BUILDING,
        180,
        0.9,
        withdrawn=0.12,
    ),
    AuthorityProfile("Bauaufsicht Krefeld", "Krefeld", "05114000", BUILDING, 200, 1.2),
    AuthorityProfile("Bauaufsicht Münster", "Münster", "05515000", BUILDING, 240, 0.75),
)

# Peers known only by published figures: (city, AGS, KM median net days of § 64 BauO NRW, n,
# mean of closed cases from receipt in days). All invented.
PUBLISHED: tuple[tuple[str, str, float, int, float], ...] = (
    ("Köln", "05315000", 98, 2_400, 104),
    ("Bochum", "05911000", 71, 900, 83),
    ("Bielefeld", "05711000", 58, 800, 70),
    ("Bonn", "05314000", 77, 700, 90),
    ("Wuppertal", "05124000", 91, 650, 99),
    ("Mönchengladbach", "05116000", 63, 500, 77),
)

# Who gets the deadline reminders: (given, family name, function, e-mail, authority kind).
CONTACTS = (
    ("Katrin", "Vogt", "Leiterin Bauaufsicht", "k.vogt@stadt-duisburg.example", BUILDING),
    (
        "Jonas",
        "Berger",
        "Sachgebiet Immissionsschutz",
        "j.berger@stadt-duisburg.example",
        IMMISSION,
    ),
)


@register_demo("permits")
def load(context: DemoContext) -> None:
    """Procedure types, authorities, sample procedures and peer figures for Duisburg."""
    masterplan = context.plans[DUISBURG]
    actor = context.actor
    services.ensure_default_types(actor=actor, masterplan=masterplan)
    orgs = organizations_by_external_id(masterplan)
    city = orgs.get("DU-STADT")
    contacts = demo_contacts(actor=actor, masterplan=masterplan, city=city)
    authorities = []
    for index, profile in enumerate(AUTHORITIES, start=1):
        authority = services.authority_create(
            actor=actor,
            masterplan=masterplan,
            name=profile.name,
            city=profile.city,
            ags=profile.ags,
            kind=profile.kind,
            is_own=profile.is_own,
            organization=city if profile.is_own else None,
            contacts=contacts.get(profile.kind, []) if profile.is_own else [],
            is_sample=True,
            external_id=f"DU-BEH{index:02d}",
        )
        authorities.append((authority, profile))
    write_procedures(
        masterplan,
        authorities=authorities,
        rng=np.random.default_rng(SEED),
        today=context.today,
        years=3,
    )
    write_peer_figures(actor=actor, masterplan=masterplan, year=context.today.year - 1)


def demo_contacts(
    *, actor: Actor, masterplan: Masterplan, city: Organization | None
) -> Mapping[str, list[Person]]:
    """The own authorities' contacts (invented people of the city administration)."""
    contacts: dict[str, list[Person]] = {}
    for given, family, function, email, kind in CONTACTS:
        person = person_create(
            actor=actor,
            masterplan=masterplan,
            given_name=given,
            family_name=family,
            function=function,
            email=email,
            is_sample=True,
            publication=Publication.DRAFT,  # invented people stay out of public pages
            external_id=f"{masterplan.slug.upper()}-P-{family.upper()}",
        )
        if city is not None:
            affiliation_create(
                actor=actor,
                person=person,
                organization=city,
                role=function,
                is_sample=True,
                publication=Publication.DRAFT,
            )
        contacts.setdefault(kind, []).append(person)
    return contacts


def write_peer_figures(*, actor: Actor, masterplan: Masterplan, year: int) -> None:
    """Published figures of peers: a KM median (comparable with the records) and a mean of
    closed cases from receipt (another definition: ranked only among its own kind)."""
    for city, ags, median, n, mean in PUBLISHED:
        for statistic, value, start in (
            (Statistic.KM_MEDIAN, median, ClockStart.COMPLETE),
            (Statistic.MEAN_OF_CLOSED, mean, ClockStart.RECEIVED),
        ):
            services.peer_figure_create(
                actor=actor,
                masterplan=masterplan,
                city=city,
                ags=ags,
                year=year,
                procedure_type="bauo-nrw-64",
                statistic=statistic,
                value=value,
                n=n,
                start=start,
                source=SAMPLE_SOURCE,
                is_sample=True,
            )
