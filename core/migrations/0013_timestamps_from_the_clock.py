from tortoise import migrations
from tortoise.migrations import operations as ops
from core.clock import now
from tortoise import fields

class DefaultOnly(ops.AlterField):
    """auto_now became a Python-side default: nothing changes in the database. (Letting
    AlterField run would rebuild SQLite tables and drop their unique constraints.)"""

    async def database_forward(self, *args, **kwargs) -> None:
        return None

    async def database_backward(self, *args, **kwargs) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0012_check_ins')]

    initial = False

    operations = [
        DefaultOnly(
            model_name='ApiKey',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='BadgeDefinition',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='BonusPlan',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='Deal',
            name='updated_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='Goal',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='Lead',
            name='updated_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='Organisation',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='PointsRule',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='RefreshToken',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='Team',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
        DefaultOnly(
            model_name='User',
            name='created_at',
            field=fields.DatetimeField(default=now, auto_now=False, auto_now_add=False),
        ),
    ]
