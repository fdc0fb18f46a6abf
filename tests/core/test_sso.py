"""Single sign-on through the city's OpenID Connect provider (core/sso.py), against a real
provider the tests start on 127.0.0.1 (oidc-provider-mock: discovery, authorization form,
token endpoint with an RS256-signed ID token, JWKS and userinfo). The browser's part is played
by Django's test client, the provider's login form by a POST with the subject."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
import werkzeug.serving
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from masterplan.core import accounts
from masterplan.core.models import AuditEntry, LoginFailure, Masterplan, Publication, Role
from tests.factories import MasterplanFactory, UserFactory

# The provider's Authlib warns about its own use of Authlib, in the provider's thread.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

NO_ACCESS = "Für dieses Konto gibt es keinen Zugang – bitte wenden Sie sich an die Koordination."
BUTTON = "Mit dem Konto der Stadt anmelden"


@pytest.fixture(scope="module")
def provider_url() -> Iterator[str]:
    """The provider, in a thread of this process, on a free port of 127.0.0.1."""
    import authlib.deprecate  # sets its warnings to "always" when first imported

    with warnings.catch_warnings():
        # The provider's Authlib warns about its own modules on import.
        warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
        import oidc_provider_mock
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def provider(provider_url: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """The installation configured for the provider, from its discovery document."""
    # OAuth wants HTTPS; the provider's library allows plain HTTP on 127.0.0.1 only like this.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    discovery = requests.get(f"{provider_url}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID = "masterplan-duisburg"
    settings.OIDC_RP_CLIENT_SECRET = "a-test-secret"
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "masterplan.core.sso.CityAccountBackend",
    ]
    return provider_url


def city_account(provider: str, sub: str, **claims: Any) -> None:
    """What the provider knows about a person (their claims)."""
    response = requests.put(f"{provider}/users/{quote(sub)}", json=claims, timeout=5)
    assert response.status_code == 204


def to_provider(client: Client, next_url: str = "") -> str:
    """Press the button: the address of the provider's authorization form."""
    query = f"?next={quote(next_url)}" if next_url else ""
    response = client.get(reverse("sso_login") + query)
    assert response.status_code == 302
    return str(response["Location"])


