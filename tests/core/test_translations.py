"""No untranslated message in the German interface.

The test extracts every message of the code and templates with `makemessages` (into a copy of
the source tree, so the committed catalogues stay as they are) and checks that each one is in
the German catalogues Django loads: the project's (`locale/`) and the apps' (`<app>/locale/`).
A new `_("…")` or `{% translate %}` without a German translation fails here, before a German
page shows English.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.translation import trans_real

import masterplan

SOURCE = Path(masterplan.__file__).resolve().parent


def po_entries(text: str) -> list[tuple[str | None, str, bool]]:
    """(context, message, has a plural) of each entry of a .po file."""

    def field(block: str, name: str) -> str | None:
        found = re.search(rf'^{name} ((?:".*"\n?)+)', block, re.MULTILINE)
        if found is None:
            return None
        return "".join(ast.literal_eval(part) for part in re.findall(r'".*"', found.group(1)))

    entries = []
    for block in text.split("\n\n"):
        message = field(block, "msgid")
        if message:
            entries.append((field(block, "msgctxt"), message, "msgid_plural" in block))
    return entries


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_message_has_a_german_translation(tmp_path: Path) -> None:
    copy = tmp_path / "masterplan"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("locale", "static", "migrations", "__pycache__", "var"),
    )
    (copy / "locale").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "masterplan.settings",
        "MASTERPLAN_VAR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = po_entries((copy / "locale/de/LC_MESSAGES/django.po").read_text("utf-8"))
    assert len(extracted) > 1000  # the extraction worked
    catalog = trans_real.translation("de")._catalog
    missing = []
    for context, message, plural in extracted:
        key = f"{context}\x04{message}" if context else message
        if ((key, 0) if plural else key) not in catalog:
            missing.append(f"{context} | {message}" if context else message)
    assert not missing, "No German translation for:\n" + "\n".join(missing)
