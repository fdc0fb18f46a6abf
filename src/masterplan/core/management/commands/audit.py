"""`masterplan audit verify`: checks the hash chain of the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masterplan.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks that no entry was changed, inserted or removed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        result = audit_verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Audit trail check FAILED: {len(result.problems)} problem(s) in "
                f"{result.entries} entries."
            )
        self.stdout.write(f"Audit trail OK: {result.entries} entries, chain intact.")
