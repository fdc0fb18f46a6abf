"""Strategic land management: core zones (Kernzonen), parcels, take-up and site requests.

Data and invariants only; the monitoring figures are pure functions in figures.py and the
matching of site requests in matching.py. Geometry is stored without GeoDjango: polygons in
EPSG:25832 (ETRS89 / UTM zone 32N, metres) as WKB, with their bounding box in four indexed
columns (the prefilter of map and matching queries) and the centroid in WGS84 for the map
(geometry.py converts).

Units: areas in m², distances in km (motorway junction, port) or m (housing), prices in € per m².
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from masterplan.core.models import Masterplan, PlanScopedModel, Publication, nothing

NOT_NEGATIVE = [MinValueValidator(0)]
NOT_NEGATIVE_DECIMAL = [MinValueValidator(Decimal(0))]


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"land_{model_name}_unique_external_id",
    )


def published(prefix: str = "") -> Q:
    return Q(**{f"{prefix}publication": Publication.PUBLISHED, f"{prefix}deleted_at__isnull": True})


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class AreaType(models.TextChoices):
    """Art der baulichen Nutzung (BauNVO) of a parcel or a request."""

    GI = "GI", _("GI – industrial area (§ 9 BauNVO)")
    GE = "GE", _("GE – commercial area (§ 8 BauNVO)")
    MI = "MI", _("MI – mixed area (§ 6 BauNVO)")
    MU = "MU", _("MU – urban area (§ 6a BauNVO)")
    SO = "SO", _("SO – special area (§§ 10, 11 BauNVO)")


class Availability(models.TextChoices):
    IMMEDIATE = "immediate", _("Available immediately")
    MEDIUM_TERM = "medium_term", _("Available in the medium term")
    RESTRICTED = "restricted", _("Restricted availability")


class Restriction(models.TextChoices):
    NONE = "none", _("No restriction")
    MINOR = "minor", _("Minor restriction")
    SEVERE = "severe", _("Severe restriction")


class ParcelStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    IN_USE = "in_use", _("In use")


class Horizon(models.TextChoices):
    """When a parcel can be used, where no date is known yet."""

    WITHIN_2_YEARS = "within_2", _("Within 2 years")
    TWO_TO_FIVE_YEARS = "2_to_5", _("In 2 to 5 years")
    LATER = "later", _("Later")


class Owner(models.TextChoices):
    PUBLIC = "public", _("Public owner")
    PRIVATE = "private", _("Private owner")


class SectorCategory(models.TextChoices):
    """The categories a core zone's profile ranks (production and craft first in Düsseldorf's
    core zones; logistics, office and large retail after them)."""

    PRODUCTION = "production", _("Production")
    CRAFT = "craft", _("Craft")
    LIFE_SCIENCES = "life_sciences", _("Life sciences")
    LOGISTICS = "logistics", _("Logistics")
    OFFICE = "office", _("Office")
    LARGE_RETAIL = "large_retail", _("Large retail")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    PREFERRED = "preferred", _("Preferred")
    PERMITTED = "permitted", _("Permitted")
    EXCLUDED = "excluded", _("Excluded")


class Located(PlanScopedModel):
    """A record with a polygon: WKB in EPSG:25832, its bounding box and WGS84 centroid."""

    geometry = models.BinaryField(_("geometry (EPSG:25832, WKB)"), null=True, blank=True)
    min_x = models.FloatField(null=True, blank=True, editable=False)
    min_y = models.FloatField(null=True, blank=True, editable=False)
    max_x = models.FloatField(null=True, blank=True, editable=False)
    max_y = models.FloatField(null=True, blank=True, editable=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Invented geometry and figures, shown marked as sample data."),
    )

    class Meta:
        abstract = True


class CoreZone(Located):
    """Kernzone: an industrial or commercial area secured for producing firms, with its own
    sector profile and development guidelines (Düsseldorf, Masterplan Industrie)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("short name"), max_length=20, blank=True)
    profile = models.CharField(
        _("profile"),
        max_length=200,
        blank=True,
        help_text=_("E.g. classic industry, life sciences, port and logistics."),
    )
    description = models.TextField(_("description"), blank=True)
    sector_priorities = models.JSONField(
        _("sector priorities"),
        default=dict,
        blank=True,
        help_text=_("Per sector category: preferred, permitted or excluded."),
    )
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True, editable=False)
    lead_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    contact = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("core zone")
        verbose_name_plural = _("core zones")
        constraints: ClassVar = [unique_external_id("corezone")]
        indexes: ClassVar = [models.Index(fields=["masterplan", "min_x", "min_y"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("land:zone_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.lead_organization_id} if self.lead_organization_id else set()

    def priority_of(self, category: str) -> str:
        return str(self.sector_priorities.get(category, Priority.PERMITTED))

    def clean(self) -> None:
        bad = {
            key: value
            for key, value in (self.sector_priorities or {}).items()
            if key not in SectorCategory.values or value not in Priority.values
        }
        if bad:
            raise ValidationError(
                {"sector_priorities": _("Unknown sector or priority: %(bad)s") % {"bad": bad}}
            )


class GuidelineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    DROPPED = "dropped", _("Dropped")


class Guideline(PlanScopedModel):
    """A development guideline of a core zone (Entwicklungsleitlinie), from a zone workshop.
    Versioned like every tracked record: the history keeps each wording and status."""

    zone = models.ForeignKey(
        CoreZone, on_delete=models.CASCADE, related_name="guidelines", verbose_name=_("core zone")
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GuidelineStatus.choices,
        default=GuidelineStatus.PROPOSED,
    )
    measures = models.ManyToManyField(
        "plans.Measure", blank=True, related_name="land_guidelines", verbose_name=_("measures")
    )

    class Meta:
        ordering = ("zone", "position", "id")
        verbose_name = _("development guideline")
        verbose_name_plural = _("development guidelines")
        constraints: ClassVar = [unique_external_id("guideline")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.zone.get_absolute_url()

    def owner_organization_ids(self) -> set[int]:
        return self.zone.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return published(prefix) & published(f"{prefix}zone__")


class Parcel(Located):
    """A plot in the land reserve (Gewerbe- und Industrieflächenreserve)."""

    name = models.CharField(_("name"), max_length=200)
    cadastral_reference = models.CharField(
        _("cadastral reference"),
        max_length=120,
        blank=True,
        help_text=_("Gemarkung, Flur, Flurstück."),
    )
    locality = models.CharField(_("district"), max_length=120, blank=True)
    core_zone = models.ForeignKey(
        CoreZone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcels",
        verbose_name=_("core zone"),
        help_text=_("Derived from the geometry: the core zone that contains most of it."),
    )
    area_m2 = models.FloatField(
        _("area (m²)"),
        validators=[MinValueValidator(1)],
        help_text=_("Computed from the polygon in EPSG:25832; entered only without one."),
    )
    area_type = models.CharField(_("area type"), max_length=2, choices=AreaType.choices)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.IMMEDIATE,
    )
    restriction = models.CharField(
        _("restriction"), max_length=10, choices=Restriction.choices, default=Restriction.NONE
    )
    restriction_reasons = models.TextField(
        _("reasons for the restriction"),
        blank=True,
        help_text=_("E.g. contamination, ownership not willing to sell, access, protected trees."),
    )
    brownfield = models.BooleanField(_("brownfield"), default=False)
    owner = models.CharField(_("owner"), max_length=10, choices=Owner.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ParcelStatus.choices, default=ParcelStatus.AVAILABLE
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    horizon = models.CharField(
        _("availability horizon"),
        max_length=10,
        choices=Horizon.choices,
        blank=True,
        help_text=_("Where no date is known: when the parcel can be used."),
    )
    price_per_m2 = models.DecimalField(
        _("price (€/m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE_DECIMAL,
    )
    motorway_km = models.FloatField(
        _("distance to the motorway junction (km)"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    rail_siding = models.BooleanField(_("rail siding"), default=False)
    port_km = models.FloatField(
        _("distance to the port (km)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    distance_to_housing_m = models.FloatField(
        _("distance to housing (m)"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("To the nearest residential area: what the NRW Abstandserlass compares."),
    )
    recorded_on = models.DateField(
        _("in the register since"),
        default=timezone.localdate,
        help_text=_("From this day the parcel counts in the reserve."),
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        help_text=_("Left the reserve without a take-up (e.g. re-planned for housing)."),
    )
    confirmed_on = models.DateField(
        _("data confirmed on"),
        null=True,
        blank=True,
        help_text=_("When the parcel's data was last checked; older records are flagged."),
    )
    contact = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    marketing_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marketed by"),
    )

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints: ClassVar = [
            unique_external_id("parcel"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("recorded_on")),
                name="land_parcel_withdrawn_after_recorded",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "status", "area_m2"]),
            models.Index(fields=["masterplan", "min_x", "min_y"]),
            models.Index(fields=["core_zone", "status"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("land:parcel_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.marketing_organization_id} if self.marketing_organization_id else set()

    def is_stale(self, today: date, months: int = 12) -> bool:
        """The data was last confirmed more than `months` months before `today` (or never)."""
        return self.confirmed_on is None or self.confirmed_on < months_before(today, months)

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published parcels; one in a draft core zone does not reveal the zone."""
        zone = f"{prefix}core_zone__"
        return published(prefix) & (Q(**{f"{prefix}core_zone__isnull": True}) | published(zone))

    def clean(self) -> None:
        if self.withdrawn_on and self.recorded_on and self.withdrawn_on < self.recorded_on:
            raise ValidationError(
                {"withdrawn_on": _("A parcel is withdrawn after it is recorded.")}
            )


class TakeUpKind(models.TextChoices):
    NEW = "new", _("New settlement")
    EXPANSION = "expansion", _("Expansion")


class TakeUp(PlanScopedModel):
    """Flächeninanspruchnahme: land of the reserve taken up by a company on a day."""

    parcel = models.ForeignKey(
        Parcel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="take_ups",
        verbose_name=_("parcel"),
    )
    core_zone = models.ForeignKey(
        CoreZone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="take_ups",
        verbose_name=_("core zone"),
    )
    on = models.DateField(_("date"))
    area_m2 = models.FloatField(_("area (m²)"), validators=[MinValueValidator(1)])
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    company_name = models.CharField(
        _("company name"), max_length=200, blank=True, help_text=_("If not in the directory.")
    )
    wz_code = models.CharField(_("sector (WZ 2008)"), max_length=10, blank=True)
    is_craft = models.BooleanField(_("craft business"), default=False)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    jobs_secured = models.PositiveIntegerField(_("jobs secured"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=TakeUpKind.choices, default=TakeUpKind.NEW
    )
    brownfield = models.BooleanField(_("brownfield"), default=False)

    class Meta:
        ordering = ("-on", "id")
        verbose_name = _("take-up")
        verbose_name_plural = _("take-ups")
        constraints: ClassVar = [unique_external_id("takeup")]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "on"]),
            models.Index(fields=["core_zone", "on"]),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.on:%d.%m.%Y})"

    @property
    def company(self) -> str:
        return (
            self.organization.name
            if self.organization_id and self.organization
            else (self.company_name or str(_("unnamed company")))
        )

    @property
    def jobs(self) -> int | None:
        if self.jobs_created is None and self.jobs_secured is None:
            return None
        return (self.jobs_created or 0) + (self.jobs_secured or 0)

    def get_absolute_url(self) -> str:
        return reverse("land:takeup_list", args=[self.masterplan.slug])

    def owner_organization_ids(self) -> set[int]:
        return set()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Single take-ups name companies: for the plan's members; the public sees figures."""
        return nothing(prefix)


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OFFERED = "offered", _("Parcel offered")
    PLACED = "placed", _("Placed")
    LOST = "lost", _("Lost")


class LostReason(models.TextChoices):
    NO_PARCEL_BIG_ENOUGH = "too_small", _("No parcel big enough")
    WRONG_AREA_TYPE = "area_type", _("No parcel of the area type")
    TOO_LATE = "too_late", _("Nothing available in time")
    PRICE = "price", _("Price above the budget")
    INFRASTRUCTURE = "infrastructure", _("Rail, port or motorway access missing")
    ELSEWHERE = "elsewhere", _("Settled elsewhere")
    OTHER = "other", _("Other")


class RequestSource(models.TextChoices):
    STAFF = "staff", _("Entered by economic development")
    PUBLIC_FORM = "public_form", _("Public form")


class SiteRequest(PlanScopedModel):
    """Ansiedlungsanfrage: a company looking for land, from first contact to placed or lost."""

    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requesting organisation"),
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    consent_at = models.DateTimeField(
        _("consent given at"),
        null=True,
        blank=True,
        help_text=_("When the company agreed that its data is stored for the request."),
    )
    source = models.CharField(
        _("entered through"), max_length=12, choices=RequestSource.choices, default="staff"
    )
    wz_code = models.CharField(_("sector (WZ 2008)"), max_length=10, blank=True)
    sector_category = models.CharField(
        _("sector category"),
        max_length=20,
        choices=SectorCategory.choices,
        default=SectorCategory.PRODUCTION,
    )
    area_min_m2 = models.FloatField(_("area at least (m²)"), validators=[MinValueValidator(1)])
    area_max_m2 = models.FloatField(
        _("area at most (m²)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    area_types = models.JSONField(
        _("area types"),
        default=list,
        blank=True,
        help_text=_("Acceptable area types; empty: any of GI and GE."),
    )
    min_distance_to_housing_m = models.FloatField(
        _("distance to housing at least (m)"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("From the distance class of the NRW Abstandserlass for the operation."),
    )
    needs_rail = models.BooleanField(_("needs a rail siding"), default=False)
    needs_port = models.BooleanField(_("needs the port"), default=False)
    max_motorway_km = models.FloatField(
        _("motorway junction at most (km)"), null=True, blank=True, validators=NOT_NEGATIVE
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    max_price_per_m2 = models.DecimalField(
        _("budget (€/m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE_DECIMAL,
    )
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    lost_reason = models.CharField(
        _("reason"), max_length=20, choices=LostReason.choices, blank=True
    )
    lost_note = models.TextField(_("note on the outcome"), blank=True)
    placed_parcel = models.ForeignKey(
        Parcel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed on"),
    )
    status_token = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ("-created_at", "id")
        verbose_name = _("site request")
        verbose_name_plural = _("site requests")
        constraints: ClassVar = [
            unique_external_id("siterequest"),
            models.CheckConstraint(
                condition=Q(area_max_m2__isnull=True) | Q(area_max_m2__gte=models.F("area_min_m2")),
                name="land_siterequest_area_range",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["masterplan", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("land:request_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id} if self.organization_id else set()

    @property
    def company(self) -> str:
        if self.organization_id and self.organization:
            return self.organization.name
        return self.company_name

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Requests are confidential business contacts: never public (the company sees its
        own through the link it received)."""
        return nothing(prefix)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.area_max_m2 is not None
            and self.area_min_m2
            and self.area_max_m2 < self.area_min_m2
        ):
            errors["area_max_m2"] = _("The largest area is smaller than the smallest.")
        unknown = [t for t in self.area_types or [] if t not in AreaType.values]
        if unknown:
            errors["area_types"] = _("Unknown area types: %(types)s") % {
                "types": ", ".join(map(str, unknown))
            }
        if self.status == RequestStatus.LOST and not self.lost_reason:
            errors["lost_reason"] = _("Say why the request was lost.")
        if errors:
            raise ValidationError(errors)


class Offer(PlanScopedModel):
    """A parcel offered to a site request, and what came of it."""

    request = models.ForeignKey(
        SiteRequest, on_delete=models.CASCADE, related_name="offers", verbose_name=_("request")
    )
    parcel = models.ForeignKey(
        Parcel, on_delete=models.PROTECT, related_name="offers", verbose_name=_("parcel")
    )
    offered_on = models.DateField(_("offered on"), default=timezone.localdate)
    score = models.FloatField(_("score"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("-offered_on", "id")
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "parcel"], name="land_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.parcel} → {self.request}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()

    def owner_organization_ids(self) -> set[int]:
        return self.request.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return nothing(prefix)


class LandSettings(PlanScopedModel):
    """Per masterplan: the weights of the matching and the monitoring's parameters."""

    weight_motorway = models.FloatField(_("weight: motorway"), default=0.3, validators=NOT_NEGATIVE)
    weight_sector_fit = models.FloatField(
        _("weight: sector fit"), default=0.3, validators=NOT_NEGATIVE
    )
    weight_jobs_density = models.FloatField(
        _("weight: jobs per 1,000 m²"), default=0.2, validators=NOT_NEGATIVE
    )
    weight_price = models.FloatField(_("weight: price"), default=0.2, validators=NOT_NEGATIVE)
    take_up_years = models.PositiveSmallIntegerField(
        _("years of take-up averaged"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    stale_after_months = models.PositiveSmallIntegerField(
        _("data stale after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("land settings")
        verbose_name_plural = _("land settings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["masterplan"], name="land_settings_once_per_plan")
        ]

    def __str__(self) -> str:
        return str(_("Land settings of %(plan)s") % {"plan": self.masterplan})

    def get_absolute_url(self) -> str:
        return reverse("land:dashboard", args=[self.masterplan.slug])

    def owner_organization_ids(self) -> set[int]:
        return set()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return nothing(prefix)

    def clean(self) -> None:
        weights = (
            self.weight_motorway,
            self.weight_sector_fit,
            self.weight_jobs_density,
            self.weight_price,
        )
        if sum(w or 0 for w in weights) <= 0:
            raise ValidationError(_("At least one weight must be above zero."))


class MeasureSite(PlanScopedModel):
    """The "where" of a measure of the plan: a core zone, a parcel, or both."""

    measure = models.ForeignKey(
        "plans.Measure", on_delete=models.CASCADE, related_name="land_sites"
    )
    core_zone = models.ForeignKey(
        CoreZone, on_delete=models.CASCADE, null=True, blank=True, related_name="measure_sites"
    )
    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, null=True, blank=True, related_name="measure_sites"
    )

    class Meta:
        verbose_name = _("site of a measure")
        verbose_name_plural = _("sites of measures")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(core_zone__isnull=False) | Q(parcel__isnull=False),
                name="land_measuresite_names_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} @ {self.parcel or self.core_zone}"

    def get_absolute_url(self) -> str:
        return self.measure.get_absolute_url()

    def owner_organization_ids(self) -> set[int]:
        return self.measure.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return published(prefix) & published(f"{prefix}measure__")
