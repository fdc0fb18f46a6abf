from __future__ import annotations

import json
from typing import Any

from django.test import Client

from masterplan.core.api import token_issue
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from tests.factories import OrganizationFactory

BASE = "/api/plans/duisburg/directory"


def patch(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_list_is_paginated_and_filtered(plan: Masterplan, client_as: Any) -> None:
    for name in ("Niederrheinische IHK", "IHK Düsseldorf", "startport"):
        OrganizationFactory(masterplan=plan, name=name)
    data = client_as(None).get(f"{BASE}/organizations?q=ihk&page_size=1").json()
    assert data["count"] == 2
    assert [o["name"] for o in data["items"]] == ["IHK Düsseldorf"]


def test_detail_has_an_etag(own_org: Organization, client_as: Any) -> None:
    response = client_as(None).get(f"{BASE}/organizations/{own_org.pk}")
    assert response["ETag"] == '"1"'
    assert response.json()["name"] == "Wirtschaft für Duisburg e. V."


def test_patch_with_current_if_match_succeeds(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    response = patch(
        client_as(coordinator),
        f"{BASE}/organizations/{own_org.pk}",
        {"employees": 35},
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert response.json()["employees"] == 35


def test_patch_with_stale_if_match_is_412(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    patch(client, f"{BASE}/organizations/{own_org.pk}", {"city": "Moers"}, **{"If-Match": '"1"'})
    response = patch(
        client, f"{BASE}/organizations/{own_org.pk}", {"city": "Wesel"}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    own_org.refresh_from_db()
    assert own_org.city == "Moers"


def test_patch_with_stale_body_version_is_409(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    patch(client, f"{BASE}/organizations/{own_org.pk}", {"city": "Moers", "version": 1})
    response = patch(client, f"{BASE}/organizations/{own_org.pk}", {"city": "Wesel", "version": 1})
    assert response.status_code == 409


def test_patch_without_version_is_428(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    response = patch(
        client_as(coordinator), f"{BASE}/organizations/{own_org.pk}", {"city": "Wesel"}
    )
    assert response.status_code == 428


def test_invalid_value_is_422_with_field_errors(
    own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    response = patch(
        client_as(coordinator), f"{BASE}/organizations/{own_org.pk}", {"ags": "51", "version": 1}
    )
    assert response.status_code == 422
    assert "ags" in response.json()["errors"]


def test_token_authenticates_machines(plan: Masterplan, coordinator: Any) -> None:
    _token, secret = token_issue(user=coordinator, name="Statistikstelle")
    response = Client().post(
        f"{BASE}/organizations",
        json.dumps({"name": "Walsum Energietechnik AG", "kind": "company"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201, response.content
    assert Organization.objects.filter(name="Walsum Energietechnik AG").exists()


def test_unknown_token_is_rejected(plan: Masterplan) -> None:
    response = Client().post(
        f"{BASE}/organizations",
        json.dumps({"name": "X", "kind": "company"}),
        content_type="application/json",
        headers={"Authorization": "Bearer mp_invented"},
    )
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(plan: Masterplan, coordinator: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        f"{BASE}/organizations",
        json.dumps({"name": "X", "kind": "company"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_people_hide_contact_details_from_the_public(
    plan: Masterplan, client_as: Any, viewer: Any
) -> None:
    from tests.factories import PersonFactory

    PersonFactory(masterplan=plan, email="klan@unternehmerverband.org")
    public = client_as(None).get(f"{BASE}/people").json()["items"][0]
    member = client_as(viewer).get(f"{BASE}/people").json()["items"][0]
    assert public["email"] == ""
    assert member["email"] == "klan@unternehmerverband.org"


def test_openapi_description_is_served(client_as: Any) -> None:
    schema = client_as(None).get("/api/openapi.json").json()
    assert "/api/plans/{plan}/directory/organizations" in schema["paths"]
