from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_baselines_history_and_hard_limits')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Award',
            name='revocation',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Award',
            name='revoked_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Organisation',
            name='leaderboard_minimum_sample',
            field=fields.SmallIntField(default=5, db_default=5),
        ),
        ops.AddField(
            model_name='PointsEntry',
            name='record_key',
            field=fields.CharField(default='', db_index=True, db_default='', max_length=220),
        ),
        # Entries made before reversals existed are each the first of their record.
        ops.RunSQL(
            "UPDATE points_entry SET record_key = source_key",
            reverse_sql="UPDATE points_entry SET record_key = ''",
        ),
    ]
