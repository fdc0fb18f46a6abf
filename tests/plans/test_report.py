"""The review report's figures against values worked out by hand.

Duisburg, period 1 Aug – 31 Oct 2026 (both days included), outlook of three months until
31 Jan 2027, generated on 22 Nov 2026. The boundaries carry records on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from masterplan.core.models import Masterplan, Publication
from masterplan.plans import services
from masterplan.plans.models import KeyResultReading, Measure, StatusReport
from masterplan.plans.report import ReviewReport, add_months, build_review_report
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    OrganizationFactory,
    seeded_statuses,
)

START = date(2026, 8, 1)
END = date(2026, 10, 31)
TODAY = date(2026, 11, 22)
BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """English texts, whatever the translations say (German is the site's default)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Duisburg:
    plan: Masterplan
    dialogue: Measure  # "Business beim Brötchen", started on the first day
    startport: Measure  # MoU, finished on the last day, 31 days late
    permits: Measure  # permitting dialogue, overdue at the end
    competition: Measure  # finished only after the end: overdue as of the end
    free_membership: Measure  # planned to end on the last day of the outlook
    after_outlook: Measure
    stopped: Measure
    draft: Measure


def at(year: int, month: int, day: int, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def update_at(when: datetime, **kwargs: Any) -> Measure:
    """A real service call, recorded in the audit trail at `when`."""
    with time_machine.travel(when, tick=False):
        return services.measure_update(**kwargs)


@pytest.fixture
def duisburg(plan: Masterplan, own_org: Any, other_org: Any) -> Duisburg:
    s = seeded_statuses(plan)
    permits_field = FieldOfActionFactory(masterplan=plan, name="Schnellere Genehmigungsverfahren")
    top10 = GoalFactory(
        field=permits_field,
        statement="Top 10 der Oberzentren bei Genehmigungsverfahren bis 2025",
    )
    startups = GoalFactory(
        field=FieldOfActionFactory(masterplan=plan, name="Start-ups"),
        statement="Alle Duisburger Start-ups im Netzwerk",
    )

    def measure(title: str, **kwargs: Any) -> Measure:
        kwargs.setdefault("goal", top10)
        kwargs.setdefault("lead_organization", own_org)
        kwargs.setdefault("status", s["In Umsetzung"])
        return MeasureFactory(title=title, **kwargs)

    world = Duisburg(
        plan=plan,
        dialogue=measure(
            "Business beim Brötchen – der Wirtschaftsdialog",
            planned_start=date(2026, 8, 1),
            actual_start=date(2026, 8, 1),
            planned_end=date(2026, 11, 30),
        ),
        startport=measure(
            "Partnerschaft mit startport (Memorandum of Understanding)",
            goal=startups,
            status=s["Umgesetzt"],
            actual_start=date(2026, 5, 1),
            planned_end=date(2026, 9, 30),
            actual_end=date(2026, 10, 31),
        ),
        permits=measure(
            "Dialogformat Genehmigungsverfahren mit der Stadtverwaltung",
            lead_organization=other_org,
            planned_start=date(2026, 3, 1),
            actual_start=date(2026, 7, 31),
            planned_end=date(2026, 10, 15),
        ),
        competition=measure(
            "Start-up-Wettbewerb der DBI",
            goal=startups,
            actual_start=date(2026, 7, 31),
            planned_end=date(2026, 10, 20),
            actual_end=date(2026, 11, 1),
        ),
        free_membership=measure(
            "Zwei Jahre kostenlose Mitgliedschaft für Start-ups",
            goal=startups,
            planned_end=date(2027, 1, 31),
        ),
        after_outlook=measure("Ruhrpitch der Wirtschaftsjunioren", planned_end=date(2027, 2, 1)),
        stopped=measure(
            "Gründerstammtisch Innenhafen", status=s["Gestoppt"], planned_end=date(2026, 9, 1)
        ),
        draft=measure(
            "Vorbereitung Lenkungskreis (intern)",
            publication=Publication.DRAFT,
            actual_start=date(2026, 9, 1),
        ),
    )
    MilestoneFactory(
        measure=world.dialogue,
        title="Auftakt: Genehmigungsprozesse",
        due=date(2026, 10, 31),
        achieved_on=date(2026, 10, 31),
        evidence_url="https://www.unternehmerverband.org/",
    )
    MilestoneFactory(
        measure=world.dialogue, title="Zweiter Wirtschaftsdialog", due=date(2026, 12, 15)
    )
    MilestoneFactory(
        measure=world.startport,
        title="MoU unterzeichnet",
        due=date(2026, 9, 30),
        achieved_on=date(2026, 8, 1),
    )
    MilestoneFactory(
        measure=world.startport,
        title="Kick-off",
        due=date(2026, 6, 1),
        achieved_on=date(2026, 7, 31),
    )
    MilestoneFactory(
        measure=world.permits, title="Bestandsaufnahme Verfahrensdauern", due=date(2026, 9, 30)
    )
    MilestoneFactory(
        measure=world.competition,
        title="Preisverleihung",
        due=date(2026, 10, 25),
        achieved_on=date(2026, 11, 2),
    )
    MilestoneFactory(
        measure=world.free_membership, title="Erste 20 Start-ups", due=date(2027, 1, 31)
    )
    MilestoneFactory(measure=world.after_outlook, title="Finale", due=date(2027, 2, 1))
    MilestoneFactory(measure=world.stopped, title="Erster Stammtisch", due=date(2026, 9, 1))
    MilestoneFactory(
        measure=world.draft,
        title="Tagesordnung abgestimmt",
        due=date(2026, 9, 10),
        achieved_on=date(2026, 9, 10),
        publication=Publication.DRAFT,
    )

    days = KeyResultFactory(
        goal=top10,
        name="Median-Verfahrensdauer Baugenehmigung",
        unit="Tage",
        baseline_value=120,
        baseline_date=date(2022, 1, 1),
        target_value=60,
        target_date=date(2025, 12, 31),
    )
    for measured_on, value in (
        (date(2026, 6, 30), 110),
        (date(2026, 8, 1), 105),
        (date(2026, 8, 2), 102),
        (date(2026, 10, 31), 90),
        (date(2026, 11, 1), 80),
    ):
        KeyResultReading.objects.create(key_result=days, measured_on=measured_on, value=value)
    members = KeyResultFactory(
        goal=startups,
        name="Start-ups als Mitglieder von Wirtschaft für Duisburg",
        unit="Start-ups",
        baseline_value=0,
        baseline_date=date(2022, 3, 1),
        target_value=40,
        target_date=date(2026, 12, 31),
    )
    KeyResultReading.objects.create(key_result=members, measured_on=date(2026, 9, 15), value=12)
    KeyResultFactory(
        goal=startups,
        name="Entwurf: Investoren im Netzwerk",
        publication=Publication.DRAFT,
        baseline_value=0,
        target_value=10,
    )
    return world


def report_for(user: Any, plan: Masterplan, **kwargs: Any) -> ReviewReport:
    kwargs.setdefault("start", START)
    kwargs.setdefault("end", END)
    return build_review_report(user=user, masterplan=plan, today=TODAY, **kwargs)


def titles(rows: list[Any], attr: str = "measure") -> list[str]:
    return [str(getattr(row, attr)) for row in rows]


def test_milestones_achieved_include_both_boundaries(duisburg: Duisburg) -> None:
    report = report_for(AnonymousUser(), duisburg.plan)
    # 1 Aug (start) and 31 Oct (end) count; 31 Jul and 2 Nov do not.
    assert titles(report.milestones_achieved, "milestone") == [
        "MoU unterzeichnet",
        "Auftakt: Genehmigungsprozesse",
    ]
    assert [r.days_late for r in report.milestones_achieved] == [0, 0]


def test_measures_started_and_finished_include_both_boundaries(duisburg: Duisburg) -> None:
    report = report_for(AnonymousUser(), duisburg.plan)
    assert titles(report.measures_started) == ["Business beim Brötchen – der Wirtschaftsdialog"]
    assert titles(report.measures_finished) == [
        "Partnerschaft mit startport (Memorandum of Understanding)"
    ]
    # planned end 30 Sep, actual end 31 Oct
    assert report.measures_finished[0].schedule.days_late == 31
    assert report.measures_started[0].schedule.start_delay_days == 0


def test_overdue_as_of_the_end_of_the_period(duisburg: Duisburg) -> None:
    report = report_for(AnonymousUser(), duisburg.plan)
    # Achieved (finished) only after 31 Oct counts as open on 31 Oct; stopped ones are left out.
    assert [(r.milestone.title, r.days_late) for r in report.overdue_milestones] == [
        ("Bestandsaufnahme Verfahrensdauern", 31),  # due 30 Sep
        ("Preisverleihung", 6),  # due 25 Oct, achieved 2 Nov
    ]
    assert [(str(r.measure), r.schedule.days_late) for r in report.overdue_measures] == [
        ("Dialogformat Genehmigungsverfahren mit der Stadtverwaltung", 16),  # planned 15 Oct
        ("Start-up-Wettbewerb der DBI", 11),  # planned 20 Oct, finished 1 Nov
    ]


def test_outlook_runs_from_the_day_after_the_end_to_n_months_later(duisburg: Duisburg) -> None:
    report = report_for(AnonymousUser(), duisburg.plan)
    assert report.outlook_end == date(2027, 1, 31)
    assert titles(report.outlook_milestones, "milestone") == [
        "Zweiter Wirtschaftsdialog",
        "Erste 20 Start-ups",
    ]
    # Ends 30 Nov and 31 Jan are in; 1 Feb is not.
    assert titles(report.outlook_measures) == [
        "Business beim Brötchen – der Wirtschaftsdialog",
        "Zwei Jahre kostenlose Mitgliedschaft für Start-ups",
    ]
    assert [(m.month, m.milestones, m.measures) for m in report.outlook_by_month] == [
        (date(2026, 11, 1), 0, 1),
        (date(2026, 12, 1), 1, 0),
        (date(2027, 1, 1), 1, 1),
    ]


def test_a_shorter_outlook_drops_later_items(duisburg: Duisburg) -> None:
    report = report_for(AnonymousUser(), duisburg.plan, outlook_months=1)
    assert report.outlook_end == date(2026, 11, 30)
    assert titles(report.outlook_milestones, "milestone") == []
    assert titles(report.outlook_measures) == ["Business beim Brötchen – der Wirtschaftsdialog"]


def test_key_result_movement_in_percentage_points(duisburg: Duisburg) -> None:
    days, members = report_for(AnonymousUser(), duisburg.plan).key_results
    # Last reading on or before 1 Aug: 105 → (105 − 120) / (60 − 120) = 25 %;
    # on or before 31 Oct: 90 → 30 / 60 = 50 %; +25 percentage points.
    assert (days.start_value, days.start_on) == (Decimal("105"), date(2026, 8, 1))
    assert (days.end_value, days.end_on) == (Decimal("90"), date(2026, 10, 31))
    assert days.attainment_start == pytest.approx(0.25)
    assert days.attainment_end == pytest.approx(0.5)
    assert days.change_points == pytest.approx(25.0)
    assert days.value_change == Decimal("-15")
    # No reading before 1 Aug: the baseline 0 (0 %); 12 of 40 on 15 Sep → 30 %: +30 points.
    assert (members.start_value, members.start_on) == (Decimal("0"), date(2022, 3, 1))
    assert members.attainment_end == pytest.approx(0.3)
    assert members.change_points == pytest.approx(30.0)


def test_key_result_without_any_value_yet_has_no_movement(plan: Masterplan) -> None:
    KeyResultFactory(
        goal=GoalFactory(field=FieldOfActionFactory(masterplan=plan)),
        baseline_date=date(2027, 1, 1),
        target_date=date(2028, 1, 1),
    )
    (row,) = report_for(AnonymousUser(), plan).key_results
    assert row.start_value is None and row.end_value is None
    assert row.change_points is None


def test_health_change_from_a_real_update_with_its_reason(
    duisburg: Duisburg, coordinator: Any
) -> None:
    update_at(
        at(2026, 9, 14, 9, 30, BERLIN),
        actor=coordinator,
        measure=duisburg.dialogue,
        version=duisburg.dialogue.version,
        health="amber",
        health_reason="Für den Auftakt fehlt noch ein Raum im HAUS DER UNTERNEHMER.",
    )
    report = report_for(AnonymousUser(), duisburg.plan)
    (change,) = report.health_changes
    assert (change.measure.pk, change.old, change.new) == (duisburg.dialogue.pk, "green", "amber")
    assert change.reason == ""  # the reasons for a rating are internal
    assert change.direction == -1
    assert change.actor == ""  # the public does not see who changed it
    (change,) = report_for(coordinator, duisburg.plan).health_changes
    assert change.reason == "Für den Auftakt fehlt noch ein Raum im HAUS DER UNTERNEHMER."
    assert not change.reason_is_current


def test_health_change_without_a_new_reason_shows_the_current_one(
    duisburg: Duisburg, coordinator: Any
) -> None:
    measure = update_at(
        at(2026, 9, 14, 9, 30, BERLIN),
        actor=coordinator,
        measure=duisburg.permits,
        version=duisburg.permits.version,
        health="amber",
        health_reason="Verwaltung noch ohne Ansprechperson.",
    )
    update_at(
        at(2026, 10, 2, 16, 0, BERLIN),
        actor=coordinator,
        measure=measure,
        version=measure.version,
        health="red",
    )
    report = report_for(coordinator, duisburg.plan)
    first, second = report.health_changes
    assert (second.old, second.new, second.reason) == (
        "amber",
        "red",
        "Verwaltung noch ohne Ansprechperson.",
    )
    assert second.reason_is_current
    assert second.actor == "koordination"  # members see who changed it
    assert first.changed_at < second.changed_at


def test_health_changes_use_german_time_at_the_boundaries(
    duisburg: Duisburg, coordinator: Any
) -> None:
    # 1 Aug 00:30 summer time is 31 Jul 22:30 UTC: inside. 31 Oct 23:30 UTC is already
    # 1 Nov 00:30 winter time: outside. 31 Oct 22:30 UTC is 23:30 on 31 Oct: inside.
    moments = [
        at(2026, 7, 31, 21, 30, UTC),  # 31 Jul 23:30 in Berlin – before
        at(2026, 7, 31, 22, 30, UTC),
        at(2026, 10, 31, 22, 30, UTC),
        at(2026, 10, 31, 23, 30, UTC),  # 1 Nov 00:30 in Berlin – after
    ]
    measure = duisburg.dialogue
    for moment, health in zip(moments, ("amber", "green", "amber", "red"), strict=True):
        measure = update_at(
            moment,
            actor=coordinator,
            measure=measure,
            version=measure.version,
            health=health,
            health_reason="" if health == "green" else "Raumfrage offen",
        )
    report = report_for(AnonymousUser(), duisburg.plan)
    assert [(c.old, c.new) for c in report.health_changes] == [
        ("amber", "green"),
        ("green", "amber"),
    ]


def test_status_reports_ending_in_the_period_are_listed(
    duisburg: Duisburg, coordinator: Any
) -> None:
    # Submitted on 3 Nov, after the report's own period and inside the review period.
    with time_machine.travel(at(2026, 11, 3, 10, 0, BERLIN), tick=False):
        services.status_report_submit(
            actor=coordinator,
            measure=duisburg.permits,
            period_start=date(2026, 9, 1),
            period_end=date(2026, 10, 31),
            health="amber",
            progress=40,
            narrative="Zwei Termine mit dem Bauordnungsamt.",
            risks="Personalwechsel in der Verwaltung.",
            publication=Publication.PUBLISHED,
        )
    StatusReport.objects.create(
        masterplan=duisburg.plan,
        measure=duisburg.permits,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        health="green",
        progress=50,
        narrative="Nach dem Zeitraum.",
        publication=Publication.PUBLISHED,
    )
    report = report_for(AnonymousUser(), duisburg.plan, end=TODAY)
    assert [r.report.narrative for r in report.status_reports] == [
        "Zwei Termine mit dem Bauordnungsamt."
    ]
    # Submitting the report took its health over: a change with the report's risks as reason,
    # which only the plan's members see.
    (change,) = report.health_changes
    assert (change.new, change.reason) == ("amber", "")
    (change,) = report_for(coordinator, duisburg.plan, end=TODAY).health_changes
    assert (change.new, change.reason) == ("amber", "Personalwechsel in der Verwaltung.")


def test_the_public_sees_published_records_only(duisburg: Duisburg, viewer: Any) -> None:
    public = report_for(AnonymousUser(), duisburg.plan)
    member = report_for(viewer, duisburg.plan)
    assert "Vorbereitung Lenkungskreis (intern)" not in titles(public.measures_started)
    assert "Vorbereitung Lenkungskreis (intern)" in titles(member.measures_started)
    assert "Tagesordnung abgestimmt" in titles(member.milestones_achieved, "milestone")
    assert len(public.key_results) == 2
    assert len(member.key_results) == 3
    assert (public.is_member, member.is_member) == (False, True)


def test_draft_organisations_are_not_named_to_the_public(
    duisburg: Duisburg, own_org: Any, viewer: Any
) -> None:
    own_org.publication = Publication.DRAFT
    own_org.save()
    public = report_for(AnonymousUser(), duisburg.plan)
    member = report_for(viewer, duisburg.plan)
    assert public.measures_started[0].lead == ""
    assert member.measures_started[0].lead == "Wirtschaft für Duisburg e. V."


def test_attribution_and_data_state(duisburg: Duisburg, coordinator: Any) -> None:
    coordinator.first_name, coordinator.last_name = "Geraldine", "Klan"
    report = report_for(coordinator, duisburg.plan)
    assert report.generated_by == "Geraldine Klan"
    assert report_for(AnonymousUser(), duisburg.plan).generated_by == "a public visitor"
    assert report.data_state.entry_id is None  # factories write no audit entries
    services.measure_update(
        actor=coordinator,
        measure=duisburg.dialogue,
        version=duisburg.dialogue.version,
        progress=60,
    )
    state = report_for(coordinator, duisburg.plan).data_state
    assert state.entry_id is not None and len(state.short_hash) == 12


def test_open_measures_by_health_today(duisburg: Duisburg) -> None:
    Measure.objects.filter(pk=duisburg.permits.pk).update(health="red", health_reason="x")
    report = report_for(AnonymousUser(), duisburg.plan)
    # Open, published, not stopped: dialogue, permits, free membership, after outlook.
    assert report.health_now == {"green": 3, "red": 1}
    assert report.health_now_rows == [
        ("green", "On track", 3),
        ("amber", "At risk", 0),
        ("red", "Off track", 1),
    ]


def test_other_plans_do_not_leak_in(duisburg: Duisburg, other_plan: Masterplan) -> None:
    MeasureFactory(
        masterplan=other_plan,
        goal=GoalFactory(field=FieldOfActionFactory(masterplan=other_plan)),
        lead_organization=OrganizationFactory(masterplan=other_plan),
        title="Workshop Kernzone Reisholz",
        actual_start=date(2026, 9, 1),
    )
    report = report_for(AnonymousUser(), duisburg.plan)
    assert "Workshop Kernzone Reisholz" not in titles(report.measures_started)


def test_a_period_ending_before_it_starts_is_refused(plan: Masterplan) -> None:
    with pytest.raises(ValueError):
        report_for(AnonymousUser(), plan, start=END, end=START)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected
