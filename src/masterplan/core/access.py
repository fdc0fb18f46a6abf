"""Declared permissions for views: the decorator both documents and enforces the level.

Every URL of the site is served by a view wrapped in one of these decorators; the
permission-matrix test (tests/core/test_permission_matrix.py) fails for a view without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from masterplan.core import permissions as perms
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Declared:
    level: Level
    model: type[models.Model] | None = None


def declared(view: Any) -> Declared | None:
    return getattr(view, "permission", None)


def deny(request: HttpRequest, *, hide: bool) -> HttpResponse:
    """Anonymous users are sent to the login; others get 404 (hide) or 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if hide:
        raise Http404
    raise PermissionDenied


def plan_level_allows(level: Level, user: Any, masterplan: Masterplan) -> bool:
    checks: dict[Level, Callable[[Any, Masterplan], bool]] = {
        Level.PLAN_VIEW: perms.can_view_plan,
        Level.PLAN_MEMBER: perms.is_plan_member,
        Level.PLAN_CREATE: perms.can_create_in,
        Level.PLAN_MANAGE: perms.can_manage,
    }
    return checks[level](user, masterplan)


def site_view(level: Level) -> Callable[[View], View]:
    """A view outside any masterplan: public, for logged-in users, or for admins."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if level == Level.AUTHENTICATED and not request.user.is_authenticated:
                return deny(request, hide=False)
            if level == Level.ADMIN and not perms.is_admin(request.user):
                return deny(request, hide=False)
            return view(request, *args, **kwargs)

        wrapper.permission = Declared(level)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def plan_view(level: Level) -> Callable[[View], View]:
    """A view of one masterplan, called as view(request, masterplan, **kwargs)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, plan: str, **kwargs: Any) -> HttpResponse:
            masterplan = get_object_or_404(Masterplan, slug=plan)
            if not perms.can_view_plan(request.user, masterplan):
                return deny(request, hide=True)
            if not plan_level_allows(level, request.user, masterplan):
                return deny(request, hide=level == Level.PLAN_MEMBER)
            return view(request, masterplan, **kwargs)

        wrapper.permission = Declared(level)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def object_view(model: type[models.Model], level: Level) -> Callable[[View], View]:
    """A view of one object, called as view(request, masterplan, obj, **kwargs).

    OBJECT_VIEW and OBJECT_EDIT check the object; PLAN_MANAGE (e.g. deleting an
    organisation) needs a visible object and a coordinator.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, plan: str, pk: int, **kwargs: Any) -> HttpResponse:
            masterplan = get_object_or_404(Masterplan, slug=plan)
            obj = model._default_manager.filter(masterplan=masterplan, pk=pk).first()
            if obj is None:
                raise Http404
            obj.masterplan = masterplan  # type: ignore[attr-defined]
            if not perms.can_view(request.user, obj):  # type: ignore[arg-type]
                return deny(request, hide=True)
            if level == Level.OBJECT_EDIT and not perms.can_edit(request.user, obj):  # type: ignore[arg-type]
                return deny(request, hide=False)
            if level == Level.PLAN_MANAGE and not perms.can_manage(request.user, masterplan):
                return deny(request, hide=False)
            return view(request, masterplan, obj, **kwargs)

        wrapper.permission = Declared(level, model)  # type: ignore[attr-defined]
        return wrapper

    return decorate
