"""Import and export formats of the plan: fields of action, goals, key results, measures,
milestones.

One file per kind, imported from the top down (fields → goals → key results → measures →
milestones): every row names its parent by external ID, which must be in the plan already
(imported from the previous file or entered in a form). A measure's dependencies may also
name measures of the same file. The columns are the file format: imports read them (headers
in English or German), exports write them, and the upload page and docs/imports.md explain them.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, build_entry
from masterplan.core.bulk import update_rows
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.cells import format_cell
from masterplan.core.imports.importer import ImportRun, Record, RowPlan
from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.core.references import create_named
from masterplan.directory.importers import EXTERNAL_ID, PUBLICATION
from masterplan.directory.models import Organization, Person
from masterplan.plans import queries
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    operational_unit_model,
)
from masterplan.plans.services import dependency_cycle, plan_dependency_graph

# The length of a body's name (governance.Body.name; a test holds them equal): the column is
# declared before the apps are loaded, so it cannot ask the model.
OPERATIONAL_UNIT_NAME_LENGTH = 200

WEIGHT = Column(
    "weight",
    ColumnType.DECIMAL,
    label=gettext_lazy("Weight"),
    aliases=("Gewicht", "Gewichtung"),
    min_value=0,
    help=gettext_lazy("Relative weight in the roll-up; empty = all siblings count equally."),
    example="2",
)
POSITION = Column(
    "position",
    ColumnType.INT,
    label=gettext_lazy("Position"),
    aliases=("Reihenfolge", "Sortierung"),
    min_value=0,
    example="1",
)
DESCRIPTION = Column(
    "description",
    label=gettext_lazy("Description"),
    aliases=("Beschreibung", "Erläuterung"),
)
# Ampel words in German plans, besides the codes and the labels (On track / Im Plan, …).
HEALTH_ALIASES = (
    ("grün", "green"),
    ("gruen", "green"),
    ("gelb", "amber"),
    ("rot", "red"),
    ("im plan", "green"),
    ("gefährdet", "amber"),
    ("kritisch", "red"),
)
# Separators between the external IDs of a measure's dependencies ("M-01 | M-02", "M-01; M-02").
KEY_SEPARATORS = re.compile(r"\s*[|;]\s*")
EXPORT_SEPARATOR = " | "


def is_clean(run: ImportRun, record: Record) -> bool:
    """Every cell of the row could be read: only then are rules across cells checked."""
    return all(column.name in record.values for _index, column in run.columns)


def header(run: ImportRun, name: str) -> str:
    """A column as the file calls it (the column's own name when the file leaves it out)."""
    return run.headers.get(name, name)


def date_order_error(
    run: ImportRun, plan: RowPlan, earlier: str, later: str, *, strictly: bool = False
) -> None:
    """A row error on `later` when it lies before (or, `strictly`, not after) `earlier`."""
    start: date | None = getattr(plan.obj, earlier)
    end: date | None = getattr(plan.obj, later)
    if start is None or end is None or (end > start if strictly else end >= start):
        return
    message = (
        _("“%(later)s” (%(end)s) must lie after “%(earlier)s” (%(start)s).")
        if strictly
        else _("“%(later)s” (%(end)s) lies before “%(earlier)s” (%(start)s).")
    )
    run.error(
        plan.record.row,
        later,
        format_cell(ColumnType.DATE, end),
        message
        % {
            "later": header(run, later),
            "earlier": header(run, earlier),
            "end": format_cell(ColumnType.DATE, end),
            "start": format_cell(ColumnType.DATE, start),
        },
    )


@register
class FieldOfActionImporter(ModelImporter):
    key = "plans.fields"
    model = FieldOfAction
    action = "plans.fieldofaction"
    title = gettext_lazy("Fields of action")
    file_stem = "handlungsfelder"
    list_url_name = "plans:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="HF-GENEHMIGUNG"),
        Column(
            "name",
            required=True,
            label=gettext_lazy("Name"),
            aliases=("Handlungsfeld", "Bezeichnung"),
            example="Schnellere Genehmigungsverfahren",
        ),
        DESCRIPTION,
        POSITION,
        WEIGHT,
        Column(
            "lead_organization",
            ColumnType.REFERENCE,
            target=Organization,
            label=gettext_lazy("Lead organisation"),
            aliases=("Federführung", "Federführende Organisation"),
            help=gettext_lazy("External ID of an organisation in the masterplan."),
            example="DU-WFD",
        ),
        PUBLICATION,
    )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return queries.field_list(user=user, masterplan=masterplan).select_related(
            "lead_organization"
        )


