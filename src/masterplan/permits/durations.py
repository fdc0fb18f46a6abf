"""Durations, statutory deadlines and deemed dates of one permit procedure: pure functions.

No Django here: the models and importers build a `ProcedureFacts` (plain dates and stage events)
and a `DeadlineRule` (the procedure type's statutory deadlines as data) and call the functions
below. Every function takes `as_of` and sees the procedure *as it stood on that date*
(`facts_as_of`): events, extensions and end dates after `as_of` are ignored, so a procedure
decided after `as_of` counts as open. Day counts are calendar days, `end − start`.

The rules in plain words (docs and the method page repeat them):

- **Completeness check**: received → complete. **Gross time**: received → end. **Net time**:
  complete → end. The end is the decision date, or the withdrawal date (withdrawn or deemed
  withdrawn); an open procedure runs to `as_of` and is marked not reached (right-censored).
  Gross and net are always computed side by side, since publishers differ on the clock start.
- **Who holds the clock** splits the gross time into days of the applicant, of consulted bodies
  and of the authority. The applicant holds it from each request addressed to them until their
  answer: defects request (XBau 0201) → next amended application (0202) or the recorded
  completeness date, whichever comes first; hearing (0203) → next hearing response (0204);
  with no answer yet, until the end. A consulted body holds it from a
  statement request → its statement (same `party`; the next statement of any party when the
  request names none). Where periods overlap the applicant takes precedence, a consulted body
  counts only on days not with the applicant, and every other day is the authority's, so that
  applicant + consulted + authority = gross, each ≥ 0. Day d belongs to a period [from, to) when
  from ≤ d < to: the day of a request is the holder's, the day of the answer is not. Events are
  taken in order of their day; events of the same day keep the order given (give them in order
  of their time, e.g. of the XBau messages' sent_at).
- **Periods** follow § 31 (1) VwVfG with §§ 187 (1), 188 (2)/(3) BGB: a period of n days from
  an event ends n days after it; a period of n months ends on the day of the n-th following
  month with the event's day number, or on that month's last day (31 January + 1 month =
  28/29 February). Weekends and public holidays do not shift the end here (§ 31 (3) VwVfG would;
  that needs a holiday calendar per Land) — a known simplification that can only make a deadline
  look a day or two earlier.
- **Decision deadline**: clock start + the rule's decision period, then the lawful extensions
  in order of date, each added to the deadline as it then stood. An extension is lawful when the
  rule allows one more extension without consent and it is no longer than the rule's extension
  length, or when the applicant agreed and the rule allows further extensions with consent; one
  granted after the deadline had already passed is not. The clock start is the recorded
  completeness date, or the earlier date on which completeness was deemed given (below). Days
  left = deadline − as_of (0 on the last day, negative when passed); overdue = still open after
  the deadline day, or decided after it.
- **Completeness check windows**: a window opens at receipt and again at each amended
  application (the new documents must be checked too), and lasts the rule's check period (plus
  the one allowed extension where the law allows it and the authority used it). A defects
  request outside the current window is **late**: it restarts the applicant's clock although the
  authority's time to ask had run out (★ detector). The detector gives the authority the benefit
  of the doubt and always counts the allowed extension.
- **Completeness fiction** (where the law provides it, e.g. 9. BImSchV § 7 since 2024): the
  application is deemed complete the day after the first window that closed with no defects
  request in it and no new documents, unless completeness was recorded within that window.
  **Deemed approval** (Genehmigungsfiktion, e.g. HBO § 65 Hessen): the day after the decision
  deadline, when no decision was made by then. Both come with a countdown in days.

VwVfG § 42a (deemed approval after 3 months, only where a law orders it) is not a procedure type
of its own and is not listed in `DEFAULT_RULES`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum


class EventKind(StrEnum):
    """Stage events of a procedure; the XBau 2.3 message each one comes from in brackets."""

    APPLICATION = "application"  # baugenehmigung.antrag.0200
    FORMAL_CHECK = "formal_check"  # baugenehmigung.formellePruefung.0201 listing no defects
    DEFECTS_REQUESTED = "defects_requested"  # 0201 listing defects, with a deadline
    AMENDED_APPLICATION = "amended_application"  # baugenehmigung.antragGeaendert.0202
    HEARING = "hearing"  # baugenehmigung.anhoerung.0203: the applicant may comment
    HEARING_RESPONSE = "hearing_response"  # baugenehmigung.stellungnahme.0204: the applicant's
    STATEMENT_REQUESTED = "statement_requested"  # beteiligung.aufforderung.0300
    STATEMENT = "statement"  # beteiligung.stellungnahme.0303 by the consulted body
    DECISION = "decision"  # baugenehmigung.bescheid.0205
    FEE_NOTICE = "fee_notice"  # baugenehmigung.gebuehrenbescheid.0206
    WITHDRAWAL = "withdrawal"


class EndedBy(StrEnum):
    DECISION = "decision"
    WITHDRAWAL = "withdrawal"  # withdrawn, or deemed withdrawn (BauO NRW § 71 (1))


class ExtensionProblem(StrEnum):
    """Why an extension was not applied to the decision deadline."""

    NOT_PROVIDED = "not_provided"  # the rule allows no (further) extension
    NEEDS_CONSENT = "needs_consent"  # only with the applicant's consent, which is not recorded
    TOO_LONG = "too_long"  # longer than the rule's extension length
    AFTER_DEADLINE = "after_deadline"  # granted when the deadline had already passed
    NO_DEADLINE = "no_deadline"  # the procedure type has no statutory decision deadline


class FictionKind(StrEnum):
    COMPLETENESS = "completeness"  # Vollständigkeitsfiktion
    APPROVAL = "approval"  # Genehmigungsfiktion


# --- Periods ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The day `months` calendar months after `day`, clamped to the month's last day
    (§ 188 (2), (3) BGB): 31 January + 1 month = 28 February (29 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """A statutory period of months and/or days; `end_after` adds months first, then days."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or (self.months == 0 and self.days == 0):
            raise ValueError("A period needs a positive number of months or days.")

    def end_after(self, start: date) -> date:
        """The last day of the period that starts with an event on `start`."""
        return add_months(start, self.months) + timedelta(days=self.days)

    def __str__(self) -> str:
        parts = [f"{self.months} month{'s' * (self.months != 1)}"] if self.months else []
        parts += [f"{self.days} day{'s' * (self.days != 1)}"] if self.days else []
        return " ".join(parts)


