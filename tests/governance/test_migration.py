"""plans 0003: the operational unit text of measures becomes a working-group Body."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0002_fieldofaction_goal_keyresult_keyresultreading_and_more")]
AFTER = [("plans", "0003_measure_operational_body")]


@pytest.mark.django_db(transaction=True)
def test_text_becomes_bodies_per_plan(django_db_setup: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Masterplan = apps.get_model("plans", "Masterplan")
    Organization = apps.get_model("directory", "Organization")
    MeasureStatus = apps.get_model("plans", "MeasureStatus")
    Field = apps.get_model("plans", "FieldOfAction")
    Goal = apps.get_model("plans", "Goal")
    Measure = apps.get_model("plans", "Measure")
    rows = []
    for slug in ("duisburg", "duesseldorf"):
        plan = Masterplan.objects.create(name=slug, slug=slug, city=slug)
        org = Organization.objects.create(masterplan=plan, name="IHK", kind="chamber")
        status = MeasureStatus.objects.create(
            masterplan=plan, name="Idee", phase="not_started", default_progress=0
        )
        goal = Goal.objects.create(
            masterplan=plan, field=Field.objects.create(masterplan=plan, name="F"), statement="Z"
        )
        for title, unit, publication in (
            ("A", "AG Genehmigungen", "draft"),
            ("B", "AG Genehmigungen", "published"),
            ("C", "", "published"),
        ):
            rows.append(
                Measure.objects.create(
                    masterplan=plan,
                    goal=goal,
                    title=title,
                    lead_organization=org,
                    status=status,
                    operational_unit=unit,
                    publication=publication,
                ).pk
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Body = apps.get_model("governance", "Body")
    Measure = apps.get_model("plans", "Measure")
    bodies = list(Body.objects.order_by("masterplan_id").values_list("name", "kind", "publication"))
    assert bodies == [("AG Genehmigungen", "working_group", "published")] * 2
    linked = Measure.objects.filter(pk__in=rows).exclude(operational_body=None)
    assert sorted(linked.values_list("title", flat=True)) == ["A", "A", "B", "B"]
    assert all(m.operational_body.masterplan_id == m.masterplan_id for m in linked)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
