"""`masterplan reminders [--date YYYY-MM-DD] [--dry-run]`: send the governance reminders now."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masterplan.governance.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders for action items due soon or overdue and for minutes not approved "
        "(each once per recipient). The worker runs this daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List, do not send.")

    def handle(self, *args: Any, date: str | None, dry_run: bool, **options: Any) -> None:
        today = parse_day(date) if date else timezone.localdate()
        result = send_reminders(today=today, dry_run=dry_run)
        for line in result.lines:
            self.stdout.write(line)
        self.stdout.write(
            f"{today.isoformat()}: {result.sent} sent, {result.already_sent} already sent, "
            f"{result.failed} failed, {result.without_recipient} without recipient"
        )


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r}: expected YYYY-MM-DD") from error
