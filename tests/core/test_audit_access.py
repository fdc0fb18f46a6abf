"""Security-relevant writes leave an audit entry (issue 10 #6): roles granted, changed and
revoked (services and the Django admin), API tokens created and revoked
(command and admin), and the default status catalogue of a new masterplan."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from masterplan.core.accounts import role_grant, role_revoke
from masterplan.core.audit import audit_verify
from masterplan.core.models import ApiToken, AuditEntry, Masterplan, PlanRole, Role
from masterplan.directory.models import Organization
from masterplan.plans.models import MeasureStatus
from masterplan.plans.services import masterplan_create
from tests.factories import UserFactory


def actions(prefix: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith=prefix)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def superuser(db: Any) -> Any:
    return UserFactory(username="plattform", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(superuser: Any) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_granting_changing_and_revoking_a_role_is_audited(
    plan: Masterplan, own_org: Organization, superuser: Any
) -> None:
    user = UserFactory(username="wfd-referentin")
    role = role_grant(actor=superuser, user=user, masterplan=plan, role=Role.VIEWER)
    role_grant(
        actor=superuser, user=user, masterplan=plan, role=Role.CONTRIBUTOR, organization=own_org
    )
    role_revoke(actor=superuser, role=PlanRole.objects.get(pk=role.pk))
    assert actions("core.planrole") == [
        "core.planrole.granted",
        "core.planrole.updated",
        "core.planrole.revoked",
    ]
    changed, revoked = AuditEntry.objects.filter(action__startswith="core.planrole")[1:]
    assert changed.changes["role"] == ["viewer", "contributor"]
    assert revoked.changes["role"] == ["contributor", None]
    assert revoked.masterplan_id == plan.pk and revoked.actor_label == "plattform"
    assert not PlanRole.objects.filter(user=user).exists()
    # The entries name the user by id: erasing the account leaves no name in them.
    assert not AuditEntry.objects.filter(object_repr__contains="wfd-referentin").exists()
    assert audit_verify().ok


def test_roles_granted_and_revoked_in_the_admin_are_audited(
    plan: Masterplan, admin_client: Client
) -> None:
    user = UserFactory(username="ihk-duisburg")
    added = admin_client.post(
        "/admin/core/planrole/add/",
        {"user": user.pk, "masterplan": plan.pk, "role": Role.COORDINATOR, "organization": ""},
    )
    assert added.status_code == 302, added.content
    role = PlanRole.objects.get(user=user)
    changed = admin_client.post(
        f"/admin/core/planrole/{role.pk}/change/",
        {"user": user.pk, "masterplan": plan.pk, "role": Role.VIEWER, "organization": ""},
    )
    assert changed.status_code == 302
    deleted = admin_client.post(f"/admin/core/planrole/{role.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert actions("core.planrole") == [
        "core.planrole.granted",
        "core.planrole.updated",
        "core.planrole.revoked",
    ]
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"plattform"}


def test_api_tokens_created_and_revoked_by_command_are_audited(coordinator: Any) -> None:
    call_command(
        "token", "create", "--user", "koordination", "--name", "Statistik", stdout=StringIO()
    )
    token = ApiToken.objects.get()
    call_command("token", "revoke", token.prefix, stdout=StringIO())
    assert actions("core.apitoken") == ["core.apitoken.created", "core.apitoken.revoked"]
    created = AuditEntry.objects.get(action="core.apitoken.created")
    assert created.changes["prefix"] == [None, token.prefix]
    assert token.digest not in str(created.changes)


def test_api_tokens_revoked_or_deleted_in_the_admin_are_audited(
    coordinator: Any, admin_client: Client
) -> None:
    for name in ("Statistikstelle", "Ratsinformationssystem"):
        call_command("token", "create", "--user", "koordination", "--name", name, stdout=StringIO())
    first, second = ApiToken.objects.order_by("id")
    revoked = admin_client.post(
        "/admin/core/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [first.pk]},
    )
    assert revoked.status_code == 302
    first.refresh_from_db()
    assert first.revoked_at is not None
    admin_client.post(f"/admin/core/apitoken/{second.pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.filter(pk=second.pk).exists()
    assert actions("core.apitoken") == [
        "core.apitoken.created",
        "core.apitoken.created",
        "core.apitoken.revoked",
        "core.apitoken.deleted",
    ]
    assert admin_client.get("/admin/core/apitoken/add/").status_code == 403


def test_the_default_status_catalogue_of_a_new_masterplan_is_audited(superuser: Any) -> None:
    plan = masterplan_create(
        actor=superuser, name="Masterplan Industrie Düsseldorf", slug="dus", city="Düsseldorf"
    )
    statuses = MeasureStatus.objects.filter(masterplan=plan)
    entries = AuditEntry.objects.filter(action="plans.measurestatus.created")
    assert entries.count() == statuses.count() == 6
    assert {e.object_id for e in entries} == {str(s.pk) for s in statuses}
    assert {e.masterplan_id for e in entries} == {plan.pk}
    assert [None, "Umgesetzt"] in [e.changes["name"] for e in entries]
