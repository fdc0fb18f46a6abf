"""The indicator pages: list with status, page with chart, table and forecast, forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from masterplan.core.models import AuditEntry
from masterplan.indicators.models import Indicator, Observation


def test_list_shows_current_value_target_and_status(
    client_as: Any, viewer: Any, permit_time: Indicator
) -> None:
    response = client_as(viewer).get(f"/p/{permit_time.masterplan.slug}/indicators/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "DU-GEN-DAUER" in content
    assert "71 Tage" in content
    assert "60 Tage (2026)" in content


def test_page_shows_chart_table_and_method(
    client_as: Any, viewer: Any, permit_time: Indicator
) -> None:
    response = client_as(viewer).get(permit_time.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert '<svg class="report-chart"' in content and 'role="img"' in content
    assert 'id="series-table"' in content
    assert "Student t quantile" in content or "Student-t" in content


def test_anonymous_visitors_see_published_indicators(
    client_as: Any, permit_time: Indicator
) -> None:
    response = client_as(None).get(permit_time.get_absolute_url())
    assert response.status_code == 200


def test_entering_a_value_on_the_page(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    slug = permit_time.masterplan.slug
    response = client_as(coordinator).post(
        f"/p/{slug}/indicators/observations/new/?indicator={permit_time.pk}",
        {
            "indicator": permit_time.pk,
            "period": "2026",
            "value": "64",
            "scope": "masterplan",
            "status": "provisional",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Observation.objects.filter(indicator=permit_time).count() == 5
    assert AuditEntry.objects.filter(action="indicators.observation.recorded").exists()


def test_a_duplicate_period_is_refused_with_a_message(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    slug = permit_time.masterplan.slug
    response = client_as(coordinator).post(
        f"/p/{slug}/indicators/observations/new/",
        {
            "indicator": permit_time.pk,
            "period": "2025",
            "value": "70",
            "scope": "masterplan",
            "status": "final",
        },
    )
    assert response.status_code == 400
    assert (
        "Für 2025 (ganzer Masterplan) ist bereits ein Wert erfasst: 71."
        in response.content.decode()
    )
    assert Observation.objects.filter(indicator=permit_time).count() == 4


def test_a_stale_edit_keeps_the_input(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    observation = Observation.objects.filter(indicator=permit_time).latest("period_start")
    url = f"/p/{permit_time.masterplan.slug}/indicators/observations/{observation.pk}/edit/"
    data = {
        "period": "2025",
        "value": "70",
        "scope": "masterplan",
        "status": "final",
        "version": observation.version,
    }
    client = client_as(coordinator)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "value": "69"})
    assert response.status_code == 409
    assert 'value="69"' in response.content.decode()


def test_creating_an_indicator(client_as: Any, coordinator: Any, plan: Any) -> None:
    response = client_as(coordinator).post(
        f"/p/{plan.slug}/indicators/new/",
        {
            "code": "DU-GRUEND",
            "name": "Gewerbeanmeldungen",
            "unit": "Anmeldungen",
            "direction": "higher",
            "granularity": "year",
            "aggregation": "sum",
            "publication": "draft",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Indicator.objects.filter(code="DU-GRUEND").exists()


def test_the_goal_page_names_the_indicator_of_a_key_result(
    client_as: Any, coordinator: Any, permit_time: Indicator
) -> None:
    from masterplan.indicators.services import target_create
    from tests.factories import KeyResultFactory

    key_result = KeyResultFactory(goal__field__masterplan=permit_time.masterplan)
    target_create(
        actor=coordinator,
        indicator=permit_time,
        value=60,
        target_date=date(2026, 12, 31),
        key_result=key_result,
    )
    response = client_as(coordinator).get(key_result.goal.get_absolute_url())
    assert response.status_code == 200
    assert f"DU-GEN-DAUER – {permit_time.name}" in response.content.decode()


def test_deleting_a_weight_indicator_is_explained_not_done(
    client_as: Any, coordinator: Any, plan: Any
) -> None:
    from tests.indicators.factories import IndicatorFactory

    employees = IndicatorFactory(masterplan=plan, code="DU-SVB", aggregation="sum")
    IndicatorFactory(masterplan=plan, aggregation="weighted_mean", weight_indicator=employees)
    client = client_as(coordinator)
    response = client.post(
        f"/p/{plan.slug}/indicators/{employees.pk}/delete/", {"version": employees.version}
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(pk=employees.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Gewichte" in page
