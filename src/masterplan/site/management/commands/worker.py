"""`masterplan worker`: runs background tasks (imports, reports, daily reminders) from the
database queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks database backend)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        # The governance reminders run daily: keep one run queued (idempotent, see
        # governance/tasks.py); each run queues the next for the following morning.
        from masterplan.governance.tasks import ensure_daily_reminders

        ensure_daily_reminders()
        call_command("db_worker", batch=batch)
