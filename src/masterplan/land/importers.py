"""Import and export formats of the land module: core zones and parcels with their polygons
(GeoJSON, XPlanGML), parcel attributes and take-up (CSV or XLSX).

Polygon files go through the same framework as tables: `read` turns the features the readers
return (all of them, or every problem at once) into a table whose rows are the features, row
number = feature number, one column per known property; the polygons wait beside the table
and `plan_extra` stores them as the services do (WKB with box and centroid, the area computed
from the polygon, the core zone that holds most of a parcel). So a polygon file has the
preview, the all-or-nothing transaction, the upsert by external ID and the audit of every
other import. Column names and aliases are the property names GeoJSON may use, in English or
German.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from masterplan.core.actors import Actor
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.cells import CellValue, format_cell
from masterplan.core.imports.columns import normalise_header
from masterplan.core.imports.importer import ImportRun, RowPlan
from masterplan.core.imports.reading import FileProblem, Source, Table
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.services import apply_changes, update_tracked
from masterplan.directory.importers import EXTERNAL_ID, PUBLICATION
from masterplan.directory.models import Organization
from masterplan.land import geometry as geo
from masterplan.land import queries, services
from masterplan.land.models import CoreZone, Parcel, ParcelStatus, TakeUp
from masterplan.land.readers import Feature, ReadError, read_geojson, read_xplangml

# Properties an export writes that an import derives itself (area and core zone follow from
# the polygon): read back without a note.
DERIVED_PROPERTIES = frozenset({"area_m2", "core_zone"})

# A polygon read back from an export differs by the rounding of its WGS84 coordinates (7
# decimals, about 1 cm): within this distance it is the stored polygon.
SAME_SHAPE_M = 0.05

ZONE_ID = dataclasses.replace(EXTERNAL_ID, example="KZ-REISHOLZ")
PARCEL_ID = dataclasses.replace(
    EXTERNAL_ID, aliases=(*EXTERNAL_ID.aliases, "gml_id", "Flächen-ID"), example="GE-0815"
)


def text(name: str, label: Any, *aliases: str, required: bool = False, example: str = "") -> Column:
    return Column(name, label=label, aliases=aliases, required=required, example=example)


def number(name: str, label: Any, *aliases: str, example: str = "") -> Column:
    return Column(
        name, ColumnType.DECIMAL, label=label, aliases=aliases, min_value=0, example=example
    )


def choice(name: str, label: Any, *aliases: str, example: str = "") -> Column:
    return Column(name, ColumnType.CHOICE, label=label, aliases=aliases, example=example)


def flag(name: str, label: Any, *aliases: str) -> Column:
    return Column(name, ColumnType.BOOL, label=label, aliases=aliases, example="nein")


def day(name: str, label: Any, *aliases: str, required: bool = False) -> Column:
    return Column(
        name, ColumnType.DATE, label=label, aliases=aliases, required=required, example="01.03.2025"
    )


PARCEL_NAME = text("name", gettext_lazy("Name"), "Bezeichnung", "Flächenname", example="GE Nord 1")
AREA_TYPE = choice("area_type", gettext_lazy("Area type"), "Gebietstyp", "Art", example="GI")
AREA = number("area_m2", gettext_lazy("Area (m²)"), "Fläche m²", "Fläche", "Größe m²")
# The parcel's attributes, by external ID; the table import adds the area (for parcels without
# a polygon), the GeoJSON import takes it from the polygon.
PARCEL_ATTRIBUTES = (
    text("cadastral_reference", gettext_lazy("Cadastral reference"), "Flurstück", "Kataster"),
    text("locality", gettext_lazy("District"), "Stadtteil", "Ortsteil", "Gemarkung"),
    choice("availability", gettext_lazy("Availability"), "Verfügbarkeit", example="immediate"),
    choice("restriction", gettext_lazy("Restriction"), "Restriktion", "Einschränkung"),
    text("restriction_reasons", gettext_lazy("Reasons for the restriction"), "Restriktionsgründe"),
    flag("brownfield", gettext_lazy("Brownfield"), "Brachfläche", "Brache"),
    choice("owner", gettext_lazy("Owner"), "Eigentum", "Eigentümer"),
    choice("status", gettext_lazy("Status"), "Stand", example="available"),
    day("available_from", gettext_lazy("Available from"), "Verfügbar ab"),
    choice("horizon", gettext_lazy("Availability horizon"), "Verfügbarkeitshorizont"),
    number("price_per_m2", gettext_lazy("Price (€/m²)"), "Preis", "Preis €/m²", example="180"),
    number("motorway_km", gettext_lazy("Motorway junction (km)"), "Autobahn km", "BAB km"),
    flag("rail_siding", gettext_lazy("Rail siding"), "Gleisanschluss"),
    number("port_km", gettext_lazy("Port (km)"), "Hafen km"),
    number("distance_to_housing_m", gettext_lazy("Distance to housing (m)"), "Abstand Wohnen m"),
    day("recorded_on", gettext_lazy("In the register since"), "Erfasst am", "Aufnahme"),
    day("withdrawn_on", gettext_lazy("Withdrawn on"), "Entfallen am", "Zurückgezogen am"),
    day("confirmed_on", gettext_lazy("Data confirmed on"), "Bestätigt am", "Geprüft am"),
    Column(
        "marketing_organization",
        ColumnType.REFERENCE,
        target=Organization,
        label=gettext_lazy("Marketed by"),
        aliases=("Vermarktung", "Vermarkter"),
        help=gettext_lazy("External ID of an organisation in the masterplan."),
    ),
    PUBLICATION,
)


@dataclass(frozen=True)
class FeatureTable(Table):
    """A polygon file as a table: a row for each feature (row number = feature number), the
    polygons beside it by row."""

    geometries: dict[int, BaseGeometry] = field(default_factory=dict)


def read_problem(error: ReadError) -> FileProblem:
    """Every problem the reader found, with the feature's number as the row."""
    problems = [FileProblem(str(p), row=p.index, value=p.ref) for p in error.problems] or [
        FileProblem(str(error))
    ]
    if error.count > len(problems):
        problems.append(
            FileProblem(_("… and %(more)s more problems.") % {"more": error.count - len(problems)})
        )
    first = problems[0]
    first.more = problems[1:]
    return first


