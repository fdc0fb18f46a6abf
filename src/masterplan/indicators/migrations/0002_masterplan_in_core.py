"""The tenant moved to core (its table is unchanged): foreign keys now name core.Masterplan.

State only: the database already has these columns and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_masterplan_foreign_keys'),
        ('indicators', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='indicator',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='target',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
            ],
            database_operations=[],
        ),
    ]
