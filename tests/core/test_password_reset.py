"""Forgot password: a one-time link by e-mail sets a new password; nothing tells strangers
whether an address has an account."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


def test_a_link_by_e_mail_sets_a_new_password(db: Any) -> None:
    user = UserFactory(username="kleff", email="kleff@wirtschaft-fuer-duisburg.de")
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login

    sent = client.post(reverse("password_reset"), {"email": "kleff@wirtschaft-fuer-duisburg.de"})
    assert sent.status_code == 302 and sent["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["kleff@wirtschaft-fuer-duisburg.de"]
    assert message.subject == "Masterplan: neues Passwort festlegen"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", message.body)
    assert link is not None, message.body

    form = client.get(link.group(1), follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Rheinhafen-2026!Ruhrort", "new_password2": "Rheinhafen-2026!Ruhrort"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Rheinhafen-2026!Ruhrort")
    # The link works once.
    assert "nicht mehr gültig" in client.get(link.group(1), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db: Any) -> None:
    response = Client().post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
