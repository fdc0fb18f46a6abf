"""Reads of the directory, shared by the pages, the API, exports and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from masterplan.core.lists import SortOption, apply_sort, search_terms
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import is_plan_member, visible_filter
from masterplan.directory.models import Affiliation, Organization, Person

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


def organization_list(
    *,
    user: Any,
    masterplan: Masterplan,
    q: str = "",
    kind: str = "",
    city: str = "",
    sector: str = "",
    sort: str = "name",
) -> tuple[QuerySet[Organization], str]:
    """The organisations of a plan the user may see, filtered and sorted."""
    qs = Organization.objects.filter(**visible_filter(user, masterplan)).select_related("parent")
    if q:
        qs = search_terms(qs, q, ("name", "legal_name", "city", "external_id"))
    if kind:
        qs = qs.filter(kind=kind)
    if city:
        qs = qs.filter(city__iexact=city)
    if sector:
        qs = qs.filter(sector_wz__startswith=sector)
    return apply_sort(qs, ORGANIZATION_SORTS, sort)


def person_list(
    *,
    user: Any,
    masterplan: Masterplan,
    q: str = "",
    organization: int | None = None,
    contact: bool | None = None,
    sort: str = "name",
) -> tuple[QuerySet[Person], str]:
    """The people of a plan the user may see, each with their current affiliations."""
    qs = Person.objects.filter(**visible_filter(user, masterplan)).select_related("masterplan")
    shown = Affiliation.objects.filter(organization__deleted_at__isnull=True)
    if not is_plan_member(user, masterplan):
        # The public sees only published links to published organisations.
        shown = shown.filter(
            publication=Publication.PUBLISHED, organization__publication=Publication.PUBLISHED
        )
    qs = qs.prefetch_related(
        Prefetch("affiliations", queryset=shown.select_related("organization"))
    )
    if q:
        qs = search_terms(qs, q, ("given_name", "family_name", "function", "email"))
    if organization:
        qs = qs.filter(
            affiliations__organization_id=organization, affiliations__deleted_at__isnull=True
        ).distinct()
    if contact is not None:
        qs = qs.filter(consent_to_publish=contact)
    return apply_sort(qs, PERSON_SORTS, sort)


def organization_affiliations(*, user: Any, organization: Organization) -> QuerySet[Affiliation]:
    """The people linked to an organisation, as the user may see them.

    The public sees a link only when the link and the person are both published.
    """
    visible = visible_filter(user, organization.masterplan)
    return (
        Affiliation.objects.filter(organization=organization, person__deleted_at__isnull=True)
        .filter(**visible)
        .filter(**{f"person__{k}": v for k, v in visible.items()})
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "id")
    )


def person_affiliations(*, user: Any, person: Person) -> QuerySet[Affiliation]:
    """The organisations a person is linked to, as the user may see them.

    The public sees a link only when the link and the organisation are both published.
    """
    visible = visible_filter(user, person.masterplan)
    return (
        Affiliation.objects.filter(person=person, organization__deleted_at__isnull=True)
        .filter(**visible)
        .filter(**{f"organization__{k}": v for k, v in visible.items()})
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
