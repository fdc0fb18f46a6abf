"""The tenant moved to core (its table is unchanged): foreign keys now name core.Masterplan.

State only: the database already has these columns and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('climate', '0002_default_factors'),
        ('core', '0003_masterplan_foreign_keys'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='climatepolicy',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='emissionfactor',
                    name='masterplan',
                    field=models.ForeignKey(blank=True, help_text='Empty: a global default for every masterplan.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='energyreport',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='networkmembership',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='structuralchange',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
            ],
            database_operations=[],
        ),
    ]
