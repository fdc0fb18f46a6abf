"""The indicator list, the indicator page and the API lists send as many queries for many
indicators and observations as for few: no query per row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.indicators.models import Indicator
from tests.factories import OrganizationFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

ROLES = ("anonymous", "viewer", "contributor", "coordinator")


def add_indicators(masterplan: Masterplan, count: int, years: int) -> Indicator:
    """`count` indicators, each with `years` values (every third a draft) and a target; the
    first also per organisation, weighted with an employees indicator."""
    employees = IndicatorFactory(masterplan=masterplan, aggregation="sum", unit="Beschäftigte")
    last = employees
    for n in range(count):
        publication = "draft" if n % 3 == 2 else "published"
        last = IndicatorFactory(
            masterplan=masterplan,
            publication=publication,
            aggregation="weighted_mean",
            weight_indicator=employees,
        )
        for year in range(2000, 2000 + years):
            ObservationFactory(indicator=last, period_start=date(year, 1, 1), value=100 - year % 50)
        TargetFactory(indicator=last, publication=publication)
    for m in range(max(1, years // 4)):
        org = OrganizationFactory(masterplan=masterplan, name=f"Hafenbetrieb {count}-{m} GmbH")
        for indicator, value in ((last, 50 + m), (employees, 200 + m)):
            ObservationFactory(
                indicator=indicator,
                period_start=date(2030, 1, 1),
                value=value,
                scope="organization",
                organization=org,
            )
    return last


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return len(captured)


def user_for(role: str, request: pytest.FixtureRequest) -> Any:
    return None if role == "anonymous" else request.getfixturevalue(role)


URLS = {
    "list": "/p/{slug}/indicators/",
    "api indicators": "/api/plans/{slug}/indicators",
    "api observations": "/api/plans/{slug}/indicator-observations",
    "api targets": "/api/plans/{slug}/indicator-targets",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", URLS.values(), ids=URLS.keys())
def test_lists_send_as_many_queries_for_many_rows_as_for_few(
    role: str, path: str, plan: Masterplan, own_org: Organization, request: Any, client_as: Any
) -> None:
    client = client_as(user_for(role, request))
    url = path.format(slug=plan.slug)
    add_indicators(plan, 2, 2)
    client.get(url)  # warm-up
    few = queries_for(client, url)
    add_indicators(plan, 8, 6)
    assert queries_for(client, url) == few


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_indicator_page_sends_as_many_queries_for_many_values_as_for_few(
    role: str, api: bool, plan: Masterplan, own_org: Organization, request: Any, client_as: Any
) -> None:
    client = client_as(user_for(role, request))
    few = add_indicators(plan, 1, 2)
    many = add_indicators(plan, 1, 40)
    prefix = f"/api/plans/{plan.slug}/indicators/" if api else f"/p/{plan.slug}/indicators/"
    client.get(f"{prefix}{few.pk}" + ("" if api else "/"))
    count_few = queries_for(client, f"{prefix}{few.pk}" + ("" if api else "/"))
    assert queries_for(client, f"{prefix}{many.pk}" + ("" if api else "/")) == count_few
