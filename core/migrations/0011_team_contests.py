from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_goal_streaks')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Contest',
            name='between_teams',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
