"""`masterplan setup`: what `make run` does before serving. Fast and harmless when repeated."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from masterplan.core.models import Masterplan


class Command(BaseCommand):
    help = "Migrate the database, load the demo data into an empty database, print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Masterplan.all_objects.exists():
            self.stdout.write("Empty database: loading the demo data from both seeds …")
            call_command("demo")
        else:
            call_command("demo", users_only=True)
