"""The OpenAPI description is the API's contract: paths, parameters and schemas change only on
purpose. The test compares the generated document with the committed one; the differences must
be exactly those listed (and reviewed) in `diff.json`, which is empty when nothing differs.

After an intended change of the API, regenerate the document and empty `diff.json`:

    masterplan export_openapi_schema --api masterplan.api.api --sorted --indent 1 \\
        --output tests/data/openapi/openapi.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
