"""Directory API: organisations, people and their affiliations, with the same queries and
services as the pages."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from masterplan.core.api import Call, Crud, Operations, actor, patch_of
from masterplan.core.permissions import Level, can_see_contact_details
from masterplan.directory import queries, services
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person

ops = Operations("directory", __name__, references={"parent_id": Organization})


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


OrganizationPatch = patch_of(OrganizationIn)


class OrganizationOut(OrganizationIn):
    id: int
    version: int
    is_sample: bool
    created_at: datetime
    modified_at: datetime


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


PersonPatch = patch_of(PersonIn)


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


class AffiliationIn(Schema):
    organization_id: int
    role: str = ""
    start: date | None = None
    end: date | None = None


organizations = Crud(
    ops, "organization", Organization, "/{plan}/directory/organizations", OrganizationOut
)
organizations.list(
    queries.ORGANIZATIONS,
    lambda call, filters: call.query(queries.organization_list, filters)[0],
    doc="Organisations of the plan, with the filters of the list page.",
)
organizations.create(OrganizationIn, services.organization_create, Level.PLAN_MANAGE)
organizations.detail()
organizations.update(OrganizationPatch, services.organization_update)
organizations.delete(services.organization_delete, Level.PLAN_MANAGE)

people = Crud(ops, "person", Person, "/{plan}/directory/people", PersonOut)
people.list(
    queries.PEOPLE,
    lambda call, filters: call.query(queries.person_list, filters)[0],
    doc="People of the plan with their affiliations.",
)
people.create(PersonIn, services.person_create, Level.PLAN_CREATE)
people.detail()
people.update(PersonPatch, services.person_update)
people.delete(services.person_delete)


@ops.post(
    "/{plan}/directory/people/{pk}/affiliations",
    AffiliationOut,
    Level.OBJECT_EDIT,
    Person,
    status=201,
)
def affiliation_create(call: Call, payload: AffiliationIn) -> Affiliation:
    fields = payload.dict()
    organization = ops.visible_object(call, Organization, fields.pop("organization_id"))
    return services.affiliation_create(
        actor=call.user, person=call.obj, organization=organization, **fields
    )


Crud(ops, "affiliation", Affiliation, "/{plan}/directory/affiliations", AffiliationOut).delete(
    services.affiliation_delete
)
