"""`masterplan import --plan duisburg --kind organizations FILE [--dry-run]`.

Checks the whole file, prints every error with row, column, value and reason, and imports
nothing if there is any error (exit status 1). With --dry-run it only reports what would
change. Without --user the import is recorded in the audit trail as done by "system".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import translation

from masterplan.core.imports.reading import Source
from masterplan.core.imports.registry import importers
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan


def importer_key(kind: str) -> str:
    """ "organizations" → "directory.organizations"; a full key is taken as it is."""
    keys = sorted(importers())
    matches = [k for k in keys if k == kind or k.split(".", 1)[-1] == kind]
    if len(matches) != 1:
        known = ", ".join(k.split(".", 1)[-1] for k in keys)
        raise CommandError(f"Unknown or ambiguous kind “{kind}”. Known kinds: {known}.")
    return matches[0]


def plan_by_slug(slug: str) -> Masterplan:
    masterplan = Masterplan.objects.filter(slug=slug).first()
    if masterplan is None:
        known = ", ".join(Masterplan.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No masterplan “{slug}”. Known: {known or '(none)'}.")
    return masterplan


def user_by_name(username: str | None) -> User | None:
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user “{username}”.")
    return user


class ProgressBar:
    """A one-line progress bar, redrawn in place."""

    def __init__(self, stream: OutputWrapper, label: str, width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,}", ending="")
        if done >= total:
            self.stream.write("")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import a CSV or XLSX file into a masterplan (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV or XLSX file; - reads standard input")
        parser.add_argument("--plan", required=True, help="short name (slug) of the masterplan")
        parser.add_argument(
            "--kind", required=True, help="what the file holds: organizations, people, …"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only check and show what would change"
        )
        parser.add_argument(
            "--user", help="coordinator the import is recorded for (default: system)"
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show the progress bar also when standard error is not a terminal",
        )
        parser.add_argument("--language", default=None, help="language of the messages (de or en)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = importer_key(options["kind"])
        masterplan = plan_by_slug(options["plan"])
        actor = user_by_name(options["user"])
        path = options["file"]
        if path == "-":  # standard input cannot be read twice: it is read into memory
            self.run_import(key, masterplan, actor, sys.stdin.buffer.read(), path, options)
            return
        try:
            with Path(path).open("rb") as file:  # read from disk as the import goes
                self.run_import(key, masterplan, actor, file, path, options)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

    def run_import(
        self,
        key: str,
        masterplan: Masterplan,
        actor: User | None,
        content: Source,
        path: str,
        options: dict[str, Any],
    ) -> None:
        show_progress = options["progress"] or self.stderr.isatty()
        progress = ProgressBar(self.stderr, "Checking rows") if show_progress else None
        with translation.override(options["language"] or translation.get_language()):
            try:
                report = import_file(
                    importer=key,
                    masterplan=masterplan,
                    actor=actor,
                    content=content,
                    filename=Path(path).name,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            except PermissionDenied:
                raise CommandError(
                    f"{options['user']} is not a coordinator of {masterplan.slug}."
                ) from None
            self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        for error in report.errors:
            self.stderr.write(str(error))
        if report.more_errors:
            self.stderr.write(f"… and {report.more_errors} more errors.")
        if not report.ok:
            raise CommandError(report.summary())
        if report.file_format:
            self.stdout.write(f"{report.filename}: {report.file_format}, {report.rows} rows")
        for note in report.notes:
            self.stdout.write(f"  {note}")
        for change in report.changes[:20] if report.dry_run else []:
            fields = "; ".join(
                f"{name}: {old or '–'} → {new or '–'}" for name, (old, new) in change.diff.items()
            )
            marker = "+" if change.created else "~"
            self.stdout.write(f"  {marker} row {change.row} {change.label}: {fields}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
