"""API plumbing shared by every module's router: authentication, permissions, versions.

Machines authenticate with `Authorization: Bearer <token>`; the browser with its session (and
the CSRF token for writes). Anonymous clients may read what is published.

A module writes its operations with an `Operations` object (see docs/api.md): each operation
names its permission level (and model), and the decorator both declares it in the OpenAPI
description (`x-permission`, `x-model`; the permission-matrix test reads them) and enforces
it before the operation's body runs. `Crud` writes the common operations of one kind of object.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, wraps
from inspect import Parameter, Signature
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.signature.utils import get_typed_signature
from pydantic import AfterValidator, BaseModel, Field, create_model
from pydantic_core import PydanticCustomError

from masterplan.core import permissions as perms
from masterplan.core.access import plan_level_allows
from masterplan.core.accounts import api_token_create, token_digest
from masterplan.core.actors import Actor
from masterplan.core.filters import FilterSpec
from masterplan.core.models import ApiToken, Masterplan, PlanScopedModel, year_problem
from masterplan.core.permissions import Level

T = TypeVar("T")


def token_issue(*, user: User, name: str, actor: Actor | None = None) -> tuple[ApiToken, str]:
    """Create a token (audited; see core/accounts.py); the secret is returned once."""
    return api_token_create(actor=actor, user=user, name=name)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is unknown, revoked or expired is refused
    (401): the call never goes on as anonymous or with the session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        now = timezone.now()
        if found is None or (found.expires_at is not None and found.expires_at <= now):
            raise AuthenticationError(401, "Invalid or revoked token.")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with the CSRF token for writes. Without a logged-in session it
    does not apply, so that an anonymous write is refused as unauthenticated (401) rather than
    for its missing CSRF token (403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous_read(request: HttpRequest) -> Any:
    """Reads are open to anonymous clients (they see published objects only)."""
    if request.method in ("GET", "HEAD"):
        return AnonymousUser()
    return None


API_AUTH: list[Any] = [TokenAuth(), SessionAuth(), anonymous_read]


def declare(level: Level, model: type[Model] | None = None, method: str = "GET") -> dict[str, Any]:
    """openapi_extra for an operation: its permission level and, for objects, the model.

    Reads name anonymous access (`{}`) among their security requirements: without
    credentials they answer what is public. Writes require a token or the session (401).
    """
    extra: dict[str, Any] = {"x-permission": level.value}
    if model is not None:
        extra["x-model"] = f"{model._meta.app_label}.{model._meta.model_name}"
    if method in ("GET", "HEAD"):
        extra["security"] = [{"TokenAuth": []}, {"SessionAuth": []}, {}]
    return extra


# Whole numbers the databases can store (SQLite's INTEGER, PostgreSQL's bigint). Every whole
# number of a request (path, query, body) is limited to them: a larger one is invalid data
# (422 naming the field), not an overflow in a query (500).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# The last page a list offers: page × page size must stay a valid offset.
MAX_PAGE = 2**31 - 1


def in_years(value: date) -> date:
    """A date or time within the years records may have (`core.models.YEAR_MIN`…`MAX`)."""
    problem = year_problem(value)
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return value


def bounded(annotation: Any) -> Any:
    """`annotation` with each `int` in it limited to INT_MIN…INT_MAX and each date or time to
    the years records may have (inside `X | None`, `list[X]`, `Annotated[X, …]`, and the
    fields of schemas), keeping stricter limits."""
    if annotation is int:
        return Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
    if annotation in (date, datetime):
        return Annotated[annotation, AfterValidator(in_years)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bound_schema(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return Annotated[(bounded(args[0]), *annotation.__metadata__)]
    if origin in (Union, types.UnionType):
        return Union[tuple(bounded(arg) for arg in args)]  # noqa: UP007
    if origin is list:
        return list[bounded(args[0])]  # type: ignore[misc]
    return annotation


def bound_schema(schema: type[BaseModel]) -> type[BaseModel]:
    """Limit the numbers and dates of a request schema in place (see `bounded`); it keeps its
    name in the OpenAPI document."""
    if schema.__dict__.get("_input_bounded"):
        return schema
    type.__setattr__(schema, "_input_bounded", True)
    for info in schema.model_fields.values():
        info.annotation = bounded(info.annotation)
    schema.model_rebuild(force=True)
    return schema


class Pages(PageNumberPagination):
    """Pages of a list; a page beyond MAX_PAGE is invalid (422) rather than an overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=INT_MAX)


