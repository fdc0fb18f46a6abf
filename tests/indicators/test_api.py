"""Indicators API: CRUD, versions (ETag / If-Match), filters and the forecast in the detail."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator, Observation
from masterplan.plans.models import KeyResult
from tests.factories import KeyResultFactory
from tests.indicators.factories import ObservationFactory


def send(client: Any, method: str, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.generic(
        method, url, data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_detail_has_series_and_forecast(
    client_as: Any, viewer: Any, permit_time: Indicator
) -> None:
    response = client_as(viewer).get(f"/api/plans/duisburg/indicators/{permit_time.pk}")
    assert response.status_code == 200
    assert response["ETag"] == f'"{permit_time.version}"'
    data = response.json()
    assert [s["period"] for s in data["series"]] == ["2022", "2023", "2024", "2025"]
    assert data["current_value"] == 71
    forecast = data["forecasts"][0]
    assert forecast["points_used"] == 4
    assert forecast["status"] in ("on_track", "at_risk", "off_track")
    assert forecast["band_low"] < forecast["projected"] < forecast["band_high"]
    assert "band" in data["methods"]


def test_create_update_delete_an_observation(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    client = client_as(coordinator)
    created = send(
        client,
        "POST",
        f"/api/plans/duisburg/indicators/{permit_time.pk}/observations",
        {"period": "2026-Q1", "value": "64.5", "status": "provisional"},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["period"] == "2026-Q1"
    url = f"/api/plans/duisburg/indicator-observations/{pk}"
    updated = send(client, "PATCH", url, {"value": "63"}, **{"If-Match": '"1"'})
    assert updated.status_code == 200 and updated.json()["value"] == 63
    stale = send(client, "PATCH", url, {"value": "62"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert send(client, "PATCH", url, {"value": "62"}).status_code == 428
    deleted = client.delete(url, headers={"If-Match": updated["ETag"]})
    assert deleted.status_code == 204
    assert not Observation.objects.filter(pk=pk).exists()


def test_a_duplicate_period_is_refused_with_422(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    response = send(
        client_as(coordinator),
        "POST",
        f"/api/plans/duisburg/indicators/{permit_time.pk}/observations",
        {"period": "2025", "value": "70"},
    )
    assert response.status_code == 422
    assert "bereits ein Wert erfasst: 71" in response.json()["errors"]["period"][0]


def test_a_bad_period_is_refused_with_422(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    response = send(
        client_as(coordinator),
        "POST",
        f"/api/plans/duisburg/indicators/{permit_time.pk}/observations",
        {"period": "Mai 2025", "value": "70"},
    )
    assert response.status_code == 422
    assert "period" in response.json()["errors"]


def test_observation_filters(
    client_as: Any, viewer: Any, permit_time: Indicator, own_org: Organization
) -> None:
    ObservationFactory(
        indicator=permit_time,
        period_start=date(2025, 1, 1),
        scope="organization",
        organization=own_org,
        value=80,
    )
    client = client_as(viewer)
    base = "/api/plans/duisburg/indicator-observations"

    def periods(query: str) -> list[str]:
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return [o["period"] for o in response.json()["items"]]

    assert periods("indicator=DU-GEN-DAUER") == ["2022", "2023", "2024", "2025", "2025"]
    assert periods("period_from=2024-01-01&period_until=2024-12-31") == ["2024"]
    assert periods("scope=organization") == ["2025"]
    assert periods(f"organization={own_org.pk}") == ["2025"]
    assert periods("indicator=UNBEKANNT") == []


def test_create_an_indicator_and_a_target_linked_to_a_key_result(
    client_as: Any, coordinator: Any, plan: Masterplan
) -> None:
    client = client_as(coordinator)
    created = send(
        client,
        "POST",
        "/api/plans/duisburg/indicators",
        {
            "code": "DU-STARTUPS",
            "name": "Start-ups mit Mitgliedschaft",
            "unit": "Start-ups",
            "direction": "higher",
            "publication": "published",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    key_result = KeyResultFactory(goal__field__masterplan=plan, baseline_value=0, target_value=40)
    target = send(
        client,
        "POST",
        f"/api/plans/duisburg/indicators/{pk}/targets",
        {"value": "40", "target_date": "2026-12-31", "key_result_id": key_result.pk},
    )
    assert target.status_code == 201, target.content
    assert target.json()["goal_id"] == key_result.goal_id
    send(
        client,
        "POST",
        f"/api/plans/duisburg/indicators/{pk}/observations",
        {"period": "2025", "value": "31"},
    )
    assert KeyResult.objects.get(pk=key_result.pk).current_value == 31


def test_a_target_without_value_is_refused(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    response = send(
        client_as(coordinator),
        "POST",
        f"/api/plans/duisburg/indicators/{permit_time.pk}/targets",
        {},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"value", "target_date"}


def test_the_public_sees_no_draft_values(client_as: Any, permit_time: Indicator) -> None:
    Observation.objects.filter(period_start=date(2025, 1, 1)).update(publication="draft")
    response = client_as(None).get("/api/plans/duisburg/indicator-observations")
    assert [o["period"] for o in response.json()["items"]] == ["2022", "2023", "2024"]
