from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masterplan.core.audit import audit_redact, audit_verify
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization, OrganizationKind
from masterplan.directory.services import organization_create, organization_update


@pytest.fixture
def three_writes(plan: Masterplan, admin: Any) -> Organization:
    org = organization_create(
        actor=admin, masterplan=plan, name="startport", kind=OrganizationKind.OTHER
    )
    org = organization_update(actor=admin, organization=org, version=1, city="Duisburg")
    return organization_update(actor=admin, organization=org, version=2, employees=25)


def test_every_service_write_is_recorded_with_its_changes(three_writes: Organization) -> None:
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "directory.organization.created",
        "directory.organization.updated",
        "directory.organization.updated",
    ]
    assert entries[1].changes == {"city": ["", "Duisburg"]}
    assert entries[2].actor_label == "admin"


def test_intact_chain_verifies(three_writes: Organization) -> None:
    result = audit_verify()
    assert result.ok, result.problems
    assert result.entries == 3


def test_altered_entry_is_detected(three_writes: Organization) -> None:
    entry = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=entry.pk).update(changes={"city": ["", "Düsseldorf"]})
    result = audit_verify()
    assert not result.ok
    assert f"entry #{entry.pk}: content was changed" in result.problems[0]


def test_removed_entry_in_the_middle_is_detected(three_writes: Organization) -> None:
    middle = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=middle.pk).delete()
    result = audit_verify()
    assert any("does not follow the previous entry" in p for p in result.problems)


def test_removed_last_entry_is_detected(three_writes: Organization) -> None:
    AuditEntry.objects.order_by("-id").first().delete()  # type: ignore[union-attr]
    result = audit_verify()
    assert any("entries at the end were removed" in p for p in result.problems)


def test_redaction_keeps_the_chain_verifiable(three_writes: Organization) -> None:
    redacted = audit_redact(object_type="directory.organization", object_id=str(three_writes.pk))
    assert redacted == 3
    entry = AuditEntry.objects.order_by("id")[1]
    assert entry.object_repr == "[redacted]"
    assert "Duisburg" not in str(entry.changes)
    assert audit_verify().ok


def test_audit_verify_command_fails_on_tampering(three_writes: Organization) -> None:
    call_command("audit", "verify")
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("id")[0].pk).update(action="x")
    with pytest.raises(CommandError, match="FAILED"):
        call_command("audit", "verify")
