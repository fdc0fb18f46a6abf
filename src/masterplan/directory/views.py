"""Directory pages: thin views over queries.py and services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.lists import paginate
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.services import StaleVersionError
from masterplan.core.views import handle_form, render_list
from masterplan.directory import queries, services
from masterplan.directory.forms import (
    AffiliationForm,
    OrganizationForm,
    PersonForm,
)
from masterplan.directory.models import Affiliation, Organization, Person


@plan_view(Level.PLAN_VIEW)
def organization_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.ORGANIZATIONS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.organization_list(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="directory/organization_list.html",
        partial="directory/_organization_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.ORGANIZATION_SORTS,
            "can_create": perms.can_manage(request.user, masterplan),
        },
    )


@object_view(Organization, Level.OBJECT_VIEW)
def organization_detail(
    request: HttpRequest, masterplan: Masterplan, obj: Organization
) -> HttpResponse:
    return render(
        request,
        "directory/organization_detail.html",
        {
            "masterplan": masterplan,
            "organization": obj,
            "affiliations": queries.organization_affiliations(user=request.user, organization=obj),
            "can_edit": perms.can_edit(request.user, obj),
            "can_delete": perms.can_manage(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_MANAGE)
def organization_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = OrganizationForm(request.POST or None, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.organization_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("New organisation")},
        success_message=_("The organisation has been created."),
    )


@object_view(Organization, Level.OBJECT_EDIT)
def organization_edit(
    request: HttpRequest, masterplan: Masterplan, obj: Organization
) -> HttpResponse:
    form = OrganizationForm(request.POST or None, instance=obj, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.organization_update(
            actor=request.user,
            organization=obj,
            version=f.cleaned_data["version"],
            **f.changes(),
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit organisation")},
        success_message=_("Your changes have been saved."),
    )


def confirm_delete(
    request: HttpRequest,
    *,
    masterplan: Masterplan,
    obj: Any,
    delete: Any,
    back_url: str,
    done_url: str,
) -> HttpResponse:
    """The delete confirmation page and its POST, for any soft-deletable object."""
    if request.method == "POST":
        try:
            delete(version=int(request.POST.get("version", "0") or 0))
        except StaleVersionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back_url)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return HttpResponseRedirect(done_url)
    return render(
        request,
        "core/confirm_delete.html",
        {"masterplan": masterplan, "object": obj, "back_url": back_url},
    )


@object_view(Organization, Level.PLAN_MANAGE)
def organization_delete(
    request: HttpRequest, masterplan: Masterplan, obj: Organization
) -> HttpResponse:
    return confirm_delete(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.organization_delete(
            actor=request.user, organization=obj, version=version
        ),
        back_url=obj.get_absolute_url(),
        done_url=reverse("directory:organization_list", args=[masterplan.slug]),
    )


@plan_view(Level.PLAN_VIEW)
def person_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.PEOPLE.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.person_list(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="directory/person_list.html",
        partial="directory/_person_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.PERSON_SORTS,
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


@object_view(Person, Level.OBJECT_VIEW)
def person_detail(request: HttpRequest, masterplan: Masterplan, obj: Person) -> HttpResponse:
    return render(
        request,
        "directory/person_detail.html",
        {
            "masterplan": masterplan,
            "person": obj,
            "affiliations": queries.person_affiliations(user=request.user, person=obj),
            "can_edit": perms.can_edit(request.user, obj),
            "show_contact": perms.can_see_contact_details(request.user, obj),
        },
    )


@plan_view(Level.PLAN_CREATE)
def person_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = PersonForm(request.POST or None)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.person_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("New person")},
        success_message=_("The person has been added."),
    )


@object_view(Person, Level.OBJECT_EDIT)
def person_edit(request: HttpRequest, masterplan: Masterplan, obj: Person) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=obj)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.person_update(
            actor=request.user, person=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit person")},
        success_message=_("Your changes have been saved."),
    )


@object_view(Person, Level.OBJECT_EDIT)
def person_delete(request: HttpRequest, masterplan: Masterplan, obj: Person) -> HttpResponse:
    return confirm_delete(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.person_delete(
            actor=request.user, person=obj, version=version
        ),
        back_url=obj.get_absolute_url(),
        done_url=reverse("directory:person_list", args=[masterplan.slug]),
    )


@object_view(Person, Level.OBJECT_EDIT)
def affiliation_create(request: HttpRequest, masterplan: Masterplan, obj: Person) -> HttpResponse:
    form = AffiliationForm(request.POST or None, masterplan=masterplan)

    def save(f: VersionedModelForm) -> Affiliation:
        fields = f.changes()
        organization = fields.pop("organization")
        services.affiliation_create(
            actor=request.user, person=obj, organization=organization, **fields
        )
        return obj  # type: ignore[return-value]

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "cancel_url": obj.get_absolute_url(),
            "title": _("Add affiliation to %(person)s") % {"person": obj},
        },
        success_message=_("The affiliation has been added."),
    )


@object_view(Affiliation, Level.OBJECT_EDIT)
def affiliation_delete(
    request: HttpRequest, masterplan: Masterplan, obj: Affiliation
) -> HttpResponse:
    person = get_object_or_404(Person, pk=obj.person_id)
    return confirm_delete(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.affiliation_delete(
            actor=request.user, affiliation=obj, version=version
        ),
        back_url=person.get_absolute_url(),
        done_url=person.get_absolute_url(),
    )
