from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_timestamps_from_the_clock')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ApiKey',
            name='expires_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='RefreshToken',
            name='session',
            field=fields.CharField(db_index=True, db_default='', max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='active',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='User',
            name='session_version',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
