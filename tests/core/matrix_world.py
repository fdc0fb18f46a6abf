"""Sample values for the permission matrix (tests/core/test_permission_matrix.py): the URL
parameters of core's own pages that are not a plan or a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models


def objects(world: Any) -> dict[type[models.Model], models.Model]:
    return {}


route_values: dict[str, Callable[[Any], str]] = {
    # A password-reset link: the user's id in base64 ("MQ" is 1) and a token that no longer
    # holds, so the page answers as it does to an old link.
    "uidb64": lambda world: "MQ",
    "token": lambda world: "cfhz3k-0123456789abcdef0123456789abcdef",
    # A role in the plan (the access pages): the contributor's.
    "role": lambda world: str(world.users["contributor"].plan_roles.get(masterplan=world.plan).pk),
}
