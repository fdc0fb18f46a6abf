"""Import and export of observations ("indicators.observations").

A row is one value of one indicator (named by its code) for one period and subject. A value
for a period that is already recorded is refused, unless it is the same value (so that an
unchanged export imports as "unchanged"); a period twice in the file is refused too. After the
import, key results linked to the indicators through targets take the latest values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, build_entry
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.cells import CellError, serial_number_as_date
from masterplan.core.imports.importer import BATCH_SIZE, ImportRun, Record, RowPlan
from masterplan.core.models import Masterplan
from masterplan.core.services import initial_values
from masterplan.directory.models import Organization
from masterplan.indicators import figures, queries
from masterplan.indicators.models import Indicator, Observation, Scope

NAMES = ["granularity", "period_start", "value", "scope", "organization", "region_code", "status"]
Key = tuple[int, str, date, str, Any]


def text_or_empty(value: Any) -> str:
    """A cell's text; an empty choice cell (the framework's KEEP marker) counts as empty."""
    return value if isinstance(value, str) else ""


def observation_key(o: Observation) -> Key:
    subject = o.organization_id if o.scope == Scope.ORGANIZATION else o.region_code
    return (o.indicator_id, o.granularity, o.period_start, o.scope, subject)


@register
class ObservationImporter(ModelImporter):
    key = "indicators.observations"
    model = Observation
    action = "indicators.observation"
    title = gettext_lazy("Indicator values")
    file_stem = "kennzahlen-werte"
    list_url_name = "indicators:list"
    columns = (
        Column(
            "indicator",
            required=True,
            field=None,
            label=gettext_lazy("Indicator code"),
            aliases=("Kennzahl", "Code", "Kennzahl-Code", "indicator code"),
            max_length=40,
            example="DU-GEN-DAUER",
            code=True,
        ),
        Column(
            "period",
            required=True,
            field=None,
            label=gettext_lazy("Period"),
            aliases=("Zeitraum", "Periode", "Jahr"),
            max_length=20,
            help=gettext_lazy("2024, 2024-Q3, 2024-05 or a date in the period (dd.mm.yyyy)."),
            example="2024",
        ),
        Column(
            "value",
            ColumnType.DECIMAL,
            required=True,
            label=gettext_lazy("Value"),
            aliases=("Wert",),
            example="77,5",
        ),
        Column(
            "unit",
            field=None,
            label=gettext_lazy("Unit"),
            aliases=("Einheit",),
            max_length=40,
            help=gettext_lazy("Optional; must be the indicator's unit when given."),
            example="Tage",
        ),
        Column(
            "scope",
            ColumnType.CHOICE,
            label=gettext_lazy("Scope"),
            aliases=("Bezug", "Ebene"),
            choice_aliases=(
                ("gesamt", "masterplan"),
                ("stadt", "masterplan"),
                ("unternehmen", "organization"),
                ("organisation", "organization"),
            ),
            help=gettext_lazy("Empty: organisation when one is named, otherwise masterplan."),
            example="masterplan",
        ),
        Column(
            "organization",
            field=None,
            label=gettext_lazy("Organisation (external ID)"),
            aliases=("Organisation", "Unternehmen", "organization external id"),
            max_length=100,
            example="DU-WFD",
            code=True,
        ),
        Column(
            "region_code",
            label=gettext_lazy("Region code"),
            aliases=("Region", "AGS"),
            example="05112000",
            code=True,
        ),
        Column(
            "status",
            ColumnType.CHOICE,
            label=gettext_lazy("Status"),
            choice_aliases=(("vorläufig", "provisional"), ("endgültig", "final")),
            example="final",
        ),
        Column(
            "source",
            label=gettext_lazy("Source"),
            aliases=("Quelle",),
            example="IT.NRW, Gewerbeanzeigenstatistik",
        ),
    )

    # --- export

    def export_value(self, obj: Any, column: Column) -> Any:
        if column.name == "indicator":
            return obj.indicator.code
        if column.name == "period":
            return obj.period_label
        if column.name == "unit":
            return obj.indicator.unit
        if column.name == "organization":
            return obj.organization.external_id if obj.organization else ""
        return super().export_value(obj, column)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.OBSERVATIONS.values(filters, ListContext(user, masterplan))
        return queries.observation_list(user=user, masterplan=masterplan, **values)

    # --- checking and planning

    def load(self, run: ImportRun) -> None:
        indicators = Indicator.objects.filter(masterplan=run.masterplan)
        run.cache["indicators"] = {i.code: i for i in indicators}
        run.cache["organizations"] = {
            o.external_id: o
            for o in Organization.objects.filter(masterplan=run.masterplan).exclude(external_id="")
        }
        existing = Observation.objects.filter(masterplan=run.masterplan)
        if run.write:
            existing = existing.select_for_update()
        run.cache["existing"] = {observation_key(o): o for o in existing}
        run.cache["seen"] = {}
        run.cache["indicators_touched"] = {}

    def plan_batch(self, run: ImportRun, records: list[Record]) -> list[RowPlan]:
        """Duplicates are periods, known once the indicators are loaded: the file's periods
        are kept for the whole import."""
        seen: dict[Key, int] = run.cache["seen"]
        plans = []
        for record in records:
            observation = self.new_observation(run, record)
            if observation is None:
                continue
            key = observation_key(observation)
            if key in seen:
                run.error(
                    record.row,
                    "period",
                    record.values.get("period"),
                    _(
                        "The same period for the same indicator and subject appears more than "
                        "once in the file (first in row %(row)s)."
                    )
                    % {"row": seen[key]},
                )
                continue
            seen[key] = record.row
            stored = run.cache["existing"].get(key)
            if stored is not None:
                if stored.value != observation.value:
                    run.error(
                        record.row,
                        "period",
                        record.values.get("period"),
                        _(
                            "A value for this period is already recorded: %(value)s. Change "
                            "it on the indicator page instead of importing a second one."
                        )
                        % {"value": number_format(stored.value.normalize())},
                    )
                    continue
                plans.append(RowPlan(record=record, obj=stored, created=False))
            else:
                plans.append(RowPlan(record=record, obj=observation, created=True))
        return plans

    def new_observation(self, run: ImportRun, record: Record) -> Observation | None:
        """The new observation of one row, or None after reporting what is wrong with it."""
        values = record.values
        if not all(name in values for name in ("indicator", "period", "value")):
            return None  # a cell could not be read; it has been reported
        indicator: Indicator | None = run.cache["indicators"].get(values["indicator"])
        if indicator is None:
            run.error(
                record.row,
                "indicator",
                values["indicator"],
                _("Unknown indicator: no indicator with this code in this masterplan."),
            )
            return None
        unit = values.get("unit") or ""
        if unit and unit != indicator.unit:
            run.error(
                record.row,
                "unit",
                unit,
                _("The unit does not match: indicator %(code)s is measured in “%(unit)s”.")
                % {"code": indicator.code, "unit": indicator.unit},
            )
            return None
        try:
            granularity, start = figures.parse_period(values["period"], indicator.granularity)
        except figures.PeriodError as error:
            try:
                serial_number_as_date(values["period"])
                reason = str(error)
            except CellError as serial:  # an Excel date that lost its format: say so
                reason = serial.reason
            run.error(record.row, "period", values["period"], reason)
            return None
        organization = None
        if values.get("organization"):
            organization = run.cache["organizations"].get(values["organization"])
            if organization is None:
                run.error(
                    record.row,
                    "organization",
                    values["organization"],
                    _("Unknown organisation: no organisation with this external ID."),
                )
                return None
        scope = text_or_empty(values.get("scope")) or (
            Scope.ORGANIZATION if organization is not None else Scope.MASTERPLAN
        )
        if (scope == Scope.ORGANIZATION) != (organization is not None):
            run.error(
                record.row,
                "organization",
                values.get("organization", ""),
                _("Name an organisation exactly when the scope is “organisation”."),
            )
            return None
        region_code = values.get("region_code") or ""
        if scope == Scope.REGION and not region_code:
            run.error(record.row, "region_code", "", _("Give the region's code."))
            return None
        observation = Observation(
            masterplan=run.masterplan,
            indicator=indicator,
            granularity=granularity,
            period_start=start,
            value=values["value"],
            scope=scope,
            organization=organization,
            region_code=region_code if scope == Scope.REGION else "",
            status=text_or_empty(values.get("status")) or "final",
            source=values.get("source") or "",
            publication=indicator.publication,
            entered_by=run.actor if run.actor is not None and run.actor.is_authenticated else None,
        )
        return observation

    def write_batch(self, run: ImportRun, plans: list[RowPlan]) -> None:
        created = [p.obj for p in plans if p.created and isinstance(p.obj, Observation)]
        Observation.objects.bulk_create(created, batch_size=BATCH_SIZE)
        append_entries(
            build_entry(
                actor=run.actor,
                action=f"{self.action}.imported",
                obj=o,
                changes=initial_values(o, NAMES),
            )
            for o in created
        )
        run.cache["indicators_touched"].update({o.indicator_id: o.indicator for o in created})

    def finish(self, run: ImportRun) -> None:
        """Key results linked to the indicators take the latest values, once per indicator."""
        from masterplan.indicators.services import sync_key_results

        for indicator in run.cache["indicators_touched"].values():
            sync_key_results(actor=run.actor, indicator=indicator)
