"""A person's data in the directory: found by e-mail, exported, then erased everywhere while
the audit trail still verifies."""

from __future__ import annotations

from typing import Any

import pytest

from masterplan.core.audit import audit_verify
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.privacy import (
    ERASED,
    erase_personal_data,
    export_personal_data,
    find_subject,
)
from masterplan.directory import services
from masterplan.directory.models import Affiliation, Organization, Person
from tests.factories import UserFactory

EMAIL = "g.klan@wirtschaft-fuer-duisburg.example"


@pytest.fixture
def person(plan: Masterplan, own_org: Organization, coordinator: Any) -> Person:
    person = services.person_create(
        actor=coordinator,
        masterplan=plan,
        given_name="Geraldine",
        family_name="Klan",
        email=EMAIL,
        phone="0203 123456",
        external_id="DU-P-KLAN",
        publication="published",
    )
    services.affiliation_create(
        actor=coordinator, person=person, organization=own_org, role="Geschäftsführerin"
    )
    return person


def test_the_person_and_their_account_are_found_by_e_mail(person: Person) -> None:
    account = UserFactory(username="gklan", email=EMAIL.upper())
    subject = find_subject(email=EMAIL)
    assert subject.person_ids == {person.pk}
    assert subject.user_ids == {account.pk}


def test_the_export_holds_the_entry_and_the_affiliation(person: Person) -> None:
    exported = export_personal_data(find_subject(email=EMAIL))["directory.people"]
    entry, affiliation = exported
    assert (entry["type"], entry["email"], entry["phone"]) == (
        "directory.person",
        EMAIL,
        "0203 123456",
    )
    assert (affiliation["role"], affiliation["organization"]) == (
        "Geschäftsführerin",
        "Wirtschaft für Duisburg e. V.",
    )


def test_erasure_anonymises_the_entry_and_its_audit_trail(person: Person, admin: Any) -> None:
    erase_personal_data(actor=admin, subject=find_subject(email=EMAIL))

    erased = Person.all_objects.get(pk=person.pk)
    assert (erased.family_name, erased.email, erased.phone, erased.external_id) == (
        ERASED,
        "",
        "",
        "",
    )
    assert erased.deleted_at is not None
    assert not Person.objects.filter(pk=person.pk).exists()  # gone from the directory
    assert not Affiliation.objects.filter(person=person).exists()
    about = AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk))
    assert "Klan" not in str(list(about.values("object_repr", "changes")))
    assert about.filter(action="directory.person.erased").exists()
    assert audit_verify().ok


def test_after_erasure_nothing_is_found_by_the_address(person: Person, admin: Any) -> None:
    erase_personal_data(actor=admin, subject=find_subject(email=EMAIL))
    assert not find_subject(email=EMAIL)
