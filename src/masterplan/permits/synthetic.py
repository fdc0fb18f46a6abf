"""Synthetic permit procedures: for `masterplan generate` and, on a smaller scale, the demo.

Per generated masterplan: the statutory procedure types, the city's building and immission
control authorities and those of six peer Oberzentren in NRW, and about 10,000 procedures with
about 5 stage events each (at state scale with 100 plans: 1,000,000 procedures and 5,000,000
events, the figures of issue 12). Bulk inserts, no audit entries, everything marked as sample.

How a procedure is drawn (`draw_procedures`, deterministic from a numpy Generator):

- received uniformly over the last `years` years up to `today`;
- a third get a request for missing documents within the completeness window (a few late ones,
  after it), answered by an amended application after about 18 days (median); the others are
  checked within 2–3 weeks. Complete = the day after the last amended application or the check;
- net duration (complete → end) log-normal around the type's median times the authority's
  `speed` (and its yearly `trend`), spread σ = 0.5; a `backlog` share of procedures stalls and
  is still open today (a city with a backlog has a naive mean of closed cases that looks better
  than its Kaplan–Meier median, which counts the open cases as still running);
- a `withdrawn` share is withdrawn part-way; the rest are approved (93 %) or refused;
- an end after `today` leaves the procedure open (censored); a completeness after it leaves
  the procedure incomplete;
- statements of consulted bodies (most immission control procedures, a third of building
  permits), a hearing before some decisions, a fee notice after approvals;
- BImSchG procedures running past their decision deadline mostly got an extension before it,
  half of them agreed by the applicant.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from masterplan.core.bulk import insert_rows
from masterplan.core.models import Masterplan, Publication
from masterplan.core.synthetic import register_content
from masterplan.permits.durations import DEFAULT_RULES, EventKind, add_months
from masterplan.permits.models import (
    Authority,
    AuthorityKind,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
)
from masterplan.permits.services import rule_fields

PROCEDURES_PER_PLAN = 10_000
PEERS_PER_PLAN = 6

# Median net days (complete → decision) of a typical authority, per procedure type.
MEDIAN_NET_DAYS = {
    "bauo-nrw-64": 75.0,
    "bauo-nrw-65": 105.0,
    "bimschg-19": 125.0,
    "bimschg-10": 290.0,
    "bimschg-16": 210.0,
    "bimschg-16-2": 100.0,
    "bimschg-15": 24.0,
    "bimschg-15-2a": 45.0,
}
# Which types an authority of each kind handles, with their weights.
TYPE_MIX = {
    AuthorityKind.BUILDING: (("bauo-nrw-64", 0.7), ("bauo-nrw-65", 0.3)),
    AuthorityKind.IMMISSION: (
        ("bimschg-19", 0.45),
        ("bimschg-10", 0.15),
        ("bimschg-16-2", 0.15),
        ("bimschg-16", 0.05),
        ("bimschg-15", 0.2),
    ),
}
CONSULTED = {
    AuthorityKind.BUILDING: (
        "Feuerwehr",
        "Untere Denkmalbehörde",
        "Untere Naturschutzbehörde",
        "Straßenverkehrsbehörde",
    ),
    AuthorityKind.IMMISSION: (
        "Bezirksregierung Düsseldorf",
        "Untere Wasserbehörde",
        "Feuerwehr",
        "Untere Naturschutzbehörde",
        "Gesundheitsamt",
    ),
}
SUBJECTS = {
    AuthorityKind.BUILDING: (
        "Neubau einer Produktionshalle",
        "Erweiterung eines Lagergebäudes",
        "Nutzungsänderung Halle zu Werkstatt",
        "Neubau eines Bürogebäudes mit Werkstatt",
        "Anbau Sozialgebäude",
        "Errichtung einer Photovoltaik-Überdachung",
    ),
    AuthorityKind.IMMISSION: (
        "Änderung einer Feuerungsanlage",
        "Errichtung eines Blockheizkraftwerks",
        "Erweiterung einer Anlage zur Oberflächenbehandlung",
        "Änderung eines Umschlaglagers",
        "Errichtung einer Anlage zur Lagerung von Abfällen",
    ),
}


@dataclass(frozen=True)
class AuthorityProfile:
    """How fast one authority is and how many procedures it has (invented, plausible).

    `speed` multiplies the typical median net duration (0.8: a fifth faster), `trend` is the
    change of that factor per year of age of the application (0.1: a procedure received a year
    before `today` takes 10 % longer, i.e. the authority got faster), `backlog` the share of
    procedures that stall and are still open today.
    """

    name: str
    city: str
    ags: str
    kind: str
    volume: int
    speed: float = 1.0
    trend: float = 0.0
    withdrawn: float = 0.08
    backlog: float = 0.0
    is_own: bool = False


@dataclass
class Written:
    procedures: int = 0
    events: int = 0
    extensions: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def types_of_plan(masterplan: Masterplan) -> dict[str, ProcedureType]:
    return {
        t.code: t
        for t in ProcedureType.objects.filter(masterplan=masterplan, deleted_at__isnull=True)
    }


def write_procedures(
    masterplan: Masterplan,
    *,
    authorities: Sequence[tuple[Authority, AuthorityProfile]],
    rng: np.random.Generator,
    today: datetime.date,
    years: int = 3,
) -> Written:
    """Draw and bulk-write every authority's procedures with their events and extensions."""
    types = types_of_plan(masterplan)
    written = Written()
    for authority, profile in authorities:
        procedures, events, extensions = draw_procedures(
            masterplan, authority, profile, types=types, rng=rng, today=today, years=years
        )
        insert_rows(Procedure, procedures)
        for procedure, rows in zip(procedures, events, strict=True):
            for event in rows:
                event.procedure_id = procedure.pk
        for procedure, extension in extensions:
            extension.procedure_id = procedure.pk
        flat = [event for rows in events for event in rows]
        insert_rows(ProcedureEvent, flat)
        insert_rows(ProcedureExtension, [extension for _procedure, extension in extensions])
        written.procedures += len(procedures)
        written.events += len(flat)
        written.extensions += len(extensions)
    return written


