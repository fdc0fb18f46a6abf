"""Access to a masterplan ("Zugänge"): coordinators see who has a role, invite people by
e-mail, change roles and revoke them. The writes are `core.accounts`' (each audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core import accounts
from masterplan.core.access import plan_view
from masterplan.core.models import Masterplan, PlanRole, Role
from masterplan.core.permissions import Level, acting_user
from masterplan.core.queries import open_invitations


def organizations_of(masterplan: Masterplan) -> QuerySet[Any]:
    """The plan's organisations a contributor may act for (core names their model only
    through the role's relation: directory sits above core)."""
    model = PlanRole._meta.get_field("organization").related_model
    assert model is not None and not isinstance(model, str)
    return model._default_manager.filter(masterplan=masterplan).order_by("name", "pk")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=PlanRole.objects.none(),
        required=False,
        help_text=gettext_lazy("Required for contributors: the organisation they act for."),
    )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations_of(masterplan)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.CONTRIBUTOR and not data.get("organization"):
            self.add_error("organization", _("Choose the organisation the contributor acts for."))
        if data.get("role") != Role.CONTRIBUTOR:
            data["organization"] = None
        return data


class InviteForm(RoleForm):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    field_order = ("first_name", "last_name", "email", "role", "organization")


def access_url(masterplan: Masterplan) -> str:
    return reverse("access_list", args=[masterplan.slug])


def role_of(masterplan: Masterplan, pk: int) -> PlanRole:
    role = (
        PlanRole.objects.select_related("user", "organization")
        .filter(masterplan=masterplan, pk=pk)
        .first()
    )
    if role is None:
        raise Http404
    return role


def show_refusal(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(
    request: HttpRequest, masterplan: Masterplan, form: forms.Form, title: str, status: int
) -> HttpResponse:
    context = {
        "masterplan": masterplan,
        "title": title,
        "cancel_url": access_url(masterplan),
        "form": form,
    }
    return render(request, "core/form.html", context, status=status)


@plan_view(Level.PLAN_MANAGE)
def access_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    roles = (
        PlanRole.objects.filter(masterplan=masterplan)
        .select_related("user", "organization")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )
    invitations = open_invitations(role.user for role in roles)
    rows = [(role, invitations.get(role.user_id)) for role in roles]
    return render(request, "core/access/list.html", {"masterplan": masterplan, "rows": rows})


@plan_view(Level.PLAN_MANAGE)
def access_invite(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Invite a person: their account (if new) and role, and the e-mail with the link."""
    form = InviteForm(request.POST or None, masterplan=masterplan)
    posted = request.method == "POST"
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            user, role, _created = accounts.invite(
                actor=request.user,
                masterplan=masterplan,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                organization=data["organization"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            accounts.send_invitation(
                user=user,
                masterplan=masterplan,
                role=role,
                inviter=acting_user(request.user),
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request, _("The invitation has been sent to %(email)s.") % {"email": user.email}
            )
            return HttpResponseRedirect(access_url(masterplan))
    return form_page(request, masterplan, form, _("Invite a person"), 400 if posted else 200)


@plan_view(Level.PLAN_MANAGE)
def access_edit(request: HttpRequest, masterplan: Masterplan, role: int) -> HttpResponse:
    """Change a role (not one's own: another coordinator or an administrator can)."""
    current = role_of(masterplan, role)
    if current.user_id == request.user.pk:
        messages.error(request, _("You cannot change your own role."))
        return HttpResponseRedirect(access_url(masterplan))
    initial = {"role": current.role, "organization": current.organization_id}
    form = RoleForm(request.POST or None, masterplan=masterplan, initial=initial)
    posted = request.method == "POST"
    if posted and form.is_valid():
        try:
            accounts.role_grant(
                actor=request.user,
                user=current.user,
                masterplan=masterplan,
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return HttpResponseRedirect(access_url(masterplan))
    name = current.user.get_full_name() or current.user.get_username()
    title = _("Role of %(name)s") % {"name": name}
    return form_page(request, masterplan, form, title, 400 if posted else 200)


@plan_view(Level.PLAN_MANAGE)
def access_revoke(request: HttpRequest, masterplan: Masterplan, role: int) -> HttpResponse:
    """Confirm, then take the role away. A coordinator cannot revoke their own access here
    (another coordinator or an administrator can), so that a plan is not left unmanaged by
    a slip."""
    current = role_of(masterplan, role)
    back = access_url(masterplan)
    if current.user_id == request.user.pk:
        messages.error(request, _("You cannot revoke your own access."))
        return HttpResponseRedirect(back)
    if request.method != "POST":
        context = {"masterplan": masterplan, "role": current, "back_url": back}
        return render(request, "core/access/revoke.html", context)
    accounts.role_revoke(actor=request.user, role=current)
    name = current.user.get_full_name() or current.user.get_username()
    messages.success(request, _("The access of %(name)s has been revoked.") % {"name": name})
    return HttpResponseRedirect(back)


@plan_view(Level.PLAN_MANAGE)
def access_resend(request: HttpRequest, masterplan: Masterplan, role: int) -> HttpResponse:
    """Send an invitation again (POST, from the list): a new link, the earlier ones void."""
    current = role_of(masterplan, role)
    back = access_url(masterplan)
    if request.method != "POST":
        return HttpResponseRedirect(back)
    try:
        user = accounts.invitation_renew(actor=request.user, role=current)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)
    accounts.send_invitation(
        user=user,
        masterplan=masterplan,
        role=current,
        inviter=acting_user(request.user),
        base_url=request.build_absolute_uri("/"),
    )
    messages.success(
        request, _("The invitation has been sent again to %(email)s.") % {"email": user.email}
    )
    return HttpResponseRedirect(back)
