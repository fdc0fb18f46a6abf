"""Shared set-up for the plan's import and export tests: the good files of tests/data/plans.

`import_plan` fills a plan from the five files, in the order a coordinator imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import translation

from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
)
from tests.factories import PersonFactory, seeded_statuses

DATA = Path(__file__).parent.parent / "data" / "plans"
GOOD = DATA / "good"
BAD = DATA / "bad"
# importer key → the good file, in the order of import (parents first)
FILES = {
    "plans.fields": "handlungsfelder.csv",
    "plans.goals": "ziele.csv",
    "plans.key_results": "schluesselergebnisse.csv",
    "plans.measures": "massnahmen.csv",
    "plans.milestones": "meilensteine.csv",
}
URL_PREFIXES = {
    "plans.fields": "fields",
    "plans.goals": "goals",
    "plans.key_results": "key-results",
    "plans.measures": "measures",
    "plans.milestones": "milestones",
}


def run_import(
    plan: Masterplan,
    actor: Any,
    importer: str,
    content: bytes,
    *,
    filename: str = "datei.csv",
    dry_run: bool = False,
) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer=importer,
            masterplan=plan,
            actor=actor,
            content=content,
            filename=filename,
            dry_run=dry_run,
        )


def prepare_plan(plan: Masterplan, own_org: Organization, other_org: Organization) -> None:
    """What the plan files refer to: the status catalogue and a person (orgs are fixtures)."""
    assert (own_org.external_id, other_org.external_id) == ("DU-WFD", "DU-IHK")
    seeded_statuses(plan)
    PersonFactory(masterplan=plan, external_id="P-001", given_name="Jennifer", family_name="Kleff")


def import_plan(plan: Masterplan, actor: Any, *, upto: str = "plans.milestones") -> None:
    for importer, name in FILES.items():
        report = run_import(plan, actor, importer, (GOOD / name).read_bytes(), filename=name)
        assert report.ok, [str(e) for e in report.errors]
        if importer == upto:
            return


def database_counts() -> tuple[int, ...]:
    return tuple(
        manager.count()
        for manager in (
            FieldOfAction.all_objects,
            Goal.all_objects,
            KeyResult.all_objects,
            KeyResultReading.objects,
            Measure.all_objects,
            Measure.depends_on.through.objects,
            MeasureStatus.all_objects,
            Milestone.all_objects,
            AuditEntry.objects,
        )
    )


def versions() -> dict[str, int]:
    """external ID → version of every record of the plan's five kinds."""
    found: dict[str, int] = {}
    for model in (FieldOfAction, Goal, KeyResult, Measure, Milestone):
        found.update(model.objects.values_list("external_id", "version"))
    return found
