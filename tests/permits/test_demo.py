"""The permit demo: Duisburg and peer Oberzentren with sample procedures whose figures are
plausible, open and overdue cases included, published peer figures marked as sample data, and
a city that the naive mean of closed cases flatters."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.demo import DUISBURG, DemoContext
from masterplan.permits import demo as permits_demo
from masterplan.permits import queries, survival
from masterplan.permits.durations import EventKind
from masterplan.permits.models import (
    Authority,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
)
from masterplan.plans.services import masterplan_create


@pytest.fixture
def context(admin: Any) -> DemoContext:
    context = DemoContext.start(
        actor=admin,
        today=timezone.localdate(),
        create_plan=lambda plan: masterplan_create(actor=admin, **plan.fields()),
    )
    permits_demo.load(context)
    return context


def km_median(cols: queries.Columns, code: str, city: str) -> tuple[int | None, float | None]:
    """KM median and naive mean of closed cases, net clock, of one city and type."""
    days, events, started = cols.durations("net")
    kind = next(k for k, t in enumerate(cols.types) if t.code == code)
    of_city = [i for i, a in enumerate(cols.authorities) if a.city == city]
    mask = (cols.kind[started] == kind) & (
        (cols.authority[started][:, None] == of_city).any(axis=1)
    )
    km = survival.kaplan_meier(days[mask], events[mask])
    return km.median.days, survival.naive_mean_of_closed(days[mask], events[mask])


def test_everything_is_sample_data_and_the_demo_stays_small(context: DemoContext) -> None:
    plan = context.plans[DUISBURG]
    procedures = Procedure.objects.filter(masterplan=plan)
    assert 2_000 < procedures.count() < 5_000
    assert not procedures.filter(is_sample=False).exists()
    assert not ProcedureEvent.objects.filter(masterplan=plan, is_sample=False).exists()
    figures = PeerFigure.objects.filter(masterplan=plan)
    assert figures.count() >= 6
    assert all(f.is_sample and "Beispieldaten" in f.source for f in figures)
    own = Authority.objects.filter(masterplan=plan, is_own=True)
    assert {a.kind for a in own} == {"building", "immission"}
    assert all(a.ags == "05112000" and a.contacts.exists() for a in own)
    # About five stage events per procedure.
    assert 4 < ProcedureEvent.objects.filter(masterplan=plan).count() / procedures.count() < 7


def test_durations_are_plausible_for_each_kind_of_procedure(context: DemoContext) -> None:
    plan = context.plans[DUISBURG]
    cols = queries.columns(masterplan=plan, as_of=context.today)
    building, _mean = km_median(cols, "bauo-nrw-64", "Duisburg")
    simplified, _mean = km_median(cols, "bimschg-19", "Duisburg")
    full, _mean = km_median(cols, "bimschg-10", "Duisburg")
    assert building is not None and 60 <= building <= 120  # 2–4 months
    assert simplified is not None and 90 <= simplified <= 185  # 3–6 months
    assert full is not None and 210 <= full <= 430  # 7–14 months
    ended = Procedure.objects.filter(masterplan=plan).exclude(outcome=Outcome.OPEN)
    withdrawn = ended.filter(outcome=Outcome.WITHDRAWN).count() / ended.count()
    assert 0.05 <= withdrawn <= 0.15


def test_open_overdue_and_the_stages_of_real_procedures(context: DemoContext, admin: Any) -> None:
    plan = context.plans[DUISBURG]
    board = queries.permit_dashboard(masterplan=plan, as_of=context.today, user=admin)
    assert board.open > 50
    assert any(row.days_left < 0 for row in board.overdue)
    events = ProcedureEvent.objects.filter(masterplan=plan)
    assert events.filter(kind=EventKind.DEFECTS_REQUESTED).count() > 100
    assert events.filter(kind=EventKind.HEARING).exists()
    assert events.filter(party="Bezirksregierung Düsseldorf", kind=EventKind.STATEMENT).exists()
    assert events.filter(party="Untere Wasserbehörde").exists()
    assert ProcedureExtension.objects.filter(masterplan=plan, agreed_by_applicant=True).exists()
    # Recent receipts: the demo always has procedures of the last month.
    last_month = context.today.toordinal() - 31
    assert (queries.columns(masterplan=plan, as_of=context.today).received > last_month).any()


def test_the_naive_mean_flatters_the_city_with_a_backlog(context: DemoContext) -> None:
    """Gelsenkirchen closes its easy cases fast and leaves a backlog open: ranked by the mean
    of closed cases it is the fastest record city, by the Kaplan–Meier median it is not."""
    plan = context.plans[DUISBURG]
    cols = queries.columns(masterplan=plan, as_of=context.today, own_only=False)
    cities = sorted({a.city for a in cols.authorities})
    figures = {city: km_median(cols, "bauo-nrw-64", city) for city in cities}
    by_mean = sorted(cities, key=lambda c: figures[c][1] or 0)
    by_median = sorted(cities, key=lambda c: figures[c][0] or 0)
    assert by_mean.index("Gelsenkirchen") < by_median.index("Gelsenkirchen")
    assert by_mean[0] == "Gelsenkirchen"


def test_duisburg_is_ranked_among_fifteen_cities(context: DemoContext) -> None:
    plan = context.plans[DUISBURG]
    board = queries.benchmark(masterplan=plan, as_of=context.today, resamples=200)
    (ranking,) = [
        r
        for r in board.rankings
        if r.bootstrapped
        and r.definition.start == "complete"
        and r.procedure_type == "Vereinfachtes Baugenehmigungsverfahren (NRW)"
    ]
    assert len(ranking.cities) == 15
    (own,) = [c for c in ranking.cities if c.is_own]
    assert own.city == "Duisburg" and own.rank is not None
    assert 0.05 < own.rank.p_top < 0.95  # on the edge of the goal: worth tracking
