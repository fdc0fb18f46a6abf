"""The permit demo: Duisburg and peer Oberzentren with sample procedures whose figures are
plausible, open and overdue cases included, and a city flattered by the naive mean."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.demo import DUISBURG, DemoContext
from masterplan.permits import demo as permits_demo
from masterplan.plans.services import masterplan_create


@pytest.fixture
def context(admin: Any) -> DemoContext:
    context = DemoContext.start(
        actor=admin,
        today=timezone.localdate(),
        create_plan=lambda plan: masterplan_create(actor=admin, **plan.fields()),
    )
    started = time.perf_counter()
    permits_demo.load(context)
    print("demo load", time.perf_counter() - started)
    return context


def test_explore(context: DemoContext, admin: Any) -> None:
    from masterplan.permits import queries
    from masterplan.permits.models import Procedure, ProcedureEvent, ProcedureExtension

    plan = context.plans[DUISBURG]
    print(
        Procedure.objects.filter(masterplan=plan).count(),
        ProcedureEvent.objects.filter(masterplan=plan).count(),
        ProcedureExtension.objects.count(),
    )
    t = time.perf_counter()
    board = queries.permit_dashboard(masterplan=plan, as_of=context.today, user=admin)
    print("dashboard", time.perf_counter() - t, board.n, board.open, len(board.overdue))
    for g in board.overall["net"]:
        print(g.label, g.km.n, g.km.median.days, g.naive_mean, g.within_deadline, g.within_extended)
    t = time.perf_counter()
    bench = queries.benchmark(masterplan=plan, as_of=context.today)
    print("benchmark", time.perf_counter() - t)
    for r in bench.rankings:
        print(r.definition, r.procedure_type)
        for c in r.cities:
            print(
                "   ",
                c.city,
                c.value,
                c.n,
                c.rank and (c.rank.rank, c.rank.rank_lower, c.rank.rank_upper, c.rank.p_top),
            )
