"""CO2 tracker of a masterplan's industry network (GHG Protocol Corporate Standard).

Data and invariants only; the figures are pure functions in figures.py.

Units, fixed so that every figure can be checked by hand:
- electricity, gas, district heat: kWh; heating oil, diesel, petrol: litres or kWh (per report,
  converted with the net calorific values in figures.NET_CALORIFIC_KWH_PER_LITRE);
- process emissions: t CO2; green-power supplier factor: g CO2/kWh;
- emission factors: g CO2/kWh, kg CO2/kWh or kg CO2e/kWh (as the source publishes them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from masterplan.core.models import Masterplan, PlanScopedModel, Publication


def published_with_organization(prefix: str = "") -> Q:
    """For the public: a published record of a published organisation; a draft organisation's
    name is not revealed through its membership, reports or structural changes."""
    return Q(
        **{
            f"{prefix}publication": Publication.PUBLISHED,
            f"{prefix}organization__publication": Publication.PUBLISHED,
            f"{prefix}organization__deleted_at__isnull": True,
        }
    )


YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"climate_{model_name}_unique_external_id",
    )


class Carrier(models.TextChoices):
    ELECTRICITY_GRID_MIX = "electricity_grid_mix", _("Electricity, grid mix (location-based)")
    ELECTRICITY_RESIDUAL_MIX = "electricity_residual_mix", _("Electricity, residual mix")
    NATURAL_GAS = "natural_gas", _("Natural gas")
    HEATING_OIL = "heating_oil", _("Heating oil")
    DISTRICT_HEAT = "district_heat", _("District heat")
    DIESEL = "diesel", _("Diesel")
    PETROL = "petrol", _("Petrol")


class FactorUnit(models.TextChoices):
    G_PER_KWH = "g CO2/kWh", "g CO2/kWh"
    KG_PER_KWH = "kg CO2/kWh", "kg CO2/kWh"
    KG_E_PER_KWH = "kg CO2e/kWh", "kg CO2e/kWh"


# Tonnes per kWh for one unit of the factor's value.
TONNES_PER_UNIT: dict[str, Decimal] = {
    FactorUnit.G_PER_KWH: Decimal("0.000001"),
    FactorUnit.KG_PER_KWH: Decimal("0.001"),
    FactorUnit.KG_E_PER_KWH: Decimal("0.001"),
}


class FactorBasis(models.TextChoices):
    DIRECT = "direct", _("Direct CO2 (combustion only) — used for the balance")
    UPSTREAM = "upstream", _("Including upstream chain — for reference only")


class EmissionFactor(PlanScopedModel):
    """A CO2 factor of an energy carrier.

    Global defaults have no masterplan (loaded from the packaged reference table); a row with a
    masterplan overrides the default of the same carrier for that plan. A factor with a year
    applies to that year only (the grid mix changes every year); a factor without a year
    applies to every year (a fuel's combustion factor is a property of the fuel).
    """

    # Nullable here, unlike on every other plan object: global defaults belong to no plan.
    masterplan = models.ForeignKey(  # type: ignore[assignment]
        "core.Masterplan",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("masterplan"),
        help_text=_("Empty: a global default for every masterplan."),
    )
    carrier = models.CharField(_("energy carrier"), max_length=30, choices=Carrier.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Empty: valid for every year (combustion factors of fuels)."),
    )
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=6, validators=NOT_NEGATIVE
    )
    unit = models.CharField(_("unit"), max_length=15, choices=FactorUnit.choices)
    basis = models.CharField(
        _("basis"), max_length=10, choices=FactorBasis.choices, default=FactorBasis.DIRECT
    )
    status = models.CharField(
        _("status of the figure"), max_length=60, blank=True, help_text=_("e.g. preliminary")
    )
    source = models.CharField(_("source"), max_length=300)
    vintage = models.PositiveSmallIntegerField(
        _("vintage"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Year the figure was published."),
    )

    class Meta:
        ordering = ("carrier", "year", "id")
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        constraints: ClassVar = [unique_external_id("emissionfactor")]
        indexes: ClassVar = [models.Index(fields=["masterplan", "carrier", "year"])]

    def __str__(self) -> str:
        year = self.year if self.year is not None else _("every year")
        return f"{self.get_carrier_display()} {year}: {self.value} {self.unit}"

    def owner_organization_ids(self) -> set[int]:
        return set()

    @property
    def tonnes_per_kwh(self) -> Decimal:
        return self.value * TONNES_PER_UNIT[self.unit]

    def get_absolute_url(self) -> str:
        slug = self.masterplan.slug if self.masterplan else ""
        return reverse("climate:factor_list", args=[slug])


class ScopeTwoMethod(models.TextChoices):
    LOCATION = "location", _("location-based")
    MARKET = "market", _("market-based")


class ClimatePolicy(PlanScopedModel):
    """The rules of a plan's CO2 balance: base year, significance threshold and target."""

    network = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network (association)"),
    )
    base_year = models.PositiveSmallIntegerField(
        _("base year"), default=2016, validators=YEAR_VALIDATORS
    )
    significance_percent = models.DecimalField(
        _("significance threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("A change of the base year at least this large is recalculated."),
    )
    target_reduction_percent = models.DecimalField(
        _("target reduction (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(33),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"), default=2030, validators=YEAR_VALIDATORS
    )
    target_method = models.CharField(
        _("Scope 2 method of the target"),
        max_length=10,
        choices=ScopeTwoMethod.choices,
        default=ScopeTwoMethod.MARKET,
    )

    class Meta:
        verbose_name = _("climate policy")
        verbose_name_plural = _("climate policies")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["masterplan"],
                condition=models.Q(deleted_at__isnull=True),
                name="climate_one_policy_per_plan",
            ),
            unique_external_id("climatepolicy"),
        ]

    def __str__(self) -> str:
        return str(_("Climate policy of %(plan)s") % {"plan": self.masterplan})

    def owner_organization_ids(self) -> set[int]:
        return set()

    def clean(self) -> None:
        if self.target_year <= self.base_year:
            raise ValidationError({"target_year": _("The target year lies after the base year.")})

    def get_absolute_url(self) -> str:
        return reverse("climate:overview", args=[self.masterplan.slug])


