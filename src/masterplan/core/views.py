"""Site-wide pages and the form/list helpers every module's views use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from masterplan.core import permissions as perms
from masterplan.core.access import plan_view, site_view
from masterplan.core.audit import audit_verify
from masterplan.core.forms import VersionedModelForm
from masterplan.core.lists import paginate
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.permissions import Level
from masterplan.core.queries import visible_masterplans
from masterplan.core.ratelimit import is_locked_out, record_failure
from masterplan.core.services import StaleVersionError


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_list(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A list page; HTMX requests for the same URL receive only the results table.

    The table is rendered with `htmx` set, so that it can add what must follow the filters
    outside of it, such as the export links (`core/_export_links.html`, swapped out of band).
    """
    if is_htmx(request):
        return render(request, partial, {**context, "htmx": True})
    return render(request, template, context)


def handle_form(
    request: HttpRequest,
    *,
    form: VersionedModelForm,
    save: Callable[[VersionedModelForm], Model],
    template: str,
    context: dict[str, Any],
    success_message: str,
) -> HttpResponse:
    """Validate, call the service, and on a conflict keep the input and show what changed."""
    conflict: StaleVersionError | None = None
    merged: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except StaleVersionError as error:
            conflict = error
            merged = form.merge_after_conflict(error.current)
            form.add_error(None, str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, success_message)
            return HttpResponseRedirect(obj.get_absolute_url())  # type: ignore[attr-defined]
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(
        request,
        template,
        {**context, "form": form, "conflict": conflict, "merged": merged},
        status=status,
    )


@site_view(Level.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    plans = visible_masterplans(request.user)
    return render(request, "core/home.html", {"plans": plans})


@site_view(Level.PUBLIC)
def switch_language(request: HttpRequest) -> HttpResponse:
    return set_language(request)


@method_decorator(site_view(Level.PUBLIC), name="dispatch")  # type: ignore[arg-type]
class RateLimitedLoginView(auth_views.LoginView):
    """The login form, refusing further attempts after repeated failures."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        if is_locked_out(request, username):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("Too many failed attempts. Please wait a few minutes before trying again."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record_failure(self.request, self.request.POST.get("username", "")[:150])
        return super().form_invalid(form)


login_view = RateLimitedLoginView.as_view()
logout_view = site_view(Level.PUBLIC)(auth_views.LogoutView.as_view())


@plan_view(Level.PLAN_VIEW)
def plan_home(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render(
        request,
        "core/plan_home.html",
        {"masterplan": masterplan, "role": perms.role_in(request.user, masterplan)},
    )


@plan_view(Level.PLAN_MANAGE)
def audit_trail(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    entries = AuditEntry.objects.filter(masterplan=masterplan).order_by("-id")
    action = request.GET.get("action", "")[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    page = paginate(entries, request.GET.get("page"), request.GET.get("per_page", 50))
    return render_list(
        request,
        template="core/audit_list.html",
        partial="core/_audit_table.html",
        context={"masterplan": masterplan, "page": page, "action": action},
    )


@site_view(Level.ADMIN)
def audit_check(request: HttpRequest) -> HttpResponse:
    return render(request, "core/audit_check.html", {"result": audit_verify()})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
