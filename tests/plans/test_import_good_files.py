"""The whole plan from five files as a coordinator saves them: CSV for German Excel and XLSX."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    KeyResultReading,
    Measure,
    Milestone,
)
from tests.plans.test_import_helpers import FILES, GOOD, import_plan, prepare_plan, run_import


@pytest.fixture
def prepared(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> Masterplan:
    prepare_plan(plan, own_org, other_org)
    return plan


def as_xlsx(name: str) -> bytes:
    """The CSV file as a workbook with typed cells: dates as dates, numbers as numbers."""
    text = (GOOD / name).read_text(encoding="utf-8-sig")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=";")):
        cells: list[Any] = []
        for cell in row:
            if number and (found := re.fullmatch(r"(\d\d)\.(\d\d)\.(\d{4})", cell)):
                cells.append(date(int(found[3]), int(found[2]), int(found[1])))
            elif number and re.fullmatch(r"\d+(,\d+)?", cell):
                cells.append(float(cell.replace(",", ".")) if "," in cell else int(cell))
            else:
                cells.append(cell or None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_kind_is_imported_with_its_parents_from_the_previous_file(
    fmt: str, prepared: Masterplan, coordinator: Any
) -> None:
    created = {}
    for importer, name in FILES.items():
        content = (GOOD / name).read_bytes() if fmt == "csv" else as_xlsx(name)
        report = run_import(prepared, coordinator, importer, content, filename=f"{name}.{fmt}")
        assert report.ok, [str(e) for e in report.errors]
        assert ("XLSX" if fmt == "xlsx" else "UTF-8 (BOM)") in report.file_format
        created[importer] = report.created
    assert created == {
        "plans.fields": 3,
        "plans.goals": 3,
        "plans.key_results": 3,
        "plans.measures": 4,
        "plans.milestones": 3,
    }


def test_fields_of_action(prepared: Masterplan, coordinator: Any, own_org: Organization) -> None:
    import_plan(prepared, coordinator, upto="plans.fields")
    field = FieldOfAction.objects.get(external_id="HF-GEN")
    assert (field.name, field.position, field.weight) == (
        "Schnellere Genehmigungsverfahren",
        1,
        Decimal(2),
    )
    assert (field.lead_organization, field.publication) == (own_org, "published")
    assert FieldOfAction.objects.get(external_id="HF-DIALOG").publication == "draft"


def test_goals_with_owner_priority_and_focus(prepared: Masterplan, coordinator: Any) -> None:
    import_plan(prepared, coordinator, upto="plans.goals")
    goal = Goal.objects.get(external_id="Z-GEN-1")
    assert goal.statement == "Top 10 der Oberzentren bei Genehmigungsverfahren bis 2025"
    assert goal.field.external_id == "HF-GEN"
    assert goal.owner is not None and goal.owner.external_id == "P-001"
    assert (goal.due_date, goal.priority, goal.is_focus) == (date(2025, 12, 31), "high", True)
    flaeche = Goal.objects.get(external_id="Z-FLAECHE-1")
    assert (flaeche.priority, flaeche.is_focus, flaeche.weight) == ("low", False, Decimal("1.5"))


def test_key_results_record_their_current_value_in_the_history(
    prepared: Masterplan, coordinator: Any
) -> None:
    import_plan(prepared, coordinator, upto="plans.key_results")
    kr = KeyResult.objects.get(external_id="KR-DIALOG-1")
    assert (kr.baseline_value, kr.target_value, kr.current_value) == (0, 120, Decimal("45.5"))
    assert kr.current_as_of == date(2025, 3, 31)
    readings = KeyResultReading.objects.order_by("key_result__external_id")
    assert [(r.key_result.external_id, r.value, r.measured_on) for r in readings] == [
        ("KR-DIALOG-1", Decimal("45.5"), date(2025, 3, 31)),
        ("KR-GEN-1", Decimal(85), date(2025, 6, 30)),
    ]
    assert readings[0].source == "Import schluesselergebnisse.csv"


def test_measures_with_status_health_and_dependencies_in_the_same_file(
    prepared: Masterplan, coordinator: Any, other_org: Organization
) -> None:
    import_plan(prepared, coordinator, upto="plans.measures")
    bbb = Measure.objects.get(external_id="M-BBB")
    assert bbb.title == "Business beim Brötchen – der Wirtschaftsdialog"
    assert (bbb.lead_organization, bbb.status.name, bbb.progress) == (other_org, "In Umsetzung", 40)
    assert bbb.responsible_person is not None
    assert (bbb.planned_start, bbb.planned_end) == (date(2025, 3, 1), date(2025, 12, 31))
    kernzone = Measure.objects.get(external_id="M-KERNZONE")
    assert (kernzone.health, kernzone.status.name) == ("amber", "In Vorbereitung")
    assert Measure.objects.get(external_id="M-LOTSE").health == "red"
    portal = Measure.objects.get(external_id="M-PORTAL")
    assert portal.health == "green"  # "Im Plan"
    assert sorted(m.external_id for m in portal.depends_on.all()) == ["M-BBB", "M-KERNZONE"]
    lotse = Measure.objects.get(external_id="M-LOTSE")
    assert [m.external_id for m in lotse.depends_on.all()] == ["M-PORTAL"]


def test_milestones(prepared: Masterplan, coordinator: Any) -> None:
    import_plan(prepared, coordinator)
    milestone = Milestone.objects.get(external_id="MS-BBB-1")
    assert (milestone.measure.external_id, milestone.due, milestone.achieved_on) == (
        "M-BBB",
        date(2025, 6, 30),
        date(2025, 6, 27),
    )
    assert milestone.evidence_url == "https://www.duisburg.de/wirtschaftsdialog"
    portal = Milestone.objects.get(external_id="MS-PORTAL-1")
    assert portal.evidence_url == "https://www.duisburg.de/bauportal"