@register
class GoalImporter(ModelImporter):
    key = "plans.goals"
    model = Goal
    action = "plans.goal"
    title = gettext_lazy("Goals")
    file_stem = "ziele"
    list_url_name = "plans:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="Z-GEN-1"),
        Column(
            "field",
            ColumnType.REFERENCE,
            required=True,
            target=FieldOfAction,
            label=gettext_lazy("Field of action"),
            aliases=("Handlungsfeld",),
            help=gettext_lazy("External ID of a field of action in the masterplan."),
            example="HF-GENEHMIGUNG",
        ),
        Column(
            "statement",
            required=True,
            label=gettext_lazy("Goal"),
            aliases=("Ziel", "Zielformulierung"),
            example="Top 10 der Oberzentren bei Genehmigungsverfahren bis 2025",
        ),
        DESCRIPTION,
        Column(
            "owner",
            ColumnType.REFERENCE,
            target=Person,
            label=gettext_lazy("Owner"),
            aliases=("Zielverantwortung", "Verantwortliche Person"),
            help=gettext_lazy("External ID of a person in the masterplan."),
            example="P-001",
        ),
        Column(
            "responsible_organization",
            ColumnType.REFERENCE,
            target=Organization,
            label=gettext_lazy("Responsible organisation"),
            aliases=("Verantwortliche Organisation", "Federführung"),
            help=gettext_lazy("External ID of an organisation in the masterplan."),
            example="DU-WFD",
        ),
        Column(
            "due_date",
            ColumnType.DATE,
            label=gettext_lazy("Due date"),
            aliases=("fällig am", "Termin"),
            example="31.12.2025",
        ),
        Column(
            "priority",
            ColumnType.CHOICE,
            label=gettext_lazy("Priority"),
            aliases=("Priorität",),
            help=gettext_lazy("Empty: new goals get medium priority, existing ones keep theirs."),
            example="high",
        ),
        Column(
            "focus",
            ColumnType.BOOL,
            field="is_focus",
            label=gettext_lazy("Current focus"),
            aliases=("Fokus", "Schwerpunkt"),
            example="ja",
        ),
        POSITION,
        WEIGHT,
        PUBLICATION,
    )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return queries.goal_list(user=user, masterplan=masterplan).select_related(
            "field", "owner", "responsible_organization"
        )