def actor(request: HttpRequest) -> Actor:
    """Who calls: the token's user, or the session's (or anonymous) user."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User | AnonymousUser) else request.user


def etag(version: int) -> str:
    return f'"{version}"'


def version_from(request: HttpRequest, body_version: int | None) -> int:
    """The version the client edits: If-Match header or a `version` field; one is required."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            raise HttpError(400, 'If-Match must be the ETag of the object, e.g. "3".') from None
    if body_version is None:
        raise HttpError(428, "Send the version you edit, as If-Match header or as field `version`.")
    return body_version


class Problem(Schema):
    detail: str


class ValidationProblem(Schema):
    detail: str
    errors: dict[str, list[str]]


def request_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's validation errors (`loc`, `msg`) as the API's `errors`: messages by the field
    sent (`parent_id`, `depends_on`, `page`; `__all__` for the request as a whole)."""
    found: dict[str, list[str]] = {}
    for error in errors:
        # loc: where ("body", "query", "path"), the parameter's schema (e.g. "payload"), the
        # field, an index within it.
        loc = [str(part) for part in error.get("loc", ())][1:]
        if len(loc) > 1 and loc[0] in ("payload", "filters"):
            loc = loc[1:]
        found.setdefault(loc[0] if loc else "__all__", []).append(str(error.get("msg", "")))
    return found


# Every operation names these answers (see the exception handlers in masterplan/api.py).
ERRORS: dict[int, Any] = {
    code: ValidationProblem if code == 422 else Problem
    for code in (400, 401, 403, 404, 409, 412, 422, 428)
}


class TrackedOut(Schema):
    version: int
    external_id: str
    publication: str
    is_sample: bool
    created_at: datetime
    modified_at: datetime
    id: int


def patch_of(
    schema: type[Schema],
    *,
    exclude: tuple[str, ...] = (),
    extra: Mapping[str, Any] = {},
    after: str = "version",
) -> type[Schema]:
    """The PATCH body for a creation body `XIn`, named `XPatch`: `version` and every field
    optional, with the same limits but without the creation's defaults and descriptions.
    `extra` adds the fields only a change has (e.g. the parent, to move an object), or other
    limits for a field; they follow the field `after`."""
    fields = [("version", (int | None, None))] + [
        (name, (info.rebuild_annotation() | None, None))
        for name, info in schema.model_fields.items()
        if name not in exclude and name not in extra
    ]
    at = [name for name, _field in fields].index(after) + 1
    added = [(name, (annotation | None, None)) for name, annotation in extra.items()]
    name = schema.__name__.removesuffix("In") + "Patch"
    return create_model(name, __base__=Schema, **dict(fields[:at] + added + fields[at:]))


@dataclass(frozen=True)
class IdReferences:
    """Fields of request bodies that name another record of the masterplan by its id."""

    models: Mapping[str, type[Model]] = field(default_factory=dict)

    def resolved(self, masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
        """The payload with ids of other records replaced by the records themselves.

        `lead_organization_id: 3` becomes `lead_organization: <Organization 3>`. An id that is
        not a live record of this masterplan is invalid data (422), not a missing page (404).
        """
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for name, value in data.items():
            model = self.models.get(name)
            if model is None:
                values[name] = value
            elif value is None:
                values[name.removesuffix("_id")] = None
            else:
                obj = model._default_manager.filter(masterplan=masterplan, pk=value).first()
                if obj is None:
                    errors[name] = [_("There is no such record in this masterplan.")]
                values[name.removesuffix("_id")] = obj
        if errors:
            raise ValidationError(errors)
        return values

    @contextmanager
    def named_as_sent(self) -> Iterator[None]:
        """Model validation names foreign keys (`lead_organization`); the API's fields are ids."""
        try:
            yield
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError(
                {
                    (f"{name}_id" if f"{name}_id" in self.models else name): errors
                    for name, errors in exc.error_dict.items()
                }
            ) from exc


