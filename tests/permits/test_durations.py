"""Durations, deadlines and deemed dates of permit procedures, against hand-computed examples.

Two realistic procedures carry most tests: a BImSchG § 10 permit for a hydrogen electrolysis
plant at Duisburg-Hochfeld and a BauO NRW § 64 permit for a logistics hall in Duisburg-
Rheinhausen (logport). The day counts in the comments were worked out by hand (day of the year:
15 January = 15, 24 March = 83, 19 December = 353 in 2025).
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from masterplan.permits.durations import (
    DEFAULT_RULES,
    RULES_BY_CODE,
    DeadlineRule,
    EndedBy,
    EventKind,
    Extension,
    ExtensionProblem,
    FictionKind,
    Period,
    ProcedureFacts,
    StageEvent,
    add_months,
    clock_split,
    completeness_check_span,
    completeness_fiction,
    decision_deadline,
    deemed_approval,
    facts_as_of,
    gross_span,
    late_defect_requests,
    net_span,
    procedure_figures,
)

K = EventKind
BIMSCHG_10 = RULES_BY_CODE["bimschg-10"]
BIMSCHG_19 = RULES_BY_CODE["bimschg-19"]
BAUO_NRW_64 = RULES_BY_CODE["bauo-nrw-64"]
HBO_65 = RULES_BY_CODE["hbo-65"]
WATER = "Bezirksregierung Düsseldorf, Dezernat 54 Wasserwirtschaft"
NATURE = "Stadt Duisburg, Untere Naturschutzbehörde"
FIRE = "Feuerwehr Duisburg, Brandschutzdienststelle"


def electrolyser_hochfeld(**changes: object) -> ProcedureFacts:
    """BImSchG § 10: 100 MW electrolysis plant, Duisburg-Hochfeld, decided 19 Dec 2025."""
    facts = ProcedureFacts(
        received=date(2025, 1, 15),
        complete=date(2025, 3, 24),
        decided=date(2025, 12, 19),
        ended_by=EndedBy.DECISION,
        events=(
            StageEvent(K.APPLICATION, date(2025, 1, 15)),
            StageEvent(K.DEFECTS_REQUESTED, date(2025, 2, 3), deadline=date(2025, 3, 3)),
            StageEvent(K.AMENDED_APPLICATION, date(2025, 3, 10)),
            StageEvent(K.STATEMENT_REQUESTED, date(2025, 3, 26), party=WATER),
            StageEvent(K.STATEMENT_REQUESTED, date(2025, 3, 26), party=NATURE),
            StageEvent(K.STATEMENT, date(2025, 4, 30), party=NATURE),
            StageEvent(K.STATEMENT, date(2025, 5, 12), party=WATER),
            StageEvent(K.DECISION, date(2025, 12, 19)),
        ),
        extensions=(Extension(on=date(2025, 10, 1), months=3, reason="Erörterungstermin verlegt"),),
    )
    return replace(facts, **changes)


def hall_rheinhausen(**changes: object) -> ProcedureFacts:
    """BauO NRW § 64: logistics hall at logport, Duisburg-Rheinhausen, decided 26 Sep 2025;
    the defects request came three weeks after the two-week completeness check."""
    facts = ProcedureFacts(
        received=date(2025, 6, 2),
        complete=date(2025, 8, 4),
        decided=date(2025, 9, 26),
        ended_by=EndedBy.DECISION,
        events=(
            StageEvent(K.APPLICATION, date(2025, 6, 2)),
            StageEvent(K.DEFECTS_REQUESTED, date(2025, 7, 7), deadline=date(2025, 8, 7)),
            StageEvent(K.AMENDED_APPLICATION, date(2025, 7, 28)),
            StageEvent(K.STATEMENT_REQUESTED, date(2025, 8, 5), party=FIRE),
            StageEvent(K.STATEMENT, date(2025, 8, 29), party=FIRE),
            StageEvent(K.DECISION, date(2025, 9, 26)),
        ),
    )
    return replace(facts, **changes)


END_2025 = date(2025, 12, 31)
DAY_0 = date(2025, 1, 1)


def day(n: int) -> date:
    """Day n of a made-up procedure received on 1 January 2025 (day 0)."""
    return DAY_0 + timedelta(days=n)


# --- month arithmetic ---


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 3, 24), 7, date(2025, 10, 24)),
        (date(2025, 7, 31), 7, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_agrees_with_dateutil(start: date, months: int) -> None:
    assert add_months(start, months) == start + relativedelta(months=months)


def test_a_period_adds_months_then_days() -> None:
    assert Period(months=1, days=14).end_after(date(2025, 1, 31)) == date(2025, 3, 14)
    assert str(Period(months=1, days=14)) == "1 month 14 days"


def test_an_empty_period_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        Period()


# --- durations ---


def test_completeness_gross_and_net_time_of_the_hochfeld_plant() -> None:
    facts = electrolyser_hochfeld()
    assert completeness_check_span(facts, as_of=END_2025).days == 68  # 83 - 15
    assert gross_span(facts, as_of=END_2025).days == 338  # 353 - 15
    net = net_span(facts, as_of=END_2025)
    assert net is not None and net.days == 270 and net.reached  # 353 - 83


def test_clock_split_of_the_hochfeld_plant() -> None:
    split = clock_split(electrolyser_hochfeld(), as_of=END_2025)
    assert split.applicant_days == 35  # 3 Feb (34) → 10 Mar (69)
    assert split.consulted_days == 47  # 26 Mar (85) → 12 May (132), the two bodies overlap
    assert split.authority_days == 256  # 338 - 35 - 47
    assert split.gross_days == 338 and split.reached


def test_clock_split_of_the_rheinhausen_hall() -> None:
    split = clock_split(hall_rheinhausen(), as_of=END_2025)
    assert split.gross_days == 116  # 2 Jun → 26 Sep
    assert (split.applicant_days, split.consulted_days, split.authority_days) == (21, 24, 71)


def test_the_applicant_takes_precedence_over_a_consulted_body() -> None:
    facts = ProcedureFacts(
        received=DAY_0,
        decided=day(50),
        ended_by=EndedBy.DECISION,
        events=(
            StageEvent(K.STATEMENT_REQUESTED, day(10), party=FIRE),
            StageEvent(K.DEFECTS_REQUESTED, day(20)),
            StageEvent(K.AMENDED_APPLICATION, day(30)),
            StageEvent(K.STATEMENT, day(40), party=FIRE),
        ),
    )
    split = clock_split(facts, as_of=day(60))
    assert (split.applicant_days, split.consulted_days, split.authority_days) == (10, 20, 20)


def test_a_statement_ends_only_the_request_of_its_own_party() -> None:
    facts = ProcedureFacts(
        received=DAY_0,
        events=(
            StageEvent(K.STATEMENT_REQUESTED, day(5), party=FIRE),
            StageEvent(K.STATEMENT_REQUESTED, day(5), party=WATER),
            StageEvent(K.STATEMENT, day(10), party=WATER),
            StageEvent(K.STATEMENT, day(20), party=FIRE),
        ),
    )
    assert clock_split(facts, as_of=day(30)).consulted_days == 15


def test_a_hearing_gives_the_clock_to_the_applicant_until_the_response() -> None:
    facts = ProcedureFacts(
        received=DAY_0,
        events=(
            StageEvent(K.HEARING, day(40), deadline=day(54)),
            StageEvent(K.HEARING_RESPONSE, day(52)),
        ),
    )
    assert clock_split(facts, as_of=day(60)).applicant_days == 12


def test_an_unanswered_defects_request_keeps_the_clock_with_the_applicant() -> None:
    facts = electrolyser_hochfeld()
    split = clock_split(facts, as_of=date(2025, 3, 1))
    assert split.gross_days == 45 and not split.reached  # 15 Jan → 1 Mar
    assert (split.applicant_days, split.consulted_days, split.authority_days) == (26, 0, 19)


@st.composite
def random_procedures(draw: st.DrawFn) -> tuple[ProcedureFacts, date]:
    received = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    kinds = st.sampled_from(list(EventKind))
    events = draw(
        st.lists(
            st.builds(
                StageEvent,
                kind=kinds,
                on=st.integers(0, 500).map(lambda n: received + timedelta(days=n)),
                party=st.sampled_from(["", FIRE, WATER, NATURE]),
            ),
            max_size=25,
        )
    )
    ended = draw(st.sampled_from([None, EndedBy.DECISION, EndedBy.WITHDRAWAL]))
    end = received + timedelta(days=draw(st.integers(0, 600)))
    complete = received + timedelta(days=draw(st.integers(0, 200)))
    extensions = draw(
        st.lists(
            st.builds(
                Extension,
                on=st.integers(0, 500).map(lambda n: received + timedelta(days=n)),
                months=st.integers(1, 4),
                agreed_by_applicant=st.booleans(),
            ),
            max_size=3,
        )
    )
    facts = ProcedureFacts(
        received=received,
        complete=complete if draw(st.booleans()) and (ended is None or complete <= end) else None,
        decided=end if ended is EndedBy.DECISION else None,
        withdrawn=end if ended is EndedBy.WITHDRAWAL else None,
        ended_by=ended,
        events=tuple(events),
        extensions=tuple(extensions),
        completeness_check_extended=draw(st.booleans()),
    )
    return facts, received + timedelta(days=draw(st.integers(0, 700)))


@given(random_procedures())
def test_the_clock_split_adds_up_to_the_gross_time(case: tuple[ProcedureFacts, date]) -> None:
    facts, as_of = case
    split = clock_split(facts, as_of=as_of)
    parts = (split.applicant_days, split.consulted_days, split.authority_days)
    assert min(parts) >= 0
    assert sum(parts) == split.gross_days == gross_span(facts, as_of=as_of).days


@given(random_procedures(), st.sampled_from(DEFAULT_RULES))
def test_every_figure_is_computed_for_any_consistent_procedure(
    case: tuple[ProcedureFacts, date], rule: DeadlineRule
) -> None:
    facts, as_of = case
    figures = procedure_figures(facts, rule, as_of=as_of)
    deadline = figures.deadline
    if deadline.deadline is not None and deadline.deadline_without_extensions is not None:
        assert deadline.deadline >= deadline.deadline_without_extensions
    assert all(finding.days_late > 0 for finding in figures.late_defect_requests)


# --- open procedures and the as-of cut ---


def test_an_open_procedure_runs_to_the_as_of_date_and_is_not_reached() -> None:
    gross = gross_span(electrolyser_hochfeld(), as_of=date(2025, 6, 30))
    assert (gross.end, gross.days, gross.reached) == (date(2025, 6, 30), 166, False)
    net = net_span(electrolyser_hochfeld(), as_of=date(2025, 6, 30))
    assert net is not None and (net.days, net.reached) == (98, False)  # 181 - 83


def test_before_completeness_there_is_no_net_time() -> None:
    facts = electrolyser_hochfeld()
    assert net_span(facts, as_of=date(2025, 3, 1)) is None
    check = completeness_check_span(facts, as_of=date(2025, 3, 1))
    assert (check.days, check.reached) == (45, False)


def test_the_as_of_cut_forgets_what_happened_later() -> None:
    past = facts_as_of(electrolyser_hochfeld(), date(2025, 3, 1))
    assert past.complete is None and past.decided is None and past.ended_by is None
    assert [event.kind for event in past.events] == [K.APPLICATION, K.DEFECTS_REQUESTED]
    assert past.extensions == ()


def test_a_decision_on_the_as_of_day_counts_as_made() -> None:
    gross = gross_span(electrolyser_hochfeld(), as_of=date(2025, 12, 19))
    assert gross.reached and gross.days == 338


def test_a_withdrawal_ends_the_clock() -> None:
    facts = electrolyser_hochfeld(
        decided=None, withdrawn=date(2025, 7, 1), ended_by=EndedBy.WITHDRAWAL
    )
    gross = gross_span(facts, as_of=END_2025)
    assert (gross.end, gross.reached) == (date(2025, 7, 1), True)
    assert decision_deadline(facts, BIMSCHG_10, as_of=END_2025).decided_within is None


def test_as_of_before_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="after the as-of date"):
        gross_span(electrolyser_hochfeld(), as_of=date(2024, 12, 31))


def test_a_decision_before_receipt_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="decided date 2024-12-19 is before the receipt"):
        electrolyser_hochfeld(decided=date(2024, 12, 19))


def test_an_event_before_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="defects_requested event on 2025-01-02"):
        hall_rheinhausen(events=(StageEvent(K.DEFECTS_REQUESTED, date(2025, 1, 2)),))


def test_a_completeness_after_the_decision_is_refused() -> None:
    with pytest.raises(ValueError, match="complete date 2026-01-05 is after the procedure ended"):
        electrolyser_hochfeld(complete=date(2026, 1, 5))


def test_plain_strings_from_the_database_are_read_as_kinds() -> None:
    facts = ProcedureFacts(
        received=DAY_0,
        decided=day(30),
        ended_by="decision",  # type: ignore[arg-type]
        events=(
            StageEvent("defects_requested", day(3)),  # type: ignore[arg-type]
            StageEvent("amended_application", day(9)),  # type: ignore[arg-type]
        ),
    )
    assert facts.events[0].kind is K.DEFECTS_REQUESTED and facts.ended_by is EndedBy.DECISION
    assert clock_split(facts, as_of=day(40)).applicant_days == 6


def test_an_unknown_event_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="'approval' is not a valid EventKind"):
        StageEvent("approval", DAY_0)  # type: ignore[arg-type]


def test_a_decision_date_without_ended_by_is_refused() -> None:
    with pytest.raises(ValueError, match="ended_by"):
        ProcedureFacts(received=date(2025, 1, 2), decided=date(2025, 3, 2))


# --- decision deadline ---


def test_the_bimschg_deadline_with_its_lawful_extension() -> None:
    status = decision_deadline(electrolyser_hochfeld(), BIMSCHG_10, as_of=END_2025)
    assert status.clock_start == date(2025, 3, 24)
    assert status.deadline_without_extensions == date(2025, 10, 24)
    assert status.deadline == date(2026, 1, 24)
    assert status.decided_within is True and not status.overdue and not status.open


def test_without_extensions_the_same_decision_is_late() -> None:
    status = decision_deadline(
        electrolyser_hochfeld(), BIMSCHG_10, as_of=END_2025, include_extensions=False
    )
    assert status.deadline == date(2025, 10, 24)
    assert status.decided_within is False and status.overdue


def test_days_left_of_an_open_procedure() -> None:
    status = decision_deadline(electrolyser_hochfeld(), BIMSCHG_10, as_of=date(2025, 6, 30))
    assert (status.deadline, status.days_left, status.overdue) == (date(2025, 10, 24), 116, False)
    later = decision_deadline(
        electrolyser_hochfeld(), BIMSCHG_10, as_of=date(2025, 11, 1), include_extensions=False
    )
    assert (later.days_left, later.overdue) == (-8, True)
    extended = decision_deadline(electrolyser_hochfeld(), BIMSCHG_10, as_of=date(2025, 11, 1))
    assert (extended.days_left, extended.overdue) == (84, False)


def test_a_second_extension_needs_the_applicants_consent() -> None:
    first = electrolyser_hochfeld().extensions[0]  # 1 Oct 2025, 3 months: to 24 Jan 2026
    second = Extension(on=date(2026, 1, 10), months=2, reason="Gutachten Lärm")
    agreed = replace(second, agreed_by_applicant=True)
    as_of = date(2026, 1, 20)
    refused = electrolyser_hochfeld(decided=None, ended_by=None, extensions=(first, second))
    status = decision_deadline(refused, BIMSCHG_10, as_of=as_of)
    assert status.deadline == date(2026, 1, 24)
    assert [r.problem for r in status.rejected_extensions] == [ExtensionProblem.NEEDS_CONSENT]
    consented = electrolyser_hochfeld(decided=None, ended_by=None, extensions=(first, agreed))
    assert decision_deadline(consented, BIMSCHG_10, as_of=as_of).deadline == date(2026, 3, 24)


def test_an_extension_after_the_deadline_has_passed_is_not_applied() -> None:
    late = Extension(on=date(2025, 10, 27), months=3)
    facts = electrolyser_hochfeld(extensions=(late,))
    status = decision_deadline(facts, BIMSCHG_10, as_of=END_2025)
    assert status.deadline == date(2025, 10, 24) and status.decided_within is False
    assert status.rejected_extensions[0].problem is ExtensionProblem.AFTER_DEADLINE


def test_an_extension_longer_than_the_law_allows_is_not_applied() -> None:
    facts = electrolyser_hochfeld(extensions=(Extension(on=date(2025, 10, 1), months=4),))
    status = decision_deadline(facts, BIMSCHG_10, as_of=END_2025)
    assert status.rejected_extensions[0].problem is ExtensionProblem.TOO_LONG


def test_a_building_permit_in_nrw_has_no_statutory_decision_deadline() -> None:
    facts = hall_rheinhausen(extensions=(Extension(on=date(2025, 8, 20), months=1),))
    status = decision_deadline(facts, BAUO_NRW_64, as_of=END_2025)
    assert status.deadline is None and status.decided_within is None and not status.overdue
    assert status.rejected_extensions[0].problem is ExtensionProblem.NO_DEADLINE


# --- late defect requests ---


def test_a_defects_request_after_the_two_week_check_is_late() -> None:
    (finding,) = late_defect_requests(hall_rheinhausen(), BAUO_NRW_64, as_of=END_2025)
    assert finding.requested_on == date(2025, 7, 7)
    assert finding.window_end == date(2025, 6, 16)
    assert finding.days_late == 21 and not finding.after_amendment


def test_a_timely_defects_request_is_not_flagged() -> None:
    assert late_defect_requests(electrolyser_hochfeld(), BIMSCHG_10, as_of=END_2025) == []


def test_the_allowed_extension_of_the_check_gives_the_authority_the_benefit_of_the_doubt() -> None:
    # 15 Jan + 1 month = 15 Feb, + 14 days = 1 Mar: a request on 1 Mar is in time, 2 Mar late.
    for on, late in ((date(2025, 3, 1), []), (date(2025, 3, 2), [1])):
        facts = ProcedureFacts(
            received=date(2025, 1, 15), events=(StageEvent(K.DEFECTS_REQUESTED, on),)
        )
        found = late_defect_requests(facts, BIMSCHG_10, as_of=END_2025)
        assert [f.days_late for f in found] == late


def test_new_documents_open_a_new_check_window() -> None:
    second_round = StageEvent(K.DEFECTS_REQUESTED, date(2025, 8, 20))
    facts = hall_rheinhausen(
        complete=date(2025, 9, 1), events=(*hall_rheinhausen().events, second_round)
    )
    findings = late_defect_requests(facts, BAUO_NRW_64, as_of=END_2025)
    assert [(f.window_start, f.days_late, f.after_amendment) for f in findings] == [
        (date(2025, 6, 2), 21, False),
        (date(2025, 7, 28), 9, True),  # window 28 Jul → 11 Aug
    ]


def test_a_late_request_made_after_as_of_is_not_known_yet() -> None:
    assert late_defect_requests(hall_rheinhausen(), BAUO_NRW_64, as_of=date(2025, 7, 1)) == []


# --- completeness fiction and deemed approval ---


def quiet_bimschg_19() -> ProcedureFacts:
    """§ 19 BImSchG: no defects request, no completeness recorded."""
    return ProcedureFacts(received=date(2025, 3, 3))


def test_the_completeness_fiction_counts_down_to_the_day_after_the_window() -> None:
    point = completeness_fiction(quiet_bimschg_19(), BIMSCHG_19, as_of=date(2025, 3, 20))
    assert point is not None and point.kind is FictionKind.COMPLETENESS
    assert (point.takes_effect_on, point.days_left, point.in_effect) == (
        date(2025, 4, 4),
        15,
        False,
    )


def test_the_deemed_completeness_starts_the_decision_clock() -> None:
    status = decision_deadline(quiet_bimschg_19(), BIMSCHG_19, as_of=date(2025, 5, 1))
    assert status.clock_start == date(2025, 4, 4)
    assert status.deadline == date(2025, 7, 4)


def test_a_late_completeness_record_does_not_move_the_clock_start() -> None:
    facts = ProcedureFacts(received=date(2025, 3, 3), complete=date(2025, 5, 15))
    assert decision_deadline(facts, BIMSCHG_19, as_of=END_2025).clock_start == date(2025, 4, 4)


def test_no_completeness_fiction_when_confirmed_in_time_or_in_nrw() -> None:
    assert completeness_fiction(electrolyser_hochfeld(), BIMSCHG_10, as_of=END_2025) is None
    assert completeness_fiction(hall_rheinhausen(), BAUO_NRW_64, as_of=END_2025) is None


def test_no_completeness_fiction_while_the_applicant_holds_the_clock() -> None:
    assert completeness_fiction(electrolyser_hochfeld(), BIMSCHG_10, as_of=date(2025, 3, 1)) is None


def test_a_used_extension_of_the_check_moves_the_completeness_fiction() -> None:
    facts = ProcedureFacts(received=date(2025, 3, 3), completeness_check_extended=True)
    point = completeness_fiction(facts, BIMSCHG_19, as_of=date(2025, 3, 20))
    assert point is not None and point.takes_effect_on == date(2025, 4, 18)


def hessen_permit(*extensions: Extension) -> ProcedureFacts:
    return ProcedureFacts(
        received=date(2025, 1, 10), complete=date(2025, 1, 31), extensions=extensions
    )


def test_the_deemed_approval_in_hessen_after_three_plus_two_months() -> None:
    facts = hessen_permit(Extension(on=date(2025, 4, 15), months=2))
    assert decision_deadline(facts, HBO_65, as_of=date(2025, 6, 20)).deadline == date(2025, 6, 30)
    before = deemed_approval(facts, HBO_65, as_of=date(2025, 6, 20))
    assert before is not None and before.kind is FictionKind.APPROVAL
    assert (before.takes_effect_on, before.days_left, before.in_effect) == (
        date(2025, 7, 1),
        11,
        False,
    )
    after = deemed_approval(facts, HBO_65, as_of=date(2025, 7, 2))
    assert after is not None and (after.days_left, after.in_effect) == (-1, True)


def test_hessen_allows_one_extension_only() -> None:
    facts = hessen_permit(
        Extension(on=date(2025, 4, 15), months=2), Extension(on=date(2025, 6, 1), months=1)
    )
    status = decision_deadline(facts, HBO_65, as_of=date(2025, 6, 20))
    assert status.deadline == date(2025, 6, 30)
    assert [r.problem for r in status.rejected_extensions] == [ExtensionProblem.NOT_PROVIDED]


def test_no_deemed_approval_after_a_timely_decision_or_where_the_law_has_none() -> None:
    decided = ProcedureFacts(
        received=date(2025, 1, 10),
        complete=date(2025, 1, 31),
        decided=date(2025, 4, 2),
        ended_by=EndedBy.DECISION,
    )
    assert deemed_approval(decided, HBO_65, as_of=END_2025) is None
    assert deemed_approval(electrolyser_hochfeld(), BIMSCHG_10, as_of=END_2025) is None


# --- the default rules and the summary ---


def test_default_rules_state_their_legal_basis_and_source() -> None:
    assert len({rule.code for rule in DEFAULT_RULES}) == len(DEFAULT_RULES)
    assert all(rule.legal_basis and rule.source_note for rule in DEFAULT_RULES)
    assert BIMSCHG_10.decision == Period(months=7) and BIMSCHG_10.extension == Period(months=3)
    assert RULES_BY_CODE["bimschg-16-2"].decision == Period(months=3)
    assert BAUO_NRW_64.decision is None and BAUO_NRW_64.completeness_check == Period(days=14)
    assert HBO_65.deemed_approval and not BAUO_NRW_64.deemed_approval


def test_procedure_figures_gathers_every_figure() -> None:
    figures = procedure_figures(hall_rheinhausen(), BAUO_NRW_64, as_of=END_2025)
    assert figures.gross.days == 116 and figures.net is not None and figures.net.days == 53
    assert figures.completeness_check.days == 63
    assert [f.days_late for f in figures.late_defect_requests] == [21]
    assert figures.deadline.deadline is None and figures.deemed_approval is None


def test_the_applicants_clock_stops_when_the_application_is_found_complete() -> None:
    """A defects request without a recorded amended application: the applicant holds the
    clock until the application was complete (the documents came), not until the decision."""
    facts = ProcedureFacts(
        received=date(2026, 2, 2),
        complete=date(2026, 3, 2),
        decided=date(2026, 5, 4),
        ended_by=EndedBy.DECISION,
        events=(
            StageEvent(EventKind.DEFECTS_REQUESTED, date(2026, 2, 12), deadline=date(2026, 2, 26)),
        ),
    )
    split = clock_split(facts, as_of=date(2026, 6, 1))
    assert split.applicant_days == 18  # 12 Feb → 2 Mar
    assert split.applicant_days + split.consulted_days + split.authority_days == 91
