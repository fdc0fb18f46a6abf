"""Site-wide pages and the request and list helpers every module's views use."""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from masterplan.core.access import plan_view, site_view
from masterplan.core.audit import audit_verify
from masterplan.core.audit_display import DescribedEntry, describe
from masterplan.core.exports import TableColumn, table_response
from masterplan.core.forms import style_widgets
from masterplan.core.imports.cells import ColumnType
from masterplan.core.lists import paginate
from masterplan.core.models import AuditEntry, LoginFailure, Masterplan
from masterplan.core.permissions import Level
from masterplan.core.ratelimit import attempt_begin, attempt_succeeded
from masterplan.core.sso import SignOnRefused, sso_button_label, sso_enabled

logger = logging.getLogger(__name__)


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


TOO_MANY_ATTEMPTS = gettext_lazy(
    "Too many failed attempts. Please wait a few minutes before trying again."
)
NOT_COMPLETED = gettext_lazy("The sign-in could not be completed. Please try again.")


class LoginForm(AuthenticationForm):
    """Django's login form, saying plainly that the credentials were wrong."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The user name or the password is wrong. Both are case-sensitive."
        ),
    }


@method_decorator(site_view(Level.PUBLIC), name="dispatch")
class RateLimitedLoginView(auth_views.LoginView):
    """The login form, refusing further attempts after repeated failures.

    The attempt counts as failed before the password is checked (`core.ratelimit`), so that
    parallel attempts cannot all pass the throttle; a right password takes it back.
    """

    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    attempt: LoginFailure | None = None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        self.attempt = attempt_begin(request, username)
        if self.attempt is None:
            # Without the password: validating the form must not check it.
            form = self.get_form_class()(request, data={"username": username})
            form.errors.clear()
            form.add_error(None, str(TOO_MANY_ATTEMPTS))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        if self.attempt is not None:
            attempt_succeeded(self.attempt)
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if sso_enabled():
            context["sso_label"] = sso_button_label()
        return context


login_view = RateLimitedLoginView.as_view()


@site_view(Level.PUBLIC)
def sso_login(request: HttpRequest) -> HttpResponse:
    """Off to the city's provider (with state, nonce and PKCE kept in the session); absent
    (404) unless single sign-on is configured."""
    if not sso_enabled():
        raise Http404
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


class SignOnCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: logged in, or back on the login page with the reason.

    Each answer counts against the client address's login throttle (`core.ratelimit`) until
    it succeeds, as a password attempt does.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        if "error" not in request.GET and not {"code", "state"} <= request.GET.keys():
            return HttpResponseRedirect(reverse("home"))  # not an answer of the provider
        attempt = attempt_begin(request, "")
        if attempt is None:
            return self.refuse(str(TOO_MANY_ATTEMPTS))
        try:
            response: HttpResponse = super().get(request)
        except SignOnRefused as refusal:
            logger.info("Sign-on refused: %s", refusal.message)
            return self.refuse(refusal.message)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            # A state that is not this browser's, a replayed answer, a token that fails the
            # checks or is missing: refused, and logged for the administrators.
            logger.warning("Sign-on refused: %s", error)
            return self.refuse(str(NOT_COMPLETED))
        except RequestException as error:
            logger.warning("The sign-on provider could not be reached: %s", error)
            return self.refuse(
                _(
                    "The city's sign-in service cannot be reached at the moment. Please try "
                    "again later or log in with your password."
                )
            )
        if request.user.is_authenticated:
            attempt_succeeded(attempt)
        return response

    def login_failure(self) -> HttpResponse:
        return self.refuse(str(NOT_COMPLETED))

    def refuse(self, message: str) -> HttpResponse:
        messages.error(self.request, message)
        return HttpResponseRedirect(reverse("login"))


sso_callback = site_view(Level.PUBLIC)(SignOnCallbackView.as_view())


class StyledFormMixin(forms.Form):
    """Django's account forms with the site's inputs (core/_field.html, style_widgets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def full_clean(self) -> None:
        super().full_clean()
        style_widgets(self, with_errors=self.is_bound)


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    pass


# "Forgot password": Django's views with their one-time, three-day tokens
# (PASSWORD_RESET_TIMEOUT), our templates, and an e-mail through the configured backend.
password_reset = site_view(Level.PUBLIC)(
    auth_views.PasswordResetView.as_view(
        template_name="core/password/reset_form.html",
        form_class=PasswordResetForm,
        email_template_name="core/password/reset_email.txt",
        subject_template_name="core/password/reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done = site_view(Level.PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="core/password/reset_done.html")
)
password_reset_confirm = site_view(Level.PUBLIC)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="core/password/reset_confirm.html",
        form_class=SetPasswordForm,
        success_url=reverse_lazy("password_reset_complete"),
    )
)
password_reset_complete = site_view(Level.PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(template_name="core/password/reset_complete.html")
)
logout_view = site_view(Level.PUBLIC)(auth_views.LogoutView.as_view())


def audit_entries(request: HttpRequest, masterplan: Masterplan) -> tuple[Any, str]:
    """The plan's audit entries, newest first; `?action=plans.measure` narrows them."""
    entries = AuditEntry.objects.filter(masterplan=masterplan).order_by("-id")
    action = request.GET.get("action", "")[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    return entries, action


@plan_view(Level.PLAN_MANAGE)
def audit_trail(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    entries, action = audit_entries(request, masterplan)
    page = paginate(entries, request.GET.get("page"), request.GET.get("per_page", 50))
    return render_list(
        request,
        template="core/audit_list.html",
        partial="core/_audit_table.html",
        context={
            "masterplan": masterplan,
            "page": page,
            "rows": describe(page.object_list),
            "action": action,
        },
    )


AUDIT_EXPORT_LIMIT = 100_000  # entries in one workbook (newest first)


@plan_view(Level.PLAN_MANAGE)
def audit_export(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The audit trail (with the page's filter) as a workbook people read."""
    entries, _action = audit_entries(request, masterplan)
    columns = [
        TableColumn("#", lambda row: row.entry.pk, ColumnType.INT, text=False),
        TableColumn(_("Time"), lambda row: row.entry.created_at, ColumnType.DATETIME, text=False),
        TableColumn(_("Who"), lambda row: row.entry.actor_label),
        TableColumn(_("Action"), lambda row: row.action),
        TableColumn(_("Kind of record"), lambda row: row.kind),
        TableColumn(_("Record"), lambda row: row.entry.object_repr),
        TableColumn(_("Changes"), changes_text),
    ]
    rows = describe(entries[:AUDIT_EXPORT_LIMIT])
    return table_response(masterplan.slug, _("audit-trail"), _("Audit trail"), columns, rows)


def changes_text(row: DescribedEntry) -> str:
    return "\n".join(
        f"{change.label}: {change.new or '–'}"
        if change.old is None
        else f"{change.label}: {change.old} → {change.new or '–'}"
        for change in row.changes
    )


@site_view(Level.ADMIN)
def audit_check(request: HttpRequest) -> HttpResponse:
    return render(request, "core/audit_check.html", {"result": audit_verify()})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
