"""Single sign-on through the city's OpenID Connect provider, with mozilla-django-oidc.

Off unless the installation configures it (MASTERPLAN_OIDC_*, see settings.py and
docs/accounts.md); then the login page offers "Mit dem Konto der Stadt anmelden" beside the
password. The authorization code flow with state, nonce and PKCE is the library's; this module
decides who gets in:

- the ID token must be signed by the provider's key (JWKS), be meant for this client
  (`aud`) and, when an issuer is configured, come from it (`iss`), which the library does not
  check by itself;
- the person is matched by e-mail, case-insensitively, to an active account: an invited
  person who signs on gets the roles they were given. An address the provider says it has
  not verified (`email_verified: false`) is refused, since it would let anyone claim an
  account;
- someone without an account is refused with a clear message, unless the installation lets
  sign-on create accounts (MASTERPLAN_OIDC_CREATE_USERS=1): such an account has no role until
  a coordinator gives one, and its creation is audited (`core.user.sso_created`).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from masterplan.core import accounts

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    """Whether the installation has configured the city's sign-on."""
    return all(
        getattr(settings, name, "")
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
    )


def sso_button_label() -> str:
    """The login page's button: the installation's wording, or ours in the page's language."""
    return str(settings.OIDC_BUTTON_LABEL or _("Sign in with the city's account"))


class SignOnRefused(Exception):
    """The provider vouched for the person, but they may not use this installation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CityAccountBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Authenticates the person the city's provider vouches for (see the module's text)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # A password login asks every backend: this one answers only the sign-on's callback.
        if "password" in kwargs or not sso_enabled():
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def retrieve_matching_jwk(self, token: bytes | str) -> jwt.PyJWK:
        """The provider's signing key for the token: the one its `kid` names, or the only
        signing key of the token's algorithm when it names none."""
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT, verify=True
        )
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        kid, alg = header.get("kid"), header.get("alg")
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig"
            and key.get("alg", alg) == alg
            and (kid is None or key.get("kid") == kid)
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("No single signing key of the provider fits the ID token.")
        return jwt.PyJWK(keys[0])

    def _verify_jws(self, payload: bytes | str, key: Any) -> dict[str, Any]:
        """The library's check of the signature and algorithm, plus audience and issuer."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with the expected algorithm.")
        issuer = settings.OIDC_OP_ISSUER or None
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                options={"require": ["exp", "iat", "aud"] + (["iss"] if issuer else [])},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = str(claims.get("email", "")).strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True).order_by("pk")

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            logger.warning("Sign-on refused: no verified e-mail address in the claims.")
            raise SignOnRefused(
                _(
                    "The city's account has no confirmed e-mail address, so it cannot be "
                    "matched to an account here."
                )
            )
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            logger.warning("Sign-on refused: several accounts have the e-mail address.")
            raise SignOnRefused(
                _(
                    "Several accounts here have this e-mail address. Please contact the "
                    "coordination."
                )
            )
        if users:
            return users[0]
        if not settings.OIDC_CREATE_USER:
            raise SignOnRefused(
                _("There is no access for this account – please contact the coordination.")
            )
        return accounts.account_create_from_sign_on(
            email=str(claims["email"]),
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("family_name", "")),
        )