# --- Input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageEvent:
    """One stage of the procedure on a day; `deadline` is the one set for the addressee (for
    a defects request: the applicant's), `party` the consulted body of a statement."""

    kind: EventKind
    on: date
    deadline: date | None = None
    party: str = ""

    def __post_init__(self) -> None:
        # A plain string from the database ("defects_requested") becomes the enum member, and an
        # unknown kind is refused here rather than silently ignored by the figures.
        object.__setattr__(self, "kind", EventKind(self.kind))


@dataclass(frozen=True)
class Extension:
    """An extension of the decision deadline by `months` or `days`, granted on `on`."""

    on: date
    days: int = 0
    months: int = 0
    agreed_by_applicant: bool = False
    reason: str = ""

    def __post_init__(self) -> None:
        Period(months=self.months, days=self.days)  # refuses a zero or negative length

    @property
    def period(self) -> Period:
        return Period(months=self.months, days=self.days)


@dataclass(frozen=True)
class ProcedureFacts:
    """What is recorded of one procedure. `ended_by` says which of `decided` / `withdrawn`
    ended it; `completeness_check_extended` records that the authority used the one extension
    of the completeness check that the law allows (9. BImSchV § 7 (1): two weeks)."""

    received: date
    complete: date | None = None
    decided: date | None = None
    withdrawn: date | None = None
    ended_by: EndedBy | None = None
    events: Sequence[StageEvent] = ()
    extensions: Sequence[Extension] = ()
    completeness_check_extended: bool = False

    def __post_init__(self) -> None:
        if self.ended_by is not None:
            object.__setattr__(self, "ended_by", EndedBy(self.ended_by))
        problems = facts_problems(self)
        if problems:
            raise ValueError(" ".join(problems))

    @property
    def end(self) -> date | None:
        """The decision or withdrawal date that ended the procedure; None while open."""
        if self.ended_by is EndedBy.DECISION:
            return self.decided
        if self.ended_by is EndedBy.WITHDRAWAL:
            return self.withdrawn
        return None


