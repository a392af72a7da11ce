from tortoise import migrations
from tortoise.migrations import operations as ops
from core.goals.models import BaselineSource
from decimal import Decimal
from tortoise import fields
from core.migration_ops import PostgresOnly

class Migration(migrations.Migration):
    dependencies = [('models', '0015_amounts_to_four_places')]

    initial = False

    operations = [
        PostgresOnly(
            model_name='Goal',
            name='baseline_source',
            field=fields.CharEnumField(null=True, description='HISTORY: HISTORY\nSAME_PERIOD_LAST_YEAR: SAME_PERIOD_LAST_YEAR\nGIVEN: GIVEN', enum_type=BaselineSource, max_length=24),
        ),
        ops.AddField(
            model_name='Goal',
            name='baseline_end',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Goal',
            name='baseline_start',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Goal',
            name='historical',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Organisation',
            name='stretch_hard_limit',
            field=fields.DecimalField(default=Decimal('400.00'), db_default=Decimal('400.00'), max_digits=12, decimal_places=2),
        ),
    ]
