from __future__ import annotations

import threading
import time
from typing import Any
from unittest.mock import patch

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from masterplan.core.models import LoginFailure
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


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_get_at_most_the_limit_of_checks(settings: Any) -> None:
    """40 wrong passwords at once: the throttle lets no more than 5 reach the password check.

    Counting and checking were two steps, so parallel attempts all saw no failures yet. Threads
    need a database that serves them in parallel: PostgreSQL (CI runs it).
    """
    if connection.vendor != "postgresql":
        pytest.skip("parallel logins need PostgreSQL")
    settings.LOGIN_RATE_LIMIT = 5
    UserFactory(username="kleff")
    checks = 0
    lock = threading.Lock()
    check_password = AbstractBaseUser.check_password

    def counted(self: AbstractBaseUser, raw_password: str) -> bool:
        nonlocal checks
        with lock:
            checks += 1
        time.sleep(0.05)  # a real hasher takes time: the others arrive meanwhile
        return check_password(self, raw_password)

    start = threading.Barrier(40)
    statuses: list[int] = []

    def guess(number: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"192.0.2.{number}")
            start.wait()
            statuses.append(attempt(client, f"rheinturm{number}").status_code)
        finally:
            connections.close_all()

    with patch.object(AbstractBaseUser, "check_password", counted):
        threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(statuses) == 40
    assert checks <= 5
    assert statuses.count(200) == checks
    assert statuses.count(429) == 40 - checks
    # The refused attempts are not counted, the checked ones are: together never more than 5.
    assert LoginFailure.objects.filter(username="kleff").count() == checks


def test_a_failed_login_says_the_credentials_were_wrong(user: Any) -> None:
    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="de"), "falsches Passwort")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Benutzername oder Passwort ist falsch" in html
    assert "korrigieren" not in html  # not "Please correct the marked fields"