def facts_problems(facts: ProcedureFacts) -> list[str]:
    """Every inconsistency of the facts, as plain English sentences (empty when consistent)."""
    problems: list[str] = []
    received = facts.received
    for name in ("complete", "decided", "withdrawn"):
        value: date | None = getattr(facts, name)
        if value is not None and value < received:
            problems.append(
                f"The {name} date {value.isoformat()} is before the receipt on "
                f"{received.isoformat()}."
            )
    if facts.ended_by is EndedBy.DECISION and facts.decided is None:
        problems.append("The procedure is marked as ended by a decision but has no decision date.")
    if facts.ended_by is EndedBy.WITHDRAWAL and facts.withdrawn is None:
        problems.append("The procedure is marked as withdrawn but has no withdrawal date.")
    if facts.ended_by is None and (facts.decided or facts.withdrawn):
        problems.append("A decision or withdrawal date is given but `ended_by` is not set.")
    if facts.decided and facts.withdrawn:
        problems.append("A procedure is either decided or withdrawn, not both.")
    end = facts.end
    if facts.complete and end and facts.complete > end:
        problems.append(
            f"The complete date {facts.complete.isoformat()} is after the procedure ended on "
            f"{end.isoformat()}."
        )
    for event in facts.events:
        if event.on < received:
            problems.append(
                f"The {event.kind} event on {event.on.isoformat()} is before the receipt on "
                f"{received.isoformat()}."
            )
    for extension in facts.extensions:
        if extension.on < received:
            problems.append(
                f"The extension of {extension.on.isoformat()} is before the receipt on "
                f"{received.isoformat()}."
            )
    return problems


@dataclass(frozen=True)
class DeadlineRule:
    """A procedure type's statutory deadlines as data.

    `completeness_check`: period from receipt (or new documents) for the completeness check;
    `completeness_check_extension`: the one extension of it the law allows (None: none).
    `decision`: period from the complete application (None: no statutory decision deadline).
    `extensions_without_consent` extensions of at most `extension` each may be granted by the
    authority alone; `further_extensions_with_consent`: more only with the applicant's consent.
    `completeness_fiction` / `deemed_approval`: the law deems completeness / the permit given
    when the check window / the decision deadline passes. `deemed_withdrawal`: documents not
    supplied within the authority's deadline make the application count as withdrawn.
    """

    code: str
    name: str
    legal_basis: str
    completeness_check: Period | None = None
    completeness_check_extension: Period | None = None
    decision: Period | None = None
    extensions_without_consent: int = 0
    extension: Period | None = None
    further_extensions_with_consent: bool = False
    completeness_fiction: bool = False
    deemed_approval: bool = False
    deemed_withdrawal: bool = False
    source_note: str = ""


_BIMSCHG_EXTENSION_NOTE = (
    "§ 10 (6a) BImSchG: since July 2024 one extension of 3 months with reasons, further "
    "extensions only with the applicant's consent."
)
_BIMSCHV_COMPLETENESS_NOTE = (
    "Completeness check per 9. BImSchV § 7: 'without delay, as a rule within one month', "
    "extendable once by 2 weeks; since 2024 a completeness fiction applies."
)


def _immission_control_permit(
    *, code: str, name: str, legal_basis: str, decision: Period, source_note: str
) -> DeadlineRule:
    """A permit procedure of the BImSchG. They share the completeness check of 9. BImSchV § 7
    (one month, extendable once by two weeks, then the completeness fiction) and the extension
    rule of § 10 (6a) BImSchG (one extension of 3 months by the authority, further ones only
    with the applicant's consent); they differ in the decision period."""
    return DeadlineRule(
        code=code,
        name=name,
        legal_basis=legal_basis,
        completeness_check=Period(months=1),
        completeness_check_extension=Period(days=14),
        decision=decision,
        extensions_without_consent=1,
        extension=Period(months=3),
        further_extensions_with_consent=True,
        completeness_fiction=True,
        source_note=source_note,
    )


