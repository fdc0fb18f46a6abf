"""Every model that holds personal data has an exporter and an eraser (core/privacy.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from masterplan.core.accounts import api_token_create, role_grant
from masterplan.core.audit import audit_verify
from masterplan.core.models import AuditEntry, Masterplan, PlanRole, Role
from masterplan.core.privacy import (
    ERASED,
    DataSubject,
    covered_models,
    erase_personal_data,
    export_personal_data,
    find_subject,
    models_with_personal_fields,
    personal_data,
    personal_fields,
)
from masterplan.directory import services
from masterplan.directory.models import Organization, Person
from tests.factories import UserFactory


def test_every_model_with_personal_fields_has_a_registered_handler() -> None:
    uncovered = [
        model._meta.label
        for model in models_with_personal_fields()
        if model not in covered_models()
    ]
    assert uncovered == []


def test_names_addresses_and_references_to_people_count_as_personal() -> None:
    assert personal_fields(Person) == ["given_name", "family_name", "email", "phone"]
    assert personal_fields(AuditEntry) == ["actor", "actor_label"]
    assert personal_fields(Organization) == []


def test_every_handler_covers_models_and_finds_nothing_for_nobody() -> None:
    handlers = personal_data.items()
    assert {h.key for h in handlers} >= {"core.accounts", "directory.people"}
    for handler in handlers:
        assert handler.covers, handler.key
        assert handler.export(DataSubject()) == []


def test_only_global_admins_erase(coordinator: Any) -> None:
    with pytest.raises(PermissionDenied):
        erase_personal_data(actor=coordinator, subject=DataSubject(user_ids=frozenset()))


def test_erasing_an_account_keeps_its_records_without_its_name(
    plan: Masterplan, coordinator: Any, admin: Any
) -> None:
    coordinator.email = "koordination@example.org"
    coordinator.save()
    services.organization_create(
        actor=coordinator, masterplan=plan, name="Hafen AG", kind="company"
    )
    subject = find_subject(email="koordination@example.org")
    assert export_personal_data(subject)["core.accounts"][0]["username"] == "koordination"

    erase_personal_data(actor=admin, subject=subject)

    coordinator.refresh_from_db()
    assert (coordinator.username, coordinator.email, coordinator.is_active) == (
        f"erased-{coordinator.pk}",
        "",
        False,
    )
    assert not PlanRole.objects.filter(user=coordinator).exists()
    entry = AuditEntry.objects.get(action="directory.organization.created")
    assert entry.actor_id == coordinator.pk and entry.actor_label == ERASED
    assert audit_verify().ok


def test_erasing_an_account_records_each_role_and_token_it_loses_without_naming_it(
    plan: Masterplan, admin: Any
) -> None:
    user = UserFactory(username="m.mustermann", email="m.mustermann@hafen-duisburg.de")
    role_grant(actor=admin, user=user, masterplan=plan, role=Role.VIEWER)
    api_token_create(actor=admin, user=user, name="Berichtsexport")

    erase_personal_data(actor=admin, subject=find_subject(email="m.mustermann@hafen-duisburg.de"))

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"core.planrole.revoked", "core.apitoken.deleted", "core.user.erased"} <= actions
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.actor_label} {entry.changes}"
        assert "mustermann" not in text, entry.action
    assert audit_verify().ok