class NetworkMembership(PlanScopedModel):
    """An organisation's membership of the network: joined in one year, left in another."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    joined_year = models.PositiveSmallIntegerField(_("joined (year)"), validators=YEAR_VALIDATORS)
    left_year = models.PositiveSmallIntegerField(
        _("left (year)"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("First year in which the organisation is no longer a member."),
    )
    figures_public = models.BooleanField(
        _("CO2 figures may be published"),
        default=False,
        help_text=_(
            "Only with the company's consent are its own CO2 figures shown to the public "
            "(pages, API, PDF, exports); otherwise the public sees the network total only."
        ),
    )
    figures_public_since = models.DateTimeField(
        _("consent to publish given on"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ("organization__name", "id")
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints: ClassVar = [
            unique_external_id("networkmembership"),
            models.UniqueConstraint(
                fields=["masterplan", "organization"],
                condition=models.Q(deleted_at__isnull=True),
                name="climate_one_membership_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id}

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return published_with_organization(prefix)

    def clean(self) -> None:
        if self.left_year is not None and self.left_year <= self.joined_year:
            raise ValidationError({"left_year": _("An organisation leaves after it joined.")})
        organization = getattr(self, "organization", None)
        if organization is not None and organization.masterplan_id != self.masterplan_id:
            raise ValidationError({"organization": _("The organisation belongs to another plan.")})

    def is_member_in(self, year: int) -> bool:
        return self.joined_year <= year and (self.left_year is None or year < self.left_year)

    def get_absolute_url(self) -> str:
        return reverse("climate:member_detail", args=[self.masterplan.slug, self.pk])


def consenting_organizations(masterplan: Masterplan) -> models.QuerySet[NetworkMembership, int]:
    """Ids of the plan's organisations that agreed to publish their own CO2 figures."""
    return NetworkMembership.objects.filter(
        masterplan=masterplan, figures_public=True, publication=Publication.PUBLISHED
    ).values_list("organization_id", flat=True)


class FuelUnit(models.TextChoices):
    LITRE = "l", _("litres")
    KWH = "kWh", "kWh"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FINAL = "final", _("Final")


def kwh_field(label: StrOrPromise) -> models.DecimalField[Decimal | float | str, Decimal]:
    return models.DecimalField(
        label, max_digits=16, decimal_places=3, default=Decimal(0), validators=NOT_NEGATIVE
    )


