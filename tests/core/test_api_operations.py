"""The pieces API operations are made of (core/api.py); the operations themselves are tested
per module and, for their permissions, by the permission matrix."""

from __future__ import annotations

from typing import Any

import pytest
from ninja import Field, Schema
from pydantic import ValidationError

from masterplan.api import api
from masterplan.core.api import object_argument, patch_of


class ThingIn(Schema):
    name: str = Field(max_length=5, description="What it is called.")
    size: int = Field(0, ge=0)


def test_a_patch_body_has_every_field_optional_with_the_same_limits() -> None:
    ThingPatch = patch_of(ThingIn, extra={"parent_id": int})
    assert ThingPatch.__name__ == "ThingPatch"
    assert list(ThingPatch.model_fields) == ["version", "parent_id", "name", "size"]
    assert ThingPatch().model_dump(exclude_unset=True) == {}
    with pytest.raises(ValidationError):
        ThingPatch(name="too long")
    with pytest.raises(ValidationError):
        ThingPatch(size=-1)
    assert "description" not in ThingPatch.model_json_schema()["properties"]["name"]


def test_the_object_argument_is_the_one_required_keyword_besides_actor_and_version() -> None:
    def thing_update(*, actor: Any, thing: Any, version: int | None, **changes: Any) -> None: ...

    def thing_create(*, actor: Any, masterplan: Any, owner: Any, note: str = "") -> None: ...

    assert object_argument(thing_update) == "thing"
    with pytest.raises(AssertionError, match="masterplan"):
        object_argument(thing_create)


def test_generated_operations_are_named_like_hand_written_ones() -> None:
    operations = {
        (path, method): operation
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method, operation in methods.items()
    }
    detail = operations[("/api/plans/{plan}/directory/organizations/{pk}", "get")]
    assert detail["operationId"] == "masterplan_directory_api_organization_detail"
    assert detail["summary"] == "Organization Detail"
    assert detail["x-permission"] == "object.view"
    assert detail["x-model"] == "directory.organization"