def authorize(authorization_url: str, sub: str) -> str:
    """Sign on at the provider as `sub`: the address it sends the browser back to."""
    answer = requests.post(authorization_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def back_to_us(client: Client, callback_url: str) -> Any:
    parts = urlsplit(callback_url)
    assert parts.path == reverse("sso_callback")
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def sign_on(client: Client, sub: str, next_url: str = "") -> Any:
    return back_to_us(client, authorize(to_provider(client, next_url), sub))


@pytest.fixture
def draft_plan(db: Any) -> Masterplan:
    return MasterplanFactory(slug="hafen", name="Masterplan Hafen", publication=Publication.DRAFT)


def test_an_invited_person_signs_on_with_any_case_of_the_address_and_sees_their_plan(
    provider: str, draft_plan: Masterplan, coordinator: Any
) -> None:
    user, _role, _new = accounts.invite(
        actor=coordinator,
        masterplan=draft_plan,
        email="anna.schmidt@duisburg.de",
        first_name="Anna",
        last_name="Schmidt",
        role=Role.VIEWER,
    )
    city_account(provider, "a.schmidt", email="Anna.Schmidt@Duisburg.DE", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    plan_url = reverse("plan_home", args=[draft_plan.slug])
    assert client.get(plan_url).status_code == 302  # to the login page

    response = sign_on(client, "a.schmidt", next_url=plan_url)

    assert response.redirect_chain[-1][0] == plan_url
    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Masterplan Hafen" in response.content.decode()
    assert not LoginFailure.objects.exists()


def test_the_authorization_request_carries_state_nonce_and_pkce(provider: str, db: Any) -> None:
    query = parse_qs(urlsplit(to_provider(Client())).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["masterplan-duisburg"]
    assert query["scope"] == ["openid email profile"]
    assert query["state"] and query["nonce"] and query["code_challenge"]


def test_an_unknown_address_is_refused_with_a_clear_message(provider: str, db: Any) -> None:
    city_account(provider, "fremd", email="fremd@duisburg.de", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")

    response = sign_on(client, "fremd")

    assert response.redirect_chain[-1][0] == reverse("login")
    assert NO_ACCESS in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email__iexact="fremd@duisburg.de").exists()


def test_unknown_people_get_an_account_without_roles_when_the_installation_allows_it(
    provider: str, db: Any, settings: Any
) -> None:
    settings.OIDC_CREATE_USER = True
    city_account(
        provider,
        "neu",
        email="neu@duisburg.de",
        email_verified=True,
        given_name="Nora",
        family_name="Neu",
    )
    client = Client()

    sign_on(client, "neu")

    user = User.objects.get(email="neu@duisburg.de")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.first_name, user.last_name) == ("Nora", "Neu")
    assert not user.has_usable_password() and not user.plan_roles.exists()
    entry = AuditEntry.objects.get(action="core.user.sso_created")
    assert entry.object_id == str(user.pk) and "Nora" not in entry.object_repr


def test_an_unverified_address_is_refused(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = sign_on(client, "kleff")

    assert "_auth_user_id" not in client.session
    assert "confirmed e-mail address" in response.content.decode()


def test_a_deactivated_account_is_refused(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de", is_active=False)
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    client = Client()

    sign_on(client, "kleff")

    assert "_auth_user_id" not in client.session


def test_an_answer_with_a_foreign_state_is_refused(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    callback = authorize(to_provider(client), "kleff")
    forged = callback.replace("state=", "state=forged", 1)

    response = back_to_us(client, forged)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "could not be completed" in response.content.decode()


def test_an_answer_meant_for_another_browser_is_refused(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    callback = authorize(to_provider(Client()), "kleff")
    attacker = Client()
    attacker.get(reverse("sso_login"))  # a session with a state of its own

    back_to_us(attacker, callback)

    assert "_auth_user_id" not in attacker.session


def test_an_answer_is_used_once(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    client = Client()
    callback = authorize(to_provider(client), "kleff")
    back_to_us(client, callback)
    client.logout()

    back_to_us(client, callback)

    assert "_auth_user_id" not in client.session


def test_an_id_token_from_another_issuer_is_refused(provider: str, db: Any, settings: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    callback = authorize(to_provider(client), "kleff")
    settings.OIDC_OP_ISSUER = "https://login.duesseldorf.de"

    response = back_to_us(client, callback)

    assert "_auth_user_id" not in client.session
    assert "could not be completed" in response.content.decode()


def test_a_provider_that_is_down_gives_a_clear_message(
    provider: str, db: Any, settings: Any
) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    city_account(provider, "kleff", email="kleff@duisburg.de", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    callback = authorize(to_provider(client), "kleff")
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{closed.getsockname()[1]}/token"

    response = back_to_us(client, callback)

    assert response.status_code == 200
    assert "Anmeldedienst der Stadt ist gerade nicht erreichbar" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_refusal_at_the_provider_leads_back_to_the_login_page(provider: str, db: Any) -> None:
    client = Client()
    answer = requests.post(
        to_provider(client), data={"action": "deny"}, allow_redirects=False, timeout=5
    )

    response = back_to_us(client, str(answer.headers["Location"]))

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_answers_are_throttled_per_address(provider: str, db: Any, settings: Any) -> None:
    settings.LOGIN_RATE_LIMIT = 1  # four answers per address (core.ratelimit)
    city_account(provider, "fremd", email="fremd@duisburg.de", email_verified=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(4):
        sign_on(client, "fremd")

    response = sign_on(client, "fremd")

    assert "Too many failed attempts" in response.content.decode()


def test_the_login_page_offers_the_city_account(provider: str, db: Any) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get(reverse("login") + "?next=/p/hafen/")
    assert BUTTON in page.content.decode()
    assert reverse("sso_login") + "?next=/p/hafen/" in page.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("login"))
    assert "Sign in with the city&#x27;s account" in english.content.decode()


def test_the_installation_may_name_the_button(provider: str, db: Any, settings: Any) -> None:
    settings.OIDC_BUTTON_LABEL = "Mit dem Duisburg-Konto anmelden"
    page = Client().get(reverse("login"))
    assert "Mit dem Duisburg-Konto anmelden" in page.content.decode()


def test_without_configuration_there_is_no_sign_on(db: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    page = client.get(reverse("login")).content.decode()
    assert BUTTON not in page and reverse("sso_login") not in page
    assert client.get(reverse("sso_login")).status_code == 404
    assert client.get(reverse("sso_callback") + "?code=x&state=y").status_code == 404


def test_a_password_login_does_not_reach_the_provider(provider: str, db: Any) -> None:
    UserFactory(username="kleff", email="kleff@duisburg.de")
    response = Client().post(
        reverse("login") + "?code=x&state=y",
        {"username": "kleff", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302


def test_a_visit_to_the_callback_without_an_answer_goes_home(provider: str, db: Any) -> None:
    response = Client().get(reverse("sso_callback"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not LoginFailure.objects.exists()


def test_check_deploy_is_clean_with_sign_on_configured(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "MASTERPLAN_PRODUCTION": "1",
        "SECRET_KEY": "a-test-only-key-" + "x9Qz" * 16,
        "ALLOWED_HOSTS": "masterplan.duisburg.de",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MASTERPLAN_VAR": str(tmp_path),
        "MASTERPLAN_OIDC_CLIENT_ID": "masterplan",
        "MASTERPLAN_OIDC_CLIENT_SECRET": "from-the-environment",
        "MASTERPLAN_OIDC_ISSUER": "https://login.duisburg.de/realms/stadt",
        **{
            f"MASTERPLAN_OIDC_{name}_ENDPOINT": f"https://login.duisburg.de/realms/stadt/{name}"
            for name in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS")
        },
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth import get_backends; from masterplan.core.sso import "
        "sso_enabled; print(sso_enabled(), [type(b).__name__ for b in get_backends()])"
    )
    command = [sys.executable, "-m", "masterplan.cli", "check", "--deploy", "--fail-level"]
    checked = subprocess.run(
        [*command, "WARNING"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "masterplan.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert loaded.stdout.strip() == "True ['ModelBackend', 'CityAccountBackend']", loaded.stderr


def test_the_settings_are_read_from_the_discovery_document_by_a_command(
    provider_url: str,
) -> None:
    out = io.StringIO()
    call_command("sso", "discover", provider_url + "/", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"MASTERPLAN_OIDC_ISSUER={provider_url}" in lines
    assert f"MASTERPLAN_OIDC_JWKS_ENDPOINT={provider_url}/jwks" in lines
    assert f"MASTERPLAN_OIDC_AUTHORIZATION_ENDPOINT={provider_url}/oauth2/authorize" in lines


def test_the_command_says_when_there_is_no_provider() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with pytest.raises(CommandError, match="No discovery document"):
        call_command("sso", "discover", nobody)