@register
class KeyResultImporter(ModelImporter):
    """Key results; a new current value is also kept in the key result's history."""

    key = "plans.key_results"
    model = KeyResult
    action = "plans.keyresult"
    title = gettext_lazy("Key results")
    file_stem = "schluesselergebnisse"
    list_url_name = "plans:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="KR-GEN-1"),
        Column(
            "goal",
            ColumnType.REFERENCE,
            required=True,
            target=Goal,
            label=gettext_lazy("Goal"),
            aliases=("Ziel",),
            help=gettext_lazy("External ID of a goal in the masterplan."),
            example="Z-GEN-1",
        ),
        Column(
            "name",
            required=True,
            label=gettext_lazy("Key result"),
            aliases=("Schlüsselergebnis", "Kennzahl", "Name"),
            example="Median-Verfahrensdauer Baugenehmigung",
        ),
        Column("unit", label=gettext_lazy("Unit"), aliases=("Einheit",), example="Tage"),
        Column(
            "baseline_value",
            ColumnType.DECIMAL,
            required=True,
            label=gettext_lazy("Baseline"),
            aliases=("Ausgangswert", "Basiswert"),
            example="120",
        ),
        Column(
            "baseline_date",
            ColumnType.DATE,
            required=True,
            label=gettext_lazy("Baseline date"),
            aliases=("Ausgangsdatum", "Stand Ausgangswert"),
            example="01.01.2022",
        ),
        Column(
            "target_value",
            ColumnType.DECIMAL,
            required=True,
            label=gettext_lazy("Target"),
            aliases=("Zielwert",),
            help=gettext_lazy("Must differ from the baseline."),
            example="60",
        ),
        Column(
            "target_date",
            ColumnType.DATE,
            required=True,
            label=gettext_lazy("Target date"),
            aliases=("Zieldatum",),
            help=gettext_lazy("Must lie after the baseline date."),
            example="31.12.2025",
        ),
        Column(
            "current_value",
            ColumnType.DECIMAL,
            label=gettext_lazy("Current value"),
            aliases=("Aktueller Wert", "Istwert"),
            help=gettext_lazy("A new value is also recorded in the key result's history."),
            example="85",
        ),
        Column(
            "current_as_of",
            ColumnType.DATE,
            label=gettext_lazy("Current value as of"),
            aliases=("Stand", "Stand aktueller Wert"),
            help=gettext_lazy("Empty with a new current value: today."),
            example="30.06.2025",
        ),
        WEIGHT,
        PUBLICATION,
    )

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        key_result = cast("KeyResult", plan.obj)
        value_changed = (
            key_result.current_value is not None
            if plan.created
            else "current_value" in plan.audit_changes
        )
        if value_changed and not run.has("current_as_of") and key_result.current_value is not None:
            today = timezone.localdate()
            if not plan.created:
                plan.audit_changes["current_as_of"] = [
                    key_result.current_as_of and key_result.current_as_of.isoformat(),
                    today.isoformat(),
                ]
                plan.diff["current_as_of"] = (
                    format_cell(ColumnType.DATE, key_result.current_as_of),
                    format_cell(ColumnType.DATE, today),
                )
            key_result.current_as_of = today
        if value_changed and key_result.current_value is not None:
            plan.extra["reading"] = True
        if not is_clean(run, plan.record):
            return
        if key_result.baseline_value == key_result.target_value:
            run.error(
                plan.record.row,
                "target_value",
                format_cell(ColumnType.DECIMAL, key_result.target_value),
                _(
                    "The target equals the baseline (“%(baseline)s”): there is nothing to "
                    "attain. Choose a target that differs from the baseline."
                )
                % {"baseline": header(run, "baseline_value")},
            )
        date_order_error(run, plan, "baseline_date", "target_date", strictly=True)

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        source = _("Import %(filename)s") % {"filename": run.report.filename}
        readings = []
        for plan in plans:
            key_result = cast("KeyResult", plan.obj)
            if plan.extra.get("reading") and key_result.current_value is not None:
                readings.append(
                    KeyResultReading(
                        key_result=key_result,
                        measured_on=key_result.current_as_of or timezone.localdate(),
                        value=key_result.current_value,
                        source=source[:200],
                    )
                )
        KeyResultReading.objects.bulk_create(readings, batch_size=1000)
        return []

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return queries.key_result_list(user=user, masterplan=masterplan).select_related("goal")