def draw_procedures(
    masterplan: Masterplan,
    authority: Authority,
    profile: AuthorityProfile,
    *,
    types: dict[str, ProcedureType],
    rng: np.random.Generator,
    today: datetime.date,
    years: int,
) -> tuple[
    list[Procedure],
    list[list[ProcedureEvent]],
    list[tuple[Procedure, ProcedureExtension]],
]:
    """One authority's procedures (not saved), each with its events and extensions."""
    n = profile.volume
    mix = TYPE_MIX[AuthorityKind(profile.kind)]
    codes = [code for code, _weight in mix if code in types]
    weights = np.array([weight for code, weight in mix if code in types])
    kind_of = rng.choice(len(codes), size=n, p=weights / weights.sum())
    span = 365 * years
    age = rng.integers(0, span, size=n)  # days before today the application came in
    check = rng.integers(5, 20, size=n)
    has_defects = rng.random(n) < 0.33
    late = rng.random(n) < 0.08
    defects_after = np.where(late, rng.integers(25, 60, size=n), rng.integers(3, 13, size=n))
    answer = np.maximum(3, rng.lognormal(np.log(18.0), 0.6, size=n)).astype(np.int64)
    trend = 1.0 + profile.trend * (age / 365.0)
    medians = np.array([MEDIAN_NET_DAYS[codes[k]] for k in kind_of]) * profile.speed * trend
    net = np.maximum(3, rng.lognormal(np.log(medians), 0.5)).astype(np.int64)
    # A stalled procedure is still open today: its clock runs beyond its age.
    stalls = rng.random(n) < profile.backlog
    net = np.where(stalls, age + rng.integers(30, 300, size=n), net)
    withdrawn = (rng.random(n) < profile.withdrawn) & ~stalls
    withdrawn_part = rng.uniform(0.15, 0.9, size=n)
    refused = rng.random(n) < 0.07
    consulted = rng.random(n) < (0.9 if profile.kind == AuthorityKind.IMMISSION else 0.35)
    two_bodies = rng.random(n) < 0.3
    statement_days = np.maximum(5, rng.lognormal(np.log(24.0), 0.5, size=(n, 2))).astype(np.int64)
    body = rng.integers(0, 1000, size=(n, 2))
    hearing = rng.random(n) < 0.12
    extend = rng.random(n) < 0.75
    agreed = rng.random(n) < 0.5
    subject = rng.integers(0, 1000, size=n)
    bodies = CONSULTED[AuthorityKind(profile.kind)]
    subjects = SUBJECTS[AuthorityKind(profile.kind)]
    prefix = "BA" if profile.kind == AuthorityKind.BUILDING else "IS"
    common = {"masterplan": masterplan, "is_sample": True, "publication": Publication.PUBLISHED}
    procedures: list[Procedure] = []
    all_events: list[list[ProcedureEvent]] = []
    extensions: list[tuple[Procedure, ProcedureExtension]] = []
    day = datetime.timedelta
    for i in range(n):
        procedure_type = types[codes[kind_of[i]]]
        received = today - day(days=int(age[i]))
        events: list[tuple[str, datetime.date, datetime.date | None, str]] = [
            (EventKind.APPLICATION, received, None, "")
        ]
        if has_defects[i]:
            requested = received + day(days=int(defects_after[i]))
            events.append((EventKind.DEFECTS_REQUESTED, requested, requested + day(days=28), ""))
            amended = requested + day(days=int(answer[i]))
            events.append((EventKind.AMENDED_APPLICATION, amended, None, ""))
            complete = amended + day(days=int(check[i]) // 2 + 1)
        else:
            complete = received + day(days=int(check[i]))
            events.append((EventKind.FORMAL_CHECK, complete, None, ""))
        end = complete + day(days=int(net[i]))
        if withdrawn[i]:
            end = complete + day(days=max(1, int(net[i] * withdrawn_part[i])))
        if consulted[i]:
            for j in range(2 if two_bodies[i] else 1):
                party = bodies[int(body[i, j]) % len(bodies)]
                asked = complete + day(days=2 + 3 * j)
                events.append((EventKind.STATEMENT_REQUESTED, asked, asked + day(days=30), party))
                answered = asked + day(days=int(statement_days[i, j]))
                if answered < end:
                    events.append((EventKind.STATEMENT, answered, None, party))
        if hearing[i] and not withdrawn[i] and (end - complete).days > 40:
            # Two weeks to answer; the applicant takes one to three (varied by values drawn
            # above, not by a new draw, so that a seed's other figures stay as they are).
            answer_days = 7 + int(subject[i]) % 15
            heard = end - day(days=answer_days + 8 + int(body[i, 1]) % 10)
            events.append((EventKind.HEARING, heard, heard + day(days=14), ""))
            events.append((EventKind.HEARING_RESPONSE, heard + day(days=answer_days), None, ""))
        outcome = Outcome.OPEN
        decided = withdrawn_on = None
        if end <= today:
            if withdrawn[i]:
                outcome, withdrawn_on = Outcome.WITHDRAWN, end
                events.append((EventKind.WITHDRAWAL, end, None, ""))
            else:
                outcome = Outcome.REFUSED if refused[i] else Outcome.APPROVED
                decided = end
                events.append((EventKind.DECISION, end, None, ""))
                if outcome == Outcome.APPROVED and end + day(days=3) <= today:
                    events.append((EventKind.FEE_NOTICE, end + day(days=3), None, ""))
        procedure = Procedure(
            **common,
            authority=authority,
            procedure_type=procedure_type,
            reference=f"{prefix}-{received.year}-{i + 1:05d}",
            subject=subjects[int(subject[i]) % len(subjects)],
            received=received,
            complete=complete if complete <= today else None,
            decided=decided,
            withdrawn=withdrawn_on,
            outcome=outcome,
        )
        procedures.append(procedure)
        all_events.append(
            [
                ProcedureEvent(**common, kind=kind, on=on, deadline=deadline, party=party)
                for kind, on, deadline, party in sorted(events, key=lambda e: e[1])
                if on <= today
            ]
        )
        deadline = statutory_deadline(procedure_type, complete)
        ends_after = (decided or today) if not withdrawn[i] else None
        if deadline is not None and ends_after is not None and ends_after > deadline:
            granted = deadline - day(days=10)
            allowed = procedure_type.extension_months or procedure_type.extension_days
            if allowed and extend[i] and complete < granted <= today:
                extensions.append(
                    (
                        procedure,
                        ProcedureExtension(
                            **common,
                            on=granted,
                            months=procedure_type.extension_months,
                            days=procedure_type.extension_days,
                            agreed_by_applicant=bool(agreed[i]),
                            reason="Schwierige Prüfung: Gutachten zum Lärmschutz nachgefordert"
                            if agreed[i]
                            else "Stellungnahme der Bezirksregierung steht aus",
                        ),
                    )
                )
    return procedures, all_events, extensions


def statutory_deadline(
    procedure_type: ProcedureType, complete: datetime.date
) -> datetime.date | None:
    """The decision deadline without extensions (None: the type has none)."""
    if not procedure_type.has_decision_deadline:
        return None
    return add_months(complete, procedure_type.decision_months) + datetime.timedelta(
        days=procedure_type.decision_days
    )


# --- `masterplan generate` ---------------------------------------------------------------------

# The Oberzentren (county-free cities) of NRW a generated plan draws its peers from.
OBERZENTREN: tuple[tuple[str, str], ...] = (
    ("Düsseldorf", "05111000"),
    ("Duisburg", "05112000"),
    ("Essen", "05113000"),
    ("Krefeld", "05114000"),
    ("Mönchengladbach", "05116000"),
    ("Mülheim an der Ruhr", "05117000"),
    ("Oberhausen", "05119000"),
    ("Wuppertal", "05124000"),
    ("Bonn", "05314000"),
    ("Köln", "05315000"),
    ("Gelsenkirchen", "05513000"),
    ("Münster", "05515000"),
    ("Bielefeld", "05711000"),
    ("Bochum", "05911000"),
    ("Dortmund", "05913000"),
)


def plan_profiles(masterplan: Masterplan, rng: random.Random, total: int) -> list[AuthorityProfile]:
    """The plan's own two authorities and those of PEERS_PER_PLAN peer cities, sharing
    `total` procedures: each city 6 parts building permits to 1 part immission control."""
    peers = rng.sample([c for c in OBERZENTREN if c[0] != masterplan.city], PEERS_PER_PLAN)
    cities = [(masterplan.city, masterplan.ags or "", True), *[(c, a, False) for c, a in peers]]
    share = total / len(cities)
    profiles = []
    for city, ags, own in cities:
        speed = rng.uniform(0.75, 1.35)
        for kind, part, label in (
            (AuthorityKind.BUILDING, 6 / 7, "Bauaufsicht"),
            (AuthorityKind.IMMISSION, 1 / 7, "Immissionsschutz"),
        ):
            profiles.append(
                AuthorityProfile(
                    name=f"{label} {city}",
                    city=city,
                    ags=ags if len(ags) == 8 else "",
                    kind=kind,
                    volume=max(1, round(share * part)),
                    speed=speed,
                    trend=rng.uniform(-0.05, 0.1),
                    withdrawn=rng.uniform(0.05, 0.15),
                    backlog=rng.choice([0.0, 0.0, 0.0, 0.05, 0.2]),
                    is_own=own,
                )
            )
    return profiles


def create_types(masterplan: Masterplan) -> list[ProcedureType]:
    rows = [
        ProcedureType(
            masterplan=masterplan,
            is_sample=True,
            publication=Publication.PUBLISHED,
            **rule_fields(rule.code),
        )
        for rule in DEFAULT_RULES
    ]
    insert_rows(ProcedureType, rows)
    return rows


def create_authorities(
    masterplan: Masterplan, profiles: Sequence[AuthorityProfile]
) -> list[tuple[Authority, AuthorityProfile]]:
    rows = [
        Authority(
            masterplan=masterplan,
            is_sample=True,
            publication=Publication.PUBLISHED,
            name=p.name,
            city=p.city,
            ags=p.ags,
            kind=p.kind,
            is_own=p.is_own,
        )
        for p in profiles
    ]
    insert_rows(Authority, rows)
    return list(zip(rows, profiles, strict=True))


def write_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    person_ids: list[int],
    rng: random.Random,
    today: datetime.date,
    batch_size: int,
    size: float = 1.0,
) -> dict[str, int]:
    """Bulk-write one plan's permit data; `size` scales the number of procedures."""
    total = max(len(OBERZENTREN), round(PROCEDURES_PER_PLAN * size))
    create_types(masterplan)
    authorities = create_authorities(masterplan, plan_profiles(masterplan, rng, total))
    generator = np.random.default_rng(rng.randrange(2**32))
    written = write_procedures(masterplan, authorities=authorities, rng=generator, today=today)
    return {
        "permit authorities": len(authorities),
        "procedures": written.procedures,
        "procedure events": written.events,
        "deadline extensions": written.extensions,
    }


def delete_content(masterplan: Masterplan) -> None:
    for model in (ProcedureExtension, ProcedureEvent, Procedure, PeerFigure, Authority):
        model.all_objects.filter(masterplan=masterplan).delete()
    ProcedureType.all_objects.filter(masterplan=masterplan).delete()


register_content("permits", write=write_content, delete=delete_content)
