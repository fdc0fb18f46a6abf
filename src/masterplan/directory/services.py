"""Every write to the directory. Views, the API and importers call these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_create_in,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
    is_admin,
)
from masterplan.core.privacy import ERASED, erase_tracked
from masterplan.core.services import (
    create_tracked,
    delete_tracked,
    lock_for_update,
    update_tracked,
)
from masterplan.directory.models import Affiliation, Organization, Person


def organization_create(*, actor: Any, masterplan: Masterplan, **fields: Any) -> Organization:
    """Add an organisation. Only coordinators add organisations: contributors act for one."""
    ensure(can_manage(actor, masterplan))
    return create_tracked(
        actor=actor,
        model=Organization,
        action="directory.organization.created",
        masterplan=masterplan,
        **fields,
    )


def organization_update(
    *, actor: Any, organization: Organization, version: int | None, **changes: Any
) -> Organization:
    """Change an organisation; refuses a stale version so that no edit is silently lost."""
    ensure_can_edit(actor, organization)
    return update_tracked(
        actor=actor,
        obj=organization,
        version=version,
        action="directory.organization.updated",
        changes=changes,
    )


def organization_delete(*, actor: Any, organization: Organization, version: int | None) -> None:
    ensure(can_manage(actor, organization.masterplan))
    delete_tracked(
        actor=actor, obj=organization, version=version, action="directory.organization.deleted"
    )


@transaction.atomic
def person_create(*, actor: Any, masterplan: Masterplan, **fields: Any) -> Person:
    """Add a person. A contributor's new contact is affiliated with their organisation."""
    ensure(can_create_in(actor, masterplan))
    person = create_tracked(
        actor=actor,
        model=Person,
        action="directory.person.created",
        masterplan=masterplan,
        **fields,
    )
    own_organization = contributor_organization_id(actor, masterplan)
    if own_organization is not None:
        create_tracked(
            actor=actor,
            model=Affiliation,
            action="directory.affiliation.created",
            masterplan=masterplan,
            person=person,
            organization_id=own_organization,
            publication=person.publication,
        )
    return person


def person_update(*, actor: Any, person: Person, version: int | None, **changes: Any) -> Person:
    ensure_can_edit(actor, person)
    return update_tracked(
        actor=actor,
        obj=person,
        version=version,
        action="directory.person.updated",
        changes=changes,
    )


def person_delete(*, actor: Any, person: Person, version: int | None) -> None:
    ensure_can_edit(actor, person)
    delete_tracked(actor=actor, obj=person, version=version, action="directory.person.deleted")


def affiliation_create(
    *, actor: Any, person: Person, organization: Organization, **fields: Any
) -> Affiliation:
    """Link a person to an organisation; the actor must be allowed to edit the organisation."""
    ensure(organization.masterplan_id == person.masterplan_id)
    ensure_can_edit(actor, organization)
    return create_tracked(
        actor=actor,
        model=Affiliation,
        action="directory.affiliation.created",
        masterplan=person.masterplan,
        person=person,
        organization=organization,
        **fields,
    )


def affiliation_update(
    *, actor: Any, affiliation: Affiliation, version: int | None, **changes: Any
) -> Affiliation:
    ensure_can_edit(actor, affiliation)
    return update_tracked(
        actor=actor,
        obj=affiliation,
        version=version,
        action="directory.affiliation.updated",
        changes=changes,
    )


def affiliation_delete(*, actor: Any, affiliation: Affiliation, version: int | None) -> None:
    ensure_can_edit(actor, affiliation)
    delete_tracked(
        actor=actor, obj=affiliation, version=version, action="directory.affiliation.deleted"
    )


@transaction.atomic
def person_erase(*, actor: Any, person: Person) -> int:
    """Erase a person on request (GDPR Art. 17): name, contact data, function, consent and
    import key are overwritten, the person and their affiliations leave the directory, and
    the audit trail keeps the entries without the personal values. Rows elsewhere that refer
    to the person (memberships, attendance) stay and now point to an anonymous entry.
    Global admins only. Returns the number of rows changed."""
    ensure(is_admin(actor))
    now = timezone.now()
    changed = 0
    for affiliation in Affiliation.all_objects.filter(person=person):
        erase_tracked(
            actor=actor,
            obj=lock_for_update(affiliation),
            values={"role": "", "deleted_at": affiliation.deleted_at or now},
        )
        changed += 1
    erase_tracked(
        actor=actor,
        obj=lock_for_update(person),
        values={
            "title": "",
            "given_name": ERASED,
            "family_name": ERASED,
            "function": "",
            "email": "",
            "phone": "",
            "external_id": "",
            "consent_to_publish": False,
            "consent_given_at": None,
            "consent_text_version": "",
            "deleted_at": person.deleted_at or now,
        },
    )
    return changed + 1
