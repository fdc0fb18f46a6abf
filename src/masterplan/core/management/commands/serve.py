"""`masterplan serve`: the development server on 127.0.0.1:8000, or gunicorn in production."""

from __future__ import annotations

import os
import shutil
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the app (runserver in development, gunicorn with MASTERPLAN_PRODUCTION=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "3")))

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        if settings.PRODUCTION:
            gunicorn = shutil.which("gunicorn")
            if gunicorn is None:
                raise SystemExit("gunicorn is not installed in this environment.")
            os.execv(  # noqa: S606 - replaces this process with gunicorn
                gunicorn,
                [gunicorn, "masterplan.wsgi", "--bind", bind, "--workers", str(workers)],
            )
        call_command("runserver", bind, use_reloader=False)