class EnergyReport(PlanScopedModel):
    """One organisation's energy use and emissions in one year."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    electricity_grid_kwh = kwh_field(_("electricity from the grid (kWh)"))
    own_renewables_kwh = kwh_field(_("own renewable electricity (kWh)"))
    green_power_kwh = kwh_field(_("green-power contracts (kWh)"))
    green_power_factor = models.DecimalField(
        _("supplier factor of the green power (g CO2/kWh)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    natural_gas_kwh = kwh_field(_("natural gas (kWh)"))
    heating_oil = kwh_field(_("heating oil"))
    heating_oil_unit = models.CharField(
        _("unit of heating oil"), max_length=3, choices=FuelUnit.choices, default=FuelUnit.LITRE
    )
    district_heat_kwh = kwh_field(_("district heat (kWh)"))
    diesel = kwh_field(_("diesel"))
    diesel_unit = models.CharField(
        _("unit of diesel"), max_length=3, choices=FuelUnit.choices, default=FuelUnit.LITRE
    )
    petrol = kwh_field(_("petrol"))
    petrol_unit = models.CharField(
        _("unit of petrol"), max_length=3, choices=FuelUnit.choices, default=FuelUnit.LITRE
    )
    process_t_co2 = kwh_field(_("process emissions (t CO2)"))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    output_value = models.DecimalField(
        _("output"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("For the intensity, e.g. tonnes produced or turnover."),
    )
    output_unit = models.CharField(_("unit of the output"), max_length=30, blank=True)
    estimated = models.BooleanField(
        _("contains estimated values"), default=False, help_text=_("Shown as a data-quality note.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("organization__name", "year", "id")
        verbose_name = _("energy report")
        verbose_name_plural = _("energy reports")
        constraints: ClassVar = [
            unique_external_id("energyreport"),
            models.UniqueConstraint(
                fields=["masterplan", "organization", "year"],
                condition=models.Q(deleted_at__isnull=True),
                name="climate_one_report_per_organization_and_year",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["masterplan", "year"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id}

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """A single report reaches the public only when its company agreed to publish its
        figures; the network total (queries.network_report_figures) counts it regardless."""
        return published_with_organization(prefix) & Q(
            **{f"{prefix}organization__in": consenting_organizations(masterplan)}
        )

    def clean(self) -> None:
        if self.green_power_kwh and self.green_power_factor is None:
            raise ValidationError(
                {"green_power_factor": _("Green power needs the supplier's emission factor.")}
            )
        if self.output_value is not None and not self.output_unit:
            raise ValidationError({"output_unit": _("State the unit of the output.")})
        organization = getattr(self, "organization", None)
        if organization is not None and organization.masterplan_id != self.masterplan_id:
            raise ValidationError({"organization": _("The organisation belongs to another plan.")})
        duplicate = EnergyReport.objects.filter(
            masterplan_id=self.masterplan_id, organization_id=self.organization_id, year=self.year
        ).exclude(pk=self.pk)
        if self.organization_id and duplicate.exists():
            raise ValidationError(
                {"year": _("There is already an energy report of this organisation for this year.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("climate:report_detail", args=[self.masterplan.slug, self.pk])


class ChangeKind(models.TextChoices):
    ACQUISITION = "acquisition", _("Acquisition")
    DIVESTMENT = "divestment", _("Divestment")
    OUTSOURCING = "outsourcing", _("Outsourcing")
    INSOURCING = "insourcing", _("Insourcing")


class StructuralChange(PlanScopedModel):
    """A change of a member's boundary that moves emissions in or out (GHG Protocol ch. 5)."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=YEAR_VALIDATORS, help_text=_("First year with the new boundary.")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ChangeKind.choices)
    base_year_effect_t = models.DecimalField(
        _("effect on the base year (t CO2)"),
        max_digits=14,
        decimal_places=3,
        help_text=_(
            "Emissions of the unit in the base year: positive when they come in "
            "(acquisition, insourcing), negative when they go out (divestment, outsourcing)."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("year", "id")
        verbose_name = _("structural change")
        verbose_name_plural = _("structural changes")
        constraints: ClassVar = [unique_external_id("structuralchange")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()} {self.year}"

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id}

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return published_with_organization(prefix)

    def clean(self) -> None:
        incoming = self.kind in (ChangeKind.ACQUISITION, ChangeKind.INSOURCING)
        effect = self.base_year_effect_t
        if effect is not None and effect != 0 and incoming != (effect > 0):
            raise ValidationError(
                {
                    "base_year_effect_t": _(
                        "Acquisitions and insourcing add emissions (positive), divestments "
                        "and outsourcing remove them (negative)."
                    )
                }
            )

    def get_absolute_url(self) -> str:
        return reverse("climate:overview", args=[self.masterplan.slug])
