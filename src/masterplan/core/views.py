"""Site-wide pages and the request and list helpers every module's views use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from masterplan.core.access import plan_view, site_view
from masterplan.core.audit import audit_verify
from masterplan.core.lists import paginate
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.permissions import Level
from masterplan.core.ratelimit import is_locked_out, record_failure


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def as_int(value: Any) -> int | None:
    """A whole number from a request parameter, or None for anything else (never an error)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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


@site_view(Level.PUBLIC)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""
    return HttpResponseRedirect(static("masterplan/favicon.ico"))


@site_view(Level.PUBLIC)
def switch_language(request: HttpRequest) -> HttpResponse:
    return set_language(request)


@method_decorator(site_view(Level.PUBLIC), name="dispatch")
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
