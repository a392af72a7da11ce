from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_baselines_history_and_hard_limits')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Organisation',
            name='leaderboard_minimum_sample',
            field=fields.SmallIntField(default=5, db_default=5),
        ),
    ]
