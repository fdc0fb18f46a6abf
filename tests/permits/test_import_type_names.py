"""A peer city's procedure file names the statutory procedure types in its own language: the
English default names ("Building permit procedure (NRW)") are accepted as well as the German
ones, whatever case, even after the plan renamed its type; a name that is no type's is still
refused with the known codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.permits import services
from masterplan.permits.models import Procedure, ProcedureType

pytestmark = pytest.mark.django_db

HEADER = "reference;authority;city;type;received;complete;decided;withdrawn;outcome"
COLOGNE = "Stadt Köln – Bauaufsichtsamt;Köln"


def english_file(*rows: tuple[str, str]) -> bytes:
    lines = [HEADER] + [
        f"{reference};{COLOGNE};{kind};2024-03-04;2024-03-18;;;open" for reference, kind in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def run(plan: Masterplan, actor: Any, content: bytes) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="permits.procedures",
            masterplan=plan,
            actor=actor,
            content=content,
            filename="procedures-cologne.csv",
        )


def errors(report: ImportReport) -> list[str]:
    with translation.override("en"):
        return [str(error) for error in report.errors]


def type_of(reference: str) -> str:
    return Procedure.objects.get(reference=reference).procedure_type.code


@pytest.fixture
def german_types(plan: Masterplan, coordinator: Any, settings: Any) -> None:
    """The statutory types as a German installation creates them."""
    settings.LANGUAGE_CODE = "de"
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    assert ProcedureType.objects.get(code="bauo-nrw-65").name == "Baugenehmigungsverfahren (NRW)"


def test_english_default_names_find_the_plans_german_types(
    plan: Masterplan, coordinator: Any, german_types: None
) -> None:
    report = run(
        plan,
        coordinator,
        english_file(
            ("BA-2024-1203", "Building permit procedure (NRW)"),
            ("BA-2024-1204", "SIMPLIFIED BUILDING PERMIT PROCEDURE (NRW)"),
            ("BA-2024-1205", "immission control permit, simplified procedure"),
            ("BA-2024-1206", "Vereinfachtes Baugenehmigungsverfahren (NRW)"),
        ),
    )
    assert report.ok, errors(report)
    assert [type_of(f"BA-2024-{n}") for n in (1203, 1204, 1205, 1206)] == [
        "bauo-nrw-65",
        "bauo-nrw-64",
        "bimschg-19",
        "bauo-nrw-64",
    ]
    assert ProcedureType.objects.filter(masterplan=plan).count() == 9  # none created


def test_a_renamed_type_is_still_found_by_its_default_names(
    plan: Masterplan, coordinator: Any, german_types: None
) -> None:
    ProcedureType.objects.filter(masterplan=plan, code="bauo-nrw-65").update(
        name="Baugenehmigung im Regelverfahren"
    )
    report = run(
        plan,
        coordinator,
        english_file(
            ("BA-2024-1301", "Building permit procedure (NRW)"),
            ("BA-2024-1302", "Baugenehmigungsverfahren (NRW)"),
            ("BA-2024-1303", "baugenehmigung im regelverfahren"),
        ),
    )
    assert report.ok, errors(report)
    assert {type_of(f"BA-2024-{n}") for n in (1301, 1302, 1303)} == {"bauo-nrw-65"}


def test_a_plan_without_types_finds_them_by_german_and_english_names(
    plan: Masterplan, coordinator: Any
) -> None:
    report = run(
        plan,
        coordinator,
        english_file(
            ("BA-2024-1401", "Baugenehmigungsverfahren (NRW)"),
            ("BA-2024-1402", "Building Permit Procedure (NRW)"),
        ),
    )
    assert report.ok, errors(report)
    assert {type_of("BA-2024-1401"), type_of("BA-2024-1402")} == {"bauo-nrw-65"}


def test_an_unknown_english_name_is_refused_with_the_known_codes(
    plan: Masterplan, coordinator: Any, german_types: None
) -> None:
    report = run(plan, coordinator, english_file(("BA-2024-1501", "Preliminary building enquiry")))
    assert errors(report) == [
        "row 2, column “type”, value “Preliminary building enquiry”: Unknown procedure type. "
        "Write its code, name or legal basis; known codes: bauo-nrw-64, bauo-nrw-65, "
        "bimschg-10, bimschg-15, bimschg-15-2a, bimschg-16, bimschg-16-2, bimschg-19, hbo-65."
    ]
    assert not Procedure.objects.exists()
