"""Measure.operational_unit (text) becomes Measure.operational_body (a governance Body).

For each distinct non-empty text per masterplan a Body of kind working_group is created
(published when a published measure names it) and the measures are linked to it.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def text_to_bodies(apps: Any, schema_editor: Any) -> None:
    Measure = apps.get_model("plans", "Measure")
    Body = apps.get_model("governance", "Body")
    rows = (
        Measure._base_manager.exclude(operational_unit="")
        .values_list("masterplan_id", "operational_unit", "publication")
        .distinct()
    )
    published: dict[tuple[int, str], bool] = {}
    for masterplan_id, text, publication in rows:
        key = (masterplan_id, text.strip()[:200])
        if key[1]:
            published[key] = published.get(key, False) or publication == "published"
    now = timezone.now()
    for (masterplan_id, name), public in sorted(published.items()):
        body = Body._base_manager.create(
            masterplan_id=masterplan_id,
            name=name,
            kind="working_group",
            publication="published" if public else "draft",
            created_at=now,
            modified_at=now,
        )
        Measure._base_manager.filter(masterplan_id=masterplan_id, operational_unit=name).update(
            operational_body=body
        )


def bodies_to_text(apps: Any, schema_editor: Any) -> None:
    Measure = apps.get_model("plans", "Measure")
    for measure in Measure._base_manager.exclude(operational_body=None).select_related(
        "operational_body"
    ):
        measure.operational_unit = measure.operational_body.name[:200]
        measure.save(update_fields=["operational_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("plans", "0002_fieldofaction_goal_keyresult_keyresultreading_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="operational_body",
            field=models.ForeignKey(
                blank=True,
                help_text="The working group that does the specialist work.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="measures",
                to="governance.body",
                verbose_name="operational unit",
            ),
        ),
        migrations.RunPython(text_to_bodies, bodies_to_text),
        migrations.RemoveField(model_name="measure", name="operational_unit"),
    ]
