"""The tenant moves from the plans app to core; its table keeps its name (plans_masterplan).

State only: the table, its rows and every foreign key to it stay as they are.
"""

import django.utils.timezone
from django.db import migrations, models


def content_type_to_core(apps, schema_editor, *, old="plans", new="core"):
    """Keep the content type (and the admin permissions on it) instead of making a second one."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model="masterplan").update(app_label=new)


def content_type_to_plans(apps, schema_editor):
    content_type_to_core(apps, schema_editor, old="core", new="plans")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("plans", "0003_measure_operational_body"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Masterplan",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created")),
                        ("modified_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="modified")),
                        ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                        ("publication", models.CharField(choices=[("draft", "Draft"), ("published", "Published")], default="draft", max_length=10, verbose_name="publication")),
                        ("deleted_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="deleted")),
                        ("is_sample", models.BooleanField(default=False, help_text="Invented for the demonstration; not a fact from the sources.", verbose_name="sample data")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("slug", models.SlugField(max_length=60, unique=True, verbose_name="short name")),
                        ("city", models.CharField(max_length=120, verbose_name="city or region")),
                        ("ags", models.CharField(blank=True, help_text="8 digits", max_length=8, verbose_name="municipality key (AGS)")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("signed_on", models.DateField(blank=True, null=True, verbose_name="signed on")),
                        ("horizon", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="horizon (year)")),
                    ],
                    options={
                        "verbose_name": "masterplan",
                        "verbose_name_plural": "masterplans",
                        "ordering": ("name",),
                        "db_table": "plans_masterplan",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_plans),
    ]