@register
class MeasureImporter(ModelImporter):
    """Measures with their status (by name) and dependencies (external IDs of measures).

    A file with the `depends_on` column sets each measure's dependencies to those listed
    (an empty cell removes them); cycles across the file and the plan are refused.
    """

    key = "plans.measures"
    model = Measure
    action = "plans.measure"
    title = gettext_lazy("Measures")
    file_stem = "massnahmen"
    list_url_name = "plans:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="M-BBB"),
        Column(
            "goal",
            ColumnType.REFERENCE,
            required=True,
            target=Goal,
            label=gettext_lazy("Goal"),
            aliases=("Ziel",),
            help=gettext_lazy("External ID of a goal in the masterplan."),
            example="Z-DIALOG-1",
        ),
        Column(
            "title",
            required=True,
            label=gettext_lazy("Title"),
            aliases=("Maßnahme", "Titel"),
            example="Business beim Brötchen – der Wirtschaftsdialog",
        ),
        DESCRIPTION,
        Column(
            "lead_organization",
            ColumnType.REFERENCE,
            required=True,
            target=Organization,
            label=gettext_lazy("Lead organisation"),
            aliases=("Federführung", "Federführende Organisation"),
            help=gettext_lazy("External ID of an organisation in the masterplan."),
            example="DU-WFD",
        ),
        Column(
            "responsible_person",
            ColumnType.REFERENCE,
            target=Person,
            label=gettext_lazy("Responsible person"),
            aliases=("Verantwortliche Person", "Ansprechperson"),
            help=gettext_lazy("External ID of a person in the masterplan."),
            example="P-001",
        ),
        Column(
            "operational_unit",
            field=None,
            max_length=OPERATIONAL_UNIT_NAME_LENGTH,
            label=gettext_lazy("Operational unit"),
            aliases=("Operative Einheit", "Arbeitsgruppe", "Fachgruppe"),
            help=gettext_lazy(
                "Name or external ID of a body (working group) of the masterplan; an unknown "
                "name creates a new working group."
            ),
            example="AG Wirtschaftsdialog",
        ),
        Column(
            "planned_start",
            ColumnType.DATE,
            label=gettext_lazy("Planned start"),
            aliases=("Beginn geplant", "Geplanter Beginn", "Start geplant"),
            example="01.03.2025",
        ),
        Column(
            "planned_end",
            ColumnType.DATE,
            label=gettext_lazy("Planned end"),
            aliases=("Ende geplant", "Geplantes Ende"),
            example="31.12.2025",
        ),
        Column(
            "actual_start",
            ColumnType.DATE,
            label=gettext_lazy("Actual start"),
            aliases=("Beginn tatsächlich", "Tatsächlicher Beginn"),
        ),
        Column(
            "actual_end",
            ColumnType.DATE,
            label=gettext_lazy("Actual end"),
            aliases=("Ende tatsächlich", "Tatsächliches Ende"),
        ),
        Column(
            "status",
            field=None,
            max_length=MeasureStatus._meta.get_field("name").max_length,
            label=gettext_lazy("Status"),
            aliases=("Stand der Umsetzung",),
            help=gettext_lazy(
                "Name of a status of the plan's catalogue. Empty: new measures get the first "
                "status, existing ones keep theirs."
            ),
            example="In Umsetzung",
        ),
        Column(
            "progress",
            ColumnType.INT,
            label=gettext_lazy("Progress (%)"),
            aliases=("Fortschritt", "Fortschritt in Prozent"),
            min_value=0,
            max_value=100,
            help=gettext_lazy("Empty: the default progress of the status."),
            example="40",
        ),
        Column(
            "health",
            ColumnType.CHOICE,
            label=gettext_lazy("Health"),
            aliases=("Ampel", "Ampelstatus", "RAG"),
            choice_aliases=HEALTH_ALIASES,
            help=gettext_lazy("Also Grün/Gelb/Rot. Not green needs a reason."),
            example="green",
        ),
        Column(
            "health_reason",
            label=gettext_lazy("Reason for the health"),
            aliases=("Begründung", "Begründung Ampel"),
            example="Ausschreibung verzögert sich",
        ),
        WEIGHT,
        Column(
            "depends_on",
            field=None,
            code=True,
            max_length=10_000,
            label=gettext_lazy("Depends on"),
            aliases=("Abhängig von", "Hängt ab von", "Abhängigkeiten", "Vorgänger"),
            help=gettext_lazy(
                "External IDs of measures in the file or the masterplan, separated by | or ;. "
                "Replaces the measure's dependencies; empty: none."
            ),
            example="M-KERNZONE | M-GEWERBE",
        ),
        PUBLICATION,
    )

    # --- planning

    def load(self, run: ImportRun) -> None:
        """The plan's measures by external ID, for the dependencies: (primary key, deleted)."""
        run.cache["measures"] = {
            key: (pk, deleted_at is not None)
            for key, pk, deleted_at in Measure.all_objects.filter(masterplan=run.masterplan)
            .exclude(external_id="")
            .values_list("external_id", "pk", "deleted_at")
        }
        run.cache["labels"] = {pk: key for key, (pk, _deleted) in run.cache["measures"].items()}
        run.cache["dependency_rows"] = []

    def check_file(self, run: ImportRun) -> None:
        super().check_file(run)
        self.check_dependency_cycles(run)

    def statuses(self, run: ImportRun) -> dict[str, MeasureStatus]:
        """The plan's status catalogue by name and by external ID (case ignored), loaded once."""
        if "statuses" not in run.cache:
            found: dict[str, MeasureStatus] = {}
            catalogue = list(MeasureStatus.objects.filter(masterplan=run.masterplan))
            for status in catalogue:
                if status.external_id:
                    found.setdefault(status.external_id.casefold(), status)
            for status in catalogue:
                found[status.name.casefold()] = status
            run.cache["statuses"] = found
            run.cache["status_names"] = [s.name for s in catalogue]
            run.cache["first_status"] = catalogue[0] if catalogue else None
        statuses: dict[str, MeasureStatus] = run.cache["statuses"]
        return statuses

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        self.plan_status(run, plan)
        self.plan_operational_body(run, plan)
        self.plan_dependencies(run, plan)
        if not is_clean(run, plan.record):
            return
        measure = cast("Measure", plan.obj)
        if measure.health != Health.GREEN and not measure.health_reason.strip():
            column = "health_reason" if run.has("health_reason") else "health"
            run.error(
                plan.record.row,
                column,
                "",
                _(
                    "The health is “%(health)s”: give a reason in column “%(column)s” when a "
                    "measure is at risk or off track."
                )
                % {"health": measure.get_health_display(), "column": header(run, "health_reason")},
            )
        date_order_error(run, plan, "planned_start", "planned_end")
        date_order_error(run, plan, "actual_start", "actual_end")

    def plan_status(self, run: ImportRun, plan: RowPlan) -> None:
        statuses = self.statuses(run)
        name = plan.record.values.get("status")
        measure = cast("Measure", plan.obj)
        if not name:
            if plan.created:
                first = run.cache["first_status"]
                if first is None:
                    run.error(
                        plan.record.row,
                        "status",
                        "",
                        _("The masterplan has no status catalogue yet."),
                    )
                    return
                measure.status_id = first.pk
            return
        status = statuses.get(name.casefold())
        if status is None:
            run.error(
                plan.record.row,
                "status",
                name,
                _("Unknown status. The plan's statuses: %(names)s.")
                % {"names": ", ".join(run.cache["status_names"]) or "–"},
            )
            return
        if plan.created:
            measure.status_id = status.pk
        elif measure.status_id != status.pk:
            old = next((s for s in statuses.values() if s.pk == measure.status_id), None)
            plan.audit_changes["status"] = [measure.status_id, status.pk]
            plan.diff["status"] = (old.name if old else "", status.name)
            measure.status_id = status.pk

    def bodies(self, run: ImportRun) -> dict[str, Any]:
        """The plan's bodies by external ID and by name (case ignored), loaded once."""
        if "bodies" not in run.cache:
            found: dict[str, Any] = {}
            units = operational_unit_model().objects.filter(masterplan=run.masterplan)
            catalogue = list(units)
            for body in catalogue:
                if body.external_id:
                    found.setdefault(body.external_id.casefold(), body)
            for body in catalogue:
                found.setdefault(body.name.casefold(), body)
            run.cache["bodies"] = found
        bodies: dict[str, Any] = run.cache["bodies"]
        return bodies

    def plan_operational_body(self, run: ImportRun, plan: RowPlan) -> None:
        """The operational unit by name; an unknown name becomes a new working group."""
        raw = plan.record.values.get("operational_unit")
        if raw is None:  # column left out
            return
        name = raw.strip()
        body = self.bodies(run).get(name.casefold()) if name else None
        if name and body is None:
            plan.extra["new_body"] = name
        new_id = body.pk if body is not None else None
        measure = cast("Measure", plan.obj)
        if plan.created:
            measure.operational_body_id = new_id
            return
        if measure.operational_body_id == new_id and "new_body" not in plan.extra:
            return
        names: dict[int | None, str] = {b.pk: b.name for b in self.bodies(run).values()}
        plan.diff["operational_unit"] = (names.get(measure.operational_body_id, ""), name)
        plan.audit_changes["operational_body"] = [measure.operational_body_id, new_id]
        measure.operational_body_id = new_id

    def write_batch(self, run: ImportRun, plans: list[RowPlan]) -> None:
        """Measures naming a new working group wait for the end of the file (see finish), so
        that each group is made once, published when any of its measures is."""
        new_bodies: dict[str, bool] = run.cache.setdefault("new_bodies", {})
        for p in plans:
            if "new_body" in p.extra:
                name = p.extra["new_body"]
                is_published = p.obj.publication == Publication.PUBLISHED
                new_bodies[name] = new_bodies.get(name, False) or is_published
                p.waits.add("operational_body")
        super().write_batch(run, plans)

    def finish(self, run: ImportRun) -> None:
        """New working groups first, so that the waiting measures can point to them; then
        those measures, and the dependencies.

        Governance owns the bodies: they are made by its service, reached through core.
        """
        new_bodies: dict[str, bool] = run.cache.get("new_bodies", {})
        if new_bodies:
            by_name = create_named(
                operational_unit_model(),
                actor=run.actor,
                masterplan=run.masterplan,
                names=new_bodies,
            )
            for p in run.waiting:
                if "new_body" in p.extra:
                    pk = by_name[p.extra["new_body"]]
                    cast("Measure", p.obj).operational_body_id = pk
                    if "operational_body" in p.audit_changes:
                        p.audit_changes["operational_body"][1] = pk
        super().finish(run)
        append_entries(self.write_dependencies(run))

    def current_dependencies(self, run: ImportRun) -> dict[int, set[int]]:
        if "dependencies" not in run.cache:
            run.cache["dependencies"] = plan_dependency_graph(run.masterplan)
        graph: dict[int, set[int]] = run.cache["dependencies"]
        return graph

    def plan_dependencies(self, run: ImportRun, plan: RowPlan) -> None:
        """Resolve the external IDs of `depends_on`: stored measures by primary key, measures
        of this file by their external ID (their key is known after the insert)."""
        raw = plan.record.values.get("depends_on")
        if raw is None:  # column left out, or the cell could not be read
            return
        own_key = plan.record.values.get(self.key_column) or ""
        nodes: list[tuple[str, Any]] = []
        measures: dict[str, tuple[int, bool]] = run.cache["measures"]
        for key in dict.fromkeys(k for k in KEY_SEPARATORS.split(raw.strip()) if k):
            stored = measures.get(key)
            if key == own_key:
                run.error(
                    plan.record.row, "depends_on", key, _("A measure cannot depend on itself.")
                )
            elif stored is not None and not stored[1]:
                nodes.append(("pk", stored[0]))
            elif stored is None and key in run.file_keys:
                nodes.append(("new", key))
            else:
                run.error(
                    plan.record.row,
                    "depends_on",
                    key,
                    _(
                        "Unknown measure “%(key)s”: no measure with this external ID in the "
                        "file or in this masterplan."
                    )
                    % {"key": key},
                )
        if plan.created:
            if nodes:
                plan.extra["depends_on"] = nodes
                run.cache["dependency_rows"].append(plan)
            return
        before = self.current_dependencies(run).get(plan.obj.pk, set())
        if all(kind == "pk" for kind, _v in nodes) and {v for _k, v in nodes} == before:
            return
        plan.extra["depends_on"] = nodes
        run.cache["dependency_rows"].append(plan)
        labels: dict[int, str] = run.cache["labels"]
        plan.diff["depends_on"] = (
            EXPORT_SEPARATOR.join(sorted(labels.get(pk) or str(pk) for pk in before)),
            EXPORT_SEPARATOR.join(str(v) if k == "new" else labels[v] for k, v in nodes),
        )

    def check_dependency_cycles(self, run: ImportRun) -> None:
        """Refuse dependencies that would form a cycle, across the file and the plan.

        Any new cycle runs through a measure whose dependencies this file changes, so the
        search starts only from those. One error per cycle, in the row of its first measure.
        """
        changed: list[RowPlan] = run.cache["dependency_rows"]
        if not changed:
            return
        graph: dict[Any, set[Any]] = {
            ("pk", source): {("pk", t) for t in targets}
            for source, targets in self.current_dependencies(run).items()
        }
        for plan in changed:
            graph[self.node(plan)] = set(plan.extra["depends_on"])
        reported: set[frozenset[Any]] = set()
        for plan in changed:
            cycle = dependency_cycle(graph, self.node(plan))
            if cycle is None or frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            run.error(
                plan.record.row,
                "depends_on",
                plan.record.values.get("depends_on"),
                _("These dependencies would form a cycle: %(path)s.")
                % {"path": " → ".join(self.node_label(run, node) for node in cycle)},
            )

    def node(self, plan: RowPlan) -> tuple[str, Any]:
        if not plan.created:
            return ("pk", plan.obj.pk)
        return ("new", plan.record.values.get(self.key_column) or f"row {plan.record.row}")

    def node_label(self, run: ImportRun, node: tuple[str, Any]) -> str:
        kind, value = node
        if kind == "new":
            return str(value)
        labels: dict[int, str] = run.cache["labels"]
        if value not in labels:  # a measure without external ID: its title
            labels.update(
                Measure.all_objects.filter(masterplan=run.masterplan, external_id="")
                .values_list("pk", "title")
                .iterator()
            )
        return labels.get(value) or str(value)

    # --- writing

    def write_dependencies(self, run: ImportRun) -> list[AuditEntry]:
        """The dependencies, once every new measure has its primary key."""
        through = Measure.depends_on.through
        changed: list[RowPlan] = run.cache["dependency_rows"]
        new_keys = {v for p in changed for k, v in p.extra["depends_on"] if k == "new"}
        by_key = dict(
            Measure.all_objects.filter(masterplan=run.masterplan, external_id__in=new_keys)
            .exclude(external_id="")
            .values_list("external_id", "pk")
        )
        before = self.current_dependencies(run) if changed else {}
        after: dict[int, list[int]] = {
            p.obj.pk: [by_key[v] if k == "new" else v for k, v in p.extra["depends_on"]]
            for p in changed
        }
        through.objects.filter(
            from_measure_id__in=[p.obj.pk for p in changed if not p.created]
        ).delete()
        through.objects.bulk_create(
            [
                through(from_measure_id=source, to_measure_id=target)
                for source, targets in after.items()
                for target in targets
            ],
            batch_size=1000,
        )
        # Changed dependencies alone make a new version too, as in the measure form.
        now = timezone.now()
        only_dependencies = [p.obj for p in changed if not p.created and not p.audit_changes]
        for measure in only_dependencies:
            measure.version += 1
            measure.modified_at = now
        update_rows(Measure, only_dependencies, ["version", "modified_at"])
        return [
            build_entry(
                actor=run.actor,
                action="plans.measure.dependencies_changed",
                obj=p.obj,
                changes={
                    "depends_on": [
                        sorted(before.get(p.obj.pk, ())),
                        sorted(after[p.obj.pk]),
                    ]
                },
            )
            for p in changed
        ]

    # --- export

    def export_value(self, obj: Any, column: Column) -> Any:
        if column.name == "status":
            return obj.status.name
        if column.name == "operational_unit":
            return obj.operational_body.name if obj.operational_body_id else ""
        if column.name == "depends_on":
            return EXPORT_SEPARATOR.join(
                sorted(m.external_id for m in obj.depends_on.all() if m.external_id)
            )
        return super().export_value(obj, column)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        # The measures the plan overview lists with the same filters (TREE).
        context = ListContext(user, masterplan)
        values = queries.TREE.values(filters, context)
        measures = queries.measures_with_context(user, masterplan)
        dependencies = Measure.objects.only("id", "external_id").visible_to(user, masterplan)
        return (
            queries.TREE.apply(measures, values, context)
            .select_related("goal")
            .prefetch_related(Prefetch("depends_on", queryset=dependencies))
            .order_by("goal__field__position", "goal__position", "goal_id", "planned_end", "id")
        )


