"""docs/imports.md lists every column of the plan's importers with its aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from masterplan.core.imports import get_importer
from tests.plans.test_import_helpers import FILES

DOCS = Path(__file__).parent.parent.parent / "docs" / "imports.md"


@pytest.mark.parametrize("key", list(FILES))
def test_the_user_guide_lists_every_column_with_its_aliases(key: str) -> None:
    text = DOCS.read_text()
    section = text[text.index(f"(`{key}`)") :]
    for column in get_importer(key).columns:
        line = next(
            (row for row in section.splitlines() if row.startswith(f"| `{column.name}` |")), None
        )
        assert line is not None, f"{column.name} is missing in docs/imports.md"
        assert line.split("|")[2].strip() == ", ".join(column.aliases), column.name
