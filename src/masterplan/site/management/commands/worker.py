"""`masterplan worker`: runs background tasks (imports, reports, daily reminders) from the
database queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from masterplan.core.recurring import ensure_recurring_jobs


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks database backend)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        # Recurring jobs (e.g. the daily reminders, governance/tasks.py) queue their next run
        # themselves; this starts each chain unless a run is already waiting.
        ensure_recurring_jobs()
        call_command("db_worker", batch=batch)
