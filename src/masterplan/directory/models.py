"""Organisations, people and their affiliations: the directory every module refers to."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masterplan.core.models import PlanScopedModel

ags_validator = RegexValidator(r"^\d{8}$", _("An AGS has exactly 8 digits."))
wz_validator = RegexValidator(
    r"^[A-U](\d{2}(\.\d{1,2}(\.\d)?)?)?$|^\d{2}(\.\d{1,2}(\.\d)?)?$",
    _("A WZ 2008 code looks like “C”, “24” or “24.10”."),
)


class OrganizationKind(models.TextChoices):
    CITY = "city", _("City")
    CITY_DEPARTMENT = "city_department", _("City department")
    CHAMBER = "chamber", _("Chamber")
    ASSOCIATION = "association", _("Association")
    COMPANY = "company", _("Company")
    STARTUP = "startup", _("Start-up")
    INVESTOR = "investor", _("Investor")
    RESEARCH = "research", _("Research institute")
    UNION = "union", _("Union")
    POLITICAL_COMMITTEE = "political_committee", _("Political committee")
    OTHER = "other", _("Other")


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{model_name}_unique_external_id",
    )


class Organization(PlanScopedModel):
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    sector_wz = models.CharField(
        _("sector (WZ 2008)"), max_length=10, blank=True, validators=[wz_validator]
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_year = models.PositiveSmallIntegerField(
        _("employees as of (year)"), null=True, blank=True
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    ags = models.CharField(
        _("municipality key (AGS)"), max_length=8, blank=True, validators=[ags_validator]
    )
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints: ClassVar = [unique_external_id("organization")]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "name"]),
            models.Index(fields=["masterplan", "kind", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def owner_organization_ids(self) -> set[int]:
        return {self.pk}

    def clean(self) -> None:
        ancestor, seen = self.parent, 0
        while ancestor is not None and seen < 50:
            if ancestor.masterplan_id != self.masterplan_id:
                raise ValidationError({"parent": _("The parent belongs to another masterplan.")})
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An organisation cannot be its own parent or ancestor.")}
                )
            ancestor, seen = ancestor.parent, seen + 1

    def get_absolute_url(self) -> str:
        return reverse("directory:organization_detail", args=[self.masterplan.slug, self.pk])


class Person(PlanScopedModel):
    title = models.CharField(_("title"), max_length=40, blank=True, help_text=_("e.g. Dr."))
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_to_publish = models.BooleanField(
        _("consents to be published as contact person"), default=False
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=40, blank=True)

    class Meta:
        ordering = ("family_name", "given_name", "id")
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints: ClassVar = [unique_external_id("person")]
        indexes: ClassVar = [models.Index(fields=["masterplan", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.given_name, self.family_name) if p)

    def owner_organization_ids(self) -> set[int]:
        return {a.organization_id for a in self.affiliations.all()}

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.masterplan.slug, self.pk])


class Affiliation(PlanScopedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ("organization__name", "start", "id")
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints: ClassVar = [
            unique_external_id("affiliation"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id}

    def clean(self) -> None:
        if (
            self.organization.masterplan_id != self.masterplan_id
            or self.person.masterplan_id != self.masterplan_id
        ):
            raise ValidationError(_("Person and organisation must belong to the same masterplan."))
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date lies before the start date.")})
