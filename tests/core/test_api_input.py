"""No input makes the API fail: numbers beyond every column, records that do not exist and
dates beyond the calendar are invalid data (422 with the documented `errors` by field), and
credentials are either valid or refused (401), never ignored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masterplan.core.api import token_issue
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance.models import Body, BodyKind, Meeting
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    MeasureFactory,
    OrganizationFactory,
)
from tests.governance.factories import BodyFactory

BASE = "/api/plans/duisburg"
HUGE = "99999999999999999999"


def send(client: Client, method: str, url: str, body: Any, **headers: str) -> Any:
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


def invalid(response: Any) -> dict[str, list[str]]:
    """The documented 422: a `detail` and the messages by field."""
    assert response.status_code == 422, response.content
    answer = response.json()
    assert isinstance(answer["detail"], str)
    errors: dict[str, list[str]] = answer["errors"]
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    return errors


@pytest.fixture
def committee(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Wirtschaft",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
        publication=Publication.PUBLISHED,
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"directory/organizations?page={HUGE}", "page"),
        ("directory/organizations?page=9223372036854775808", "page"),
        (f"directory/organizations?page_size={HUGE}", "page_size"),
        (f"plan/measures?goal={HUGE}", "goal"),
        (f"plan/measures?organization={HUGE}", "organization"),
        (f"governance/meetings?body={HUGE}", "body"),
        ("plan/measures?goal=Rheinhausen", "goal"),
    ],
)
def test_numbers_out_of_range_in_the_query_are_invalid(
    plan: Masterplan, coordinator: Any, client_as: Any, query: str, field: str
) -> None:
    for client in (client_as(coordinator), client_as(None)):
        assert field in invalid(client.get(f"{BASE}/{query}"))


def test_an_id_out_of_range_in_the_path_is_invalid(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).get(f"{BASE}/directory/organizations/{HUGE}")
    assert "pk" in invalid(response)


def test_numbers_out_of_range_in_the_body_are_invalid(
    plan: Masterplan, own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    goal = GoalFactory(field=FieldOfActionFactory(masterplan=plan))
    measure = MeasureFactory(goal=goal, lead_organization=own_org)
    client = client_as(coordinator)
    url = f"{BASE}/plan/measures/{measure.pk}/dependencies"
    for depends_on in ("[1e25]", f"[{HUGE}]", "[-9223372036854775809]"):
        body = f'{{"version": {measure.version}, "depends_on": {depends_on}}}'
        response = client.put(url, body, content_type="application/json")
        assert "depends_on" in invalid(response)
    organization = {"name": "Rheinhafen Logistik GmbH", "kind": "company", "employees": 1e25}
    response = send(client, "POST", f"{BASE}/directory/organizations", organization)
    assert "employees" in invalid(response)


def test_an_organisation_with_a_parent_that_does_not_exist_is_invalid(
    plan: Masterplan, other_plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    elsewhere = OrganizationFactory(masterplan=other_plan, name="IHK Düsseldorf")
    client = client_as(coordinator)
    for parent_id in (987654, elsewhere.pk):
        organization = {"name": "Rheinhafen Logistik GmbH", "kind": "company", "parent_id": 0}
        organization["parent_id"] = parent_id
        response = send(client, "POST", f"{BASE}/directory/organizations", organization)
        assert list(invalid(response)) == ["parent_id"]
    assert not Organization.objects.filter(name="Rheinhafen Logistik GmbH").exists()


@pytest.mark.parametrize(
    "start",
    ["9999-12-31T23:30:00-05:00", "9999-06-01T10:00:00Z", "9999-12-31T23:30:00", "0001-01-01"],
)
def test_a_meeting_in_the_year_9999_is_invalid(
    committee: Body, coordinator: Any, client_as: Any, start: str
) -> None:
    meeting = {"title": "Sitzung des Lenkungskreises", "start": start}
    url = f"{BASE}/governance/bodies/{committee.pk}/meetings"
    assert "start" in invalid(send(client_as(coordinator), "POST", url, meeting))
    assert not Meeting.objects.exists()


def test_the_meeting_form_refuses_the_year_9999(
    committee: Body, coordinator: Any, client_as: Any
) -> None:
    url = reverse("governance:meeting_create", args=[committee.masterplan.slug, committee.pk])
    for start in ("9999-12-31T23:30", "9999-01-01T10:00"):
        response = client_as(coordinator).post(
            url, {"title": "Sitzung des Lenkungskreises", "start": start}
        )
        assert response.status_code == 400  # the form again, with its errors
        assert response.context["form"].errors["start"]
    assert not Meeting.objects.exists()


def test_the_years_of_records_are_limited_in_the_model(committee: Body) -> None:
    # What the form and the API refuse, services refuse as well (they validate the model).
    from django.core.exceptions import ValidationError

    meeting = Meeting(body=committee, masterplan=committee.masterplan, title="Sitzung")
    meeting.start = timezone.now().replace(year=9999)
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert list(refused.value.message_dict) == ["start"]


def test_anonymous_writes_are_unauthenticated(plan: Masterplan) -> None:
    organization = {"name": "Rheinhafen Logistik GmbH", "kind": "company"}
    # As a browser without a session sends it: 401, not 403 for the missing CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = send(client, "POST", f"{BASE}/directory/organizations", organization)
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)


def test_an_invalid_or_revoked_token_never_reads_as_anonymous(
    plan: Masterplan, coordinator: Any
) -> None:
    token, secret = token_issue(user=coordinator, name="Statistikstelle")
    url = f"{BASE}/directory/organizations"
    assert Client().get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert Client().get(url).status_code == 200  # anonymous reads are open
    invented = Client().get(url, headers={"Authorization": "Bearer mp_invented"})
    assert invented.status_code == 401
    token.revoked_at = timezone.now()
    token.save()
    for method in ("GET", "POST"):
        response = send(Client(), method, url, {"name": "X"}, Authorization=f"Bearer {secret}")
        assert response.status_code == 401, method
        assert isinstance(response.json()["detail"], str)


def test_a_body_that_is_not_json_is_a_bad_request(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        f"{BASE}/directory/organizations", b"\x00", content_type="application/json"
    )
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)
