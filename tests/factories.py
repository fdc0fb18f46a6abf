"""Shared factories with realistic data from the seeds' cities."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.contrib.auth import get_user_model

from masterplan.core.models import Masterplan, PlanRole, Publication, Role
from masterplan.directory.models import Affiliation, Organization, OrganizationKind, Person


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


def seeded_statuses(masterplan: Masterplan) -> dict[str, Any]:
    """The default status catalogue, as created for every new masterplan."""
    from masterplan.plans.models import MeasureStatus
    from masterplan.plans.services import DEFAULT_STATUSES

    statuses = {}
    for position, (name, phase, progress) in enumerate(DEFAULT_STATUSES):
        statuses[name] = MeasureStatus.objects.create(
            masterplan=masterplan,
            name=name,
            phase=phase,
            default_progress=progress,
            position=position,
            publication=Publication.PUBLISHED,
        )
    return statuses


def first_status(masterplan: Masterplan) -> Any:
    from masterplan.plans.models import MeasureStatus

    existing = MeasureStatus.objects.filter(masterplan=masterplan).first()
    return existing or seeded_statuses(masterplan)["Idee"]


class FieldOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.FieldOfAction"

    masterplan = factory.SubFactory(MasterplanFactory)
    name = factory.Iterator(["Schnellere Genehmigungsverfahren", "Start-ups", "Wirtschaftsdialog"])
    publication = Publication.PUBLISHED


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Goal"

    field = factory.SubFactory(FieldOfActionFactory)
    masterplan = factory.SelfAttribute("field.masterplan")
    statement = "Top 10 der deutschen Oberzentren mit den schnellsten Genehmigungsverfahren"
    publication = Publication.PUBLISHED


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.KeyResult"

    goal = factory.SubFactory(GoalFactory)
    masterplan = factory.SelfAttribute("goal.masterplan")
    name = "Median-Verfahrensdauer Baugenehmigung (Tage)"
    unit = "Tage"
    baseline_value = 120
    baseline_date = date(2022, 1, 1)
    target_value = 60
    target_date = date(2025, 12, 31)
    publication = Publication.PUBLISHED


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Measure"

    goal = factory.SubFactory(GoalFactory)
    masterplan = factory.SelfAttribute("goal.masterplan")
    title = factory.Sequence(lambda n: f"Business beim Brötchen – Wirtschaftsdialog {n}")
    lead_organization = factory.SubFactory(
        OrganizationFactory, masterplan=factory.SelfAttribute("..masterplan")
    )
    status = factory.LazyAttribute(lambda o: first_status(o.masterplan))
    publication = Publication.PUBLISHED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Milestone"

    measure = factory.SubFactory(MeasureFactory)
    masterplan = factory.SelfAttribute("measure.masterplan")
    title = "Workshop Kernzone Reisholz"
    due = date(2026, 6, 30)
    publication = Publication.PUBLISHED
