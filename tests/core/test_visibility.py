"""visible_to: the one visibility rule, applied by every list, export and drop-down."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Affiliation, Organization, Person
from masterplan.governance.models import ActionItem
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def test_members_see_drafts_the_public_does_not(
    plan: Masterplan, other_plan: Masterplan, viewer: Any, admin: Any
) -> None:
    OrganizationFactory(masterplan=plan, name="Veröffentlicht")
    OrganizationFactory(masterplan=plan, name="Entwurf", publication=Publication.DRAFT)
    OrganizationFactory(masterplan=other_plan, name="Anderer Plan")

    def seen(user: Any) -> list[str]:
        return sorted(o.name for o in Organization.objects.visible_to(user, plan))

    assert seen(AnonymousUser()) == ["Veröffentlicht"]
    assert seen(viewer) == ["Entwurf", "Veröffentlicht"]
    assert seen(admin) == ["Entwurf", "Veröffentlicht"]


def test_deleted_rows_stay_hidden_from_members(plan: Masterplan, viewer: Any) -> None:
    gone = OrganizationFactory(masterplan=plan, name="Gelöscht")
    Organization.objects.filter(pk=gone.pk).update(deleted_at="2026-01-01T00:00:00Z")
    assert not Organization.objects.visible_to(viewer, plan).exists()


def test_a_rule_applies_through_a_relation(plan: Masterplan, own_org: Organization) -> None:
    AffiliationFactory(
        person=PersonFactory(masterplan=plan, family_name="Sichtbar"), organization=own_org
    )
    AffiliationFactory(
        person=PersonFactory(
            masterplan=plan, family_name="Verborgen", publication=Publication.DRAFT
        ),
        organization=own_org,
    )
    anonymous = AnonymousUser()
    links = Affiliation.objects.visible_to(anonymous, plan).filter(
        Person.visibility_filter(anonymous, plan, "person__")
    )
    assert [a.person.family_name for a in links] == ["Sichtbar"]


def test_members_only_rows_cost_the_public_no_query(plan: Masterplan) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert list(ActionItem.objects.visible_to(AnonymousUser(), plan)) == []
    assert len(queries) == 0
