"""Energy reports over the REST API: CRUD, filters, ETag/If-Match, constant queries."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.climate.models import EnergyReport, NetworkMembership
from tests.climate.helpers import extra_members, load_worked_example

BASE = "/api/plans/{slug}/climate"


def test_list_filters_by_organisation_and_year(plan, viewer, client_as):
    organizations = load_worked_example(plan)
    client = client_as(viewer)
    url = BASE.format(slug=plan.slug) + "/energy-reports"
    everything = client.get(url).json()
    assert everything["count"] == 6
    by_year = client.get(url, {"year": 2023}).json()
    assert {r["year"] for r in by_year["items"]} == {2023} and by_year["count"] == 3
    one = client.get(url, {"organization": organizations[2].pk, "year": 2016}).json()
    assert one["count"] == 1 and one["items"][0]["process_t_co2"] == "300.000"


def test_create_update_delete_with_versions(plan, own_org, contributor, client_as):
    membership = NetworkMembership.objects.create(
        masterplan=plan, organization=own_org, joined_year=2015
    )
    client = client_as(contributor)
    created = client.post(
        BASE.format(slug=plan.slug) + f"/members/{membership.pk}/energy-reports",
        data=json.dumps({"year": 2024, "natural_gas_kwh": "1000"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created["ETag"] == '"1"'
    url = BASE.format(slug=plan.slug) + f"/energy-reports/{created.json()['id']}"
    patch = {"employees": 40}
    assert client.patch(url, json.dumps(patch), content_type="application/json").status_code == 428
    ok = client.patch(
        url, json.dumps(patch), content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok["ETag"] == '"2"' and ok.json()["employees"] == 40
    stale = client.patch(
        url, json.dumps(patch), content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert not EnergyReport.objects.exists()


def test_duplicate_year_and_negative_values_answer_422(plan, own_org, contributor, client_as):
    membership = NetworkMembership.objects.create(
        masterplan=plan, organization=own_org, joined_year=2015
    )
    url = BASE.format(slug=plan.slug) + f"/members/{membership.pk}/energy-reports"
    client = client_as(contributor)
    body = {"year": 2024}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 201
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 422
    negative = client.post(
        url, json.dumps({"year": 2023, "diesel": "-1"}), content_type="application/json"
    )
    assert negative.status_code == 422
    assert EnergyReport.objects.count() == 1


def test_balance_states_both_methods(plan, viewer, client_as):
    load_worked_example(plan)
    balance = client_as(viewer).get(BASE.format(slug=plan.slug) + "/balance").json()
    assert balance["target_method"] == "market"
    last = balance["years"][-1]
    assert last["year"] == 2023
    assert float(last["scope1"]) + float(last["scope2_market"]) == 1584.4
    assert float(last["recalculated_base_market"]) == 2547.5


def test_lists_run_a_constant_number_of_queries(plan, coordinator, client_as):
    load_worked_example(plan)
    client = client_as(coordinator)
    urls = [BASE.format(slug=plan.slug) + p for p in ("/energy-reports", "/balance")]
    counts = []
    for extra in (0, 8):
        extra_members(plan, extra, start=100)
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        counts.append(found)
    assert counts[0] == counts[1]
