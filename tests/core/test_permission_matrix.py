"""Every URL and every API operation, visited as every role: allowed or denied as declared.

Views declare their permission with the decorators in core/access.py and API operations with
`declare(...)` in their OpenAPI description. This test discovers both automatically, so a
new page or endpoint is checked the moment it exists — and a view without a declaration
fails the test. Objects are drafts owned by `own_org` in `plan`, so that "may see the plan"
and "may see the object" differ. A new model needs one sample object in the `world` fixture:
the models of plans and directory are made here, those of the other apps in
`tests/<app>/matrix_world.py`, a module with `objects(base: World) -> dict[model, object]`
(draft objects owned by own_org in `base.plan`) and optionally
`route_values: dict[str, Callable[[World], str]]` for URL parameters other than `plan` and `pk`.
Routes name the object `<int:pk>`; other URL parameters need a sample value there.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from masterplan.api import api
from masterplan.core.access import declared
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import Level
from masterplan.directory.models import Affiliation, Organization, Person
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
)
from tests.factories import (
    AffiliationFactory,
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    PersonFactory,
    seeded_statuses,
)

ROLES = (
    "anonymous",
    "viewer",
    "contributor",
    "other_contributor",
    "coordinator",
    "other_coordinator",
    "admin",
)
MEMBERS = {"viewer", "contributor", "other_contributor", "coordinator", "admin"}
# Which roles may pass each level, for a draft object owned by own_org in a published plan.
ALLOWED: dict[Level, set[str]] = {
    Level.PUBLIC: set(ROLES),
    Level.AUTHENTICATED: set(ROLES) - {"anonymous"},
    Level.ADMIN: {"admin"},
    Level.PLAN_VIEW: set(ROLES),
    Level.PLAN_MEMBER: MEMBERS,
    Level.PLAN_CREATE: {"contributor", "other_contributor", "coordinator", "admin"},
    Level.PLAN_MANAGE: {"coordinator", "admin"},
    Level.OBJECT_VIEW: MEMBERS,
    Level.OBJECT_EDIT: {"contributor", "coordinator", "admin"},
}
# URL namespaces protected by their own framework (Django admin: is_staff) or listed via
# the OpenAPI description (the API), not by view decorators.
OTHER_FRAMEWORKS = ("admin", "api")
TESTS = Path(__file__).resolve().parent.parent


def matrix_modules() -> list[Any]:
    """The `tests/<app>/matrix_world.py` modules: sample objects of the other apps."""
    return [
        importlib.import_module(f"tests.{path.parent.name}.matrix_world")
        for path in sorted(TESTS.glob("*/matrix_world.py"))
    ]


def route_values() -> dict[str, Callable[[World], str]]:
    values: dict[str, Callable[[World], str]] = {}
    for module in matrix_modules():
        values.update(getattr(module, "route_values", {}))
    return values


@dataclass
class World:
    plan: Masterplan
    objects: dict[type[models.Model], models.Model]
    users: dict[str, Any]


@pytest.fixture(autouse=True)
def single_sign_on(settings: Any) -> None:
    """Sign-on configured, so that its routes answer (off, they are 404). The provider is
    never reached: the matrix only sends browsers to it and visits the callback without an
    answer. The flow itself is tested in test_sso.py."""
    provider = "http://127.0.0.1:9/oidc"
    settings.OIDC_RP_CLIENT_ID = "masterplan"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"


@pytest.fixture
def world(
    plan: Masterplan,
    own_org: Organization,
    other_org: Organization,
    viewer: Any,
    contributor: Any,
    other_contributor: Any,
    coordinator: Any,
    other_coordinator: Any,
    admin: Any,
) -> World:
    draft = Publication.DRAFT
    Organization.objects.filter(pk=own_org.pk).update(publication=draft)
    person = PersonFactory(masterplan=plan, publication=draft)
    affiliation = AffiliationFactory(person=person, organization=own_org, publication=draft)
    statuses = seeded_statuses(plan)
    field = FieldOfActionFactory(masterplan=plan, publication=draft, lead_organization=own_org)
    goal = GoalFactory(field=field, publication=draft, responsible_organization=own_org)
    measure = MeasureFactory(
        goal=goal, lead_organization=own_org, publication=draft, status=statuses["Idee"]
    )
    report = StatusReport.objects.create(
        masterplan=plan,
        measure=measure,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        health="green",
        progress=10,
        narrative="Erster Workshop zur Kernzone durchgeführt.",
        publication=draft,
    )
    world = World(
        plan=plan,
        objects={
            Organization: Organization.objects.get(pk=own_org.pk),
            Person: person,
            Affiliation: affiliation,
            FieldOfAction: field,
            Goal: goal,
            KeyResult: KeyResultFactory(goal=goal, publication=draft),
            MeasureStatus: statuses["In Umsetzung"],
            Measure: measure,
            Milestone: MilestoneFactory(measure=measure, publication=draft),
            StatusReport: report,
        },
        users={
            "anonymous": None,
            "viewer": viewer,
            "contributor": contributor,
            "other_contributor": other_contributor,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "admin": admin,
        },
    )
    for module in matrix_modules():
        world.objects.update(module.objects(world))
    return world


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry.callback


def site_views() -> list[tuple[str, Callable[..., Any]]]:
    return [
        (route, callback)
        for namespace, route, callback in walk(get_resolver().url_patterns)
        if namespace not in OTHER_FRAMEWORKS and not route.startswith("static/")
    ]


def test_every_view_declares_its_permission() -> None:
    undeclared = [route for route, callback in site_views() if declared(callback) is None]
    assert not undeclared, f"views without a declared permission: {undeclared}"


def fill_route(route: str, world: World, model: type[models.Model] | None) -> str:
    """A concrete URL for a route pattern, using the world's draft objects."""

    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        if name == "plan":
            return world.plan.slug
        if name == "pk" and model is not None:
            return str(world.objects[model].pk)
        extra = route_values()
        if name in extra:
            return extra[name](world)
        raise AssertionError(f"no sample value for <{name}> in {route}: add one to fill_route")

    return "/" + re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", value, route)


