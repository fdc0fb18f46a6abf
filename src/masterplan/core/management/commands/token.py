"""`masterplan token create|list|revoke`: API tokens for machines."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masterplan.core.accounts import api_token_create, api_token_revoke
from masterplan.core.models import ApiToken


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens. The secret is shown once, at creation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token acting with a user's roles.")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True, help="What the token is for.")
        listing = sub.add_parser("list", help="List tokens (without secrets).")
        listing.add_argument("--user")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
            token, secret = api_token_create(actor=None, user=user, name=options["name"])
            self.stdout.write(f"Token {token.name!r} for {user}: {secret}")
            self.stdout.write("Keep it now: it is not stored and cannot be shown again.")
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("created_at")
            if options.get("user"):
                tokens = tokens.filter(user__username=options["user"])
            for token in tokens:
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.user}  {token.name}  {state}")
        else:
            active = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            count = 0
            for token in active:
                api_token_revoke(actor=None, token=token)
                count += 1
            if not count:
                raise CommandError(f"No active token with prefix {options['prefix']!r}.")
            self.stdout.write(f"Revoked {count} token(s).")
