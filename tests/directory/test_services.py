from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.services import StaleVersionError
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person
from masterplan.directory.services import (
    affiliation_create,
    organization_create,
    organization_delete,
    organization_update,
    person_create,
    person_update,
)
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


def test_coordinator_creates_an_organisation_with_an_audit_entry(
    plan: Masterplan, coordinator: Any
) -> None:
    org = organization_create(
        actor=coordinator, masterplan=plan, name="startport", kind=OrganizationKind.OTHER
    )
    entry = AuditEntry.objects.get(object_id=str(org.pk))
    assert entry.action == "directory.organization.created"
    assert entry.actor_label == "koordination"
    assert entry.changes["name"] == [None, "startport"]


def test_contributor_cannot_create_organisations(plan: Masterplan, contributor: Any) -> None:
    with pytest.raises(PermissionDenied):
        organization_create(
            actor=contributor, masterplan=plan, name="startport", kind=OrganizationKind.OTHER
        )


def test_contributor_edits_own_organisation_only(
    contributor: Any, own_org: Organization, other_org: Organization
) -> None:
    updated = organization_update(actor=contributor, organization=own_org, version=1, employees=42)
    assert updated.employees == 42
    assert updated.version == 2
    with pytest.raises(PermissionDenied):
        organization_update(actor=contributor, organization=other_org, version=1, employees=1)


def test_coordinator_of_another_plan_cannot_edit(
    other_coordinator: Any, own_org: Organization
) -> None:
    with pytest.raises(PermissionDenied):
        organization_update(actor=other_coordinator, organization=own_org, version=1, city="X")


def test_stale_version_is_refused_and_nothing_changes(
    coordinator: Any, own_org: Organization
) -> None:
    organization_update(actor=coordinator, organization=own_org, version=1, city="Duisburg-Mitte")
    with pytest.raises(StaleVersionError) as caught:
        organization_update(actor=coordinator, organization=own_org, version=1, city="Moers")
    assert caught.value.current.version == 2
    own_org.refresh_from_db()
    assert own_org.city == "Duisburg-Mitte"
    assert AuditEntry.objects.filter(action="directory.organization.updated").count() == 1


def test_unchanged_save_keeps_version_and_writes_no_entry(
    coordinator: Any, own_org: Organization
) -> None:
    same = organization_update(
        actor=coordinator, organization=own_org, version=1, name=own_org.name
    )
    assert same.version == 1
    assert not AuditEntry.objects.filter(action="directory.organization.updated").exists()


def test_invalid_values_are_rejected_by_the_model(coordinator: Any, own_org: Organization) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_update(actor=coordinator, organization=own_org, version=1, ags="5112")
    assert "ags" in caught.value.message_dict


def test_parent_from_another_plan_is_rejected(
    coordinator: Any, own_org: Organization, other_plan: Masterplan
) -> None:
    foreign = OrganizationFactory(masterplan=other_plan, name="IHK Düsseldorf")
    with pytest.raises(ValidationError) as caught:
        organization_update(actor=coordinator, organization=own_org, version=1, parent=foreign)
    assert "parent" in caught.value.message_dict


def test_organisation_cannot_be_its_own_ancestor(
    coordinator: Any, own_org: Organization, other_org: Organization
) -> None:
    organization_update(actor=coordinator, organization=other_org, version=1, parent=own_org)
    with pytest.raises(ValidationError) as caught:
        organization_update(actor=coordinator, organization=own_org, version=1, parent=other_org)
    assert "parent" in caught.value.message_dict


def test_delete_is_soft_and_recorded(coordinator: Any, own_org: Organization) -> None:
    organization_delete(actor=coordinator, organization=own_org, version=1)
    assert not Organization.objects.filter(pk=own_org.pk).exists()
    assert Organization.all_objects.get(pk=own_org.pk).deleted_at is not None
    assert AuditEntry.objects.filter(action="directory.organization.deleted").count() == 1


def test_contributors_new_person_is_affiliated_with_their_organisation(
    plan: Masterplan, contributor: Any, own_org: Organization
) -> None:
    person = person_create(
        actor=contributor, masterplan=plan, given_name="Geraldine", family_name="Klan"
    )
    assert list(person.affiliations.values_list("organization", flat=True)) == [own_org.pk]
    # …and so the contributor may go on editing the new contact.
    assert person_update(actor=contributor, person=person, version=1, function="Referentin")


def test_contributor_cannot_edit_a_person_of_another_organisation(
    plan: Masterplan, contributor: Any, other_org: Organization
) -> None:
    affiliation = AffiliationFactory(person=PersonFactory(masterplan=plan), organization=other_org)
    with pytest.raises(PermissionDenied):
        person_update(actor=contributor, person=affiliation.person, version=1, phone="0203 1")


def test_affiliation_end_before_start_is_rejected(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    from datetime import date

    person = PersonFactory(masterplan=plan)
    with pytest.raises(ValidationError):
        affiliation_create(
            actor=coordinator,
            person=person,
            organization=own_org,
            start=date(2022, 3, 1),
            end=date(2021, 1, 1),
        )
    assert not Affiliation.objects.exists()
    assert Person.objects.count() == 1