def content_bytes(content: Source) -> bytes:
    if isinstance(content, bytes):
        return content
    content.seek(0)
    return content.read()


def check_feature_count(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS:
        raise FileProblem(
            _("The file has %(count)s features; up to %(limit)s can be imported at once.")
            % {"count": count, "limit": settings.IMPORT_MAX_ROWS}
        )


def cell(value: Any) -> CellValue:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


def feature_table(
    importer: ModelImporter, features: list[Feature], file_format: str, notes: list[str]
) -> FeatureTable:
    """The features' known properties as columns (the spelling of their first use), the
    feature's own identifier as external ID where no property gives one."""
    check_feature_count(len(features))
    known = {header: column.name for column in importer.bound for header in column.headers}
    header: list[str] = []
    index_of: dict[str, int] = {}
    ignored: set[str] = set()
    for feature in features:
        for key in feature.properties:
            if key in index_of or key in ignored:
                continue
            if normalise_header(key) in known:
                index_of[key] = len(header)
                header.append(key)
            elif key not in DERIVED_PROPERTIES:
                ignored.add(key)
    key_given = any(known[normalise_header(h)] == importer.key_column for h in header)
    uses_ref = not key_given and any(f.ref for f in features)
    if uses_ref:
        header.append(importer.key_column)
    rows = []
    for feature in features:
        cells: list[CellValue] = [None] * len(header)
        for key, value in feature.properties.items():
            if key in index_of:
                cells[index_of[key]] = cell(value)
        if uses_ref:
            cells[-1] = feature.ref
        rows.append((feature.index, cells))
    if ignored:
        notes.append(
            _("Properties not imported (they match no column): %(names)s.")
            % {"names": ", ".join(sorted(ignored))}
        )
    return FeatureTable(
        header=header,
        file_format=file_format,
        row_count=len(rows),
        records=lambda: iter([(1, header), *rows]),
        notes=tuple(notes),
        geometries={feature.index: feature.geometry for feature in features},
    )


def geometry_of(run: ImportRun, plan: RowPlan) -> BaseGeometry | None:
    table = run.table
    return table.geometries.get(plan.record.row) if isinstance(table, FeatureTable) else None


def area_label(area: float | None) -> str:
    if area is None:
        return ""
    return _("polygon of %(area)s m²") % {"area": geo.shown_number(area, 0, grouping=True)}


def same_shape(stored: BaseGeometry, geometry: BaseGeometry) -> bool:
    """The same polygon up to SAME_SHAPE_M (Hausdorff distance of the vertices)."""
    return bool(stored.hausdorff_distance(geometry) <= SAME_SHAPE_M)


def apply_geometry(
    run: ImportRun, plan: RowPlan, geometry: BaseGeometry, changes: dict[str, Any]
) -> None:
    """Store the polygon and what follows from it; an existing record's diff shows it."""
    obj = plan.obj
    stored = getattr(obj, "geometry", None)
    if stored is not None and same_shape(geo.from_wkb(stored), geometry):
        return  # the polygon as exported (coordinates rounded in WGS84): unchanged
    old_area = getattr(obj, "area_m2", None)
    old_zone_id = getattr(obj, "core_zone_id", None)
    audit = apply_changes(obj, {**services.located(geometry), **changes})
    if plan.created or not audit:
        return
    plan.audit_changes.update(audit)
    if "geometry" in audit:
        plan.diff["geometry"] = (area_label(old_area), area_label(getattr(obj, "area_m2", None)))
    if "core_zone" in audit:
        zones = {zone.pk: zone.name for zone in run.cache["zones"][0]}
        new_zone = changes.get("core_zone")
        plan.diff["core_zone"] = (zones.get(old_zone_id, ""), str(new_zone or ""))


class PolygonImporter(ModelImporter):
    """Reads a polygon file instead of a table (see the module's docstring)."""

    accept: ClassVar[str] = ".geojson,.json"
    has_template: ClassVar[bool] = False
    file_format: ClassVar[str] = "GeoJSON"

    def read(self, content: Source) -> Table:
        try:
            features = read_geojson(content_bytes(content), max_bytes=settings.IMPORT_MAX_BYTES)
        except ReadError as error:
            raise read_problem(error) from None
        return feature_table(self, features, self.file_format, [])

    def estimate_rows(self, content: bytes) -> int:
        return content.count(b'"Feature"')


class ParcelPolygons(PolygonImporter):
    """What the parcel importers of polygon files share: the core zones (for the zone each
    parcel lies in) and the stored parcels the file does not name (it must not overlap them)."""

    model = Parcel
    action = "land.parcel"
    list_url_name = "land:parcel_list"

    def load(self, run: ImportRun) -> None:
        zones = list(
            CoreZone.objects.filter(masterplan=run.masterplan, geometry__isnull=False).only(
                "id", "name", "geometry"
            )
        )
        shapes = [geo.from_wkb(zone.geometry or b"") for zone in zones]
        run.cache["zones"] = (zones, shapes, STRtree(shapes))
        others = [
            parcel
            for parcel in Parcel.objects.filter(
                masterplan=run.masterplan, geometry__isnull=False, withdrawn_on__isnull=True
            ).only("id", "name", "external_id", "geometry")
            if not (parcel.external_id and parcel.external_id in run.file_keys)
        ]
        parcel_shapes = [geo.from_wkb(parcel.geometry or b"") for parcel in others]
        run.cache["parcels"] = (others, parcel_shapes, STRtree(parcel_shapes))

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        parcel = cast("Parcel", plan.obj)
        row = plan.record.row
        if plan.created and not parcel.name:
            run.error(row, "name", "", _("A new parcel needs a name."))
        if plan.created and not parcel.area_type:
            run.error(row, "area_type", "", _("A new parcel needs its area type (GE, GI, …)."))
        geometry = geometry_of(run, plan)
        if geometry is None:
            return
        others, other_shapes, other_tree = run.cache["parcels"]
        for hit in other_tree.query(geometry):
            other = others[int(hit)]
            if other.pk == parcel.pk:
                continue
            overlap = geo.area_m2(geometry.intersection(other_shapes[int(hit)]))
            if overlap > geo.OVERLAP_TOLERANCE_M2:
                run.error(
                    row,
                    "geometry",
                    other.external_id or other.name,
                    _("The polygon overlaps the parcel “%(name)s” by %(area)s m².")
                    % {"name": other.name, "area": geo.shown_number(overlap, 0, grouping=True)},
                )
        zones, shapes, tree = run.cache["zones"]
        candidates = ((zones[int(i)], shapes[int(i)]) for i in tree.query(geometry))
        apply_geometry(
            run,
            plan,
            geometry,
            {
                "area_m2": round(geo.area_m2(geometry), 1),
                "core_zone": services.best_zone(geometry, candidates),
            },
        )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return parcel_export(user=user, masterplan=masterplan, filters=filters)


def parcel_export(*, user: Actor, masterplan: Masterplan, filters: QueryDict) -> QuerySet[Parcel]:
    values = queries.PARCELS.values(filters, ListContext(user, masterplan))
    qs, _sort = queries.parcel_list(user=user, masterplan=masterplan, **values)
    return qs.select_related("marketing_organization")


@register
class ParcelGeoJSONImporter(ParcelPolygons):
    key = "land.parcels_geojson"
    title = gettext_lazy("Parcels (GeoJSON)")
    file_stem = "flaechen"
    file_help = gettext_lazy(
        "GeoJSON FeatureCollection of polygons in WGS84 (or EPSG:25832 named in “crs”); the "
        "properties are the columns below."
    )
    columns = (PARCEL_ID, PARCEL_NAME, AREA_TYPE, *PARCEL_ATTRIBUTES)


@register
class ParcelXPlanImporter(ParcelPolygons):
    """Each GE or GI BP_BaugebietsTeilFlaeche of a development plan becomes a parcel (its
    gml:id the external ID); the plan's other areas are context, counted in the preview."""

    key = "land.parcels_xplan"
    title = gettext_lazy("Parcels (XPlanGML development plan)")
    file_stem = "flaechen-xplan"
    file_format = "XPlanGML"
    accept = ".gml,.xml"
    file_help = gettext_lazy(
        "XPlanGML 5.x or 6.0 development plan (BP_Plan) in EPSG:25832; its GE and GI areas "
        "(BP_BaugebietsTeilFlaeche) become parcels."
    )
    format_rules = (
        gettext_lazy(
            "An XPlanGML 5.x or 6.0 development plan (BP_Plan) with its coordinates in EPSG:25832."
        ),
        gettext_lazy(
            "Each industrial (GI) or commercial (GE) area (BP_BaugebietsTeilFlaeche) becomes a "
            "parcel, its gml:id the external ID. The plan's other areas are read as context "
            "and counted in the preview."
        ),
        gettext_lazy(
            "Curves, invalid polygons and coordinates outside Germany are refused, and so are "
            "files with a document type declaration (DTD) or external entities."
        ),
    )
    columns = (PARCEL_ID, PARCEL_NAME, AREA_TYPE)

    def read(self, content: Source) -> Table:
        try:
            document = read_xplangml(content_bytes(content), max_bytes=settings.IMPORT_MAX_BYTES)
        except ReadError as error:
            raise read_problem(error) from None
        parcels = [f for f in document.features if not f.properties.get("context")]
        context = [f for f in document.features if f.properties.get("context")]
        notes = []
        if context:
            kinds = sorted({f.properties.get("abbreviation") or "?" for f in context})
            notes.append(
                ngettext(
                    "%(count)s further area (%(kinds)s) skipped as context.",
                    "%(count)s further areas (%(kinds)s) skipped as context.",
                    len(context),
                )
                % {"count": len(context), "kinds": ", ".join(kinds)}
            )
        if not parcels:
            raise FileProblem(
                _("The plan has no GE or GI area (BP_BaugebietsTeilFlaeche) to import.")
            )
        plan_name = document.plan_name or _("Development plan")
        features = [
            Feature(
                index=f.index,
                ref=f.ref,
                properties={
                    "external_id": f.ref,
                    "name": f"{plan_name} {f.ref or f.index}",
                    "area_type": f.properties["area_type"],
                },
                geometry=f.geometry,
            )
            for f in parcels
        ]
        return feature_table(self, features, self.file_format, notes)

    def estimate_rows(self, content: bytes) -> int:
        return content.count(b"BP_BaugebietsTeilFlaeche") // 2  # start and end tags


@register
class ZoneGeoJSONImporter(PolygonImporter):
    key = "land.zones_geojson"
    model = CoreZone
    action = "land.corezone"
    title = gettext_lazy("Core zones (GeoJSON)")
    file_stem = "kernzonen"
    list_url_name = "land:zone_list"
    file_help = gettext_lazy(
        "GeoJSON FeatureCollection of polygons in WGS84 (or EPSG:25832 named in “crs”); the "
        "properties are the columns below."
    )
    columns = (
        ZONE_ID,
        text("name", gettext_lazy("Name"), "Bezeichnung", required=True, example="Reisholz"),
        text("code", gettext_lazy("Short name"), "Kürzel", "Kurzname", example="RH"),
        text("profile", gettext_lazy("Profile"), "Profil", example="Klassische Industrie"),
        text("description", gettext_lazy("Description"), "Beschreibung"),
        PUBLICATION,
    )

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        zone = cast("CoreZone", plan.obj)
        if plan.created and not zone.name:
            run.error(plan.record.row, "name", "", _("A new core zone needs a name."))
        geometry = geometry_of(run, plan)
        if geometry is None:
            return
        if zone.geometry is not None:
            plan.extra["old_shape"] = geo.from_wkb(zone.geometry)
        apply_geometry(run, plan, geometry, {"area_m2": geo.area_m2(geometry)})
        if plan.created or "geometry" in plan.audit_changes:
            plan.extra["shape"] = geometry

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        moved = run.cache.setdefault("moved", [])
        for plan in plans:
            if "shape" in plan.extra:
                moved.append(plan.extra["shape"])
                if "old_shape" in plan.extra:
                    moved.append(plan.extra["old_shape"])
        return []

    def finish(self, run: ImportRun) -> None:
        """The parcels around a new or moved zone get their core zone derived again."""
        super().finish(run)
        for shape in run.cache.get("moved", []):
            services.rederive_zones(actor=run.actor, masterplan=run.masterplan, around=shape)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.ZONES.values(filters, ListContext(user, masterplan))
        qs, _sort = queries.zone_list(user=user, masterplan=masterplan, **values)
        return qs


@register
class ParcelImporter(ModelImporter):
    """Parcel attributes from a table, by external ID (status, availability, price, …); a
    row with a new external ID adds a parcel without polygon (then with its area)."""

    key = "land.parcels"
    model = Parcel
    action = "land.parcel"
    title = gettext_lazy("Parcels")
    file_stem = "flaechen"
    list_url_name = "land:parcel_list"
    columns = (PARCEL_ID, PARCEL_NAME, AREA_TYPE, AREA, *PARCEL_ATTRIBUTES)

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        parcel = cast("Parcel", plan.obj)
        row = plan.record.row
        if plan.created:
            if not parcel.name:
                run.error(row, "name", "", _("A new parcel needs a name."))
            if not parcel.area_type:
                run.error(row, "area_type", "", _("A new parcel needs its area type (GE, GI, …)."))
            if not parcel.area_m2:
                run.error(
                    row,
                    "area_m2",
                    "",
                    _("A new parcel without polygon needs its area (import polygons as GeoJSON)."),
                )
        elif parcel.geometry is not None and "area_m2" in plan.audit_changes:
            run.error(
                row,
                "area_m2",
                format_cell(ColumnType.DECIMAL, parcel.area_m2),
                _("The parcel has a polygon; its area is computed from it (%(area)s m²).")
                % {"area": geo.shown_number(plan.audit_changes["area_m2"][0], 0, grouping=True)},
            )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return parcel_export(user=user, masterplan=masterplan, filters=filters)


@register
class TakeUpImporter(ModelImporter):
    """Take-up by parcel external ID; as `services.take_up_create`, the core zone and the
    brownfield flag come from the parcel, the area too where the row has none, and a parcel
    still available or reserved is then in use."""

    key = "land.take_ups"
    model = TakeUp
    action = "land.takeup"
    title = gettext_lazy("Take-up")
    file_stem = "inanspruchnahme"
    list_url_name = "land:takeup_list"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="IA-2024-01"),
        Column(
            "parcel",
            ColumnType.REFERENCE,
            target=Parcel,
            label=gettext_lazy("Parcel"),
            aliases=("Fläche", "Flächen-ID", "parcel_external_id"),
            help=gettext_lazy("External ID of a parcel in the masterplan."),
            example="GE-0815",
        ),
        day("on", gettext_lazy("Date"), "Datum", "date", required=True),
        number("area_m2", gettext_lazy("Area (m²)"), "Fläche m²", "Größe m²", example="12.500"),
        Column(
            "organization",
            ColumnType.REFERENCE,
            target=Organization,
            label=gettext_lazy("Company (external ID)"),
            aliases=("Unternehmen ID", "Organisation"),
            help=gettext_lazy("External ID of an organisation in the masterplan."),
        ),
        text("company_name", gettext_lazy("Company name"), "Unternehmen", "Firma", "company"),
        text("wz_code", gettext_lazy("Sector (WZ 2008)"), "WZ", "WZ 2008", "wz", example="C25"),
        flag("is_craft", gettext_lazy("Craft business"), "Handwerk", "craft"),
        Column(
            "jobs_created",
            ColumnType.INT,
            label=gettext_lazy("Jobs created"),
            aliases=("Neue Arbeitsplätze", "jobs"),
            min_value=0,
        ),
        Column(
            "jobs_secured",
            ColumnType.INT,
            label=gettext_lazy("Jobs secured"),
            aliases=("Gesicherte Arbeitsplätze",),
            min_value=0,
        ),
        choice("kind", gettext_lazy("Kind"), "Art", example="new"),
        flag("brownfield", gettext_lazy("Brownfield"), "Brachfläche", "Brache"),
    )

    def load(self, run: ImportRun) -> None:
        run.cache["parcels"] = {
            pk: (zone, brownfield, area, status)
            for pk, zone, brownfield, area, status in Parcel.objects.filter(
                masterplan=run.masterplan
            ).values_list("pk", "core_zone_id", "brownfield", "area_m2", "status")
        }

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        take_up = cast("TakeUp", plan.obj)
        parcel = run.cache["parcels"].get(take_up.parcel_id)
        if parcel is not None and (plan.created or "parcel" in plan.audit_changes):
            zone, brownfield, area, status = parcel
            changed = apply_changes(take_up, {"core_zone": zone})
            if not plan.created:
                plan.audit_changes.update(changed)
            else:
                if not run.has("brownfield"):
                    take_up.brownfield = brownfield
                if not take_up.area_m2:
                    take_up.area_m2 = area
                if status in (ParcelStatus.AVAILABLE, ParcelStatus.RESERVED):
                    plan.extra["parcel_in_use"] = take_up.parcel_id
        if plan.created and not take_up.area_m2:
            run.error(plan.record.row, "area_m2", "", _("Give the area, or the parcel taken up."))

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        """Parcels taken up leave the reserve: their status becomes "in use" (audited)."""
        pks = {p.extra["parcel_in_use"] for p in plans if "parcel_in_use" in p.extra}
        for parcel in Parcel.objects.filter(
            pk__in=pks, status__in=(ParcelStatus.AVAILABLE, ParcelStatus.RESERVED)
        ):
            update_tracked(
                actor=run.actor,
                obj=parcel,
                version=parcel.version,
                action="land.parcel.updated",
                changes={"status": ParcelStatus.IN_USE},
            )
        return []

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.TAKE_UPS.values(filters, ListContext(user, masterplan))
        qs, _sort = queries.take_up_list(user=user, masterplan=masterplan, **values)
        return qs
