"""`masterplan import_xbau --plan duisburg [--authority NAME] [--type CODE] FILE [--dry-run]`.

XBau 2.3 messages (one .xml, or a ZIP of many) appended as stages to their procedures, as
`masterplan import --kind xbau` does, with what the messages do not say: the authority a new
procedure (message 0200) is filed under, and its procedure type (default: the simplified
building permit, § 64 BauO NRW). Without --authority a new procedure goes to the plan's only own
building authority, or the import is refused with a message.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import CommandParser

from masterplan.permits.importers import xbau_options
from masterplan.permits.xbau import DEFAULT_XBAU_TYPE

# The generic import command's module is named `import`, a keyword: it is loaded by name.
ImportCommand: Any = importlib.import_module("masterplan.core.management.commands.import").Command


class Command(ImportCommand):  # type: ignore[misc]  # loaded by name, see above
    help = "Import XBau 2.3 messages (.xml or .zip) into a masterplan's permit procedures."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(kind="permits.xbau")
        for action in parser._actions:
            if action.dest == "kind":
                action.required = False
        parser.add_argument(
            "--authority", default="", help="authority a new procedure (0200) is filed under"
        )
        parser.add_argument(
            "--type",
            default=DEFAULT_XBAU_TYPE,
            help=f"procedure type (code) of a new procedure (default: {DEFAULT_XBAU_TYPE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["kind"] = "permits.xbau"
        with xbau_options(authority=options["authority"], procedure_type=options["type"]):
            super().handle(*args, **options)