def is_denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def as_each_role(world: World, check: Callable[[str, Client], str | None]) -> None:
    """Run `check` once per role, each in a savepoint rolled back afterwards.

    One world per route instead of one per route and role keeps the matrix fast; the rollback
    keeps a write allowed for one role (a DELETE, say) from changing what the next one sees.
    `check` returns a description of what went wrong, or None.
    """
    failures = []
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        with transaction.atomic():
            failure = check(role, client)
            transaction.set_rollback(True)
        if failure is not None:
            failures.append(failure)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [route for route, _callback in site_views()])
def test_page_permission(route: str, world: World) -> None:
    callback = dict(site_views())[route]
    permission = declared(callback)
    assert permission is not None
    url = fill_route(route, world, permission.model)

    def check(role: str, client: Client) -> str | None:
        response = client.get(url)
        if response.status_code >= 500:
            return f"GET {url} as {role}: {response.status_code}"
        expected_allowed = role in ALLOWED[permission.level]
        if is_denied(response) == expected_allowed:
            return (
                f"GET {url} as {role}: status {response.status_code}, declared "
                f"{permission.level}, expected {'allowed' if expected_allowed else 'denied'}"
            )
        return None

    as_each_role(world, check)


def api_operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (path, method.upper(), operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_api_operation_declares_its_permission() -> None:
    undeclared = [
        f"{method} {path}" for path, method, op in api_operations() if "x-permission" not in op
    ]
    assert not undeclared, f"API operations without a declared permission: {undeclared}"


def sample_value(name: str, spec: dict[str, Any], world: World, components: dict[str, Any]) -> Any:
    if "$ref" in spec:
        spec = components[spec["$ref"].rsplit("/", 1)[1]]
    if "enum" in spec:
        return spec["enum"][0]
    if "anyOf" in spec:
        return sample_value(name, spec["anyOf"][0], world, components)
    if name == "organization_id":
        return world.objects[Organization].pk
    kind = spec.get("type")
    if kind == "integer":
        return 1
    if kind == "number":
        return 15_000
    if kind == "boolean":
        return False
    if spec.get("format") == "date":
        return "2024-03-01"
    return "Wirtschaftsdialog"


def sample_body(operation: dict[str, Any], world: World) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return None
    components = api.get_openapi_schema()["components"]["schemas"]
    schema = content["application/json"]["schema"]
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return {
        name: sample_value(name, spec, world, components)
        for name, spec in schema.get("properties", {}).items()
        if name in schema.get("required", []) or name == "name"
    }


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m, _op in api_operations()])
def test_api_permission(path: str, method: str, world: World) -> None:
    operation = dict(((p, m), op) for p, m, op in api_operations())[(path, method)]
    level = Level(operation["x-permission"])
    model = None
    if "x-model" in operation:
        model = next(m for m in world.objects if m._meta.label_lower == operation["x-model"])
    url = path.replace("{plan}", world.plan.slug)
    if "{pk}" in url:
        assert model is not None, f"{method} {path} has {{pk}} but declares no x-model"
        url = url.replace("{pk}", str(world.objects[model].pk))
    headers = {}
    if model is not None:
        headers["If-Match"] = f'"{world.objects[model].version}"'
    body = sample_body(operation, world)

    def check(role: str, client: Client) -> str | None:
        response = client.generic(
            method,
            url,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        if response.status_code >= 500:
            return f"{method} {url} as {role}: {response.content!r}"
        expected_allowed = role in ALLOWED[level]
        if is_denied(response) == expected_allowed:
            return (
                f"{method} {url} as {role}: status {response.status_code} "
                f"{response.content[:200]!r}, declared {level}, "
                f"expected {'allowed' if expected_allowed else 'denied'}"
            )
        return None

    as_each_role(world, check)
