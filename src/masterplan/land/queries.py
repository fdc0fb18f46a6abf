"""Reads of the land module, shared by the pages, the API, exports and the dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.filters import (
    Choice,
    FilterSpec,
    Flag,
    ListContext,
    Number,
    Ref,
    Search,
    per_page,
    sort,
    visible,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan
from masterplan.land.models import (
    AreaType,
    Availability,
    CoreZone,
    Guideline,
    LandSettings,
    MeasureSite,
    Offer,
    Parcel,
    ParcelStatus,
    Priority,
    RequestStatus,
    Restriction,
    SectorCategory,
    SiteRequest,
    TakeUp,
)

ZONE_SORTS = (
    SortOption("name", _("Name"), ("name", "id")),
    SortOption("area", _("Area"), ("-area_m2", "name", "id")),
)
PARCEL_SORTS = (
    SortOption("name", _("Name"), ("name", "id")),
    SortOption("area", _("Area"), ("-area_m2", "name", "id")),
    SortOption("available_from", _("Available from"), ("available_from", "name", "id")),
    SortOption("price", _("Price"), ("price_per_m2", "name", "id")),
    SortOption("confirmed", _("Data confirmed"), ("confirmed_on", "name", "id")),
)
TAKE_UP_SORTS = (
    SortOption("date", _("Date"), ("-on", "id")),
    SortOption("area", _("Area"), ("-area_m2", "id")),
)
REQUEST_SORTS = (
    SortOption("created", _("Received"), ("-created_at", "id")),
    SortOption("needed_by", _("Needed by"), ("needed_by", "id")),
    SortOption("area", _("Area"), ("-area_min_m2", "id")),
)

ZONES = FilterSpec(
    CoreZone,
    Search("q", fields=("name", "code", "profile", "description")),
    sort(ZONE_SORTS),
    per_page(),
)

PARCELS = FilterSpec(
    Parcel,
    Search("q", fields=("name", "cadastral_reference", "locality", "external_id")),
    Ref(
        "zone",
        label=_("Core zone"),
        lookup="core_zone",
        choices=visible(CoreZone),
        empty=_("All core zones"),
    ),
    Choice("status", label=_("Status"), choices=ParcelStatus.choices, empty=_("All states")),
    Choice("area_type", label=_("Area type"), choices=AreaType.choices, empty=_("All types")),
    Choice(
        "availability",
        label=_("Availability"),
        choices=Availability.choices,
        empty=_("Any availability"),
    ),
    Choice(
        "restriction",
        label=_("Restriction"),
        choices=Restriction.choices,
        empty=_("Any restriction"),
    ),
    Number("min_area", label=_("Area at least (m²)"), lookup="area_m2__gte"),
    Flag("brownfield", label=_("Brownfields only"), lookup="brownfield"),
    Flag("rail", label=_("With rail siding"), lookup="rail_siding"),
    sort(PARCEL_SORTS),
    per_page(),
)

TAKE_UPS = FilterSpec(
    TakeUp,
    Search("q", fields=("company_name", "organization__name", "wz_code")),
    Ref(
        "zone",
        label=_("Core zone"),
        lookup="core_zone",
        choices=visible(CoreZone),
        empty=_("All core zones"),
    ),
    Number("year", label=_("Year"), lookup="on__year"),
    sort(TAKE_UP_SORTS),
    per_page(),
)

REQUESTS = FilterSpec(
    SiteRequest,
    Search("q", fields=("title", "company_name", "organization__name", "wz_code")),
    Choice("status", label=_("Status"), choices=RequestStatus.choices, empty=_("All states")),
    sort(REQUEST_SORTS),
    per_page(),
)


def zone_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[CoreZone], str]:
    context = ListContext(user=user, masterplan=masterplan)
    qs = ZONES.rows(context).annotate(
        parcel_count=Count(
            "parcels",
            filter=Q(parcels__deleted_at__isnull=True)
            & Parcel.visibility_filter(user, masterplan, "parcels__"),
        )
    )
    return ZONES.order(ZONES.apply(qs, filters, context), filters)


def parcel_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[Parcel], str]:
    context = ListContext(user=user, masterplan=masterplan)
    qs = PARCELS.rows(context).select_related("core_zone").defer("geometry")
    return PARCELS.order(PARCELS.apply(qs, filters, context), filters)


def take_up_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[TakeUp], str]:
    context = ListContext(user=user, masterplan=masterplan)
    qs = TAKE_UPS.rows(context).select_related("parcel", "core_zone", "organization")
    return TAKE_UPS.order(TAKE_UPS.apply(qs, filters, context), filters)


def request_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> tuple[QuerySet[SiteRequest], str]:
    context = ListContext(user=user, masterplan=masterplan)
    qs = REQUESTS.rows(context).select_related("organization")
    return REQUESTS.order(REQUESTS.apply(qs, filters, context), filters)


def zone_priorities(zone: CoreZone) -> list[tuple[str, str, str]]:
    """The zone's profile: each sector category with its priority (key and label), preferred
    first, then permitted, then excluded."""
    order = {Priority.PREFERRED: 0, Priority.PERMITTED: 1, Priority.EXCLUDED: 2}
    rows = [
        (str(label), zone.priority_of(category), str(Priority(zone.priority_of(category)).label))
        for category, label in SectorCategory.choices
    ]
    return sorted(rows, key=lambda row: order[Priority(row[1])])


def zone_guidelines(*, user: Actor, zone: CoreZone) -> QuerySet[Guideline]:
    return (
        Guideline.objects.filter(zone=zone)
        .visible_to(user, zone.masterplan)
        .prefetch_related("measures")
    )


def zone_parcels(*, user: Actor, zone: CoreZone) -> QuerySet[Parcel]:
    return (
        Parcel.objects.filter(core_zone=zone)
        .visible_to(user, zone.masterplan)
        .defer("geometry")
        .order_by("name", "id")
    )


def zone_measures(*, user: Actor, zone: CoreZone) -> QuerySet[MeasureSite]:
    """The measures of the plan that happen in the zone (or on one of its parcels)."""
    return (
        MeasureSite.objects.filter(Q(core_zone=zone) | Q(parcel__core_zone=zone))
        .visible_to(user, zone.masterplan)
        .select_related("measure", "parcel")
        .order_by("measure__title", "id")
    )


def request_offers(*, request: SiteRequest) -> QuerySet[Offer]:
    return Offer.objects.filter(request=request).select_related("parcel").order_by("-offered_on")


def land_settings(masterplan: Masterplan) -> LandSettings:
    """The plan's settings, or the defaults (unsaved) where none were stored."""
    found = LandSettings.objects.filter(masterplan=masterplan).first()
    return found or LandSettings(masterplan=masterplan)


def zone_choices(*, masterplan: Masterplan) -> QuerySet[CoreZone]:
    return CoreZone.objects.filter(masterplan=masterplan).only("id", "name")


def parcel_choices(*, masterplan: Masterplan) -> QuerySet[Parcel]:
    return Parcel.objects.filter(masterplan=masterplan).only("id", "name")
