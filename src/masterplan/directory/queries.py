"""Reads of the directory, shared by the pages, the API, exports and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.filters import (
    Choice,
    FilterSpec,
    ListContext,
    Ref,
    Search,
    Text,
    YesNo,
    per_page,
    sort,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import is_plan_member
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person

ORGANIZATION_SORTS = (
    SortOption("name", _("Name"), ("name", "id")),
    SortOption("kind", _("Kind"), ("kind", "name", "id")),
    SortOption("city", _("City"), ("city", "name", "id")),
    SortOption("employees", _("Employees"), ("employees", "name", "id")),
    SortOption("modified", _("Modified"), ("modified_at", "id")),
)
PERSON_SORTS = (
    SortOption("name", _("Name"), ("family_name", "given_name", "id")),
    SortOption("function", _("Function"), ("function", "family_name", "id")),
    SortOption("modified", _("Modified"), ("modified_at", "id")),
)

ORGANIZATIONS = FilterSpec(
    Organization,
    Search("q", fields=("name", "legal_name", "city", "external_id")),
    Choice(
        "kind",
        label=_("Kind"),
        choices=OrganizationKind.choices,
        empty=_("All kinds"),
    ),
    Text("city", label=_("City"), lookup="city__casefold_exact", max_length=120),
    Text("sector", lookup="sector_wz__startswith", form=False),
    sort(ORGANIZATION_SORTS),
    per_page(),
)


def affiliated_with(organization: int, context: ListContext) -> Q:
    """People with a (live) affiliation to the organisation."""
    if not organization:
        return Q()
    links = Affiliation.objects.filter(person=OuterRef("pk"), organization_id=organization)
    return Q(Exists(links))


PEOPLE = FilterSpec(
    Person,
    Search("q", fields=("given_name", "family_name", "function", "email")),
    Ref("organization", condition=affiliated_with),
    YesNo(
        "contact",
        label=_("Contact person"),
        lookup="consent_to_publish",
        yes=_("Published contacts"),
        no=_("Not published"),
    ),
    sort(PERSON_SORTS),
    per_page(),
)


def organization_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[Organization], str]:
    """The organisations of a plan the user may see, filtered (ORGANIZATIONS) and sorted."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = ORGANIZATIONS.rows(context).select_related("parent")
    return ORGANIZATIONS.order(ORGANIZATIONS.apply(qs, filters, context), filters)


def person_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[Person], str]:
    """The people of a plan the user may see (PEOPLE), each with their current affiliations."""
    context = ListContext(user=user, masterplan=masterplan)
    qs = PEOPLE.rows(context).select_related("masterplan")
    shown = Affiliation.objects.filter(organization__deleted_at__isnull=True)
    if not is_plan_member(user, masterplan):
        # The public sees only published links to published organisations.
        shown = shown.filter(
            publication=Publication.PUBLISHED, organization__publication=Publication.PUBLISHED
        )
    qs = qs.prefetch_related(
        Prefetch("affiliations", queryset=shown.select_related("organization"))
    )
    return PEOPLE.order(PEOPLE.apply(qs, filters, context), filters)


def organization_affiliations(*, user: Actor, organization: Organization) -> QuerySet[Affiliation]:
    """The people linked to an organisation, as the user may see them.

    The public sees a link only when the link and the person are both published.
    """
    masterplan = organization.masterplan
    return (
        Affiliation.objects.filter(organization=organization, person__deleted_at__isnull=True)
        .visible_to(user, masterplan)
        .filter(Person.visibility_filter(user, masterplan, "person__"))
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )


def person_affiliations(*, user: Actor, person: Person) -> QuerySet[Affiliation]:
    """The organisations a person is linked to, as the user may see them.

    The public sees a link only when the link and the organisation are both published.
    """
    masterplan = person.masterplan
    return (
        Affiliation.objects.filter(person=person, organization__deleted_at__isnull=True)
        .visible_to(user, masterplan)
        .filter(Organization.visibility_filter(user, masterplan, "organization__"))
        .select_related("organization")
        .order_by("-start", "organization__name", "id")
    )


def organization_choices(*, masterplan: Masterplan) -> QuerySet[Organization]:
    """The plan's organisations for a form's choice field (every module links to them)."""
    return Organization.objects.filter(masterplan=masterplan).only("id", "name")


def person_choices(*, masterplan: Masterplan) -> QuerySet[Person]:
    """The plan's people for a form's choice field, with just what their names need."""
    return Person.objects.filter(masterplan=masterplan).only(
        "id", "title", "given_name", "family_name"
    )
