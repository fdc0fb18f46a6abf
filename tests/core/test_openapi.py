"""The OpenAPI description is the API's contract: paths, parameters and schemas change only on
purpose. The test compares the generated document with the committed one; the differences must
be exactly those listed (and reviewed) in `diff.json`, which is empty when nothing differs.

After an intended change of the API, regenerate the document and empty `diff.json`:

    masterplan export_openapi_schema --api masterplan.api.api --sorted --indent 1 \\
        --output tests/data/openapi/openapi.json
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ninja import Schema

from masterplan.api import api

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "openapi"


def differences(before: Any, after: Any, where: str = "") -> list[list[Any]]:
    """[JSON pointer, value before, value after] for each place where the documents differ;
    a missing value is None."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            difference
            for key in sorted(before.keys() | after.keys())
            for difference in differences(
                before.get(key), after.get(key), f"{where}/{key.replace('/', '~1')}"
            )
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            d
            for i, pair in enumerate(zip(before, after, strict=True))
            for d in differences(*pair, f"{where}/{i}")
        ]
    return [] if before == after else [[where, before, after]]


def test_differences_name_the_place_and_both_values() -> None:
    before = {"paths": {"/a/{pk}": {"get": {"summary": "A"}}}, "tags": ["x"]}
    after = {"paths": {"/a/{pk}": {"get": {"summary": "B"}}}, "tags": ["x"], "new": 1}
    assert differences(before, after) == [
        ["/new", None, 1],
        ["/paths/~1a~1{pk}/get/summary", "A", "B"],
    ]


def test_the_openapi_document_differs_only_as_reviewed() -> None:
    committed = json.loads((FIXTURES / "openapi.json").read_text())
    generated = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    allowed = json.loads((FIXTURES / "diff.json").read_text())
    assert differences(committed, generated) == allowed


def schemas_of(base: type[Schema]) -> Iterator[type[Schema]]:
    for schema in base.__subclasses__():
        yield schema
        yield from schemas_of(schema)


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    """The document names each schema by its class name only: of two schemas with one name
    (say `FiguresOut` in land and in permits), one silently replaces the other everywhere."""
    modules: dict[str, set[str]] = defaultdict(set)
    for schema in schemas_of(Schema):
        if schema.__module__.startswith("masterplan."):
            modules[schema.__name__].add(schema.__module__)
    assert not {name: found for name, found in modules.items() if len(found) > 1}
