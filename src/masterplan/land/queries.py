"""Reads of the land module, shared by the pages, the API, exports and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
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
    Year,
    per_page,
    sort,
    visible,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan
from masterplan.core.permissions import is_plan_member
from masterplan.directory.models import Organization
from masterplan.land.figures import (
    LandFigures,
    ParcelFacts,
    ParcelTable,
    TakeUpTable,
    by_zone,
    land_figures,
    take_up_table_from_rows,
)
from masterplan.land.matching import (
    Match,
    MatchResult,
    Rejection,
    RequestFacts,
    Weights,
    criterion_label,
    match_request,
)
from masterplan.land.models import (
    AreaType,
    Availability,
    CoreZone,
    Guideline,
    LandSettings,
    LostReason,
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
    Year("year", label=_("Year"), lookup="on"),
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
        ),
        visible_lead_organization_id=visible_lead_organization(user, masterplan),
    )
    return ZONES.order(ZONES.apply(qs, filters, context), filters)


def visible_lead_organization(user: Actor, masterplan: Masterplan) -> Case:
    """A zone's lead organisation id if the user may see that organisation, else null: the
    rule of `Organization.visible_to` as a column, so that a list names no draft organisation
    to the public without a query per row."""
    return Case(
        When(
            Q(lead_organization__deleted_at__isnull=True)
            & Organization.visibility_filter(user, masterplan, "lead_organization__"),
            then=F("lead_organization_id"),
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


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


# --- Figures and matching: the database as the pure functions read it -------------------------


TABLE_CACHE_SECONDS = 24 * 3600


def cached_columns(kind: str, masterplan: Masterplan, rows: QuerySet[Any], build: Any) -> Any:
    """A table of columns kept in the cache under the state of its rows (their number, the
    highest id and the latest change), so that the next read after no change costs one
    aggregate query instead of reading every row: a plan with a state's 50,000 parcels and
    200,000 take-ups. Every write goes through a service that sets `modified_at`, and a
    deletion changes the number, so a changed table is read again."""
    state = rows.aggregate(n=Count("id"), top=Max("id"), changed=Max("modified_at"))
    changed = state["changed"].isoformat() if state["changed"] else "-"
    key = f"land:{kind}:{masterplan.pk}:{state['n']}:{state['top']}:{changed}"
    table = cache.get(key)
    if table is None:
        table = build()
        cache.set(key, table, TABLE_CACHE_SECONDS)
    return table


def parcel_table(*, user: Actor, masterplan: Masterplan) -> ParcelTable:
    """The parcels the user may see, as the columns figures.py and matching.py compute on
    (the public's figures count published parcels only); cached by the rows' state."""
    rows = Parcel.objects.visible_to(user, masterplan)
    audience = "members" if is_plan_member(user, masterplan) else "public"
    table: ParcelTable = cached_columns(
        f"parcels-{audience}", masterplan, rows, lambda: columns_of(rows)
    )
    return table


def all_parcels_table(*, masterplan: Masterplan) -> ParcelTable:
    """Every live parcel of the plan (the plan's own figures, e.g. for its indicators)."""
    return columns_of(Parcel.objects.filter(masterplan=masterplan))


def columns_of(parcels: QuerySet[Parcel]) -> ParcelTable:
    rows = parcels.order_by("id").values_list(
        "id",
        "core_zone_id",
        "area_m2",
        "area_type",
        "availability",
        "restriction",
        "brownfield",
        "status",
        "recorded_on",
        "withdrawn_on",
        "available_from",
        "price_per_m2",
        "motorway_km",
        "rail_siding",
        "port_km",
        "distance_to_housing_m",
    )
    return ParcelTable.from_facts(
        ParcelFacts(
            id=pk,
            core_zone_id=zone,
            area_m2=area,
            area_type=area_type,
            availability=availability,
            restriction=restriction,
            brownfield=brownfield,
            status=status,
            recorded_on=recorded,
            withdrawn_on=withdrawn,
            available_from=available,
            price_per_m2=float(price) if price is not None else None,
            motorway_km=motorway,
            rail_siding=rail,
            port_km=port,
            distance_to_housing_m=housing,
        )
        for (
            pk,
            zone,
            area,
            area_type,
            availability,
            restriction,
            brownfield,
            status,
            recorded,
            withdrawn,
            available,
            price,
            motorway,
            rail,
            port,
            housing,
        ) in rows
    )


def take_up_table(*, masterplan: Masterplan) -> TakeUpTable:
    """Every live take-up of the plan, cached by the rows' state. The single records are for
    members; the sums computed from them are shown to everyone who may see the dashboard."""
    live = TakeUp.objects.filter(masterplan=masterplan)
    table: TakeUpTable = cached_columns(
        "take-ups", masterplan, live, lambda: read_take_up_table(live)
    )
    return table


def read_take_up_table(live: QuerySet[TakeUp]) -> TakeUpTable:
    rows = live.order_by("on", "id").values_list(
        "parcel_id",
        "core_zone_id",
        "on",
        "area_m2",
        "wz_code",
        "is_craft",
        "jobs_created",
        "jobs_secured",
        "brownfield",
        "kind",
    )
    return take_up_table_from_rows(list(rows))


@dataclass(frozen=True)
class ZoneRow:
    zone: CoreZone
    figures: LandFigures


DASHBOARD_ZONES = 50  # rows of the dashboard's zone table; the zone list has them all


def dashboard_zones(rows: list[ZoneRow]) -> list[ZoneRow]:
    """The zones of the dashboard's table, by name: all of them, or in a plan with more than
    DASHBOARD_ZONES (a state has 2,000) those with the largest gross reserve."""
    if len(rows) <= DASHBOARD_ZONES:
        return rows
    largest = sorted(rows, key=lambda row: -row.figures.gross_reserve_m2)[:DASHBOARD_ZONES]
    return sorted(largest, key=lambda row: (row.zone.name, row.zone.pk))


@dataclass(frozen=True)
class Dashboard:
    figures: LandFigures
    zones: list[ZoneRow]
    zone_count: int
    take_up_by_year: list[tuple[int, float]]  # (year, m²) for the last ten years up to as_of
    lost_requests: list[tuple[str, int, float]]  # (reason label, count, m² asked at least)
    open_requests: int
    open_request_area_m2: float


def take_up_between(take_ups: TakeUpTable, first: date, last: date) -> float:
    """Σ area of the take-ups from `first` to `last`, both included (m²)."""
    days = take_ups.on
    inside = (days >= first.toordinal()) & (days <= last.toordinal())
    return float(take_ups.area_m2[inside].sum())


def land_dashboard(*, user: Actor, masterplan: Masterplan, as_of: date) -> Dashboard:
    """The land figures of the plan as the data stood on `as_of` (take-ups after it and parcels
    recorded after it do not count), per core zone, the take-up trend and the unmet demand."""
    settings = land_settings(masterplan)
    parcels = parcel_table(user=user, masterplan=masterplan)
    take_ups = take_up_table(masterplan=masterplan)
    years = settings.take_up_years
    figures = land_figures(parcels, take_ups, as_of=as_of, years=years)
    zones = list(
        CoreZone.objects.visible_to(user, masterplan).defer("geometry").order_by("name", "id")
    )
    per_zone = by_zone(
        parcels, take_ups, as_of=as_of, years=years, zone_ids=[zone.pk for zone in zones]
    )
    trend = [
        (year, take_up_between(take_ups, date(year, 1, 1), min(date(year, 12, 31), as_of)))
        for year in range(as_of.year - 9, as_of.year + 1)
    ]
    lost = (
        SiteRequest.objects.filter(masterplan=masterplan, status=RequestStatus.LOST)
        .filter(created_at__date__lte=as_of)
        .values("lost_reason")
        .annotate(count=Count("id"), area=Sum("area_min_m2"))
        .order_by("-count")
    )
    open_requests = SiteRequest.objects.filter(
        masterplan=masterplan, status__in=[RequestStatus.OPEN, RequestStatus.OFFERED]
    ).aggregate(count=Count("id"), area=Sum("area_min_m2"))
    member = is_plan_member(user, masterplan)
    return Dashboard(
        figures=figures,
        zones=dashboard_zones(
            [ZoneRow(zone, per_zone[zone.pk]) for zone in zones if zone.pk in per_zone]
        ),
        zone_count=len(zones),
        take_up_by_year=trend,
        lost_requests=[
            (str(LostReason(row["lost_reason"]).label), row["count"], row["area"] or 0.0)
            for row in lost
            if row["lost_reason"]
        ]
        if member
        else [],
        open_requests=open_requests["count"] if member else 0,
        open_request_area_m2=(open_requests["area"] or 0.0) if member else 0.0,
    )


def request_facts(request: SiteRequest) -> RequestFacts:
    types = frozenset(request.area_types or ()) or frozenset({"GI", "GE"})
    return RequestFacts(
        area_min_m2=request.area_min_m2,
        area_max_m2=request.area_max_m2,
        area_types=types,
        needed_by=request.needed_by,
        needs_rail=request.needs_rail,
        needs_port=request.needs_port,
        max_motorway_km=request.max_motorway_km,
        max_price_per_m2=float(request.max_price_per_m2)
        if request.max_price_per_m2 is not None
        else None,
        min_distance_to_housing_m=request.min_distance_to_housing_m,
        sector_category=request.sector_category,
        jobs=request.jobs,
    )


def zone_profiles(masterplan: Masterplan) -> dict[int, dict[str, str]]:
    return {
        pk: dict(priorities)
        for pk, priorities in CoreZone.objects.filter(masterplan=masterplan).values_list(
            "id", "sector_priorities"
        )
        if priorities
    }


@dataclass(frozen=True)
class Matches:
    result: MatchResult
    matches: list[tuple[Match, Parcel]]
    rejections: list[tuple[Rejection, Parcel]]
    rejection_counts: list[tuple[str, int]]
    weights: dict[str, float]


def request_matches(
    *, user: Actor, request: SiteRequest, limit: int = 20, rejected: int = 20
) -> Matches:
    """The parcels for a request, ranked with the reason for every criterion, and the
    rejected ones with the first rule that excluded them (the best `limit` and the first
    `rejected` shown; the counts cover all)."""
    masterplan = request.masterplan
    settings = land_settings(masterplan)
    weights = Weights(
        motorway=settings.weight_motorway,
        sector_fit=settings.weight_sector_fit,
        jobs_density=settings.weight_jobs_density,
        price=settings.weight_price,
    )
    result = match_request(
        parcel_table(user=user, masterplan=masterplan),
        request_facts(request),
        profiles=zone_profiles(masterplan),
        weights=weights,
    )
    shown = result.matches(limit)
    refused = result.rejections(rejected)
    ids = {m.parcel_id for m in shown} | {r.parcel_id for r in refused}
    by_id = {p.pk: p for p in Parcel.objects.filter(pk__in=ids).defer("geometry")}
    labels = dict(REJECTION_LABELS)
    return Matches(
        result=result,
        matches=[(m, by_id[m.parcel_id]) for m in shown if m.parcel_id in by_id],
        rejections=[(r, by_id[r.parcel_id]) for r in refused if r.parcel_id in by_id],
        rejection_counts=[
            (str(labels.get(rule, rule)), count)
            for rule, count in result.rejection_counts().items()
            if count
        ],
        weights={criterion_label(key): w for key, w in result.weights.as_dict().items()},
    )


REJECTION_LABELS = (
    ("status", _("Not available (reserved, sold or in use)")),
    ("area_min", _("Too small")),
    ("area_max", _("Too large")),
    ("area_type", _("Area type not suitable")),
    ("availability", _("Restricted")),
    ("needed_by", _("Not available in time")),
    ("rail", _("No rail siding")),
    ("port", _("Too far from the port")),
    ("motorway", _("Too far from the motorway")),
    ("price", _("Above the budget")),
    ("housing_distance", _("Too close to housing")),
    ("sector", _("Sector excluded by the core zone's profile")),
)
