"""governance 0003: existing agenda items get `ancestors_public` computed from their tree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("governance", "0002_masterplan_in_core")]
AFTER = [("governance", "0003_agenda_ancestors_public")]


@pytest.mark.django_db(transaction=True)
def test_existing_items_learn_what_is_above_them(django_db_setup: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Masterplan = apps.get_model("core", "Masterplan")
    Body = apps.get_model("governance", "Body")
    Meeting = apps.get_model("governance", "Meeting")
    AgendaItem = apps.get_model("governance", "AgendaItem")
    plan = Masterplan.objects.create(name="Duisburg", slug="duisburg", city="Duisburg")
    body = Body.objects.create(masterplan=plan, name="Lenkungskreis", kind="steering_committee")
    meeting = Meeting.objects.create(
        masterplan=plan, body=body, title="Sitzung", start=datetime(2026, 1, 20, 9, tzinfo=UTC)
    )

    def add(title: str, parent: Any = None, **fields: Any) -> int:
        fields = {"publication": "published", "is_public": True, **fields}
        return AgendaItem.objects.create(
            masterplan=plan, meeting=meeting, parent=parent, title=title, **fields
        ).pk

    top = add("Personalien", is_public=False)
    sub = add("Nachfolge", parent=AgendaItem.objects.get(pk=top))
    deep = add("Kandidaten", parent=AgendaItem.objects.get(pk=sub))
    report = add("Bericht")
    figures = add("Zahlen", parent=AgendaItem.objects.get(pk=report))
    draft = add("Haushalt", publication="draft")
    under_draft = add("Förderung", parent=AgendaItem.objects.get(pk=draft))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    AgendaItem = apps.get_model("governance", "AgendaItem")
    stored = dict(AgendaItem.objects.values_list("pk", "ancestors_public"))
    assert stored == {
        top: True,
        sub: False,
        deep: False,
        report: True,
        figures: True,
        draft: True,
        under_draft: False,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
