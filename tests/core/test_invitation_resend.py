"""An invitation that has expired or not been used is sent again from the access page: a new
one-time link, the earlier ones void, recorded in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from masterplan.core import accounts
from masterplan.core.models import AuditEntry, Masterplan, PlanRole, Role
from masterplan.core.queries import open_invitations
from tests.factories import UserFactory

PASSWORD = "Rheinhafen-2026!Ruhrort"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)")


def client_of(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user)
    return client


def invited(plan: Masterplan, coordinator: Any, *, days_ago: float = 0) -> tuple[User, str]:
    """Anna invited through the page `days_ago` days ago: her account and the link she got."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=True):
        client_of(coordinator).post(
            reverse("access_invite", args=[plan.slug]),
            {
                "first_name": "Anna",
                "last_name": "Schmidt",
                "email": "anna.schmidt@duisburg.de",
                "role": Role.VIEWER,
                "organization": "",
            },
        )
    link = LINK.search(mail.outbox[-1].body)
    assert link is not None
    return User.objects.get(email="anna.schmidt@duisburg.de"), link.group(1)


def resend(plan: Masterplan, coordinator: Any, user: User) -> Any:
    role = PlanRole.objects.get(user=user, masterplan=plan)
    return client_of(coordinator).post(reverse("access_resend", args=[plan.slug, role.pk]))


def link_works(link: str) -> bool:
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get(link, follow=True)
    return 'name="new_password1"' in page.content.decode()


def access_page(plan: Masterplan, coordinator: Any) -> str:
    return client_of(coordinator).get(reverse("access_list", args=[plan.slug])).content.decode()


def test_an_open_invitation_shows_since_when(plan: Masterplan, coordinator: Any) -> None:
    invited(plan, coordinator, days_ago=1)
    since = formats.date_format(timezone.localdate() - timedelta(days=1), "SHORT_DATE_FORMAT")
    page = access_page(plan, coordinator)
    assert f"Einladung offen seit {since}" in page
    assert "Einladung erneut senden" in page


def test_an_expired_invitation_says_so(plan: Masterplan, coordinator: Any, settings: Any) -> None:
    invited(plan, coordinator, days_ago=settings.PASSWORD_RESET_TIMEOUT / 86400 + 1)
    assert "Einladung abgelaufen" in access_page(plan, coordinator)


def test_sending_again_makes_a_new_link_and_voids_the_old_one(
    plan: Masterplan, coordinator: Any
) -> None:
    user, old_link = invited(plan, coordinator, days_ago=1)
    assert link_works(old_link)

    response = resend(plan, coordinator, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("access_list", args=[plan.slug])
    message = mail.outbox[-1]
    assert message.to == ["anna.schmidt@duisburg.de"] and len(mail.outbox) == 2
    new_link = LINK.search(message.body)
    assert new_link is not None and new_link.group(1) != old_link
    assert not link_works(old_link)
    assert link_works(new_link.group(1))


def test_an_expired_invitation_sent_again_works_and_is_open_from_today(
    plan: Masterplan, coordinator: Any, settings: Any
) -> None:
    user, old_link = invited(
        plan, coordinator, days_ago=settings.PASSWORD_RESET_TIMEOUT / 86400 + 1
    )
    assert not link_works(old_link)

    resend(plan, coordinator, user)

    new_link = LINK.search(mail.outbox[-1].body)
    assert new_link is not None
    visitor = Client()
    form = visitor.get(new_link.group(1), follow=True)
    visitor.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sending_again_is_in_the_audit_trail(plan: Masterplan, coordinator: Any) -> None:
    user, _link = invited(plan, coordinator)
    resend(plan, coordinator, user)
    entry = AuditEntry.objects.filter(masterplan=plan).latest("id")
    assert entry.action == "core.user.invitation_resent"
    assert entry.actor == coordinator and entry.object_id == str(user.pk)
    assert "Anna" not in entry.object_repr
    trail = client_of(coordinator).get(reverse("audit_trail", args=[plan.slug]))
    assert "Benutzer erneut eingeladen" in trail.content.decode()
    (invitation,) = open_invitations([user]).values()
    assert invitation.sent_at == entry.created_at


def test_nothing_is_sent_again_to_someone_who_has_set_a_password(
    plan: Masterplan, coordinator: Any
) -> None:
    user, _link = invited(plan, coordinator)
    user.set_password(PASSWORD)
    user.save()
    mail.outbox.clear()

    role = PlanRole.objects.get(user=user, masterplan=plan)
    client = client_of(coordinator)

    response = client.post(reverse("access_resend", args=[plan.slug, role.pk]), follow=True)

    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="core.user.invitation_resent").exists()
    page = response.content.decode()
    assert "bereits ein Passwort festgelegt" in page
    with pytest.raises(ValidationError):
        accounts.invitation_renew(actor=coordinator, role=role)


def test_a_visit_without_posting_sends_nothing(plan: Masterplan, coordinator: Any) -> None:
    user, _link = invited(plan, coordinator)
    role = PlanRole.objects.get(user=user, masterplan=plan)
    response = client_of(coordinator).get(reverse("access_resend", args=[plan.slug, role.pk]))
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_accounts_with_a_password_show_no_invitation(plan: Masterplan, viewer: Any) -> None:
    assert open_invitations([viewer]) == {}
    assert open_invitations([UserFactory(username="nie")]) == {}


def test_only_coordinators_send_again(plan: Masterplan, coordinator: Any, viewer: Any) -> None:
    user, _link = invited(plan, coordinator)
    role = PlanRole.objects.get(user=user, masterplan=plan)
    response = client_of(viewer).post(reverse("access_resend", args=[plan.slug, role.pk]))
    assert response.status_code in (403, 404) and len(mail.outbox) == 1


def test_inviting_an_account_that_never_came_to_a_second_plan_renews_the_date(
    plan: Masterplan, other_plan: Masterplan, coordinator: Any, other_coordinator: Any
) -> None:
    user, _link = invited(plan, coordinator, days_ago=5)
    accounts.invite(
        actor=other_coordinator,
        masterplan=other_plan,
        email="anna.schmidt@duisburg.de",
        first_name="Anna",
        last_name="Schmidt",
        role=Role.VIEWER,
    )
    (invitation,) = open_invitations([user]).values()
    assert not invitation.expired
    assert invitation.sent_at > timezone.now() - timedelta(minutes=5)
