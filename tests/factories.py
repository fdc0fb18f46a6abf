"""Shared factories with realistic data from the seeds' cities."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from masterplan.core.models import PlanRole, Publication, Role
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person
from masterplan.plans.models import Masterplan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class MasterplanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Masterplan

    name = factory.Sequence(lambda n: f"Masterplan Wirtschaft {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    city = "Duisburg"
    ags = "05112000"
    publication = Publication.PUBLISHED


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    masterplan = factory.SubFactory(MasterplanFactory)
    name = factory.Sequence(lambda n: f"Ruhrort Logistik {n} GmbH")
    kind = OrganizationKind.COMPANY
    city = "Duisburg"
    sector_wz = "52.24"
    employees = 120
    employees_year = 2024
    publication = Publication.PUBLISHED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    masterplan = factory.SubFactory(MasterplanFactory)
    given_name = factory.Iterator(["Christian", "Jennifer", "Geraldine", "Avelina", "Peter"])
    family_name = factory.Sequence(lambda n: f"Kleff{n}")
    function = "Referentin"
    publication = Publication.PUBLISHED


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(
        OrganizationFactory, masterplan=factory.SelfAttribute("..person.masterplan")
    )
    masterplan = factory.SelfAttribute("person.masterplan")
    role = "Geschäftsführer"
    publication = Publication.PUBLISHED


def grant(
    user: object, masterplan: Masterplan, role: str, organization: Organization | None = None
) -> PlanRole:
    return PlanRole.objects.create(
        user=user, masterplan=masterplan, role=role, organization=organization
    )


__all__ = [
    "AffiliationFactory",
    "MasterplanFactory",
    "OrganizationFactory",
    "PersonFactory",
    "Role",
    "UserFactory",
    "grant",
]
