"""Directory API: the same queries and services as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from masterplan.core.api import (
    Problem,
    ValidationProblem,
    actor,
    declare,
    object_for,
    plan_for,
    version_from,
    with_etag,
)
from masterplan.core.permissions import Level, can_see_contact_details
from masterplan.directory import queries, services
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person

router = Router(tags=["directory"])

ERRORS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    412: Problem,
    422: ValidationProblem,
    428: Problem,
}


class OrganizationIn(Schema):
    name: str = Field(max_length=200)
    legal_name: str = ""
    kind: OrganizationKind
    sector_wz: str = ""
    employees: int | None = Field(None, ge=0)
    employees_year: int | None = None
    street: str = ""
    postcode: str = ""
    city: str = ""
    ags: str = ""
    website: str = ""
    parent_id: int | None = None
    description: str = ""
    external_id: str = ""
    publication: str = "draft"


class OrganizationPatch(Schema):
    version: int | None = None
    name: str | None = Field(None, max_length=200)
    legal_name: str | None = None
    kind: OrganizationKind | None = None
    sector_wz: str | None = None
    employees: int | None = Field(None, ge=0)
    employees_year: int | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    ags: str | None = None
    website: str | None = None
    parent_id: int | None = None
    description: str | None = None
    external_id: str | None = None
    publication: str | None = None


class OrganizationOut(OrganizationIn):
    id: int
    version: int
    is_sample: bool
    created_at: datetime
    modified_at: datetime


@queries.ORGANIZATIONS.schema
class OrganizationFilter(Schema):
    pass


class PersonIn(Schema):
    title: str = ""
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    function: str = ""
    email: str = ""
    phone: str = ""
    consent_to_publish: bool = False
    consent_text_version: str = ""
    external_id: str = ""
    publication: str = "draft"


class PersonPatch(Schema):
    version: int | None = None
    title: str | None = None
    given_name: str | None = Field(None, max_length=100)
    family_name: str | None = Field(None, max_length=100)
    function: str | None = None
    email: str | None = None
    phone: str | None = None
    consent_to_publish: bool | None = None
    consent_text_version: str | None = None
    external_id: str | None = None
    publication: str | None = None


class AffiliationOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    role: str
    start: date | None
    end: date | None
    version: int


class PersonOut(PersonIn):
    id: int
    version: int
    is_sample: bool
    created_at: datetime
    modified_at: datetime
    affiliations: list[AffiliationOut]

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Affiliation]:
        return list(obj.affiliations.all())

    @staticmethod
    def resolve_email(obj: Person, context: dict[str, Any]) -> str:
        return obj.email if contact_visible(obj, context) else ""

    @staticmethod
    def resolve_phone(obj: Person, context: dict[str, Any]) -> str:
        return obj.phone if contact_visible(obj, context) else ""


def contact_visible(person: Person, context: dict[str, Any]) -> bool:
    """Contact details only for the plan's members or with the person's consent."""
    return can_see_contact_details(actor(context["request"]), person)


@queries.PEOPLE.schema
class PersonFilter(Schema):
    pass


class AffiliationIn(Schema):
    organization_id: int
    role: str = ""
    start: date | None = None
    end: date | None = None


def patch_fields(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data


@router.get(
    "/{plan}/directory/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def organization_list(request: HttpRequest, plan: str, filters: Query[OrganizationFilter]) -> Any:
    """Organisations of the plan, with the filters of the list page."""
    qs, _ = queries.organization_list(
        user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
    )
    return qs


@router.post(
    "/{plan}/directory/organizations",
    response={201: OrganizationOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE),
)
def organization_create(
    request: HttpRequest, plan: str, payload: OrganizationIn, response: HttpResponse
) -> Any:
    organization = services.organization_create(
        actor=actor(request),
        masterplan=plan_for(request, plan, Level.PLAN_MANAGE),
        **payload.dict(),
    )
    with_etag(response, organization)
    return Status(201, organization)


@router.get(
    "/{plan}/directory/organizations/{pk}",
    response={200: OrganizationOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Organization),
)
def organization_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    organization = object_for(request, Organization, plan, pk)
    with_etag(response, organization)
    return organization


@router.patch(
    "/{plan}/directory/organizations/{pk}",
    response={200: OrganizationOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Organization),
)
def organization_update(
    request: HttpRequest, plan: str, pk: int, payload: OrganizationPatch, response: HttpResponse
) -> Any:
    organization = services.organization_update(
        actor=actor(request),
        organization=object_for(request, Organization, plan, pk, edit=True),
        version=version_from(request, payload.version),
        **patch_fields(payload),
    )
    with_etag(response, organization)
    return organization


@router.delete(
    "/{plan}/directory/organizations/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.PLAN_MANAGE, Organization),
)
def organization_delete(
    request: HttpRequest, plan: str, pk: int, version: int | None = None
) -> Any:
    organization = object_for(request, Organization, plan, pk)
    plan_for(request, plan, Level.PLAN_MANAGE)
    services.organization_delete(
        actor=actor(request), organization=organization, version=version_from(request, version)
    )
    return Status(204, None)


@router.get(
    "/{plan}/directory/people",
    response={200: list[PersonOut], **ERRORS},
    openapi_extra=declare(Level.PLAN_VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def person_list(request: HttpRequest, plan: str, filters: Query[PersonFilter]) -> Any:
    """People of the plan with their affiliations."""
    qs, _ = queries.person_list(
        user=actor(request), masterplan=plan_for(request, plan), **filters.dict()
    )
    return qs


@router.post(
    "/{plan}/directory/people",
    response={201: PersonOut, **ERRORS},
    openapi_extra=declare(Level.PLAN_CREATE),
)
def person_create(
    request: HttpRequest, plan: str, payload: PersonIn, response: HttpResponse
) -> Any:
    person = services.person_create(
        actor=actor(request),
        masterplan=plan_for(request, plan, Level.PLAN_CREATE),
        **payload.dict(),
    )
    with_etag(response, person)
    return Status(201, person)


@router.get(
    "/{plan}/directory/people/{pk}",
    response={200: PersonOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_VIEW, Person),
)
def person_detail(request: HttpRequest, plan: str, pk: int, response: HttpResponse) -> Any:
    person = object_for(request, Person, plan, pk)
    with_etag(response, person)
    return person


@router.patch(
    "/{plan}/directory/people/{pk}",
    response={200: PersonOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Person),
)
def person_update(
    request: HttpRequest, plan: str, pk: int, payload: PersonPatch, response: HttpResponse
) -> Any:
    person = services.person_update(
        actor=actor(request),
        person=object_for(request, Person, plan, pk, edit=True),
        version=version_from(request, payload.version),
        **patch_fields(payload),
    )
    with_etag(response, person)
    return person


@router.delete(
    "/{plan}/directory/people/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Person),
)
def person_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    person = object_for(request, Person, plan, pk, edit=True)
    services.person_delete(
        actor=actor(request), person=person, version=version_from(request, version)
    )
    return Status(204, None)


@router.post(
    "/{plan}/directory/people/{pk}/affiliations",
    response={201: AffiliationOut, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Person),
)
def affiliation_create(request: HttpRequest, plan: str, pk: int, payload: AffiliationIn) -> Any:
    person = object_for(request, Person, plan, pk, edit=True)
    fields = payload.dict()
    organization = object_for(request, Organization, plan, fields.pop("organization_id"))
    affiliation = services.affiliation_create(
        actor=actor(request), person=person, organization=organization, **fields
    )
    return Status(201, affiliation)


@router.delete(
    "/{plan}/directory/affiliations/{pk}",
    response={204: None, **ERRORS},
    openapi_extra=declare(Level.OBJECT_EDIT, Affiliation),
)
def affiliation_delete(request: HttpRequest, plan: str, pk: int, version: int | None = None) -> Any:
    affiliation = object_for(request, Affiliation, plan, pk, edit=True)
    services.affiliation_delete(
        actor=actor(request), affiliation=affiliation, version=version_from(request, version)
    )
    return Status(204, None)
