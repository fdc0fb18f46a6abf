"""Importers are found in each app's importers.py and declare unambiguous headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from masterplan.core.imports import (
    Column,
    ModelImporter,
    get_importer,
    importers,
    register,
    registry,
)
from masterplan.directory.models import Organization


def test_the_directory_importers_are_registered() -> None:
    assert {"directory.organizations", "directory.people"} <= set(importers())


def test_an_unknown_importer_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"directory\.organizations"):
        get_importer("nowhere.things")


@pytest.mark.parametrize("key", sorted(importers()))
def test_every_header_and_alias_means_exactly_one_column(key: str) -> None:
    bound = get_importer(key).bound  # raises for a header claimed by two columns
    assert len(bound) == len(get_importer(key).columns)


@pytest.fixture
def clean_registry() -> Iterator[None]:
    before = dict(registry._registry)
    yield
    registry._registry.clear()
    registry._registry.update(before)


def test_a_module_registers_its_importer_with_the_decorator(clean_registry: None) -> None:
    @register
    class ChamberImporter(ModelImporter):
        key = "test.chambers"
        model = Organization
        action = "test.chamber"
        title = "Kammern"
        file_stem = "kammern"
        columns = (Column("external_id"), Column("name", required=True))

    assert isinstance(get_importer("test.chambers"), ChamberImporter)


def test_two_columns_claiming_one_header_is_a_programming_error(clean_registry: None) -> None:
    @register
    class Clash(ModelImporter):
        key = "test.clash"
        model = Organization
        action = "test.clash"
        title = "Clash"
        file_stem = "clash"
        columns = (Column("name", aliases=("Ort",)), Column("city", aliases=("Ort",)))

    with pytest.raises(ImproperlyConfigured, match="“ort” is claimed by name and city"):
        _ = get_importer("test.clash").bound


DOCS = Path(__file__).parent.parent.parent / "docs" / "imports.md"


@pytest.mark.parametrize("key", ["directory.organizations", "directory.people"])
def test_the_user_guide_lists_every_column_with_its_aliases(key: str) -> None:
    text = DOCS.read_text()
    section = text[text.index(f"(`{key}`)") :]
    for column in get_importer(key).columns:
        line = next(
            (row for row in section.splitlines() if row.startswith(f"| `{column.name}` |")), None
        )
        assert line is not None, f"{column.name} is missing in docs/imports.md"
        assert line.split("|")[2].strip() == ", ".join(column.aliases), column.name
