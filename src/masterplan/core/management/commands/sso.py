"""`masterplan sso discover <issuer>`: the settings for single sign-on, read once from the
provider's discovery document, so that the application itself never depends on fetching it
(docs/accounts.md)."""

from __future__ import annotations

from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Environment variable → key of the discovery document (OpenID Connect Discovery 1.0, §3).
SETTINGS = {
    "MASTERPLAN_OIDC_ISSUER": "issuer",
    "MASTERPLAN_OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "MASTERPLAN_OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "MASTERPLAN_OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "MASTERPLAN_OIDC_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Single sign-on: print the environment for an OpenID Connect provider."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        discover = sub.add_parser(
            "discover", help="Read the provider's discovery document and print the settings."
        )
        discover.add_argument("issuer", help="The issuer URL, e.g. https://login.example.de")

    def handle(self, *args: Any, action: str, issuer: str, **options: Any) -> None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CommandError(f"No discovery document at {url}: {error}") from error
        missing = [key for key in SETTINGS.values() if not document.get(key)]
        if missing:
            raise CommandError(f"The discovery document lacks {', '.join(missing)}.")
        if document["issuer"].rstrip("/") != issuer.rstrip("/"):
            raise CommandError(f"The document names another issuer: {document['issuer']}.")
        algorithms = document.get("id_token_signing_alg_values_supported", [])
        for name, key in SETTINGS.items():
            self.stdout.write(f"{name}={document[key]}")
        if algorithms and "RS256" not in algorithms:
            self.stdout.write(f"MASTERPLAN_OIDC_SIGN_ALGO={algorithms[0]}")
        self.stdout.write("MASTERPLAN_OIDC_CLIENT_ID=…")
        self.stdout.write("MASTERPLAN_OIDC_CLIENT_SECRET=…")
