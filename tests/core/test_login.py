from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory(username="kleff")


def attempt(client: Client, password: str, username: str = "kleff") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_correct_password_logs_in(user: Any) -> None:
    response = attempt(Client(), "correct horse battery staple")
    assert response.status_code == 302


def test_repeated_failures_lock_the_username(user: Any, settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 3
    client = Client()
    for _ in range(3):
        assert attempt(client, "wrong").status_code == 200
    # Even the right password is refused while locked: that is what stops guessing.
    response = attempt(client, "correct horse battery staple")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(user: Any, settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 2
    UserFactory(username="klan")
    client = Client()
    for _ in range(2):
        attempt(client, "wrong", username="klan")
    assert attempt(client, "correct horse battery staple").status_code == 302


def test_the_address_is_locked_after_many_usernames(user: Any, settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 1
    client = Client()
    for name in ("a", "b", "c", "d"):
        attempt(client, "wrong", username=name)
    assert attempt(client, "correct horse battery staple").status_code == 429
