"""The permit dashboard's figures from the database, against hand-computed values: the plan's
procedures read as columns, open ones censored at the as-of date, both clocks side by side,
the share within the deadline with and without extensions, the overdue list, bottlenecks and
the ranking among peers (like with like), in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan
from masterplan.permits import queries, services
from masterplan.permits.models import Authority, ClockStart, Outcome, Statistic

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)


def test_net_and_gross_durations_with_the_open_procedure_censored(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    dashboard = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
    assert dashboard.n == 5 and dashboard.open == 1
    net = dashboard.overall["net"][0]
    # Net days: 40 (d), 60 (d), 60 (open), 80 (withdrawn = censored in KM), 100 (d).
    # KM: S(40) = 4/5 = 0.8; S(60) = 0.8 · (1 − 1/4) = 0.6 (the open one leaves after 60);
    # 80 censored; S(100) = 0.6 · (1 − 1/1) = 0. Median: first S ≤ 0.5 → day 100.
    assert net.km.n == 5 and net.km.decided == 3 and net.km.open == 1 and net.km.withdrawn == 1
    assert net.km.survival_at(40) == pytest.approx(0.8)
    assert net.km.survival_at(60) == pytest.approx(0.6)
    assert net.km.median.days == 100
    # The mean of closed cases only (40, 60, 100) = 66.7 flatters: labelled as such.
    assert net.naive_mean == pytest.approx(200 / 3)
    gross = dashboard.overall["gross"][0]
    assert gross.km.median.days == 110  # the same plus the 10 days of the completeness check
    # Within 3 months (from 15 Jan: 15 Apr = 90 days): 40 and 60 decided within; 100 late;
    # the withdrawal counts as not decided within; the open one (60 days) is not known yet.
    share = net.within_deadline
    assert share is not None and (share.successes, share.n) == (2, 4)


def test_an_agreed_extension_counts_in_the_extended_share_only(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    slow = world["procedures"][2]  # decided after 100 days, deadline 90
    services.extension_add(
        actor=coordinator,
        procedure=slow,
        on=date(2026, 4, 1),
        months=3,
        reason="Gutachten zur Luftreinhaltung nachgefordert",
    )
    net = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator).overall["net"][0]
    assert net.within_deadline is not None and net.within_deadline.successes == 2
    assert net.within_extended is not None and net.within_extended.successes == 3


def test_the_figures_stand_as_they_stood_on_a_past_day(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    earlier = date(2026, 3, 1)  # 45 days after completeness: only the first one is decided
    dashboard = queries.permit_dashboard(masterplan=plan, as_of=earlier, user=coordinator)
    net = dashboard.overall["net"][0]
    assert dashboard.n == 4  # the fifth was received in April
    assert net.km.decided == 1 and net.km.open == 3
    assert net.km.median.days is None  # not reached


def test_the_overdue_list_counts_extensions_and_days_left(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    late = world["procedures"][4]  # complete 1 May: deadline 1 August
    rows = queries.permit_dashboard(
        masterplan=plan, as_of=date(2026, 7, 25), user=coordinator
    ).overdue
    assert [(row.procedure.reference, row.deadline, row.days_left) for row in rows] == [
        (late.reference, date(2026, 8, 1), 7)
    ]
    overdue = queries.permit_dashboard(masterplan=plan, as_of=date(2026, 8, 10), user=coordinator)
    assert overdue.overdue[0].days_left == -9


def test_bottlenecks_per_stage_and_consulted_body(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    first, second = world["procedures"][:2]
    for procedure, answered in ((first, 12), (second, None)):
        services.event_add(
            actor=coordinator,
            procedure=procedure,
            kind="statement_requested",
            on=date(2026, 1, 20),
            party="Bezirksregierung Düsseldorf",
        )
        if answered:
            services.event_add(
                actor=coordinator,
                procedure=procedure,
                kind="statement",
                on=date(2026, 1, 20) + timedelta(days=answered),
                party="Bezirksregierung Düsseldorf",
            )
    found = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator).bottlenecks
    assert [(b.stage, b.party, b.km.n, b.km.decided) for b in found] == [
        ("statement", "Bezirksregierung Düsseldorf", 2, 1)
    ]


def test_a_decision_event_ends_the_procedure_and_an_event_before_receipt_is_refused(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    from django.core.exceptions import ValidationError

    late = world["procedures"][4]
    with pytest.raises(ValidationError, match="vor dem Eingang des Antrags"):
        services.event_add(actor=coordinator, procedure=late, kind="hearing", on=date(2026, 4, 1))
    services.event_add(
        actor=coordinator, procedure=late, kind="decision", on=date(2026, 7, 1), outcome="refused"
    )
    late.refresh_from_db()
    assert late.decided == date(2026, 7, 1) and late.outcome == Outcome.REFUSED


def test_the_dashboard_reads_in_a_fixed_number_of_queries(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
        return len(captured)

    before = count()
    for i in range(20):
        services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=world["authority"],
            procedure_type=world["type"],
            reference=f"UIB-2026-1{i:02d}",
            received=date(2026, 2, 1),
            complete=date(2026, 2, 10),
            decided=date(2026, 4, 1) + timedelta(days=i),
        )
    assert count() == before


def test_peers_rank_like_with_like(
    plan: Masterplan, world: dict[str, Any], peers: Authority
) -> None:
    """Essen shares its records (ranked with Duisburg by KM median on both clocks); Köln
    publishes a mean of closed cases from receipt, which is ranked only with other means."""
    result = queries.benchmark(masterplan=plan, as_of=AS_OF, resamples=200)
    km = [r for r in result.rankings if r.bootstrapped]
    assert {r.definition.start for r in km} == {"complete", "received"}
    net = next(r for r in km if r.definition.start == "complete")
    assert [c.city for c in net.cities] == ["Essen", "Duisburg"]  # 32 days against 100
    duisburg = net.cities[1]
    assert duisburg.is_own and duisburg.rank is not None and duisburg.rank.p_top == 1.0
    means = [r for r in result.rankings if not r.bootstrapped]
    assert [[c.city for c in r.cities] for r in means] == [["Dortmund", "Köln"]]
    assert isinstance(world["authority"], Authority)


def test_a_draft_authority_or_peer_figure_reaches_no_public_figure(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from masterplan.core.models import Publication

    draft = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Bauaufsicht Entwurf",
        city="Duisburg",
        publication=Publication.DRAFT,
    )
    services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=draft,
        procedure_type=world["type"],
        reference="ENTWURF-1",
        received=date(2026, 1, 5),
    )
    for city in ("Hamm", "Herne"):
        services.peer_figure_create(
            actor=coordinator,
            masterplan=plan,
            city=city,
            year=2025,
            procedure_type="bimschg-19",
            statistic=Statistic.MEAN_OF_CLOSED,
            value=99.0,
            start=ClockStart.RECEIVED,
            source="Entwurf",
            publication=Publication.DRAFT,
        )
    public = AnonymousUser()
    assert queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=public).n == 5
    assert queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator).n == 6
    seen = queries.benchmark(masterplan=plan, as_of=AS_OF, resamples=50, user=public)
    assert not any(c.city in ("Hamm", "Herne") for r in seen.rankings for c in r.cities)
    members = queries.benchmark(masterplan=plan, as_of=AS_OF, resamples=50, user=coordinator)
    assert any(c.city == "Hamm" for r in members.rankings for c in r.cities)


def test_the_dashboard_comes_from_the_cache_until_the_data_changes(
    plan: Masterplan, world: dict[str, Any], coordinator: Any
) -> None:
    def read() -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as captured:
            board = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
        return len(captured), board

    first_queries, first = read()
    again_queries, again = read()
    assert again_queries < first_queries  # only the data state is read
    assert again.overall["net"][0].km.median.days == first.overall["net"][0].km.median.days
    late = world["procedures"][4]
    services.event_add(
        actor=coordinator, procedure=late, kind="decision", on=date(2026, 6, 1), outcome="approved"
    )
    _queries, changed = read()
    assert changed.open == 0 and first.open == 1  # the decision is seen at once
    public = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=AnonymousUser())
    assert public.n == 5  # the public's figures are kept apart from the members'


def test_the_ranking_comes_from_the_cache_until_a_peer_figure_changes(
    plan: Masterplan, world: dict[str, Any], peers: Authority, coordinator: Any
) -> None:
    def read() -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as captured:
            result = queries.benchmark(masterplan=plan, as_of=AS_OF, resamples=200)
        return len(captured), result

    def means(result: Any) -> list[list[str]]:
        return [[c.city for c in r.cities] for r in result.rankings if not r.bootstrapped]

    first_queries, first = read()
    again_queries, again = read()
    assert again_queries < first_queries  # only the data's state is read
    assert means(again) == means(first) == [["Dortmund", "Köln"]]
    figure = services.peer_figure_create(
        actor=coordinator,
        masterplan=plan,
        city="Bochum",
        year=2025,
        procedure_type="bimschg-19",
        statistic=Statistic.MEAN_OF_CLOSED,
        start=ClockStart.RECEIVED,
        value=50.0,
        source="Stadt Bochum, Verwaltungsbericht 2025",
    )
    _queries, changed = read()
    assert means(changed) == [["Bochum", "Dortmund", "Köln"]]  # seen at once
    services.peer_figure_delete(actor=coordinator, figure=figure, version=figure.version)
    _queries, deleted = read()
    assert means(deleted) == [["Dortmund", "Köln"]]
