"""The permit monitor's API beyond the statistics: where the days go (bottlenecks, public as the
dashboard's), the overdue list (members) and a procedure's figures as on its page, on the
hand-computed example of test_queries.py (five § 19 BImSchG procedures in Duisburg) and with
stages added here; the same figures as the queries, drafts counting in nothing public, 422 for a
bad day and a fixed number of queries however many rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from masterplan.permits import queries, services
from masterplan.permits.api import figures_row
from masterplan.permits.models import Authority, Procedure, ProcedureType
from tests.permits import test_queries
from tests.permits.test_api import base, jsonable, readable

pytestmark = pytest.mark.django_db

AS_OF = test_queries.AS_OF  # 30 June 2026

BEZREG = "Bezirksregierung Düsseldorf, Dezernat 53"


def stage(coordinator: Any, procedure: Procedure, kind: str, on: date, **extra: Any) -> None:
    services.event_add(actor=coordinator, procedure=procedure, kind=kind, on=on, **extra)


@pytest.fixture
def staged(world: dict[str, Any], coordinator: Any) -> Procedure:
    """UIB-2026-003 (received 5 January, complete 15 January, decided 25 April: gross 110,
    net 100 days) with its stages: defects requested 8 January and remedied 13 January
    (applicant 5 days), a statement of the Bezirksregierung requested 20 January and given
    3 February (14 days), a second defects request on 2 March — late: the completeness check
    opened by the amended application of 13 January ended on 13 February, 27 February with
    the allowed two weeks — remedied 12 March (applicant 10 days), and an extension of one
    month granted on 1 April (the deadline 15 April becomes 15 May)."""
    procedure: Procedure = world["procedures"][2]
    stage(coordinator, procedure, "defects_requested", date(2026, 1, 8))
    stage(coordinator, procedure, "amended_application", date(2026, 1, 13))
    stage(coordinator, procedure, "statement_requested", date(2026, 1, 20), party=BEZREG)
    stage(coordinator, procedure, "statement", date(2026, 2, 3), party=BEZREG)
    stage(coordinator, procedure, "defects_requested", date(2026, 3, 2))
    stage(coordinator, procedure, "amended_application", date(2026, 3, 12))
    services.extension_add(
        actor=coordinator,
        procedure=procedure,
        on=date(2026, 4, 1),
        months=1,
        reason="Gutachten zur Luftreinhaltung nachgefordert",
    )
    procedure.refresh_from_db()
    return procedure


# --- A procedure's figures ----------------------------------------------------------------------


def test_a_procedures_figures_are_those_of_its_page_hand_computed(
    plan: Masterplan, staged: Procedure, viewer: Any, client_as: Any
) -> None:
    url = f"{base(plan)}/procedures/{staged.pk}"
    response = client_as(viewer).get(url, {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reference"] == "UIB-2026-003" and response["ETag"] == f'"{staged.version}"'
    figures = body["figures"]
    assert figures["as_of"] == "2026-06-30"
    assert (figures["completeness_check"]["days"], figures["completeness_check"]["reached"]) == (
        10,
        True,
    )
    assert (figures["gross"]["days"], figures["gross"]["end"]) == (110, "2026-04-25")
    assert (figures["net"]["days"], figures["net"]["reached"]) == (100, True)
    # 110 gross days: applicant 5 + 10, consulted body 14, the authority the other 81.
    assert figures["clock"] == {
        "gross_days": 110,
        "applicant_days": 15,
        "consulted_days": 14,
        "authority_days": 81,
    }
    deadline = figures["deadline"]
    assert (deadline["clock_start"], deadline["deadline_without_extensions"]) == (
        "2026-01-15",
        "2026-04-15",
    )
    assert (deadline["deadline"], deadline["extensions_applied"]) == ("2026-05-15", 1)
    assert deadline["extensions_not_applied"] == []
    assert (deadline["open"], deadline["days_left"], deadline["overdue"]) == (False, None, False)
    # Decided on 25 April: within the extended deadline, not within the law's own.
    assert (deadline["decided_within"], deadline["decided_within_without_extensions"]) == (
        True,
        False,
    )
    assert deadline["overdue_without_extensions"] is True
    assert figures["deemed_completeness"] is None and figures["deemed_approval"] is None
    assert figures["late_defect_request"] is True
    assert figures["late_defect_requests"] == [
        {
            "requested_on": "2026-03-02",
            "window_start": "2026-01-13",
            "window_end": "2026-02-27",
            "days_late": 3,
            "after_amendment": True,
        }
    ]
    # Exactly the page's figures.
    page = queries.procedure_detail(procedure=staged, as_of=AS_OF)
    assert figures == jsonable(figures_row(page.figures))


def test_a_procedures_figures_stand_as_on_a_past_day(
    plan: Masterplan, staged: Procedure, viewer: Any, client_as: Any
) -> None:
    url = f"{base(plan)}/procedures/{staged.pk}"
    figures = client_as(viewer).get(url, {"as_of": "2026-03-01"}).json()["figures"]
    # Open on 1 March: the late request (2 March) and the extension (1 April) lie ahead.
    assert (figures["gross"]["days"], figures["gross"]["reached"]) == (55, False)
    assert (figures["net"]["days"], figures["net"]["reached"]) == (45, False)
    assert figures["clock"]["applicant_days"] == 5 and figures["clock"]["authority_days"] == 36
    deadline = figures["deadline"]
    assert (deadline["deadline"], deadline["days_left"], deadline["overdue"]) == (
        "2026-04-15",
        45,
        False,
    )
    assert figures["late_defect_request"] is False
    # Before the receipt: the figures of the day of receipt, as the page shows them.
    early = client_as(viewer).get(url, {"as_of": "2025-12-01"}).json()["figures"]
    assert early["as_of"] == "2026-01-05" and early["gross"]["days"] == 0
    # Without as_of: today (later than any day of the example).
    today = client_as(viewer).get(url).json()["figures"]
    assert date.fromisoformat(today["as_of"]) >= AS_OF


def test_deemed_completeness_and_deemed_approval_come_with_their_countdowns(
    plan: Masterplan, world: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    notification = services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=world["authority"],
        procedure_type=ProcedureType.objects.get(masterplan=plan, code="bimschg-15"),
        reference="UIB-2026-015",
        subject="Anzeige: Austausch eines Brenners, Duisburg-Hüttenheim",
        received=date(2026, 3, 2),
        complete=date(2026, 3, 9),
    )
    silent = services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=world["authority"],
        procedure_type=world["type"],
        reference="UIB-2026-016",
        subject="Erweiterung eines Tanklagers am Rheinhafen",
        received=date(2026, 2, 2),
    )
    client = client_as(coordinator)

    def figures(procedure: Procedure, day: str) -> dict[str, Any]:
        response = client.get(f"{base(plan)}/procedures/{procedure.pk}", {"as_of": day})
        assert response.status_code == 200, response.content
        result: dict[str, Any] = response.json()["figures"]
        return result

    # § 15 BImSchG: one month from 9 March, then deemed approved (the day after).
    before = figures(notification, "2026-03-30")
    assert (before["deadline"]["deadline"], before["deadline"]["days_left"]) == ("2026-04-09", 10)
    assert before["deemed_approval"] == {
        "takes_effect_on": "2026-04-10",
        "days_left": 11,
        "in_effect": False,
    }
    after = figures(notification, "2026-04-20")
    assert (after["deadline"]["days_left"], after["deadline"]["overdue"]) == (-11, True)
    assert after["deemed_approval"]["in_effect"] is True
    assert after["deemed_approval"]["days_left"] == -10
    # § 19 BImSchG without a defects request: complete by law the day after the check
    # (received 2 February, one month: 2 March), and the deadline runs from then.
    waiting = figures(silent, "2026-02-20")
    assert waiting["deemed_completeness"] == {
        "takes_effect_on": "2026-03-03",
        "days_left": 11,
        "in_effect": False,
    }
    assert waiting["net"] is None and waiting["deadline"]["deadline"] is None
    deemed = figures(silent, "2026-03-10")
    assert deemed["deemed_completeness"]["in_effect"] is True
    assert (deemed["deadline"]["clock_start"], deemed["deadline"]["deadline"]) == (
        "2026-03-03",
        "2026-06-03",
    )


def test_the_list_carries_the_figures_on_request_in_a_fixed_number_of_queries(
    plan: Masterplan,
    world: dict[str, Any],
    staged: Procedure,
    coordinator: Any,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_as(coordinator)
    url = f"{base(plan)}/procedures"
    plain = client.get(url).json()
    assert plain["count"] == 5 and all(row["figures"] is None for row in plain["items"])
    listed = client.get(url, {"figures": "true", "as_of": "2026-06-30"})
    assert listed.status_code == 200, listed.content
    rows = {row["reference"]: row["figures"] for row in listed.json()["items"]}
    single = client.get(f"{url}/{staged.pk}", {"as_of": "2026-06-30"}).json()["figures"]
    assert rows["UIB-2026-003"] == single
    assert rows["UIB-2026-005"]["deadline"]["days_left"] == 32  # 1 August − 30 June
    filtered = client.get(url, {"figures": "true", "state": "open", "as_of": "2026-06-30"})
    assert [row["reference"] for row in filtered.json()["items"]] == ["UIB-2026-005"]

    def add(count: int) -> None:
        for i in range(count):
            procedure = services.procedure_create(
                actor=coordinator,
                masterplan=plan,
                authority=world["authority"],
                procedure_type=world["type"],
                reference=f"UIB-2026-2{Procedure.objects.count():02d}",
                received=date(2026, 2, 2),
                complete=date(2026, 2, 16),
            )
            stage(coordinator, procedure, "statement_requested", date(2026, 2, 20), party=BEZREG)
            services.extension_add(
                actor=coordinator,
                procedure=procedure,
                on=date(2026, 3, 2) + timedelta(days=i),
                months=1,
                reason="Stellungnahme der Bezirksregierung steht aus",
            )

    query = {"figures": "true", "as_of": "2026-06-30"}
    add(2)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).json()["count"] == 7
    add(10)
    with django_assert_num_queries(len(captured)):
        response = client.get(url, query)
    assert response.json()["count"] == 17 and len(response.json()["items"]) == 17


# --- Bottlenecks --------------------------------------------------------------------------------


def test_bottlenecks_are_the_dashboards_and_drafts_count_in_nothing_public(
    plan: Masterplan,
    world: dict[str, Any],
    staged: Procedure,
    coordinator: Any,
    client_as: Any,
) -> None:
    second = world["procedures"][1]
    stage(coordinator, second, "statement_requested", date(2026, 1, 20), party=BEZREG)
    stage(coordinator, second, "statement", date(2026, 2, 9), party=BEZREG)  # 20 days
    draft = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Untere Wasserbehörde (Entwurf)",
        city="Duisburg",
        kind="water",
        publication=Publication.DRAFT,
    )
    hidden = services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=draft,
        procedure_type=world["type"],
        reference="UWB-2026-001",
        subject="Einleitung von Niederschlagswasser in den Rhein",
        received=date(2026, 3, 2),
        complete=date(2026, 3, 9),
    )
    stage(coordinator, hidden, "statement_requested", date(2026, 3, 10), party="LANUV NRW")
    stage(coordinator, hidden, "hearing", date(2026, 3, 12))

    public = client_as(None).get(f"{base(plan)}/bottlenecks", {"as_of": "2026-06-30"})
    assert public.status_code == 200, public.content
    body = public.json()
    assert body["as_of"] == "2026-06-30" and "censored" in body["method"]
    # Applicant: 5 and 10 days (two periods, both ended); the Bezirksregierung: 14 and 20.
    rows = {(row["stage"], row["party"]): row for row in body["rows"]}
    assert set(rows) == {("applicant", ""), ("statement", BEZREG)}
    applicant, statement = rows[("applicant", "")], rows[("statement", BEZREG)]
    assert (applicant["n"], applicant["ended"], applicant["running"]) == (2, 2, 0)
    assert applicant["median"]["days"] == 5  # S(5) = 1/2
    assert (statement["n"], statement["median"]["days"], statement["p90_days"]) == (2, 14, 20)
    # The draft authority's procedure (its hearing, its consulted body) counts for members only.
    text = readable(public)
    assert "LANUV" not in text and "UWB-2026" not in text and "Niederschlagswasser" not in text
    members = client_as(coordinator).get(f"{base(plan)}/bottlenecks", {"as_of": "2026-06-30"})
    member_rows = {(row["stage"], row["party"]): row for row in members.json()["rows"]}
    assert ("statement", "LANUV NRW") in member_rows and ("hearing", "") in member_rows
    assert member_rows[("statement", "LANUV NRW")]["running"] == 1
    # Exactly the dashboard's figures, row by row.
    board = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
    assert [(r["stage"], r["party"], r["n"], r["median"]) for r in members.json()["rows"]] == [
        (b.stage, b.party, b.km.n, jsonable(b.km.median.__dict__)) for b in board.bottlenecks
    ]
    # Before the stages: nothing.
    early = client_as(None).get(f"{base(plan)}/bottlenecks", {"as_of": "2026-01-06"}).json()
    assert early["rows"] == []


# --- Overdue ------------------------------------------------------------------------------------


def test_the_overdue_list_is_the_dashboards_for_members_only(
    plan: Masterplan,
    world: dict[str, Any],
    coordinator: Any,
    viewer: Any,
    other_coordinator: Any,
    client_as: Any,
) -> None:
    late = world["procedures"][4]  # complete 1 May: deadline 1 August
    url = f"{base(plan)}/overdue"
    near = client_as(viewer).get(url, {"as_of": "2026-07-25"})
    assert near.status_code == 200, near.content
    body = near.json()
    assert (body["as_of"], body["within_days"], body["limit"]) == ("2026-07-25", 14, 50)
    [row] = body["items"]
    assert row["procedure"]["id"] == late.pk and row["procedure"]["reference"] == "UIB-2026-005"
    assert (row["deadline"], row["days_left"], row["overdue"]) == ("2026-08-01", 7, False)
    assert row["authority_name"] == world["authority"].name
    assert row["procedure_type_name"] == world["type"].name
    past = client_as(viewer).get(url, {"as_of": "2026-08-10"}).json()
    assert [(r["days_left"], r["overdue"]) for r in past["items"]] == [(-9, True)]
    assert client_as(viewer).get(url, {"as_of": "2026-06-30"}).json()["items"] == []
    # An extension moves the deadline: 1 September, no longer near on 10 August.
    services.extension_add(
        actor=coordinator,
        procedure=late,
        on=date(2026, 7, 20),
        months=1,
        reason="Nachforderung eines Schallgutachtens",
    )
    assert client_as(viewer).get(url, {"as_of": "2026-08-10"}).json()["items"] == []
    # Single procedures: not for the public nor for another plan's coordinators.
    assert client_as(None).get(url).status_code == 401
    assert client_as(other_coordinator).get(url).status_code == 403
    assert (
        client_as(other_coordinator).get("/api/plans/duesseldorf/permits/overdue").json()["items"]
        == []
    )


def test_a_draft_authoritys_overdue_procedure_is_listed_to_members(
    plan: Masterplan, world: dict[str, Any], coordinator: Any, viewer: Any, client_as: Any
) -> None:
    draft = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Untere Wasserbehörde (Entwurf)",
        city="Duisburg",
        kind="water",
        publication=Publication.DRAFT,
    )
    services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=draft,
        procedure_type=world["type"],
        reference="UWB-2026-002",
        received=date(2026, 2, 2),
        complete=date(2026, 2, 16),
    )
    items = client_as(viewer).get(f"{base(plan)}/overdue", {"as_of": "2026-06-30"}).json()
    assert [(r["procedure"]["reference"], r["days_left"]) for r in items["items"]] == [
        ("UWB-2026-002", -45)  # the deadline 16 May, 45 days before 30 June
    ]


def test_the_overdue_list_reads_in_a_fixed_number_of_queries(
    plan: Masterplan,
    world: dict[str, Any],
    coordinator: Any,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    client = client_as(coordinator)
    url = f"{base(plan)}/overdue"
    query = {"as_of": "2026-06-30"}
    assert client.get(url, query).status_code == 200  # warm-up

    def add(authority: Authority, count: int) -> None:
        for _i in range(count):
            services.procedure_create(
                actor=coordinator,
                masterplan=plan,
                authority=authority,
                procedure_type=world["type"],
                reference=f"UIB-2026-3{Procedure.objects.count():02d}",
                received=date(2026, 2, 2),
                complete=date(2026, 2, 16),
            )

    add(world["authority"], 2)
    with CaptureQueriesContext(connection) as captured:
        assert len(client.get(url, query).json()["items"]) == 2
    other = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Bauaufsicht",
        city="Duisburg",
    )
    add(other, 10)
    with django_assert_num_queries(len(captured)):
        response = client.get(url, query)
    assert len(response.json()["items"]) == 12


# --- Bad days and permissions -------------------------------------------------------------------


@pytest.mark.parametrize("day", ["kein Datum", "2026-02-30", "0001-01-01", "99999-01-01"])
def test_a_bad_day_is_a_422_naming_as_of(
    plan: Masterplan, staged: Procedure, coordinator: Any, client_as: Any, day: str
) -> None:
    for path in ("bottlenecks", "overdue", f"procedures/{staged.pk}", "procedures"):
        response = client_as(coordinator).get(f"{base(plan)}/{path}", {"as_of": day})
        assert response.status_code == 422, (path, day, response.content)
        assert response.json()["errors"]["as_of"], response.content


def test_procedures_with_their_figures_stay_with_the_members(
    plan: Masterplan, staged: Procedure, viewer: Any, other_coordinator: Any, client_as: Any
) -> None:
    single = f"{base(plan)}/procedures/{staged.pk}"
    listed = f"{base(plan)}/procedures"
    assert client_as(None).get(single, {"as_of": "2026-06-30"}).status_code == 404
    assert client_as(None).get(listed, {"figures": "true"}).status_code == 401
    assert client_as(other_coordinator).get(single).status_code == 404
    assert client_as(other_coordinator).get(listed, {"figures": "true"}).status_code == 403
    elsewhere = f"/api/plans/duesseldorf/permits/procedures/{staged.pk}"
    assert client_as(other_coordinator).get(elsewhere).status_code == 404
    assert client_as(viewer).get(single).status_code == 200
    # The bottlenecks are aggregates: everyone who sees the plan reads them.
    assert client_as(None).get(f"{base(plan)}/bottlenecks").status_code == 200


def test_a_draft_types_procedures_count_in_nothing_public(
    plan: Masterplan, world: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    """As with a draft authority: neither in the totals nor in the trend nor in the
    bottlenecks (before, they counted there without their type)."""
    draft_type = services.type_create(
        actor=coordinator,
        masterplan=plan,
        code="wasserrecht-erlaubnis",
        name="Wasserrechtliche Erlaubnis (Entwurf)",
        legal_basis="§ 8 WHG",
        publication=Publication.DRAFT,
    )
    hidden = services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=world["authority"],
        procedure_type=draft_type,
        reference="UIB-2026-090",
        received=date(2026, 3, 2),
        complete=date(2026, 3, 9),
    )
    stage(coordinator, hidden, "statement_requested", date(2026, 3, 10), party="LANUV NRW")
    query = {"as_of": "2026-06-30"}
    public = client_as(None).get(f"{base(plan)}/statistics", query).json()
    assert public["n"] == 5 and sum(row["n"] for row in public["trend"]) == 5
    assert "LANUV" not in readable(client_as(None).get(f"{base(plan)}/bottlenecks", query))
    members = client_as(coordinator).get(f"{base(plan)}/statistics", query).json()
    assert members["n"] == 6 and sum(row["n"] for row in members["trend"]) == 6
    assert "LANUV" in readable(client_as(coordinator).get(f"{base(plan)}/bottlenecks", query))
