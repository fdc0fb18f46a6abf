"""Import and export of energy reports (`climate.energy_reports`), one row per organisation and
year, in the units of models.EnergyReport. Besides the framework's checks (numbers in German
format, no negative consumption, known organisation), a row is refused when the organisation
already has a report for that year (in the plan or earlier in the file), when the supplier
factor looks like kg instead of g CO2/kWh (unit mismatch), and when an emission factor the
row needs is missing for its year. All or nothing, as every import."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.climate import figures, queries
from masterplan.climate.models import EnergyReport, FuelUnit
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.cells import format_cell
from masterplan.core.imports.importer import ImportRun, RowPlan
from masterplan.core.models import Masterplan
from masterplan.directory.importers import EXTERNAL_ID, PUBLICATION
from masterplan.directory.models import Organization

UNIT_ALIASES = (("liter", "l"), ("litre", "l"), ("ltr", "l"), ("kilowattstunden", "kWh"))
# Carrier of a missing factor → the column whose value needs it.
FACTOR_COLUMNS = {
    "electricity_grid_mix": "electricity_grid_kwh",
    "natural_gas": "natural_gas_kwh",
    "heating_oil": "heating_oil",
    "district_heat": "district_heat_kwh",
    "diesel": "diesel",
    "petrol": "petrol",
}


def amount(name: str, label: Any, aliases: tuple[str, ...], example: str = "0") -> Column:
    return Column(
        name, ColumnType.DECIMAL, label=label, aliases=aliases, min_value=0, example=example
    )


def unit(name: str, label: Any, aliases: tuple[str, ...]) -> Column:
    return Column(
        name,
        ColumnType.CHOICE,
        label=label,
        aliases=aliases,
        choice_aliases=UNIT_ALIASES,
        help=gettext_lazy("l (litres, converted with the net calorific value) or kWh."),
        example="l",
    )


@register
class EnergyReportImporter(ModelImporter):
    key = "climate.energy_reports"
    model = EnergyReport
    action = "climate.energy_report"
    title = gettext_lazy("Energy reports")
    file_stem = "energieberichte"
    list_url_name = "climate:overview"
    columns = (
        dataclasses.replace(EXTERNAL_ID, example="EB-RHEINMETALL-2024"),
        Column(
            "organization",
            ColumnType.REFERENCE,
            required=True,
            target=Organization,
            label=gettext_lazy("Organisation"),
            aliases=("Organisation", "Unternehmen", "Firma", "Mitglied"),
            help=gettext_lazy("External ID of an organisation in the masterplan."),
            example="DUS-SAMPLE-01",
        ),
        Column(
            "year",
            ColumnType.INT,
            required=True,
            label=gettext_lazy("Year"),
            aliases=("Jahr", "Berichtsjahr"),
            min_value=1990,
            max_value=2100,
            example="2024",
        ),
        amount(
            "electricity_grid_kwh",
            gettext_lazy("Electricity from the grid (kWh)"),
            ("Strom Netz kWh", "Netzstrom kWh", "Strombezug kWh"),
            "1.250.000",
        ),
        amount(
            "own_renewables_kwh",
            gettext_lazy("Own renewable electricity (kWh)"),
            ("Eigenerzeugung erneuerbar kWh", "Eigenstrom kWh"),
        ),
        amount(
            "green_power_kwh",
            gettext_lazy("Green-power contracts (kWh)"),
            ("Ökostrom kWh", "Grünstrom kWh"),
        ),
        Column(
            "green_power_factor",
            ColumnType.DECIMAL,
            label=gettext_lazy("Supplier factor of the green power (g CO2/kWh)"),
            aliases=("Lieferantenfaktor g/kWh", "Ökostrom Faktor g/kWh"),
            min_value=0,
            help=gettext_lazy("In g CO2/kWh; required with green power."),
            example="0",
        ),
        amount("natural_gas_kwh", gettext_lazy("Natural gas (kWh)"), ("Erdgas kWh",)),
        amount("heating_oil", gettext_lazy("Heating oil"), ("Heizöl",)),
        unit("heating_oil_unit", gettext_lazy("Unit of heating oil"), ("Einheit Heizöl",)),
        amount("district_heat_kwh", gettext_lazy("District heat (kWh)"), ("Fernwärme kWh",)),
        amount("diesel", gettext_lazy("Diesel"), ("Diesel Menge",)),
        unit("diesel_unit", gettext_lazy("Unit of diesel"), ("Einheit Diesel",)),
        amount("petrol", gettext_lazy("Petrol"), ("Benzin",)),
        unit("petrol_unit", gettext_lazy("Unit of petrol"), ("Einheit Benzin",)),
        amount(
            "process_t_co2",
            gettext_lazy("Process emissions (t CO2)"),
            ("Prozessemissionen t CO2", "Prozessemissionen"),
        ),
        Column(
            "employees",
            ColumnType.INT,
            label=gettext_lazy("Employees"),
            aliases=("Beschäftigte", "Mitarbeitende"),
            min_value=0,
            example="850",
        ),
        amount("output_value", gettext_lazy("Output"), ("Produktionsmenge", "Output Wert")),
        Column(
            "output_unit", label=gettext_lazy("Unit of the output"), aliases=("Einheit Output",)
        ),
        Column(
            "estimated",
            ColumnType.BOOL,
            label=gettext_lazy("Estimated"),
            aliases=("Geschätzt", "Schätzung"),
            example="nein",
        ),
        Column(
            "status",
            ColumnType.CHOICE,
            label=gettext_lazy("Status"),
            aliases=("Bearbeitungsstand",),
            example="final",
        ),
        Column("note", label=gettext_lazy("Note"), aliases=("Bemerkung", "Notiz")),
        PUBLICATION,
    )

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        report = cast("EnergyReport", plan.obj)
        row = plan.record.row
        if report.organization_id is None or report.year is None:
            return
        seen: dict[tuple[int, int], int] = run.cache.setdefault("seen", {})
        key = (report.organization_id, report.year)
        if key in seen:
            run.error(
                row,
                "year",
                str(report.year),
                _("This organisation already has a report for %(year)s in row %(row)s.")
                % {"year": report.year, "row": seen[key]},
            )
            return
        seen[key] = row
        existing = run.cache.get("existing_years")
        if existing is None:
            existing = {
                (o, y): pk
                for o, y, pk in EnergyReport.objects.filter(masterplan=run.masterplan).values_list(
                    "organization_id", "year", "pk"
                )
            }
            run.cache["existing_years"] = existing
        if key in existing and existing[key] != report.pk:
            run.error(
                row,
                "year",
                str(report.year),
                _(
                    "This organisation already has a report for %(year)s in the masterplan. "
                    "Give the row that report's external ID to change it."
                )
                % {"year": report.year},
            )
            return
        factor = report.green_power_factor
        if factor is not None and Decimal(0) < factor < Decimal(1):
            run.error(
                row,
                "green_power_factor",
                format_cell(ColumnType.DECIMAL, factor),
                _(
                    "Unit mismatch: the column is in g CO2/kWh, the value looks like kg CO2/kWh. "
                    "Multiply it by 1000."
                ),
            )
            return
        if report.green_power_kwh and factor is None:
            run.error(
                row,
                "green_power_factor",
                "",
                _("Green power needs the supplier's emission factor (g CO2/kWh)."),
            )
            return
        for name in ("heating_oil_unit", "diesel_unit", "petrol_unit"):
            if getattr(report, name) in ("", None):
                setattr(report, name, FuelUnit.LITRE)
        table = run.cache.get("factors")
        if table is None:
            table = queries.factor_table(list(queries.factors_for(run.masterplan)))
            run.cache["factors"] = table
        try:
            figures.balance(queries.as_report(report), table)
        except figures.MissingFactor as missing:
            column = FACTOR_COLUMNS.get(missing.carrier, "green_power_factor")
            run.error(
                row,
                column,
                format_cell(ColumnType.DECIMAL, getattr(report, column)),
                str(missing),
            )

    def export_queryset(
        self, *, user: Any, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.ENERGY_REPORTS.values(filters, ListContext(user, masterplan))
        return queries.energy_report_list(user=user, masterplan=masterplan, **values)
