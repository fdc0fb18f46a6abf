"""Directory pages: thin views over queries.py and services.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.generic_views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectFormView,
    PlanFormView,
)
from masterplan.core.lists import paginate
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.views import render_list
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


class OrganizationCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back, to_object = "directory:organization_list", True
    form_class = OrganizationForm
    title = gettext_lazy("New organisation")
    success_message = gettext_lazy("The organisation has been created.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Organization:
        return services.organization_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class OrganizationEdit(ObjectEditView[Organization]):
    model, level = Organization, Level.OBJECT_EDIT
    form_class = OrganizationForm
    title = gettext_lazy("Edit organisation")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Organization:
        return services.organization_update(
            actor=self.user,
            organization=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class OrganizationDelete(ObjectDeleteView[Organization]):
    model, level = Organization, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.organization_delete(actor=self.user, organization=self.obj, version=version)

    def done_url(self) -> str:
        return reverse("directory:organization_list", args=[self.masterplan.slug])


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


class PersonCreate(PlanFormView):
    level = Level.PLAN_CREATE
    back, to_object = "directory:person_list", True
    form_class = PersonForm
    title = gettext_lazy("New person")
    success_message = gettext_lazy("The person has been added.")

    def save(self, form: VersionedModelForm[Any]) -> Person:
        return services.person_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class PersonEdit(ObjectEditView[Person]):
    model, level = Person, Level.OBJECT_EDIT
    form_class = PersonForm
    title = gettext_lazy("Edit person")

    def save(self, form: VersionedModelForm[Any]) -> Person:
        return services.person_update(
            actor=self.user, person=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class PersonDelete(ObjectDeleteView[Person]):
    model, level = Person, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.person_delete(actor=self.user, person=self.obj, version=version)

    def done_url(self) -> str:
        return reverse("directory:person_list", args=[self.masterplan.slug])


class AffiliationCreate(ObjectFormView[Person]):
    """An organisation the person works for, added on the person's page."""

    model, level = Person, Level.OBJECT_EDIT
    form_class = AffiliationForm
    success_message = gettext_lazy("The affiliation has been added.")

    def get_title(self) -> str:
        return _("Add affiliation to %(person)s") % {"person": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        fields = form.changes()
        organization = fields.pop("organization")
        services.affiliation_create(
            actor=self.user, person=self.obj, organization=organization, **fields
        )


class AffiliationDelete(ObjectDeleteView[Affiliation]):
    model, level = Affiliation, Level.OBJECT_EDIT

    def back_url(self) -> str:
        return get_object_or_404(Person, pk=self.obj.person_id).get_absolute_url()

    def delete(self, *, version: int) -> None:
        services.affiliation_delete(actor=self.user, affiliation=self.obj, version=version)
