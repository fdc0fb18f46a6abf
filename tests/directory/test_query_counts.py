"""Lists send the same number of queries for 5 and for 50 records: no query per row (N+1).

Each list is requested once with 5 organisations and 5 people (with affiliations, parent
organisations and a draft among them), then again after 45 more of each were added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

LISTS = {
    "organisation list page": "/p/{slug}/directory/organizations/",
    "people list page": "/p/{slug}/directory/people/",
    "API organisations": "/api/plans/{slug}/directory/organizations",
    "API people": "/api/plans/{slug}/directory/people",
}
ROLES = ("anonymous", "viewer", "contributor", "coordinator")


def add_directory(masterplan: Masterplan, count: int) -> None:
    """`count` organisations and people; every 4th organisation has a parent, every 3rd
    person a second affiliation, every 7th record is a draft."""
    organizations = []
    for n in range(count):
        organizations.append(
            OrganizationFactory(
                masterplan=masterplan,
                parent=organizations[-1] if organizations and n % 4 == 3 else None,
                publication=Publication.DRAFT if n % 7 == 6 else Publication.PUBLISHED,
            )
        )
    for n, organization in enumerate(organizations):
        person = PersonFactory(
            masterplan=masterplan,
            publication=Publication.DRAFT if n % 7 == 5 else Publication.PUBLISHED,
        )
        AffiliationFactory(masterplan=masterplan, person=person, organization=organization)
        if n % 3 == 0:
            AffiliationFactory(masterplan=masterplan, person=person, organization=organizations[0])


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", LISTS.values(), ids=LISTS.keys())
def test_list_sends_as_many_queries_for_50_records_as_for_5(
    role: str,
    url: str,
    plan: Masterplan,
    request: pytest.FixtureRequest,
    client_as: Any,
    django_assert_num_queries: Any,
) -> None:
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_as(user)
    url = url.format(slug=plan.slug)
    add_directory(plan, 5)
    client.get(url)  # warm-up: caches that fill once per process are not the point here
    with_5 = queries_for(client, url)

    add_directory(plan, 45)
    with django_assert_num_queries(with_5):
        response = client.get(url)
    assert response.status_code == 200


def test_the_larger_page_really_shows_more_rows(plan: Masterplan, client_as: Any) -> None:
    """Guards the test above: with 50 records a page holds 25 rows, not 5."""
    add_directory(plan, 50)
    response = client_as(None).get(f"/api/plans/{plan.slug}/directory/people")
    assert len(response.json()["items"]) > 25
