"""`masterplan export --plan duisburg --kind organizations [--format csv] [--output FILE]`.

Writes the records in the columns of the import (see docs/imports.md). Without --user it
exports every record of the plan, as the command line has full access to the database; with
--user it exports what that user sees in the list.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.http import QueryDict

from masterplan.core.exports import CHUNK_ROWS, FORMATS, export_chunks
from masterplan.core.imports.registry import get_importer

# The lookups of `masterplan import`, whose module name is a Python keyword.
cli = importlib.import_module("masterplan.core.management.commands.import")


class Command(BaseCommand):
    help = "Export the records of a masterplan as CSV (German Excel), XLSX or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="short name (slug) of the masterplan")
        parser.add_argument("--kind", required=True, help="organizations, people, …")
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--user", help="export what this user may see (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        importer = get_importer(cli.importer_key(options["kind"]))
        masterplan = cli.plan_by_slug(options["plan"])
        user = cli.user_by_name(options["user"]) or get_user_model()(
            username="command line", is_superuser=True, is_active=True
        )  # an unsaved administrator: sees every record, writes nothing
        qs = importer.export_queryset(user=user, masterplan=masterplan, filters=QueryDict())
        chunks = export_chunks(importer, qs.iterator(chunk_size=CHUNK_ROWS), options["format"])
        if not options["output"]:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            return
        with Path(options["output"]).open("wb") as output:
            for chunk in chunks:
                output.write(chunk)
        self.stderr.write(f"Wrote {options['output']}.")
