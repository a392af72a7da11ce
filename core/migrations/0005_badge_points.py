from tortoise import migrations
from tortoise.migrations import operations as ops
from gamification.rules import BadgeKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_bonus_plans_and_payouts')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='BadgeDefinition',
            name='kind',
            field=fields.CharEnumField(description='ATTAINMENT: ATTAINMENT\nFIRST_WIN: FIRST_WIN\nDEALS_WON_IN_MONTH: DEALS_WON_IN_MONTH', enum_type=BadgeKind, max_length=32),
        ),
        ops.AddField(
            model_name='BadgeDefinition',
            name='points',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
