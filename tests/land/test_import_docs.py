"""docs/imports.md lists every column of the land importers with its aliases."""

from pathlib import Path

import pytest

from masterplan.core.imports import get_importer

DOCS = Path(__file__).parents[2] / "docs" / "imports.md"


@pytest.mark.parametrize(
    "key", ["land.parcels", "land.take_ups", "land.parcels_geojson", "land.zones_geojson"]
)
def test_the_user_guide_lists_every_column_with_its_aliases(key):
    text = DOCS.read_text()
    section = text[text.index(f"(`{key}`)") :]
    for column in get_importer(key).columns:
        line = next(
            (row for row in section.splitlines() if row.startswith(f"| `{column.name}` |")), None
        )
        assert line is not None, f"{column.name} is missing in docs/imports.md"
        assert line.split("|")[2].strip() == ", ".join(column.aliases), column.name
