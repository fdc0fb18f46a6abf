"""A measure row that lost its last cells does not remove the measure's dependencies."""

from __future__ import annotations

from typing import Any

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import Measure
from tests.plans.test_import_helpers import import_plan, prepare_plan, run_import


def test_a_short_row_keeps_the_dependencies(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> None:
    prepare_plan(plan, own_org, other_org)
    import_plan(plan, coordinator)
    portal = Measure.objects.get(external_id="M-PORTAL")
    before = (sorted(m.external_id for m in portal.depends_on.all()), portal.version)
    assert before[0] == ["M-BBB", "M-KERNZONE"]

    report = run_import(
        plan,
        coordinator,
        "plans.measures",
        (
            "Externe ID;Ziel;Maßnahme;Federführung;Abhängig von\r\n"
            "M-PORTAL;Z-GEN-1;Digitales Bauantragsportal;DU-WFD\r\n"
        ).encode(),
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "Abhängig von")]
    assert "the cells of “Abhängig von” are missing" in report.errors[0].reason
    portal.refresh_from_db()
    assert (sorted(m.external_id for m in portal.depends_on.all()), portal.version) == before
