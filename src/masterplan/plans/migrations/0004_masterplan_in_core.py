"""The tenant moved to core (its table is unchanged): foreign keys now name core.Masterplan.

State only: the database already has these columns and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('climate', '0003_masterplan_in_core'),
        ('core', '0003_masterplan_foreign_keys'),
        ('directory', '0002_masterplan_in_core'),
        ('governance', '0002_masterplan_in_core'),
        ('indicators', '0002_masterplan_in_core'),
        ('plans', '0003_measure_operational_body'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='fieldofaction',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='keyresult',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='measurestatus',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='planpartner',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='statusreport',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='milestone',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='goal',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.DeleteModel(
                    name='Masterplan',
                ),
            ],
            database_operations=[],
        ),
    ]