@dataclass
class Call:
    """One call of an operation, resolved and permitted: who calls, in which masterplan, on
    which object (the `{pk}` of the path)."""

    request: HttpRequest
    user: Actor
    masterplan: Masterplan
    obj: Any
    references: IdReferences

    def version(self, sent: int | None) -> int:
        return version_from(self.request, sent)

    def changes(self, payload: Schema) -> tuple[int, dict[str, Any]]:
        """The version a PATCH edits and the fields it sent."""
        changes = payload.dict(exclude_unset=True)
        return self.version(changes.pop("version", None)), changes

    @cached_property
    def today(self) -> date:
        """The day of the call: the queries and figures of one answer agree on it."""
        return timezone.localdate()

    def query(self, query: Callable[..., Any], filters: Schema | None, **arguments: Any) -> Any:
        """Run a read query of the masterplan for the caller, with the filters sent."""
        values = filters.dict() if filters is not None else {}
        return query(user=self.user, masterplan=self.masterplan, **values, **arguments)

    def write(self, service: Callable[..., T], data: dict[str, Any], **arguments: Any) -> T:
        """Run a write service as the caller, with the ids in `data` resolved to records;
        validation errors name the fields as they were sent."""
        with self.references.named_as_sent():
            values = self.references.resolved(self.masterplan, data)
            return service(actor=self.user, **arguments, **values)


# Which rows of a model the user may see; by default the objects `perms.can_view` allows.
Visibility = Callable[[Actor, type[PlanScopedModel], Masterplan], QuerySet[Any]]
Present = Callable[[Call, Any], Any]
Complete = Callable[[Call, list[Any]], list[Any]]
Body = Callable[..., Any]
B = TypeVar("B", bound=Body)


