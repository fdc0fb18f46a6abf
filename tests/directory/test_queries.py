from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization, OrganizationKind
from masterplan.directory.queries import (
    organization_affiliations,
    organization_list,
    person_affiliations,
    person_list,
)
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def names(qs: Any) -> list[str]:
    return [o.name for o in qs]


def test_anonymous_sees_published_organisations_only(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="Stadt Duisburg")
    OrganizationFactory(masterplan=plan, name="Entwurf GmbH", publication=Publication.DRAFT)
    qs, _ = organization_list(user=AnonymousUser(), masterplan=plan)
    assert names(qs) == ["Stadt Duisburg"]


def test_members_also_see_drafts(plan: Masterplan, viewer: Any) -> None:
    OrganizationFactory(masterplan=plan, name="Entwurf GmbH", publication=Publication.DRAFT)
    qs, _ = organization_list(user=viewer, masterplan=plan)
    assert names(qs) == ["Entwurf GmbH"]


def test_other_plans_never_leak(plan: Masterplan, other_plan: Masterplan, admin: Any) -> None:
    OrganizationFactory(masterplan=other_plan, name="IHK Düsseldorf")
    qs, _ = organization_list(user=admin, masterplan=plan)
    assert names(qs) == []


def test_search_needs_every_word(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="Niederrheinische IHK", city="Duisburg")
    OrganizationFactory(masterplan=plan, name="IHK Düsseldorf", city="Düsseldorf")
    qs, _ = organization_list(user=AnonymousUser(), masterplan=plan, q="ihk duisburg")
    assert names(qs) == ["Niederrheinische IHK"]


def test_search_ignores_case_beyond_ascii(plan: Masterplan) -> None:
    """SQLite's LIKE folds only ASCII; the search must find "Lörick" as PostgreSQL does."""
    OrganizationFactory(masterplan=plan, name="Lörick Bauchemie GmbH", city="Düsseldorf")
    OrganizationFactory(masterplan=plan, name="Ruhrort Logistik GmbH", city="Duisburg")

    def found(**filters: Any) -> list[str]:
        return names(organization_list(user=AnonymousUser(), masterplan=plan, **filters)[0])

    assert found(q="LÖRICK") == ["Lörick Bauchemie GmbH"]
    assert found(q="lörick BAUCHEMIE düsseldorf") == ["Lörick Bauchemie GmbH"]
    assert found(city="DÜSSELDORF") == ["Lörick Bauchemie GmbH"]
    # A pattern character is text, not a wildcard.
    assert found(q="%") == []
    assert found(city="D_sseldorf") == []


def test_filter_by_kind_and_sort_descending(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="startport", kind=OrganizationKind.OTHER)
    OrganizationFactory(masterplan=plan, name="Ruhrort Logistik GmbH", employees=520)
    OrganizationFactory(masterplan=plan, name="Homberg Kunststoff GmbH", employees=140)
    qs, sort = organization_list(
        user=AnonymousUser(), masterplan=plan, kind=OrganizationKind.COMPANY, sort="-employees"
    )
    assert names(qs) == ["Ruhrort Logistik GmbH", "Homberg Kunststoff GmbH"]
    assert sort == "-employees"


def test_unknown_sort_falls_back_to_name(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="B")
    OrganizationFactory(masterplan=plan, name="A")
    qs, sort = organization_list(user=AnonymousUser(), masterplan=plan, sort="-password")
    assert names(qs) == ["A", "B"]
    assert sort == "name"


def test_people_filtered_by_organisation_without_duplicates(
    plan: Masterplan, own_org: Organization, other_org: Organization
) -> None:
    person = PersonFactory(masterplan=plan, family_name="Kranki")
    AffiliationFactory(person=person, organization=own_org, role="Vorstandsvorsitzender")
    AffiliationFactory(person=person, organization=own_org, role="Mitglied")
    AffiliationFactory(person=PersonFactory(masterplan=plan), organization=other_org)
    qs, _ = person_list(user=AnonymousUser(), masterplan=plan, organization=own_org.pk)
    assert [p.family_name for p in qs] == ["Kranki"]


def test_deleted_people_are_not_listed(plan: Masterplan) -> None:
    from django.utils import timezone

    PersonFactory(masterplan=plan, deleted_at=timezone.now())
    qs, _ = person_list(user=AnonymousUser(), masterplan=plan)
    assert qs.count() == 0


def test_empty_values_sort_last_in_both_directions(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="Ohne Angabe", employees=None)
    OrganizationFactory(masterplan=plan, name="Klein", employees=9)
    OrganizationFactory(masterplan=plan, name="Groß", employees=870)
    ascending, _ = organization_list(user=AnonymousUser(), masterplan=plan, sort="employees")
    descending, _ = organization_list(user=AnonymousUser(), masterplan=plan, sort="-employees")
    assert names(ascending) == ["Klein", "Groß", "Ohne Angabe"]
    assert names(descending) == ["Groß", "Klein", "Ohne Angabe"]


def test_public_people_list_hides_links_to_draft_organisations(
    plan: Masterplan, viewer: Any
) -> None:
    person = PersonFactory(masterplan=plan, family_name="Trapp")
    draft = OrganizationFactory(masterplan=plan, name="Geheim GmbH", publication=Publication.DRAFT)
    AffiliationFactory(person=person, organization=draft)
    public, _ = person_list(user=AnonymousUser(), masterplan=plan)
    member, _ = person_list(user=viewer, masterplan=plan)
    assert [a.organization.name for a in public[0].affiliations.all()] == []
    assert [a.organization.name for a in member[0].affiliations.all()] == ["Geheim GmbH"]


def test_detail_pages_show_the_public_only_published_links_to_published_records(
    plan: Masterplan, viewer: Any
) -> None:
    draft = Publication.DRAFT
    person = PersonFactory(masterplan=plan, family_name="Trapp")
    draft_person = PersonFactory(masterplan=plan, family_name="Entwurf", publication=draft)
    published = OrganizationFactory(masterplan=plan, name="Industriekreis Düsseldorf")
    secret = OrganizationFactory(masterplan=plan, name="Geheim GmbH", publication=draft)
    AffiliationFactory(person=person, organization=secret)
    AffiliationFactory(person=person, organization=published)
    AffiliationFactory(person=draft_person, organization=published)
    hidden_link = PersonFactory(masterplan=plan, family_name="Ungeprüft")
    AffiliationFactory(person=hidden_link, organization=published, publication=draft)
    anonymous = AnonymousUser()

    def org_names(user: Any) -> list[str]:
        return [a.organization.name for a in person_affiliations(user=user, person=person)]

    def people(user: Any) -> list[str]:
        rows = organization_affiliations(user=user, organization=published)
        return [a.person.family_name for a in rows]

    assert org_names(anonymous) == ["Industriekreis Düsseldorf"]
    assert sorted(org_names(viewer)) == ["Geheim GmbH", "Industriekreis Düsseldorf"]
    assert people(anonymous) == ["Trapp"]
    assert people(viewer) == ["Entwurf", "Trapp", "Ungeprüft"]
