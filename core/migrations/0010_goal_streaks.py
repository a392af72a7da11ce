from tortoise import migrations
from tortoise.migrations import operations as ops
from gamification.rules import BadgeKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_contest_bonus_prizes')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='BadgeDefinition',
            name='kind',
            field=fields.CharEnumField(description='ATTAINMENT: ATTAINMENT\nFIRST_WIN: FIRST_WIN\nDEALS_WON_IN_MONTH: DEALS_WON_IN_MONTH\nSTREAK_DAILY: STREAK_DAILY\nRANK_FIRST_IN_MONTH: RANK_FIRST_IN_MONTH\nSTREAK_GOALS: STREAK_GOALS\nPRIZE: PRIZE', enum_type=BadgeKind, max_length=32),
        ),
    ]
