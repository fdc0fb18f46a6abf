"""The permit monitor's API: reference data following publication, procedures and their events
for members (contributors of the authority's organisation record them), versions as elsewhere,
the statistics equal to the queries' figures on the hand-computed example of test_queries.py,
nothing of a single procedure in what the public reads, the benchmark like with like, clear
422s for a bad day or clock, and a fixed number of queries however many procedures."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization, Person
from masterplan.permits import queries, services
from masterplan.permits.api import group_row
from masterplan.permits.models import (
    Authority,
    ClockStart,
    Procedure,
    ProcedureEvent,
    ProcedureType,
    Statistic,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)  # `world` (conftest.py): five § 19 BImSchG procedures in Duisburg


def base(plan: Masterplan) -> str:
    return f"/api/plans/{plan.slug}/permits"


def send(client: Any, method: str, url: str, data: Any = None, **headers: str) -> Any:
    return client.generic(
        method,
        url,
        data="" if data is None else json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


def contact(plan: Masterplan, given_name: str, family_name: str) -> Person:
    return Person.objects.create(
        masterplan=plan,
        given_name=given_name,
        family_name=family_name,
        publication=Publication.PUBLISHED,
    )


def readable(response: Any) -> str:
    """The answer as text with its non-ASCII letters as they are (JSON escapes them)."""
    return json.dumps(response.json(), ensure_ascii=False)


def jsonable(value: Any) -> Any:
    """A value as it comes back from the API (dates as ISO text)."""
    return json.loads(json.dumps(value, default=str))


@pytest.fixture
def building(plan: Masterplan, coordinator: Any, own_org: Organization) -> Authority:
    """Duisburg's building authority, whose procedures own_org's contributors record."""
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    return services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Untere Bauaufsicht",
        city="Duisburg",
        ags="05112000",
        kind="building",
        organization=own_org,
    )


def new_procedure(plan: Masterplan, authority: Authority) -> str:
    return f"{base(plan)}/authorities/{authority.pk}/procedures"


def procedure_body(authority: Authority, **extra: Any) -> dict[str, Any]:
    bauo_64 = ProcedureType.objects.get(masterplan=authority.masterplan, code="bauo-nrw-64")
    return {
        "reference": "63-BG-2026-0117",
        "procedure_type_id": bauo_64.pk,
        "subject": "Neubau einer Lagerhalle, Duisburg-Hochfeld",
        "received": "2026-02-02",
        "complete": "2026-02-20",
        **extra,
    }


# --- Statistics ---------------------------------------------------------------------------------


def test_the_statistics_are_the_queries_figures_of_the_hand_computed_example(
    plan: Masterplan, world: dict[str, Any], coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    net = client.get(f"{base(plan)}/statistics", {"as_of": AS_OF.isoformat(), "clock": "net"})
    assert net.status_code == 200, net.content
    body = net.json()
    assert (body["as_of"], body["clock"], body["clock_start"]) == ("2026-06-30", "net", "complete")
    assert (body["n"], body["open"]) == (5, 1)
    [row] = body["by_type"]
    # As in test_queries.py: net days 40, 60, 100 decided; 80 withdrawn; 60 open.
    assert (row["n"], row["decided"], row["withdrawn"], row["open"]) == (5, 3, 1, 1)
    assert row["median"]["days"] == 100
    assert row["naive_mean_of_closed_days"] == pytest.approx(200 / 3)
    assert (row["within_deadline"]["successes"], row["within_deadline"]["n"]) == (2, 4)
    assert row["within_deadline_with_extensions"]["successes"] == 2
    assert row["incidence_by_deadline"]["day"] == 91  # 3 months as 30.44 days
    assert row["procedure_type_code"] == "bimschg-19" and row["authority_id"] is None
    # Exactly the figures of the queries, every field.
    board = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
    assert body["by_type"] == [jsonable(group_row(g)) for g in board.overall["net"]]
    assert body["by_authority"] == [jsonable(group_row(g)) for g in board.by_authority["net"]]
    assert body["by_year"] == [jsonable(group_row(g)) for g in board.by_year["net"]]
    assert body["trend"] == [jsonable(group_row(g)) for g in board.trend]
    [by_authority] = body["by_authority"]
    assert by_authority["authority_id"] == world["authority"].pk
    assert [r["year"] for r in body["by_year"]] == [2026]
    assert "naive_mean_of_closed_days" in body["method"] and "censored" in body["method"]
    gross = client.get(f"{base(plan)}/statistics", {"as_of": "2026-06-30", "clock": "gross"})
    [gross_row] = gross.json()["by_type"]
    assert gross_row["median"]["days"] == 110
    assert gross_row["within_deadline"] is None  # the deadline runs on the net clock
    assert body["by_type"][0]["p90_days"] == board.overall["net"][0].km.p90


def test_the_statistics_stand_as_on_a_past_day_with_the_median_not_reached(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    body = client_as(None).get(f"{base(plan)}/statistics", {"as_of": "2026-03-01"}).json()
    [row] = body["by_type"]
    assert body["n"] == 4 and (row["decided"], row["open"]) == (1, 3)
    # Not reached (null); the lower end of its interval is (S's upper band falls below ½).
    assert row["median"]["days"] is None and row["median"]["upper"] is None


def test_the_public_reads_aggregates_without_references_projects_or_applicants(
    plan: Masterplan,
    world: dict[str, Any],
    coordinator: Any,
    other_org: Organization,
    client_as: Any,
) -> None:
    first = world["procedures"][0]
    services.procedure_update(
        actor=coordinator, procedure=first, version=first.version, applicant=other_org
    )
    hidden = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Entwurf Wasserbehörde",
        city="Duisburg",
        kind="water",
        publication=Publication.DRAFT,
    )
    services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=hidden,
        procedure_type=world["type"],
        reference="UWB-2026-001",
        subject="Einleitung von Niederschlagswasser in den Rhein",
        received=date(2026, 3, 2),
    )
    anonymous = client_as(None)
    for clock in ("net", "gross"):
        response = anonymous.get(
            f"{base(plan)}/statistics", {"as_of": "2026-06-30", "clock": clock}
        )
        assert response.status_code == 200
        text = readable(response)
        for secret in ("UIB-2026", "UWB-2026", "Feuerungsanlage", "Niederschlagswasser"):
            assert secret not in text
        assert other_org.name not in text and str(other_org.pk) not in json.dumps(
            [r.get("applicant_id") for r in response.json()["by_type"]]
        )
        assert "Entwurf Wasserbehörde" not in text  # a draft authority, not for the public
        assert response.json()["n"] == 5  # nor do its procedures count in the totals
    members = client_as(coordinator).get(
        f"{base(plan)}/statistics", {"as_of": "2026-06-30", "clock": "gross"}
    )
    assert "Entwurf Wasserbehörde" in readable(members)
    # Single procedures stay with the members.
    assert anonymous.get(f"{base(plan)}/procedures").status_code == 401
    assert anonymous.get(f"{base(plan)}/procedures/{first.pk}").status_code == 404
    assert anonymous.get(f"{base(plan)}/events").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "kein Datum"}, "as_of"),
        ({"as_of": "2026-02-30"}, "as_of"),
        ({"as_of": "0001-01-01"}, "as_of"),
        ({"as_of": "99999-01-01"}, "as_of"),
        ({"clock": "both"}, "clock"),
        ({"clock": ""}, "clock"),
    ],
)
def test_a_bad_day_or_clock_is_a_422_naming_it(
    plan: Masterplan, world: dict[str, Any], client_as: Any, query: dict[str, str], field: str
) -> None:
    for path in ("statistics", "benchmark"):
        if path == "benchmark" and field == "clock":
            continue
        response = client_as(None).get(f"{base(plan)}/{path}", query)
        assert response.status_code == 422, (path, query, response.content)
        assert response.json()["errors"][field], response.content


def test_a_day_in_the_future_reads_as_today_and_a_long_past_one_is_empty(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    past = client_as(None).get(f"{base(plan)}/statistics", {"as_of": "1990-01-01"}).json()
    assert past["n"] == 0 and past["by_type"] == [] and past["trend"] == []
    future = client_as(None).get(f"{base(plan)}/statistics", {"as_of": "2199-12-31"})
    assert future.status_code == 200 and date.fromisoformat(future.json()["as_of"]) < date(
        2199, 1, 1
    )


# --- Benchmark ----------------------------------------------------------------------------------


def test_the_benchmark_ranks_like_with_like_with_rank_intervals(
    plan: Masterplan, world: dict[str, Any], peers: Authority, client_as: Any
) -> None:
    response = client_as(None).get(f"{base(plan)}/benchmark", {"as_of": "2026-06-30"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["top"] == 10 and body["own_city"] == "Duisburg" and "like with like" in body["method"]
    )
    net = next(
        r for r in body["rankings"] if r["bootstrapped"] and r["definition"]["start"] == "complete"
    )
    assert net["definition"] == {"statistic": "km_median", "start": "complete", "end": "decided"}
    assert net["procedure_type"] == world["type"].name
    essen_row, duisburg = net["cities"]
    assert (essen_row["city"], essen_row["rank"], essen_row["value"], essen_row["n"]) == (
        "Essen",
        1,
        32,
        6,
    )
    assert duisburg["city"] == "Duisburg" and duisburg["is_own"] and duisburg["value"] == 100
    assert duisburg["rank_lower"] <= duisburg["rank"] <= duisburg["rank_upper"]
    assert duisburg["p_top"] == 1.0 and duisburg["method"] == "records"
    found = queries.benchmark(masterplan=plan, as_of=AS_OF)
    expected = next(
        r for r in found.rankings if r.bootstrapped and r.definition.start == "complete"
    )
    assert [(c["rank_lower"], c["rank_upper"], c["p_top"]) for c in net["cities"]] == [
        (c.rank.rank_lower, c.rank.rank_upper, c.rank.p_top) for c in expected.cities if c.rank
    ]
    [means] = [r for r in body["rankings"] if not r["bootstrapped"]]
    assert means["definition"]["statistic"] == "mean_closed" and means["year"] == 2025
    assert [(c["city"], c["rank"], c["rank_lower"], c["p_top"]) for c in means["cities"]] == [
        ("Dortmund", 1, None, None),
        ("Köln", 2, None, None),
    ]
    assert means["cities"][0]["source"] == "Ratsinformation (Beispiel)"
    assert "UIB-2026" not in readable(response) and "E-0" not in readable(response)


# --- Reference data -----------------------------------------------------------------------------


def test_authorities_are_the_coordinators_and_follow_publication(
    plan: Masterplan, client_as: Any, coordinator: Any, contributor: Any, viewer: Any
) -> None:
    person = contact(plan, "Jana", "Özdemir")
    body = {
        "name": "Stadt Duisburg – Untere Immissionsschutzbehörde",
        "city": "Duisburg",
        "ags": "05112000",
        "kind": "immission",
        "contact_ids": [person.pk],
        "publication": "draft",
    }
    assert send(client_as(None), "POST", f"{base(plan)}/authorities", body).status_code == 401
    for user in (viewer, contributor):
        assert send(client_as(user), "POST", f"{base(plan)}/authorities", body).status_code == 403
    created = send(client_as(coordinator), "POST", f"{base(plan)}/authorities", body)
    assert created.status_code == 201, created.content
    authority = created.json()
    assert authority["contact_ids"] == [person.pk] and authority["version"] == 1
    url = f"{base(plan)}/authorities/{authority['id']}"
    assert client_as(None).get(url).status_code == 404  # a draft
    assert client_as(None).get(f"{base(plan)}/authorities").json()["count"] == 0
    assert client_as(viewer).get(url).status_code == 200
    assert client_as(viewer).get(url)["ETag"] == '"1"'
    published = send(
        client_as(coordinator),
        "PATCH",
        url,
        {"publication": "published", "contact_ids": []},
        **{"If-Match": '"1"'},
    )
    assert published.status_code == 200, published.content
    assert published.json()["contact_ids"] == [] and published.json()["version"] == 2
    assert client_as(None).get(url).status_code == 200
    bad = send(client_as(coordinator), "PATCH", url, {"contact_ids": [999_999], "version": 2})
    assert bad.status_code == 422 and "contact_ids" in bad.json()["errors"]
    bad_ags = send(client_as(coordinator), "PATCH", url, {"ags": "5112", "version": 2})
    assert bad_ags.status_code == 422 and "ags" in bad_ags.json()["errors"]
    assert send(client_as(contributor), "DELETE", url, **{"If-Match": '"2"'}).status_code == 403
    assert send(client_as(coordinator), "DELETE", url, **{"If-Match": '"2"'}).status_code == 204
    assert not Authority.objects.filter(pk=authority["id"]).exists()


def test_types_and_peer_figures_are_reference_data_with_versions(
    plan: Masterplan, client_as: Any, coordinator: Any, contributor: Any
) -> None:
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    listed = client_as(None).get(f"{base(plan)}/types", {"q": "BImSchG"})
    assert listed.status_code == 200 and listed.json()["count"] >= 4
    bimschg_19 = next(t for t in listed.json()["items"] if t["code"] == "bimschg-19")
    assert bimschg_19["decision_months"] == 3
    url = f"{base(plan)}/types/{bimschg_19['id']}"
    change = {"source_note": "Erlass MUNV NRW 2025"}
    assert (
        send(client_as(contributor), "PATCH", url, change, **{"If-Match": '"1"'}).status_code == 403
    )
    assert send(client_as(coordinator), "PATCH", url, change).status_code == 428
    assert (
        send(client_as(coordinator), "PATCH", url, change, **{"If-Match": '"1"'}).status_code == 200
    )
    stale = send(client_as(coordinator), "PATCH", url, change, **{"If-Match": '"1"'})
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert send(client_as(coordinator), "PATCH", url, {**change, "version": 1}).status_code == 409
    figure = {
        "city": "Köln",
        "ags": "05315000",
        "year": 2025,
        "procedure_type": "bauo-64",
        "statistic": "mean_closed",
        "value": 92.5,
        "n": 1830,
        "start": "complete",
        "source": "Stadt Köln, Bauaufsicht, Jahresbericht 2025 (Beispiel)",
        "publication": "draft",
    }
    assert (
        send(client_as(contributor), "POST", f"{base(plan)}/peer-figures", figure).status_code
        == 403
    )
    created = send(client_as(coordinator), "POST", f"{base(plan)}/peer-figures", figure)
    assert created.status_code == 201, created.content
    assert created.json()["end"] == "decided"
    assert client_as(None).get(f"{base(plan)}/peer-figures").json()["count"] == 0
    listed_figures = client_as(coordinator).get(f"{base(plan)}/peer-figures", {"year": 2025})
    assert listed_figures.json()["count"] == 1
    wrong = send(
        client_as(coordinator),
        "POST",
        f"{base(plan)}/peer-figures",
        {**figure, "statistic": "average"},
    )
    assert wrong.status_code == 422 and "statistic" in wrong.json()["errors"]
    early = send(
        client_as(coordinator), "POST", f"{base(plan)}/peer-figures", {**figure, "year": 1985}
    )
    assert early.status_code == 422 and "year" in early.json()["errors"]


# --- Procedures, events, extensions -------------------------------------------------------------


def test_contributors_record_the_procedures_of_their_organisations_authority(
    plan: Masterplan,
    building: Authority,
    client_as: Any,
    contributor: Any,
    other_contributor: Any,
    viewer: Any,
    coordinator: Any,
    other_coordinator: Any,
) -> None:
    body = procedure_body(building)
    post = new_procedure(plan, building)
    assert send(client_as(None), "POST", post, body).status_code == 401
    assert send(client_as(viewer), "POST", post, body).status_code == 403
    refused = send(client_as(other_contributor), "POST", post, body)
    assert refused.status_code == 403
    created = send(client_as(contributor), "POST", post, body)
    assert created.status_code == 201, created.content
    procedure = created.json()
    assert procedure["outcome"] == "" and procedure["authority_id"] == building.pk
    url = f"{base(plan)}/procedures/{procedure['id']}"
    # Members read; other plans and the public do not.
    assert client_as(viewer).get(url).status_code == 200
    assert client_as(viewer).get(f"{base(plan)}/procedures").json()["count"] == 1
    assert client_as(other_coordinator).get(f"{base(plan)}/procedures").status_code == 403
    assert client_as(other_coordinator).get(url).status_code == 404
    other = f"/api/plans/duesseldorf/permits/procedures/{procedure['id']}"
    assert client_as(other_coordinator).get(other).status_code == 404
    # Changes: the own organisation's contributor and coordinators.
    decided = {"decided": "2026-05-11", "outcome": "approved"}
    assert (
        send(client_as(other_contributor), "PATCH", url, {**decided, "version": 1}).status_code
        == 403
    )
    changed = send(client_as(contributor), "PATCH", url, {**decided, "version": 1})
    assert changed.status_code == 200, changed.content
    assert changed.json()["decided"] == "2026-05-11" and changed.json()["version"] == 2
    wrong = send(client_as(coordinator), "PATCH", url, {"decided": "2026-01-05", "version": 2})
    assert wrong.status_code == 422 and "decided" in wrong.json()["errors"]
    listed = client_as(viewer).get(f"{base(plan)}/procedures", {"state": "approved", "year": 2026})
    assert [p["reference"] for p in listed.json()["items"]] == ["63-BG-2026-0117"]
    assert send(client_as(other_contributor), "DELETE", f"{url}?version=2").status_code == 403
    assert send(client_as(contributor), "DELETE", f"{url}?version=2").status_code == 204
    assert not Procedure.objects.filter(pk=procedure["id"]).exists()


def test_a_procedure_names_records_of_its_own_plan_only(
    plan: Masterplan,
    other_plan: Masterplan,
    building: Authority,
    client_as: Any,
    coordinator: Any,
    other_coordinator: Any,
) -> None:
    foreign = services.authority_create(
        actor=other_coordinator,
        masterplan=other_plan,
        name="Landeshauptstadt Düsseldorf – Bauaufsicht",
        city="Düsseldorf",
    )
    services.ensure_default_types(actor=other_coordinator, masterplan=other_plan)
    foreign_type = ProcedureType.objects.get(masterplan=other_plan, code="bauo-nrw-64")
    client = client_as(coordinator)
    response = send(
        client,
        "POST",
        new_procedure(plan, building),
        procedure_body(building, procedure_type_id=foreign_type.pk),
    )
    assert response.status_code == 422 and "procedure_type_id" in response.json()["errors"]
    elsewhere = send(client, "POST", new_procedure(plan, foreign), procedure_body(building))
    assert elsewhere.status_code == 404
    late = send(
        client,
        "POST",
        new_procedure(plan, building),
        procedure_body(building, received="2026-03-01", complete="2026-02-01"),
    )
    assert late.status_code == 422 and "complete" in late.json()["errors"]
    created = send(client, "POST", new_procedure(plan, building), procedure_body(building))
    moved = send(
        client,
        "PATCH",
        f"{base(plan)}/procedures/{created.json()['id']}",
        {"authority_id": foreign.pk, "version": 1},
    )
    assert moved.status_code == 422 and "authority_id" in moved.json()["errors"]
    Procedure.objects.filter(pk=created.json()["id"]).delete()
    assert not Procedure.objects.exists()


def test_events_and_extensions_under_a_procedure(
    plan: Masterplan,
    building: Authority,
    client_as: Any,
    contributor: Any,
    other_contributor: Any,
    viewer: Any,
    coordinator: Any,
) -> None:
    created = send(
        client_as(coordinator), "POST", new_procedure(plan, building), procedure_body(building)
    )
    procedure = created.json()
    events = f"{base(plan)}/procedures/{procedure['id']}/events"
    defects = {"kind": "defects_requested", "on": "2026-02-10", "deadline": "2026-03-10"}
    assert send(client_as(other_contributor), "POST", events, defects).status_code == 403
    assert send(client_as(viewer), "POST", events, defects).status_code == 403
    first = send(client_as(contributor), "POST", events, defects)
    assert first.status_code == 201, first.content
    early = send(client_as(contributor), "POST", events, {"kind": "hearing", "on": "2026-01-02"})
    assert early.status_code == 422 and "on" in early.json()["errors"]
    unknown = send(
        client_as(contributor), "POST", events, {"kind": "telefonat", "on": "2026-03-01"}
    )
    assert unknown.status_code == 422 and "kind" in unknown.json()["errors"]
    decision = send(
        client_as(contributor),
        "POST",
        events,
        {"kind": "decision", "on": "2026-06-01", "outcome": "refused"},
    )
    assert decision.status_code == 201, decision.content
    ended = client_as(viewer).get(f"{base(plan)}/procedures/{procedure['id']}").json()
    assert (ended["decided"], ended["outcome"]) == ("2026-06-01", "refused")
    # A second procedure's events stay out of the first one's list.
    other = send(
        client_as(coordinator),
        "POST",
        new_procedure(plan, building),
        procedure_body(building, reference="63-BG-2026-0200"),
    ).json()
    send(client_as(coordinator), "POST", f"{base(plan)}/procedures/{other['id']}/events", defects)
    listed = client_as(viewer).get(f"{base(plan)}/events", {"procedure": procedure["id"]})
    assert [e["kind"] for e in listed.json()["items"]] == ["defects_requested", "decision"]
    assert client_as(viewer).get(f"{base(plan)}/events").json()["count"] == 3
    kinds = client_as(viewer).get(f"{base(plan)}/events", {"kind": "decision"}).json()
    assert kinds["count"] == 1
    event_url = f"{base(plan)}/events/{first.json()['id']}"
    moved = send(client_as(contributor), "PATCH", event_url, {"on": "2026-02-12", "version": 1})
    assert moved.status_code == 200 and moved.json()["on"] == "2026-02-12"
    assert (
        send(client_as(contributor), "PATCH", event_url, {"note": "x", "version": 1}).status_code
        == 409
    )
    assert (
        send(client_as(other_contributor), "DELETE", event_url, **{"If-Match": '"2"'}).status_code
        == 403
    )
    assert (
        send(client_as(contributor), "DELETE", event_url, **{"If-Match": '"2"'}).status_code == 204
    )
    assert not ProcedureEvent.objects.filter(pk=first.json()["id"]).exists()
    # Extensions.
    extensions = f"{base(plan)}/procedures/{other['id']}/extensions"
    extension = {"on": "2026-04-01", "months": 1, "reason": "Brandschutzgutachten nachgefordert"}
    assert send(client_as(other_contributor), "POST", extensions, extension).status_code == 403
    nothing = send(client_as(contributor), "POST", extensions, {**extension, "months": 0})
    assert nothing.status_code == 422
    added = send(client_as(contributor), "POST", extensions, extension)
    assert added.status_code == 201, added.content
    assert client_as(None).get(f"{base(plan)}/extensions").status_code == 401
    listed_ext = client_as(viewer).get(f"{base(plan)}/extensions", {"procedure": other["id"]})
    assert [e["reason"] for e in listed_ext.json()["items"]] == [extension["reason"]]
    ext_url = f"{base(plan)}/extensions/{added.json()['id']}"
    assert client_as(None).get(ext_url).status_code == 404
    assert send(client_as(contributor), "DELETE", ext_url).status_code == 428
    assert send(client_as(contributor), "DELETE", ext_url, **{"If-Match": '"1"'}).status_code == 204


# --- Constant queries ---------------------------------------------------------------------------


def test_lists_and_statistics_read_in_a_fixed_number_of_queries(
    plan: Masterplan,
    world: dict[str, Any],
    building: Authority,
    coordinator: Any,
    client_as: Any,
) -> None:
    client = client_as(coordinator)
    urls = [
        (f"{base(plan)}/procedures", {}),
        (f"{base(plan)}/events", {}),
        (f"{base(plan)}/extensions", {}),
        (f"{base(plan)}/authorities", {}),
        (f"{base(plan)}/types", {}),
        (f"{base(plan)}/peer-figures", {}),
        (f"{base(plan)}/statistics", {"as_of": "2026-06-30"}),
        (f"{base(plan)}/statistics", {"as_of": "2026-06-30", "clock": "gross"}),
    ]

    def counts() -> list[int]:
        found = []
        for url, query in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            found.append(len(captured))
        return found

    def grow(prefix: str) -> None:
        authority = services.authority_create(
            actor=coordinator,
            masterplan=plan,
            name=f"Bezirksregierung Düsseldorf {prefix}",
            city="Duisburg",
            contacts=[contact(plan, "Peter", f"Kleff {prefix}"), contact(plan, "Avelina", prefix)],
        )
        for i in range(4):
            procedure = services.procedure_create(
                actor=coordinator,
                masterplan=plan,
                authority=authority if i % 2 else building,
                procedure_type=world["type"],
                reference=f"{prefix}-{i}",
                received=date(2025, 3 + i, 1),
                complete=date(2025, 3 + i, 20),
            )
            services.event_add(
                actor=coordinator, procedure=procedure, kind="formal_check", on=date(2025, 4 + i, 1)
            )
            services.extension_add(
                actor=coordinator,
                procedure=procedure,
                on=date(2025, 5 + i, 1),
                months=1,
                reason="Stellungnahme der Bezirksregierung steht aus",
            )
            services.peer_figure_create(
                actor=coordinator,
                masterplan=plan,
                city=f"Oberzentrum {prefix}{i}",
                year=2024,
                procedure_type="bimschg-19",
                statistic=Statistic.KM_MEDIAN,
                value=120.0 + i,
                n=80,
                start=ClockStart.COMPLETE,
                source="Beispiel",
            )

    grow("A")
    before = counts()
    grow("B")
    assert counts() == before
