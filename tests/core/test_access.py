"""Access to a masterplan ("Zugänge"): coordinators invite people by e-mail, change and revoke
their roles; each write is in the audit trail, and nobody else reaches the pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from masterplan.core import accounts
from masterplan.core.models import AuditEntry, Masterplan, PlanRole, Role
from masterplan.core.permissions import is_plan_member
from masterplan.directory.models import Organization
from tests.factories import UserFactory

PASSWORD = "Rheinhafen-2026!Ruhrort"


def client_of(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user)
    return client


def invite_form(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Anna",
        "last_name": "Schmidt",
        "email": "anna.schmidt@duisburg.de",
        "role": Role.VIEWER,
        "organization": "",
        **changes,
    }


def actions(plan: Masterplan) -> list[str]:
    return list(
        AuditEntry.objects.filter(masterplan=plan).order_by("id").values_list("action", flat=True)
    )


# --- Service ------------------------------------------------------------------------------------


def test_invite_creates_an_account_without_password_and_grants_the_role(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    user, role, created = accounts.invite(
        actor=coordinator,
        masterplan=plan,
        email=" Anna.Schmidt@Duisburg.de ",
        first_name="Anna",
        last_name="Schmidt",
        role=Role.CONTRIBUTOR,
        organization=own_org,
    )
    assert created and user.username == "anna.schmidt@duisburg.de"
    assert user.email == "Anna.Schmidt@Duisburg.de" and not user.has_usable_password()
    assert (role.role, role.organization_id) == (Role.CONTRIBUTOR, own_org.pk)
    assert actions(plan)[-2:] == ["core.user.invited", "core.planrole.granted"]
    invited = AuditEntry.objects.get(action="core.user.invited")
    assert invited.actor == coordinator and "Anna" not in invited.object_repr


def test_invite_finds_an_existing_account_by_its_address(
    plan: Masterplan, other_plan: Masterplan, coordinator: Any
) -> None:
    existing = UserFactory(username="kleff", email="kleff@wirtschaft-fuer-duisburg.de")
    user, role, created = accounts.invite(
        actor=coordinator,
        masterplan=plan,
        email="KLEFF@wirtschaft-fuer-duisburg.de",
        first_name="Gerd",
        last_name="Kleff",
        role=Role.COORDINATOR,
    )
    assert not created and user == existing and role.role == Role.COORDINATOR
    assert "core.user.invited" not in actions(plan)


def test_a_taken_user_name_gets_a_number(plan: Masterplan, coordinator: Any) -> None:
    UserFactory(username="anna.schmidt@duisburg.de", email="")
    user, _role, _created = accounts.invite(
        actor=coordinator,
        masterplan=plan,
        email="anna.schmidt@duisburg.de",
        first_name="Anna",
        last_name="Schmidt",
        role=Role.VIEWER,
    )
    assert user.username == "anna.schmidt@duisburg.de-2"


# --- Pages --------------------------------------------------------------------------------------


def test_the_coordinator_sees_who_has_access(
    plan: Masterplan, coordinator: Any, contributor: Any, viewer: Any, own_org: Organization
) -> None:
    page = client_of(coordinator).get(reverse("access_list", args=[plan.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zugänge" in html and "Person einladen" in html
    for name in ("koordination", "beitrag", "lesen", "Mitarbeit", "Lesezugriff", own_org.name):
        assert name in html
    assert reverse("access_list", args=[plan.slug]) in html  # in the plan's navigation


@pytest.mark.parametrize("who", ["viewer", "contributor", "other_coordinator"])
def test_others_cannot_reach_the_pages(
    plan: Masterplan, viewer: Any, who: str, request: Any
) -> None:
    client = client_of(request.getfixturevalue(who))
    role = PlanRole.objects.get(user=viewer, masterplan=plan)
    for url in (
        reverse("access_list", args=[plan.slug]),
        reverse("access_invite", args=[plan.slug]),
        reverse("access_edit", args=[plan.slug, role.pk]),
        reverse("access_revoke", args=[plan.slug, role.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("access_invite", args=[plan.slug]), invite_form()).status_code in (
        403,
        404,
    )
    assert client.post(reverse("access_revoke", args=[plan.slug, role.pk])).status_code in (
        403,
        404,
    )
    assert PlanRole.objects.filter(pk=role.pk).exists()
    assert not User.objects.filter(email="anna.schmidt@duisburg.de").exists()
    page = client.get(reverse("plans:overview", args=[plan.slug])).content.decode()
    assert reverse("access_list", args=[plan.slug]) not in page


def test_an_invitation_by_e_mail_sets_a_password_once(plan: Masterplan, coordinator: Any) -> None:
    coordinator.first_name, coordinator.last_name = "Petra", "Koordinator"
    coordinator.save()
    sent = client_of(coordinator).post(reverse("access_invite", args=[plan.slug]), invite_form())
    assert sent.status_code == 302 and sent["Location"] == reverse("access_list", args=[plan.slug])
    user = User.objects.get(email="anna.schmidt@duisburg.de")
    assert PlanRole.objects.get(user=user, masterplan=plan).role == Role.VIEWER
    assert actions(plan)[-2:] == ["core.user.invited", "core.planrole.granted"]
    trail = client_of(coordinator).get(reverse("audit_trail", args=[plan.slug]))
    assert trail.status_code == 200 and "Benutzer eingeladen" in trail.content.decode()

    (message,) = mail.outbox
    assert message.to == ["anna.schmidt@duisburg.de"]
    assert message.subject == f"Ihr Zugang zu {plan.name}"
    assert (
        "Petra Koordinator hat Ihnen Zugang zu „Masterplan Wirtschaft für Duisburg“" in message.body
    )
    assert "mit der Rolle „Lesezugriff“" in message.body
    assert "Ihr Benutzername ist „anna.schmidt@duisburg.de“" in message.body
    assert "innerhalb von 3 Tagen" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", message.body)
    assert link is not None, message.body

    visitor = Client(HTTP_ACCEPT_LANGUAGE="de")
    form = visitor.get(link.group(1), follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    done = visitor.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert (
        "nicht mehr gültig"
        in Client(HTTP_ACCEPT_LANGUAGE="de").get(link.group(1), follow=True).content.decode()
    )
    assert Client().login(username="anna.schmidt@duisburg.de", password=PASSWORD)


def test_an_existing_account_is_told_to_log_in(plan: Masterplan, coordinator: Any) -> None:
    UserFactory(username="kleff", email="kleff@wirtschaft-fuer-duisburg.de", password=PASSWORD)
    client_of(coordinator).post(
        reverse("access_invite", args=[plan.slug]),
        invite_form(email="kleff@wirtschaft-fuer-duisburg.de"),
    )
    (message,) = mail.outbox
    assert "/accounts/password/reset/" not in message.body
    assert "Melden Sie sich mit Ihrem bisherigen Passwort an" in message.body
    assert reverse("login") in message.body


def test_a_contributor_needs_an_organisation_of_the_plan(
    plan: Masterplan, coordinator: Any, own_org: Organization, other_plan: Masterplan
) -> None:
    client = client_of(coordinator)
    url = reverse("access_invite", args=[plan.slug])
    refused = client.post(url, invite_form(role=Role.CONTRIBUTOR))
    assert refused.status_code == 400
    assert "Wählen Sie die Organisation" in refused.content.decode()
    foreign = Organization.objects.create(masterplan=other_plan, name="IHK Düsseldorf")
    assert (
        client.post(url, invite_form(role=Role.CONTRIBUTOR, organization=foreign.pk)).status_code
        == 400
    )
    assert not User.objects.filter(email="anna.schmidt@duisburg.de").exists() and mail.outbox == []
    client.post(url, invite_form(role=Role.CONTRIBUTOR, organization=own_org.pk))
    role = PlanRole.objects.get(user__email="anna.schmidt@duisburg.de")
    assert (role.role, role.organization_id) == (Role.CONTRIBUTOR, own_org.pk)


def test_the_coordinator_changes_a_role(
    plan: Masterplan, coordinator: Any, contributor: Any
) -> None:
    role = PlanRole.objects.get(user=contributor, masterplan=plan)
    url = reverse("access_edit", args=[plan.slug, role.pk])
    client = client_of(coordinator)
    assert "Rolle von beitrag" in client.get(url).content.decode()
    response = client.post(url, {"role": Role.VIEWER, "organization": ""})
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.role, role.organization_id) == (Role.VIEWER, None)
    entry = AuditEntry.objects.filter(action="core.planrole.updated").get()
    assert entry.actor == coordinator and entry.changes["role"] == [Role.CONTRIBUTOR, Role.VIEWER]


def test_revocation_asks_then_removes_access(
    plan: Masterplan, coordinator: Any, contributor: Any
) -> None:
    role = PlanRole.objects.get(user=contributor, masterplan=plan)
    url = reverse("access_revoke", args=[plan.slug, role.pk])
    client = client_of(coordinator)
    confirm = client.get(url).content.decode()
    assert "Den Zugang von beitrag entziehen?" in confirm and "Entziehen" in confirm
    assert PlanRole.objects.filter(pk=role.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "access_list", args=[plan.slug]
    )
    assert not PlanRole.objects.filter(user=contributor, masterplan=plan).exists()
    entry = AuditEntry.objects.filter(action="core.planrole.revoked").get()
    assert entry.actor == coordinator and entry.changes["role"] == [Role.CONTRIBUTOR, None]
    # The role is gone: the contributor is no member of the plan any more.
    assert not is_plan_member(User.objects.get(pk=contributor.pk), plan)
    assert client_of(contributor).get(reverse("access_list", args=[plan.slug])).status_code in (
        403,
        404,
    )
    assert User.objects.filter(pk=contributor.pk).exists()


def test_a_coordinator_cannot_revoke_their_own_access(plan: Masterplan, coordinator: Any) -> None:
    role = PlanRole.objects.get(user=coordinator, masterplan=plan)
    response = client_of(coordinator).post(reverse("access_revoke", args=[plan.slug, role.pk]))
    assert response.status_code == 302
    assert PlanRole.objects.filter(pk=role.pk).exists()


def test_a_role_of_another_plan_is_not_found(
    plan: Masterplan, coordinator: Any, other_coordinator: Any, other_plan: Masterplan
) -> None:
    foreign = PlanRole.objects.get(user=other_coordinator, masterplan=other_plan)
    client = client_of(coordinator)
    assert client.get(reverse("access_edit", args=[plan.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("access_revoke", args=[plan.slug, foreign.pk])).status_code == 404
    assert PlanRole.objects.filter(pk=foreign.pk).exists()


def test_someone_with_access_is_not_invited_again(
    plan: Masterplan, coordinator: Any, other_coordinator: Any
) -> None:
    """A second invitation must not lower a role by a slip: roles change on the list."""
    other_coordinator.email = "koordination@duesseldorf.de"
    other_coordinator.save()
    coordinator.email = "koordination@duisburg.de"
    coordinator.save()
    refused = client_of(other_coordinator).post(
        reverse("access_invite", args=[plan.slug]), invite_form(email="koordination@duisburg.de")
    )
    assert refused.status_code == 403  # not a coordinator of this plan
    refused = client_of(coordinator).post(
        reverse("access_invite", args=[plan.slug]), invite_form(email="KOORDINATION@duisburg.de")
    )
    assert refused.status_code == 400
    assert "Diese Person hat bereits Zugang" in refused.content.decode()
    assert PlanRole.objects.get(user=coordinator, masterplan=plan).role == Role.COORDINATOR
    assert mail.outbox == []


def test_a_coordinator_cannot_change_their_own_role(plan: Masterplan, coordinator: Any) -> None:
    role = PlanRole.objects.get(user=coordinator, masterplan=plan)
    response = client_of(coordinator).post(
        reverse("access_edit", args=[plan.slug, role.pk]), {"role": Role.VIEWER}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.role == Role.COORDINATOR
