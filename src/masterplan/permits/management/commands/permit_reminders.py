"""`masterplan permit_reminders [--date YYYY-MM-DD] [--plan SLUG] [--dry-run]`: send the
deadline reminders of the permit monitor now (the worker sends them daily)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.permits.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Mail the authorities' contacts their open procedures whose statutory deadline is "
        "14 days away or has passed (each procedure once per threshold and deadline)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        parser.add_argument("--plan", help="Only this masterplan (slug).")
        parser.add_argument("--dry-run", action="store_true", help="List, do not send.")

    def handle(
        self, *args: Any, date: str | None, plan: str | None, dry_run: bool, **options: Any
    ) -> None:
        as_of = parse_day(date) if date else timezone.localdate()
        plans = Masterplan.objects.order_by("slug")
        if plan:
            plans = plans.filter(slug=plan)
            if not plans.exists():
                raise CommandError(f"No masterplan {plan!r}.")
        for masterplan in plans:
            result = send_deadline_reminders(masterplan=masterplan, as_of=as_of, dry_run=dry_run)
            for line in result.lines:
                self.stdout.write(line)
            self.stdout.write(
                f"{masterplan.slug} {as_of.isoformat()}: {result.mails} mails about "
                f"{result.procedures} procedures, {result.already_sent} already reminded, "
                f"{result.without_contact} without a contact, {result.failed} failed"
            )


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r}: expected YYYY-MM-DD") from error
