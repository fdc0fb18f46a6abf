"""Indicators (Kennzahlen): time series of observations with targets.

An indicator is measured per period (year, quarter, month) for the whole masterplan, for a
region or per organisation; organisation values are aggregated to one value per period
(figures.aggregate). Targets link an indicator to goals and key results of the plan.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.models import Masterplan, PlanScopedModel, Publication

MAX_DIGITS = 20
DECIMAL_PLACES = 4


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")


class Granularity(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class Scope(models.TextChoices):
    MASTERPLAN = "masterplan", _("Masterplan")
    REGION = "region", _("Region")
    ORGANIZATION = "organization", _("Organisation")


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class Indicator(PlanScopedModel):
    """Kennzahl: what is measured, in which unit, and which direction is good."""

    code = models.CharField(
        _("code"), max_length=40, help_text=_("Short unique key, e.g. DU-GEN-DAUER.")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregation over organisations"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    weight_indicator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("weights from indicator"),
        help_text=_(
            "For the weighted mean: each organisation's value is weighted with its value of "
            "this indicator in the same period (e.g. employees)."
        ),
    )
    granularity = models.CharField(
        _("granularity"), max_length=10, choices=Granularity.choices, default=Granularity.YEAR
    )
    method = models.TextField(_("method"), blank=True, help_text=_("How the value is measured."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    follows = models.CharField(
        _("computed from"),
        max_length=60,
        blank=True,
        help_text=_(
            "A figure another module computes (e.g. the land reserve's reach): its values are "
            "recorded for each period instead of being entered."
        ),
    )
    responsible_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )

    class Meta:
        ordering = ("code", "id")
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["masterplan", "code"], name="indicators_indicator_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.responsible_organization_id} if self.responsible_organization_id else set()

    def clean(self) -> None:
        errors = {}
        if self.aggregation == Aggregation.WEIGHTED_MEAN and not self.weight_indicator_id:
            errors["weight_indicator"] = _(
                "A weighted mean needs the indicator that supplies the weights."
            )
        if self.weight_indicator_id and self.weight_indicator_id == self.pk:
            errors["weight_indicator"] = _("An indicator cannot weight itself.")
        if errors:
            raise ValidationError(errors)


class Observation(PlanScopedModel):
    """One value of an indicator for one period and one subject (plan, region, organisation)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("indicator"),
    )
    granularity = models.CharField(_("granularity"), max_length=10, choices=Granularity.choices)
    period_start = models.DateField(
        _("period start"), help_text=_("First day of the year, quarter or month.")
    )
    value = models.DecimalField(_("value"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    scope = models.CharField(
        _("scope"), max_length=20, choices=Scope.choices, default=Scope.MASTERPLAN
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    region_code = models.CharField(
        _("region code"), max_length=20, blank=True, help_text=_("E.g. the AGS of a district.")
    )
    region_name = models.CharField(_("region"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObservationStatus.choices,
        default=ObservationStatus.FINAL,
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    import_job = models.ForeignKey(
        "core.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ("indicator", "period_start", "scope", "id")
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints: ClassVar = [
            # One value per indicator, period and subject; deleted values do not count.
            models.UniqueConstraint(
                fields=["indicator", "granularity", "period_start", "organization"],
                condition=models.Q(scope="organization", deleted_at__isnull=True),
                name="indicators_observation_unique_organization_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "granularity", "period_start", "scope", "region_code"],
                condition=~models.Q(scope="organization") & models.Q(deleted_at__isnull=True),
                name="indicators_observation_unique_period",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start:%Y-%m-%d}: {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.masterplan.slug, self.indicator_id])

    @property
    def period_label(self) -> str:
        from masterplan.indicators.figures import period_label

        return period_label(self.granularity, self.period_start)

    def owner_organization_ids(self) -> set[int]:
        owners = set(self.indicator.owner_organization_ids())
        if self.organization_id:
            owners.add(self.organization_id)
        return owners

    @classmethod
    def visibility_filter(cls, user: Actor, masterplan: Masterplan, prefix: str = "") -> Q:
        """Values of a deleted indicator are gone for everyone."""
        return super().visibility_filter(user, masterplan, prefix) & Q(
            **{f"{prefix}indicator__deleted_at__isnull": True}
        )

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published values of published indicators."""
        return Q(
            **{
                f"{prefix}publication": Publication.PUBLISHED,
                f"{prefix}indicator__publication": Publication.PUBLISHED,
            }
        )

    def clean(self) -> None:
        errors = {}
        if self.scope == Scope.ORGANIZATION and not self.organization_id:
            errors["organization"] = _("Choose the organisation this value belongs to.")
        if self.scope != Scope.ORGANIZATION and self.organization_id:
            errors["organization"] = _("Only values with scope “organisation” name one.")
        if self.scope == Scope.REGION and not (self.region_code or self.region_name):
            errors["region_code"] = _("Give the region's code or name.")
        if errors:
            raise ValidationError(errors)


class Target(PlanScopedModel):
    """A target value of an indicator by a date, optionally from a baseline; may drive a goal's
    key result (the key result then takes its current value from the indicator)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    value = models.DecimalField(
        _("target value"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    target_date = models.DateField(_("target date"))
    baseline_value = models.DecimalField(
        _("baseline"), null=True, blank=True, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    goal = models.ForeignKey(
        "plans.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goal"),
    )
    key_result = models.ForeignKey(
        "plans.KeyResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key result"),
        help_text=_("The key result then takes its current value from this indicator."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("indicator", "target_date", "id")
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints: ClassVar = [
            # A key result takes its value from one indicator only.
            models.UniqueConstraint(
                fields=["key_result"],
                condition=models.Q(key_result__isnull=False, deleted_at__isnull=True),
                name="indicators_target_one_per_key_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value} ({self.target_date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.masterplan.slug, self.indicator_id])

    def owner_organization_ids(self) -> set[int]:
        return self.indicator.owner_organization_ids()

    def clean(self) -> None:
        errors = {}
        if (self.baseline_value is None) != (self.baseline_date is None):
            errors["baseline_date"] = _("Give both the baseline value and its date, or neither.")
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must lie after the baseline date.")
        if errors:
            raise ValidationError(errors)
