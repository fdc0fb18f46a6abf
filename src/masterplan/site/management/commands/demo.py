"""`masterplan demo`: both seed partnerships with demo users, one per role.

Passwords are generated on first run and kept in var/demo-logins.txt (never in the
repository); every run prints them.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from masterplan.core.accounts import role_grant
from masterplan.core.demo import DUESSELDORF, DUISBURG, DemoPlan, demo_exists, load_demo
from masterplan.core.models import Masterplan, Role
from masterplan.directory.models import Organization
from masterplan.plans.services import masterplan_create

# username, description, {plan slug: (role, organisation external id)}
DEMO_USERS: list[tuple[str, str, dict[str, tuple[str, str | None]]]] = [
    ("admin", "global administrator", {}),
    (
        "koordination",
        "coordinator of both masterplans",
        {s: (Role.COORDINATOR, None) for s in (DUESSELDORF, DUISBURG)},
    ),
    (
        "beitrag",
        "contributor for IHK Düsseldorf and for Wirtschaft für Duisburg",
        {
            DUESSELDORF: (Role.CONTRIBUTOR, "DUS-IHK"),
            DUISBURG: (Role.CONTRIBUTOR, "DU-WFD"),
        },
    ),
    (
        "lesen",
        "viewer (steering committee member) of both masterplans",
        {s: (Role.VIEWER, None) for s in (DUESSELDORF, DUISBURG)},
    ),
]


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-logins.txt"


def read_passwords() -> dict[str, str]:
    path = logins_file()
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {user: password for user, password in pairs}


class Command(BaseCommand):
    help = "Load the demo data (both seed masterplans) and create the demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users-only", action="store_true", help="Only make sure the demo users exist."
        )

    def handle(self, *args: Any, users_only: bool = False, **options: Any) -> None:
        passwords = self.ensure_users()
        if not users_only:
            self.load_data()
        self.ensure_roles()
        self.stdout.write("\nDemo logins (http://127.0.0.1:8000/accounts/login/):")
        for username, description, _roles in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {passwords[username]:<24} {description}")
        self.stdout.write(f"(kept in {logins_file()})\n")

    def ensure_users(self) -> dict[str, str]:
        user_model = get_user_model()
        passwords = read_passwords()
        for username, _description, _roles in DEMO_USERS:
            user = user_model.objects.filter(username=username).first()
            if user is None or username not in passwords:
                passwords[username] = secrets.token_urlsafe(9)
                user = user or user_model(username=username)
                user.set_password(passwords[username])
                user.is_superuser = user.is_staff = username == "admin"
                user.save()
        logins_file().parent.mkdir(parents=True, exist_ok=True)
        logins_file().write_text("".join(f"{u} {p}\n" for u, p in passwords.items()))
        logins_file().chmod(0o600)
        return passwords

    @transaction.atomic
    def load_data(self) -> None:
        if demo_exists():
            self.stdout.write("The demo masterplans exist already; data left as it is.")
            return
        admin = get_user_model().objects.get(username="admin")

        def create_plan(plan: DemoPlan) -> Masterplan:
            # The tenant with what every new masterplan starts with (its status catalogue).
            return masterplan_create(actor=admin, **plan.fields())

        load_demo(actor=admin, today=timezone.localdate(), create_plan=create_plan)
        self.stdout.write(
            "Loaded Masterplan Industrie Düsseldorf and Masterplan Wirtschaft Duisburg."
        )

    def ensure_roles(self) -> None:
        for username, _description, roles in DEMO_USERS:
            user = get_user_model().objects.get(username=username)
            for slug, (role, organization_id) in roles.items():
                masterplan = Masterplan.objects.filter(slug=slug).first()
                if masterplan is None:
                    continue
                organization = (
                    Organization.objects.filter(
                        masterplan=masterplan, external_id=organization_id
                    ).first()
                    if organization_id
                    else None
                )
                role_grant(
                    actor=None,
                    user=user,
                    masterplan=masterplan,
                    role=role,
                    organization=organization,
                )
