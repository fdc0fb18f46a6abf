"""Every file in tests/data/plans/bad is refused with its message, and nothing changes.

The plan holds the good files already, so that upserts and dependencies meet stored records.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from tests.plans.test_import_helpers import (
    BAD,
    database_counts,
    import_plan,
    prepare_plan,
    run_import,
    versions,
)

GOALS = "plans.goals"
KEY_RESULTS = "plans.key_results"
MEASURES = "plans.measures"
MILESTONES = "plans.milestones"


class Expected(NamedTuple):
    row: int
    column: str
    value: str
    reason: str


CASES: dict[str, tuple[str, list[Expected]]] = {
    "ziele_unbekanntes_handlungsfeld.csv": (
        GOALS,
        [
            Expected(
                2,
                "Handlungsfeld",
                "HF-GIBTESNICHT",
                "Unknown reference: no field of action with this external ID",
            )
        ],
    ),
    "schluesselergebnisse_unbekanntes_ziel.csv": (
        KEY_RESULTS,
        [Expected(3, "Ziel", "Z-UNBEKANNT", "Unknown reference: no goal with this external ID")],
    ),
    "massnahmen_unbekanntes_ziel.csv": (
        MEASURES,
        [Expected(2, "Ziel", "Z-UNBEKANNT", "Unknown reference: no goal")],
    ),
    "massnahmen_unbekannte_federfuehrung.csv": (
        MEASURES,
        [Expected(2, "Federführung", "DU-GIBTESNICHT", "Unknown reference: no organisation")],
    ),
    "meilensteine_unbekannte_massnahme.csv": (
        MILESTONES,
        [Expected(2, "Maßnahme", "M-UNBEKANNT", "Unknown reference: no measure")],
    ),
    "massnahmen_unbekannte_abhaengigkeit.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Abhängig von",
                "M-GIBTESNICHT",
                "Unknown measure “M-GIBTESNICHT”: no measure with this external ID in the file "
                "or in this masterplan.",
            )
        ],
    ),
    "massnahmen_zyklus_in_datei.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Abhängig von",
                "M-B",
                "These dependencies would form a cycle: M-A → M-B → M-C → M-A.",
            )
        ],
    ),
    "massnahmen_zyklus_mit_plan.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Abhängig von",
                "M-LOTSE",
                "These dependencies would form a cycle: "
                "M-KERNZONE → M-LOTSE → M-PORTAL → M-KERNZONE.",
            )
        ],
    ),
    "massnahmen_abhaengig_von_sich_selbst.csv": (
        MEASURES,
        [Expected(2, "Abhängig von", "M-BBB", "A measure cannot depend on itself.")],
    ),
    "schluesselergebnisse_ausgangswert_gleich_zielwert.csv": (
        KEY_RESULTS,
        [
            Expected(
                2,
                "Zielwert",
                "90",
                "The target equals the baseline (“Ausgangswert”): there is nothing to attain.",
            )
        ],
    ),
    "schluesselergebnisse_zieldatum_vor_ausgangsdatum.csv": (
        KEY_RESULTS,
        [
            Expected(
                2,
                "Zieldatum",
                "31.12.2022",
                "“Zieldatum” (31.12.2022) must lie after “Ausgangsdatum” (01.01.2023).",
            )
        ],
    ),
    "massnahmen_ende_vor_beginn.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Ende geplant",
                "30.09.2025",
                "“Ende geplant” (30.09.2025) lies before “Beginn geplant” (01.10.2025).",
            )
        ],
    ),
    "massnahmen_tatsaechliches_ende_vor_beginn.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Ende tatsächlich",
                "28.02.2025",
                "“Ende tatsächlich” (28.02.2025) lies before “Beginn tatsächlich” (01.03.2025).",
            )
        ],
    ),
    "massnahmen_ampel_ohne_begruendung.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Begründung",
                "",
                "The health is “Off track”: give a reason in column “Begründung”",
            )
        ],
    ),
    "massnahmen_unbekannter_status.csv": (
        MEASURES,
        [
            Expected(
                2,
                "Status",
                "Halb fertig",
                "Unknown status. The plan's statuses: Idee, In Vorbereitung, In Umsetzung, "
                "Abschluss, Umgesetzt, Gestoppt.",
            )
        ],
    ),
    "massnahmen_ungueltige_ampel.csv": (
        MEASURES,
        [Expected(2, "Ampel", "orange", "Not an allowed value. Allowed: green (On track)")],
    ),
    "massnahmen_fortschritt_zu_hoch.csv": (
        MEASURES,
        [Expected(2, "Fortschritt", "120", "Must be at most 100.")],
    ),
    "meilensteine_ohne_faelligkeit.csv": (
        MILESTONES,
        [Expected(2, "fällig am", "", "A value is required in this column.")],
    ),
}


@pytest.fixture
def imported(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> Masterplan:
    prepare_plan(plan, own_org, other_org)
    import_plan(plan, coordinator)
    return plan


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_its_message_and_nothing_changes(
    name: str, dry_run: bool, imported: Masterplan, coordinator: Any
) -> None:
    importer, expected = CASES[name]
    before, versions_before = database_counts(), versions()
    report = run_import(
        imported, coordinator, importer, (BAD / name).read_bytes(), filename=name, dry_run=dry_run
    )
    found = [(e.row, e.column, e.value, e.reason) for e in report.errors]
    assert len(found) == len(expected), found
    for (row, column, value, reason), want in zip(found, expected, strict=True):
        assert (row, column, value) == (want.row, want.column, want.value), found
        assert want.reason in reason, found
    assert (report.created, report.updated) == (0, 0)
    assert database_counts() == before
    assert versions() == versions_before