DEFAULT_RULES: tuple[DeadlineRule, ...] = (
    _immission_control_permit(
        code="bimschg-10",
        name="Immission control permit with public participation",
        legal_basis="§ 10 BImSchG; 9. BImSchV § 7",
        decision=Period(months=7),
        source_note=f"Decision: 7 months from the complete application, § 10 (6a) BImSchG. "
        f"{_BIMSCHG_EXTENSION_NOTE} {_BIMSCHV_COMPLETENESS_NOTE}",
    ),
    _immission_control_permit(
        code="bimschg-19",
        name="Immission control permit, simplified procedure",
        legal_basis="§ 19 BImSchG; § 10 (6a) BImSchG; 9. BImSchV § 7",
        decision=Period(months=3),
        source_note=f"Decision: 3 months from the complete application, § 10 (6a) BImSchG, "
        f"same extension rule. {_BIMSCHG_EXTENSION_NOTE} {_BIMSCHV_COMPLETENESS_NOTE}",
    ),
    _immission_control_permit(
        code="bimschg-16",
        name="Immission control change permit with public participation",
        legal_basis="§ 16 BImSchG; 9. BImSchV § 7",
        decision=Period(months=6),
        source_note="Decision: 6 months, § 16 (3) BImSchG. The reference file names no "
        "extension rule for § 16; the one of § 10 (6a) is assumed (check § 16 (3)). "
        f"{_BIMSCHV_COMPLETENESS_NOTE}",
    ),
    _immission_control_permit(
        code="bimschg-16-2",
        name="Immission control change permit without public participation",
        legal_basis="§ 16 (2), (3) BImSchG; 9. BImSchV § 7",
        decision=Period(months=3),
        source_note="Decision: 3 months when public participation is waived (§ 16 (2)), "
        "§ 16 (3) BImSchG. Extension rule of § 10 (6a) assumed as for § 16. "
        f"{_BIMSCHV_COMPLETENESS_NOTE}",
    ),
    DeadlineRule(
        code="bimschg-15",
        name="Notification of a change of an installation",
        legal_basis="§ 15 BImSchG",
        decision=Period(months=1),
        deemed_approval=True,
        source_note="The authority decides within 1 month whether a permit is needed; if it "
        "does not respond, the operator may carry out the change (§ 15 (2) BImSchG) — modelled "
        "as a deemed approval. No completeness check period in the reference file.",
    ),
    DeadlineRule(
        code="bimschg-15-2a",
        name="Notification of a change concerning major-accident risk",
        legal_basis="§ 15 (2a) BImSchG",
        decision=Period(months=2),
        deemed_approval=True,
        source_note="As § 15 BImSchG with 2 months where major-accident risk is concerned "
        "(§ 15 (2a)).",
    ),
    DeadlineRule(
        code="bauo-nrw-64",
        name="Simplified building permit procedure (NRW)",
        legal_basis="§ 64 BauO NRW 2018; § 71 (1) BauO NRW",
        completeness_check=Period(days=14),
        deemed_withdrawal=True,
        source_note="Completeness check: two weeks, § 71 (1) BauO NRW (some official pages "
        "say 'ten working days'); documents not supplied in time: the application is deemed "
        "withdrawn. No statutory decision deadline found in the statute; most Länder use 3 "
        "months (DIHK Beschleunigungsmonitor, Nov 2025). NRW has no deemed approval per "
        "secondary source.",
    ),
    DeadlineRule(
        code="bauo-nrw-65",
        name="Building permit procedure (NRW)",
        legal_basis="§ 65 BauO NRW 2018; § 71 (1) BauO NRW",
        completeness_check=Period(days=14),
        deemed_withdrawal=True,
        source_note="The reference file has no row of its own for § 65; the completeness "
        "check of § 71 (1) BauO NRW (two weeks, deemed withdrawal) applies to every building "
        "application, and no statutory decision deadline or deemed approval is recorded for "
        "NRW. Check against the statute.",
    ),
    DeadlineRule(
        code="hbo-65",
        name="Building permit procedure (Hessen, for comparison)",
        legal_basis="§ 65 HBO",
        decision=Period(months=3),
        extensions_without_consent=1,
        extension=Period(months=2),
        deemed_approval=True,
        source_note="3 months + one extension of 2 months, then deemed approved (reference "
        "file). The clock start (complete application) is assumed; the reference file names "
        "no completeness check period for Hessen.",
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in DEFAULT_RULES}


# --- Output ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A duration from `start` to `end` in days. `reached` is False when the end event has not
    happened by `as_of` (the span then ends on `as_of`, or on an earlier end of the procedure,
    and is right-censored there)."""

    start: date
    end: date
    reached: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class ClockSplit:
    """The gross time split by who held the clock; the three parts add up to `gross_days`."""

    start: date
    end: date
    reached: bool
    applicant_days: int
    consulted_days: int
    authority_days: int

    @property
    def gross_days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class RejectedExtension:
    extension: Extension
    problem: ExtensionProblem


@dataclass(frozen=True)
class DeadlineStatus:
    """The statutory decision deadline as of a date. `deadline` is the last day for the
    decision (None when the law sets none or the clock has not started)."""

    clock_start: date | None
    deadline_without_extensions: date | None
    deadline: date | None
    applied_extensions: tuple[Extension, ...] = ()
    rejected_extensions: tuple[RejectedExtension, ...] = ()
    open: bool = True
    days_left: int | None = None
    overdue: bool = False
    decided_within: bool | None = None


@dataclass(frozen=True)
class FictionPoint:
    """The day on which completeness or the permit is deemed given (the day after the window
    or deadline ended), `days_left` until then (negative once passed)."""

    kind: FictionKind
    takes_effect_on: date
    days_left: int
    in_effect: bool


@dataclass(frozen=True)
class LateDefectRequest:
    """A defects request after its completeness check window had ended."""

    requested_on: date
    window_start: date
    window_end: date
    days_late: int
    after_amendment: bool = field(default=False)


# --- The as-of cut ---------------------------------------------------------------------------


def facts_as_of(facts: ProcedureFacts, as_of: date) -> ProcedureFacts:
    """The facts as they stood at the end of `as_of`: later events, extensions and dates are
    dropped; a procedure decided or withdrawn later is open."""
    if facts.received > as_of:
        raise ValueError(
            f"The procedure was received on {facts.received.isoformat()}, after the as-of "
            f"date {as_of.isoformat()}."
        )
    latest = max(
        [d for d in (facts.complete, facts.decided, facts.withdrawn) if d is not None]
        + [event.on for event in facts.events]
        + [extension.on for extension in facts.extensions],
        default=facts.received,
    )
    if latest <= as_of:
        return facts  # nothing happened after as_of: the facts stand as they are
    ended = facts.end is not None and facts.end <= as_of
    return replace(
        facts,
        complete=facts.complete if facts.complete and facts.complete <= as_of else None,
        decided=facts.decided if ended else None,
        withdrawn=facts.withdrawn if ended else None,
        ended_by=facts.ended_by if ended else None,
        events=tuple(event for event in facts.events if event.on <= as_of),
        extensions=tuple(ext for ext in facts.extensions if ext.on <= as_of),
    )


def _sorted_events(facts: ProcedureFacts) -> list[StageEvent]:
    return sorted(facts.events, key=lambda event: event.on)


def _stop(facts: ProcedureFacts, as_of: date) -> tuple[date, bool]:
    """Where a running clock stops: the end of the procedure (reached) or as_of (censored)."""
    end = facts.end
    return (end, True) if end is not None else (as_of, False)


# --- Durations -------------------------------------------------------------------------------


def completeness_check_span(facts: ProcedureFacts, *, as_of: date) -> Span:
    """Completeness check time: received → complete. Not reached while incomplete: the span
    then runs to as_of, or to the withdrawal or decision that ended the procedure."""
    facts = facts_as_of(facts, as_of)
    if facts.complete is not None:
        return Span(facts.received, facts.complete, reached=True)
    stop, _ = _stop(facts, as_of)
    return Span(facts.received, stop, reached=False)


def gross_span(facts: ProcedureFacts, *, as_of: date) -> Span:
    """Gross time: received → decision or withdrawal; open procedures run to as_of (not
    reached). A withdrawal counts as reached: it ends the clock (a competing event)."""
    facts = facts_as_of(facts, as_of)
    stop, reached = _stop(facts, as_of)
    return Span(facts.received, stop, reached)


def net_span(facts: ProcedureFacts, *, as_of: date) -> Span | None:
    """Net time: complete → decision or withdrawal, open ones to as_of; None while the
    application is not (recorded as) complete."""
    facts = facts_as_of(facts, as_of)
    if facts.complete is None:
        return None
    stop, reached = _stop(facts, as_of)
    return Span(facts.complete, stop, reached)


def _merge(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, stop in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _length(intervals: list[tuple[date, date]]) -> int:
    return sum((stop - start).days for start, stop in intervals)


def _overlap(a: list[tuple[date, date]], b: list[tuple[date, date]]) -> int:
    """Days in both of two merged interval lists."""
    days = 0
    i = j = 0
    while i < len(a) and j < len(b):
        start, stop = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        days += max(0, (stop - start).days)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return days


_APPLICANT_ANSWERS = {
    EventKind.DEFECTS_REQUESTED: EventKind.AMENDED_APPLICATION,
    EventKind.HEARING: EventKind.HEARING_RESPONSE,
}


def clock_split(facts: ProcedureFacts, *, as_of: date) -> ClockSplit:
    """The gross time split into the days the applicant, consulted bodies and the authority
    held the clock (rules in the module docstring: applicant first, then consulted bodies, the
    rest is the authority's)."""
    facts = facts_as_of(facts, as_of)
    start = facts.received
    stop, reached = _stop(facts, as_of)
    events = [event for event in _sorted_events(facts) if event.on < stop]

    def answered_on(index: int, kinds: set[EventKind], party: str | None) -> date:
        for later in events[index + 1 :]:
            if later.kind in kinds and (party is None or later.party == party):
                return later.on
        return stop

    applicant: list[tuple[date, date]] = []
    consulted: list[tuple[date, date]] = []
    for index, event in enumerate(events):
        if event.kind in _APPLICANT_ANSWERS:
            answer = _APPLICANT_ANSWERS[event.kind]
            until = answered_on(index, {answer}, None)
            if (
                event.kind is EventKind.DEFECTS_REQUESTED
                and facts.complete is not None
                and event.on < facts.complete < until
            ):
                # The application was found complete: the missing documents came, even if
                # no amended application was recorded.
                until = facts.complete
            applicant.append((event.on, until))
        elif event.kind is EventKind.STATEMENT_REQUESTED:
            party = event.party or None
            consulted.append((event.on, answered_on(index, {EventKind.STATEMENT}, party)))
    applicant_merged = _merge(applicant)
    consulted_merged = _merge(consulted)
    applicant_days = _length(applicant_merged)
    consulted_days = _length(consulted_merged) - _overlap(consulted_merged, applicant_merged)
    gross = (stop - start).days
    return ClockSplit(
        start=start,
        end=stop,
        reached=reached,
        applicant_days=applicant_days,
        consulted_days=consulted_days,
        authority_days=gross - applicant_days - consulted_days,
    )


# --- Completeness windows, late defect requests, completeness fiction -------------------------


def _window_starts(facts: ProcedureFacts) -> list[date]:
    amended = [e.on for e in facts.events if e.kind is EventKind.AMENDED_APPLICATION]
    return sorted({facts.received, *amended})


def completeness_window_end(rule: DeadlineRule, start: date, *, extended: bool) -> date | None:
    """The last day of a completeness check window opened on `start` (None: no check period
    in the rule); `extended` adds the rule's one allowed extension, if any."""
    if rule.completeness_check is None:
        return None
    end = rule.completeness_check.end_after(start)
    if extended and rule.completeness_check_extension is not None:
        end = rule.completeness_check_extension.end_after(end)
    return end


def late_defect_requests(
    facts: ProcedureFacts, rule: DeadlineRule, *, as_of: date
) -> list[LateDefectRequest]:
    """★ Defects requests made after their completeness check window had ended. The window of
    a request is the one opened last on or before it (at receipt or at an amended
    application); its end counts the rule's allowed extension (benefit of the doubt)."""
    facts = facts_as_of(facts, as_of)
    if rule.completeness_check is None:
        return []
    starts = _window_starts(facts)
    findings: list[LateDefectRequest] = []
    for event in _sorted_events(facts):
        if event.kind is not EventKind.DEFECTS_REQUESTED:
            continue
        window_start = max(start for start in starts if start <= event.on)
        window_end = completeness_window_end(rule, window_start, extended=True)
        assert window_end is not None
        if event.on > window_end:
            findings.append(
                LateDefectRequest(
                    requested_on=event.on,
                    window_start=window_start,
                    window_end=window_end,
                    days_late=(event.on - window_end).days,
                    after_amendment=window_start != facts.received,
                )
            )
    return findings


def _completeness_fiction_date(facts: ProcedureFacts, rule: DeadlineRule) -> date | None:
    """The day completeness is deemed given on the facts as they are (no as-of cut)."""
    if not rule.completeness_fiction or rule.completeness_check is None:
        return None
    starts = _window_starts(facts)
    requests = [e.on for e in facts.events if e.kind is EventKind.DEFECTS_REQUESTED]
    for index, start in enumerate(starts):
        end = completeness_window_end(rule, start, extended=facts.completeness_check_extended)
        assert end is not None
        superseded = index + 1 < len(starts) and starts[index + 1] <= end
        if superseded or any(start <= on <= end for on in requests):
            continue
        if facts.complete is not None and facts.complete <= end:
            return None  # confirmed within the window: no fiction needed
        if facts.end is not None and facts.end <= end:
            return None
        return end + timedelta(days=1)
    return None


def completeness_fiction(
    facts: ProcedureFacts, rule: DeadlineRule, *, as_of: date
) -> FictionPoint | None:
    """When the application is (or will be, if nothing happens) deemed complete; None where
    the law provides no completeness fiction, completeness was confirmed in time, or the
    applicant holds the clock (a timely defects request is not answered yet)."""
    cut = facts_as_of(facts, as_of)
    on = _completeness_fiction_date(cut, rule)
    if on is None:
        return None
    return FictionPoint(
        FictionKind.COMPLETENESS, on, days_left=(on - as_of).days, in_effect=on <= as_of
    )


# --- Decision deadline, deemed approval ------------------------------------------------------


def _clock_start(facts: ProcedureFacts, rule: DeadlineRule, as_of: date) -> date | None:
    fiction = _completeness_fiction_date(facts, rule)
    candidates = [d for d in (facts.complete, fiction) if d is not None and d <= as_of]
    return min(candidates, default=None)


def decision_deadline(
    facts: ProcedureFacts,
    rule: DeadlineRule,
    *,
    as_of: date,
    include_extensions: bool = True,
) -> DeadlineStatus:
    """The statutory decision deadline with its lawful extensions (or without any, when
    `include_extensions` is False: extensions are known to hide delay), days left and the
    overdue flag, as of a date."""
    facts = facts_as_of(facts, as_of)
    is_open = facts.end is None
    start = _clock_start(facts, rule, as_of)
    extensions = tuple(sorted(facts.extensions, key=lambda ext: ext.on))
    if rule.decision is None or start is None:
        rejected = tuple(RejectedExtension(e, ExtensionProblem.NO_DEADLINE) for e in extensions)
        return DeadlineStatus(
            clock_start=start,
            deadline_without_extensions=None,
            deadline=None,
            rejected_extensions=rejected if rule.decision is None else (),
            open=is_open,
        )
    base = rule.decision.end_after(start)
    extended = base  # lawfulness is judged against the deadline as extended so far
    applied: list[Extension] = []
    rejected_list: list[RejectedExtension] = []
    used_without_consent = 0
    for extension in extensions:
        problem = _extension_problem(extension, rule, extended, used_without_consent)
        if problem is not None:
            rejected_list.append(RejectedExtension(extension, problem))
            continue
        if not (extension.agreed_by_applicant and rule.further_extensions_with_consent):
            used_without_consent += 1
        applied.append(extension)
        extended = extension.period.end_after(extended)
    deadline = extended if include_extensions else base
    decided = facts.decided if facts.ended_by is EndedBy.DECISION else None
    return DeadlineStatus(
        clock_start=start,
        deadline_without_extensions=base,
        deadline=deadline,
        applied_extensions=tuple(applied),
        rejected_extensions=tuple(rejected_list),
        open=is_open,
        days_left=(deadline - as_of).days if is_open else None,
        overdue=(as_of > deadline) if is_open else (decided is not None and decided > deadline),
        decided_within=None if decided is None else decided <= deadline,
    )


def _extension_problem(
    extension: Extension, rule: DeadlineRule, deadline: date, used_without_consent: int
) -> ExtensionProblem | None:
    if extension.on > deadline:
        return ExtensionProblem.AFTER_DEADLINE
    if extension.agreed_by_applicant and rule.further_extensions_with_consent:
        return None
    if used_without_consent >= rule.extensions_without_consent or rule.extension is None:
        if rule.further_extensions_with_consent:
            return ExtensionProblem.NEEDS_CONSENT
        return ExtensionProblem.NOT_PROVIDED
    if extension.period.end_after(deadline) > rule.extension.end_after(deadline):
        return ExtensionProblem.TOO_LONG
    return None


def deemed_approval(
    facts: ProcedureFacts, rule: DeadlineRule, *, as_of: date
) -> FictionPoint | None:
    """The day the permit is deemed granted (the day after the decision deadline with its
    lawful extensions) with the countdown; None where the law provides no deemed approval,
    the clock has not started, or the procedure ended before that day."""
    if not rule.deemed_approval:
        return None
    status = decision_deadline(facts, rule, as_of=as_of)
    if status.deadline is None:
        return None
    on = status.deadline + timedelta(days=1)
    end = facts_as_of(facts, as_of).end
    if end is not None and end <= status.deadline:
        return None
    return FictionPoint(
        FictionKind.APPROVAL, on, days_left=(on - as_of).days, in_effect=on <= as_of
    )


# --- All figures of one procedure -------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureFigures:
    """Every figure of one procedure as of a date, for the procedure page and the API."""

    as_of: date
    completeness_check: Span
    gross: Span
    net: Span | None
    clock: ClockSplit
    deadline: DeadlineStatus
    deadline_without_extensions: DeadlineStatus
    completeness_fiction: FictionPoint | None
    deemed_approval: FictionPoint | None
    late_defect_requests: tuple[LateDefectRequest, ...]


def procedure_figures(
    facts: ProcedureFacts, rule: DeadlineRule, *, as_of: date
) -> ProcedureFigures:
    """All figures of this module for one procedure, as it stood on `as_of`."""
    facts = facts_as_of(facts, as_of)  # once: the functions below then find nothing to cut
    return ProcedureFigures(
        as_of=as_of,
        completeness_check=completeness_check_span(facts, as_of=as_of),
        gross=gross_span(facts, as_of=as_of),
        net=net_span(facts, as_of=as_of),
        clock=clock_split(facts, as_of=as_of),
        deadline=decision_deadline(facts, rule, as_of=as_of),
        deadline_without_extensions=decision_deadline(
            facts, rule, as_of=as_of, include_extensions=False
        ),
        completeness_fiction=completeness_fiction(facts, rule, as_of=as_of),
        deemed_approval=deemed_approval(facts, rule, as_of=as_of),
        late_defect_requests=tuple(late_defect_requests(facts, rule, as_of=as_of)),
    )