class Operations:
    """The operations of one module, on a ninja router of their own.

    `@ops.get(path, response, level, model)` (post, put, patch, operation(method, …)) registers
    `body(call, **parameters)` as an operation. Before the body runs, the masterplan `{plan}`
    and the `model` object `{pk}` are resolved (404 when the caller may not see them) and the
    level is checked (403, or 401 for anonymous callers: see masterplan/api.py). The body
    returns the object it read or wrote; the answer carries its ETag and is the object, or
    `present(call, object)` when given. Every operation names the answers in `ERRORS`.
    """

    def __init__(
        self,
        tag: str,
        module: str,
        *,
        references: Mapping[str, type[Model]] | None = None,
        visible: Visibility | None = None,
    ) -> None:
        self.router = Router(tags=[tag])
        self.module = module
        self.references = IdReferences(references or {})
        self.visible = visible

    def operation(
        self,
        method: str,
        path: str,
        response: Any,
        level: Level,
        model: type[PlanScopedModel] | None = None,
        *,
        status: int = 200,
        page_size: int | None = None,
        present: Present | None = None,
    ) -> Callable[[B], B]:
        assert (model is not None) == ("{pk}" in path), f"{path}: a model goes with {{pk}}"

        def register(body: B) -> B:
            @wraps(body)
            def view(request: HttpRequest, plan: str, respond: HttpResponse, **kw: Any) -> Any:
                call = self.call(request, plan, level, model, kw.pop("pk", None))
                result = body(call, **kw)
                if isinstance(result, Model) and hasattr(result, "version"):
                    respond["ETag"] = etag(result.version)
                if present is not None:
                    result = present(call, result)
                return result if status == 200 else Status(status, result)

            # What ninja reads: the parameters of the path and of the body, and the response.
            head = [("plan", str), ("pk", int)] if model else [("plan", str)]
            parameters = [Parameter(n, Parameter.KEYWORD_ONLY, annotation=t) for n, t in head]
            parameters += list(get_typed_signature(body).parameters.values())[1:]
            parameters = [p.replace(annotation=bounded(p.annotation)) for p in parameters]
            parameters.append(Parameter("respond", Parameter.KEYWORD_ONLY, annotation=HttpResponse))
            # ninja reads the signature of the function; mypy knows of no such attribute.
            view.__signature__ = Signature(  # type: ignore[attr-defined]
                [Parameter("request", Parameter.POSITIONAL_ONLY)]
                + [p.replace(kind=Parameter.KEYWORD_ONLY) for p in parameters]
            )
            if page_size is not None:
                view = paginate(Pages, page_size=page_size)(view)
            responses = {status: response, **ERRORS}
            extra = declare(level, model, method)
            self.router.add_api_operation(
                path, [method], view, response=responses, openapi_extra=extra
            )
            return body

        return register

    def get(self, path: str, *args: Any, **options: Any) -> Callable[[B], B]:
        return self.operation("GET", path, *args, **options)

    def post(self, path: str, *args: Any, **options: Any) -> Callable[[B], B]:
        return self.operation("POST", path, *args, **options)

    def put(self, path: str, *args: Any, **options: Any) -> Callable[[B], B]:
        return self.operation("PUT", path, *args, **options)

    def patch(self, path: str, *args: Any, **options: Any) -> Callable[[B], B]:
        return self.operation("PATCH", path, *args, **options)

    def call(
        self,
        request: HttpRequest,
        plan: str,
        level: Level,
        model: type[PlanScopedModel] | None,
        pk: Any,
    ) -> Call:
        """Resolve and check as the pages do: the masterplan, the object, the level."""
        user = actor(request)
        masterplan = Masterplan.objects.filter(slug=plan).first()
        if masterplan is None or not perms.can_view_plan(user, masterplan):
            raise Http404
        call = Call(request, user, masterplan, None, self.references)
        if model is not None:
            call.obj = self.visible_object(call, model, pk)
        if level == Level.OBJECT_EDIT and not perms.can_edit(user, call.obj):
            raise PermissionDenied
        plan_level = level in (Level.PLAN_MEMBER, Level.PLAN_CREATE, Level.PLAN_MANAGE)
        if plan_level and not plan_level_allows(level, user, masterplan):
            raise PermissionDenied
        return call

    def visible_object(self, call: Call, model: type[PlanScopedModel], pk: int) -> Any:
        """The `model` record `pk` of the masterplan if the caller may see it, else 404."""
        if self.visible is not None:
            obj = self.visible(call.user, model, call.masterplan).filter(pk=pk).first()
        else:
            obj = model._default_manager.filter(masterplan=call.masterplan, pk=pk).first()
            if obj is not None and not perms.can_view(call.user, obj):
                obj = None
        if obj is None:
            raise Http404
        obj.masterplan = call.masterplan
        return obj


def object_argument(service: Callable[..., Any]) -> str:
    """The keyword a write service takes its object (or masterplan, or parent) by: the one
    required keyword besides `actor` and `version`, e.g. `organization` of
    `organization_update(*, actor, organization, version, **changes)`."""
    names = [
        p.name
        for p in inspect.signature(service).parameters.values()
        if p.kind == p.KEYWORD_ONLY and p.default is p.empty and p.name not in ("actor", "version")
    ]
    assert len(names) == 1, f"{service.__name__}: which argument is the object? {names}"
    return names[0]


class Rows:
    """Rows for the paginator, completed one page at a time: the paginator counts and takes
    one slice, and `complete(call, objects)` turns the slice's objects into its rows together
    (e.g. with their figures, in a fixed number of queries however long the page)."""

    def __init__(self, call: Call, queryset: QuerySet[Any], complete: Complete) -> None:
        self.call, self.queryset, self.complete = call, queryset, complete

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[Any]:
        return self.complete(self.call, list(self.queryset[window]))


