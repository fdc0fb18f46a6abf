"""Agenda items store whether every item above them is published, public and live.

The visibility rule reads the field (governance/models.py, "What the public may see"); the
services keep it (`services.refresh_agenda`). Existing items get it computed here, with the
same rule as `services.ancestors_public`: a top-level item has nothing above it; an item under
a deleted item, or on a cycle, is hidden.
"""

from django.db import migrations, models


def compute(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    items = list(
        AgendaItem.objects.filter(deleted_at__isnull=True).only(
            "id", "parent_id", "is_public", "publication"
        )
    )
    by_id = {item.pk: item for item in items}
    result = {}
    for start in items:
        path, on_path, cycle, node = [], set(), False, start
        while node is not None and node.pk not in result:
            if node.pk in on_path:
                cycle = True
                break
            path.append(node)
            on_path.add(node.pk)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        for item in reversed(path):
            if cycle:
                result[item.pk] = False
            elif item.parent_id is None:
                result[item.pk] = True
            else:
                parent = by_id.get(item.parent_id)
                result[item.pk] = (
                    parent is not None
                    and result[parent.pk]
                    and parent.is_public
                    and parent.publication == "published"
                )
    public = [pk for pk, value in result.items() if value]
    for start in range(0, len(public), 500):
        AgendaItem.objects.filter(pk__in=public[start : start + 500]).update(ancestors_public=True)


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0002_masterplan_in_core'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='ancestors_public',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(compute, migrations.RunPython.noop),
    ]
