"""API plumbing shared by every module's router: authentication, permissions, versions.

Machines authenticate with `Authorization: Bearer <token>`; the browser with its session (and
the CSRF token for writes). Anonymous clients may read what is published. Every operation
declares its permission with `declare(...)`; the permission-matrix test reads it from the
OpenAPI description and checks it against real responses.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from masterplan.core import permissions as perms
from masterplan.core.models import ApiToken, Masterplan, PlanScopedModel
from masterplan.core.permissions import Level

M = TypeVar("M", bound=PlanScopedModel)

TOKEN_PREFIX = "mp_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_issue(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its digest is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=token_digest(secret)
    )
    return token, secret


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.expires_at is not None and found.expires_at <= now:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def anonymous_read(request: HttpRequest) -> Any:
    """Reads are open to anonymous clients (they see published objects only)."""
    if request.method in ("GET", "HEAD"):
        return AnonymousUser()
    return None


API_AUTH: list[Any] = [TokenAuth(), SessionAuth(), anonymous_read]


def declare(level: Level, model: type[Model] | None = None) -> dict[str, Any]:
    """openapi_extra for an operation: its permission level and, for objects, the model."""
    extra: dict[str, Any] = {"x-permission": level.value}
    if model is not None:
        extra["x-model"] = f"{model._meta.app_label}.{model._meta.model_name}"
    return extra


def actor(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


def plan_for(request: HttpRequest, slug: str, level: Level = Level.PLAN_VIEW) -> Masterplan:
    from masterplan.core.access import plan_level_allows

    masterplan = Masterplan.objects.filter(slug=slug).first()
    if masterplan is None or not perms.can_view_plan(actor(request), masterplan):
        raise Http404
    if level != Level.PLAN_VIEW and not plan_level_allows(level, actor(request), masterplan):
        raise PermissionDenied
    return masterplan


def object_for(
    request: HttpRequest, model: type[M], slug: str, pk: int, *, edit: bool = False
) -> M:
    masterplan = plan_for(request, slug)
    obj = cast("M | None", model._default_manager.filter(masterplan=masterplan, pk=pk).first())
    if obj is None or not perms.can_view(actor(request), obj):
        raise Http404
    obj.masterplan = masterplan
    if edit and not perms.can_edit(actor(request), obj):
        raise PermissionDenied
    return obj


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


def with_etag(response: HttpResponse, obj: PlanScopedModel) -> None:
    response["ETag"] = etag(obj.version)


class Problem(Schema):
    detail: str


class ValidationProblem(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    412: Problem,
    422: ValidationProblem,
    428: Problem,
}


class TrackedOut(Schema):
    version: int
    external_id: str
    publication: str
    is_sample: bool
    created_at: datetime
    modified_at: datetime


def patch_fields(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH sent (without the version)."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data


def resolve_ids(
    masterplan: Masterplan, data: dict[str, Any], references: Mapping[str, type[Model]]
) -> dict[str, Any]:
    """The payload with ids of other records replaced by the records themselves.

    `lead_organization_id: 3` becomes `lead_organization: <Organization 3>`. An id that is
    not a live record of this masterplan is invalid data (422), not a missing page (404).
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        model = references.get(name)
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
def errors_named(references: Mapping[str, type[Model]]) -> Iterator[None]:
    """Model validation names foreign keys (`lead_organization`); the API's fields are ids."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                (f"{name}_id" if f"{name}_id" in references else name): errors
                for name, errors in exc.error_dict.items()
            }
        ) from exc