@dataclass
class Crud:
    """The common operations on one kind of object: the list at `path` and the object at
    `path/{pk}` (read, change, delete), created in the masterplan or inside a parent. They
    are named `<name>_list`, `<name>_create`, … as if written by hand, and call the module's
    queries and services; `present(call, object)` turns an object into its answer."""

    ops: Operations
    name: str
    model: type[PlanScopedModel]
    path: str
    out: type[Schema]
    present: Present | None = None

    def add(
        self,
        verb: str,
        method: str,
        path: str,
        level: Level,
        body: Body,
        doc: str,
        model: type[PlanScopedModel] | None = None,
        **options: Any,
    ) -> None:
        """Register `body` as the hand-written operation `<name>_<verb>` would be."""
        body.__name__ = body.__qualname__ = f"{self.name}_{verb}"
        body.__module__, body.__doc__ = self.ops.module, doc or None
        options.setdefault("response", self.out)
        self.ops.operation(method, path, level=level, model=model, **options)(body)

    def list(
        self,
        filters: FilterSpec,
        rows: Callable[[Call, Any], Any],
        *,
        doc: str = "",
        page_size: int = 50,
        out: type[Schema] | None = None,
        level: Level = Level.PLAN_VIEW,
    ) -> None:
        """The list, in pages, of `rows(call, filters)` (a queryset, or `Rows`); the query
        parameters are those of the list's filter spec (`<Name>Filter` in the OpenAPI
        document), `out` is the schema of the rows if not the object's; `level` PLAN_MEMBER
        for lists that are for the plan's members only."""

        def body(call: Call, filters: Any) -> Any:
            return rows(call, filters)

        camel = "".join(part.title() for part in self.name.split("_"))
        query = filters.query_schema(f"{camel}Filter", self.ops.module)
        # Types made at run time for ninja, which reads them; mypy cannot check such types.
        body.__annotations__["filters"] = Query[query]  # type: ignore[misc,valid-type]
        response: Any = list[out or self.out]  # type: ignore[misc]
        self.add(
            "list",
            "GET",
            self.path,
            level,
            body,
            doc,
            response=response,
            page_size=page_size,
        )

    def create(
        self,
        payload: type[Schema],
        service: Callable[..., Any],
        level: Level,
        parent: Crud | None = None,
        *,
        doc: str = "",
        verb: str = "create",
    ) -> None:
        """Create with `service(actor, <masterplan or parent>, **fields)`, answered with 201;
        inside a `parent` at `<parent's path>/{pk}/<last part of the path>`."""
        into = object_argument(service)

        def body(call: Call, payload: Any) -> Any:
            return call.write(service, payload.dict(), **{into: call.obj or call.masterplan})

        body.__annotations__["payload"] = payload
        path = f"{parent.path}/{{pk}}/{self.path.rsplit('/', 1)[1]}" if parent else self.path
        model = parent.model if parent else None
        self.add(verb, "POST", path, level, body, doc, model, status=201, present=self.present)

    def detail(self, *, doc: str = "") -> None:
        def body(call: Call) -> Any:
            return call.obj

        path = f"{self.path}/{{pk}}"
        self.add(
            "detail", "GET", path, Level.OBJECT_VIEW, body, doc, self.model, present=self.present
        )

    def update(
        self,
        payload: type[Schema],
        service: Callable[..., Any],
        level: Level = Level.OBJECT_EDIT,
        *,
        doc: str = "",
    ) -> None:
        """Change the fields sent with `service(actor, <object>, version, **changes)`."""
        into = object_argument(service)

        def body(call: Call, payload: Any) -> Any:
            version, changes = call.changes(payload)
            return call.write(service, changes, **{into: call.obj}, version=version)

        body.__annotations__["payload"] = payload
        path = f"{self.path}/{{pk}}"
        self.add("update", "PATCH", path, level, body, doc, self.model, present=self.present)

    def delete(
        self, service: Callable[..., Any], level: Level = Level.OBJECT_EDIT, *, doc: str = ""
    ) -> None:
        """Delete with `service(actor, <object>, version)`; the version may be a parameter."""
        into = object_argument(service)

        def body(call: Call, version: int | None = None) -> None:
            service(actor=call.user, **{into: call.obj}, version=call.version(version))

        path = f"{self.path}/{{pk}}"
        self.add("delete", "DELETE", path, level, body, doc, self.model, response=None, status=204)
