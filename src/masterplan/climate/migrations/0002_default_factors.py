"""Load the global default emission factors from the packaged reference table."""

from django.db import migrations

from masterplan.climate.defaults import reference_factors


def load(apps, schema_editor):
    factor = apps.get_model("climate", "EmissionFactor")
    for row in reference_factors():
        factor.objects.get_or_create(
            masterplan=None, external_id=row["external_id"], defaults={k: v for k, v in row.items() if k != "external_id"}
        )


def unload(apps, schema_editor):
    apps.get_model("climate", "EmissionFactor").objects.filter(
        masterplan=None, external_id__startswith="REF-"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("climate", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