@register
class MilestoneImporter(ModelImporter):
    key = "plans.milestones"
    model = Milestone
    action = "plans.milestone"
    title = gettext_lazy("Milestones")
    file_stem = "meilensteine"
    list_url_name = "plans:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="MS-BBB-1"),
        Column(
            "measure",
            ColumnType.REFERENCE,
            required=True,
            target=Measure,
            label=gettext_lazy("Measure"),
            aliases=("Maßnahme",),
            help=gettext_lazy("External ID of a measure in the masterplan."),
            example="M-BBB",
        ),
        Column(
            "title",
            required=True,
            label=gettext_lazy("Title"),
            aliases=("Meilenstein", "Titel"),
            example="Erster Wirtschaftsdialog im Hafen",
        ),
        Column(
            "due",
            ColumnType.DATE,
            required=True,
            label=gettext_lazy("Due"),
            aliases=("fällig am", "Termin"),
            example="30.06.2025",
        ),
        Column(
            "achieved_on",
            ColumnType.DATE,
            label=gettext_lazy("Achieved on"),
            aliases=("erreicht am", "Erreicht"),
            example="27.06.2025",
        ),
        Column(
            "evidence_url",
            ColumnType.URL,
            label=gettext_lazy("Evidence (link)"),
            aliases=("Nachweis", "Nachweis (Link)", "Beleg"),
            example="https://www.duisburg.de/wirtschaftsdialog",
        ),
        PUBLICATION,
    )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return queries.milestone_list(
            user=user, masterplan=masterplan, today=timezone.localdate()
        ).select_related("measure")
