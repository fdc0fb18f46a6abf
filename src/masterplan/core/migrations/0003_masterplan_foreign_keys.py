"""The tenant moved to core (its table is unchanged): foreign keys now name core.Masterplan.

State only: the database already has these columns and constraints.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_masterplan'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='masterplan',
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.masterplan'),
                ),
                migrations.AlterField(
                    model_name='importjob',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.masterplan'),
                ),
                migrations.AlterField(
                    model_name='planrole',
                    name='masterplan',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='core.masterplan'),
                ),
            ],
            database_operations=[],
        ),
    ]
