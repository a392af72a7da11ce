from tortoise import migrations
from tortoise.migrations import operations as ops
from gamification.models import EntryKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_points_per_event')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='PayoutEntry',
            name='goal',
            field=fields.ForeignKeyField('models.Goal', source_field='goal_id', null=True, db_constraint=True, to_field='id', related_name='payouts', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='PayoutEntry',
            name='kind',
            field=fields.CharEnumField(description='ACCRUAL: ACCRUAL\nREVERSAL: REVERSAL\nPRIZE: PRIZE', enum_type=EntryKind, max_length=16),
        ),
        ops.AlterField(
            model_name='PayoutEntry',
            name='plan',
            field=fields.ForeignKeyField('models.BonusPlan', source_field='plan_id', null=True, db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='PayoutEntry',
            name='contest_id',
            field=fields.IntField(null=True),
        ),
    ]
