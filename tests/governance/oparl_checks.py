"""Checking OParl output against the OParl 1.1 JSON schemas (shared/oparl-1.1/schema).

The schemas have no `$schema` and no `$ref`: they are Draft 4 style, with OParl's own
annotations — `"format": "url"`, and `"schema": "File.json"` on embedded objects, which a
standard validator ignores. `validate` therefore also validates every embedded object
against the schema its annotation names, recursively.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker

SCHEMA_DIR = Path("/work/shared/oparl-1.1/schema")
if not SCHEMA_DIR.exists():  # the schemas next to the checkout
    SCHEMA_DIR = Path(__file__).resolve().parents[3] / "shared" / "oparl-1.1" / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"

formats = FormatChecker()


@formats.checks("url")
def is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@formats.checks("date-time")
def is_date_time(value: object) -> bool:
    from datetime import datetime

    if not isinstance(value, str):
        return True
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return moment.tzinfo is not None and "T" in value


@formats.checks("date")
def is_date(value: object) -> bool:
    from datetime import date

    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def type_name(obj: dict[str, Any]) -> str:
    return str(obj["type"]).removeprefix(TYPE_PREFIX)


def validate(obj: dict[str, Any], expected: str | None = None) -> None:
    """Raise jsonschema.ValidationError unless obj (and what it embeds) matches its schema."""
    name = expected or type_name(obj)
    definition = schema(name)
    Draft4Validator(definition, format_checker=formats).validate(obj)
    if obj.get("deleted") and name != "Body":
        # A tombstone: nothing but what identifies it and what the schema requires.
        allowed = {"id", "type", "created", "modified", "deleted", *definition["required"]}
        assert set(obj) <= allowed, obj
        return
    assert "created" in obj and "modified" in obj, f"{obj['id']} lacks created/modified"
    for key, spec in definition["properties"].items():
        if key not in obj or spec.get("references") == "externalList":
            continue
        embedded = spec.get("schema") or spec.get("items", {}).get("schema")
        if not embedded or not embedded.endswith(".json"):
            continue
        values = obj[key] if isinstance(obj[key], list) else [obj[key]]
        for value in values:
            validate(value, embedded.removesuffix(".json"))


def references(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, referenced type) of every reference of obj and of the objects it embeds.

    `references: externalList` fields are lists, checked by walking them.
    """
    found: list[tuple[str, str]] = []
    definition = schema(type_name(obj))
    for key, spec in definition["properties"].items():
        if key not in obj or key in ("id", "type"):
            continue
        target = spec.get("references") or spec.get("items", {}).get("references")
        embedded = spec.get("schema") or spec.get("items", {}).get("schema")
        values = obj[key] if isinstance(obj[key], list) else [obj[key]]
        if target == "externalList":
            continue
        if target:
            found += [(value, target) for value in values]
        elif embedded and embedded.endswith(".json"):
            for value in values:
                found += references(value)
    return found


def external_lists(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, item type) of the external lists an object points to."""
    found = []
    definition = schema(type_name(obj))
    for key, spec in definition["properties"].items():
        if spec.get("references") == "externalList" and key in obj:
            found.append((obj[key], spec["items"]["schema"].removesuffix(".json")))
    return found
