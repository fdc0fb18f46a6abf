"""The tenant moved to core (its table is unchanged): foreign keys now name core.Masterplan.

State only: the database already has these columns and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_masterplan_foreign_keys'),
        ('governance', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='actionitem',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='agendaitem',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='attendance',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='body',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='bodymembership',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='decision',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='document',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='feedtoken',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.masterplan', verbose_name='masterplan'),
                ),
                migrations.AlterField(
                    model_name='reminderlog',
                    name='masterplan',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.masterplan'),
                ),
            ],
            database_operations=[],
        ),
    ]
