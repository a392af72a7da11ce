from tortoise import migrations
from tortoise.migrations import operations as ops
from core.clock import now
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0012_check_ins')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='ApiKey',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='BonusPlan',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Deal',
            name='updated_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Goal',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Lead',
            name='updated_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Organisation',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='PointsRule',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='RefreshToken',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Team',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='User',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
    ]
