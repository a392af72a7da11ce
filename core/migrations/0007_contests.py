from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.metrics import Metric
from gamification.rules import BadgeKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_working_calendar_and_streaks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Contest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='contests', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=200)),
                ('metric', fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE', enum_type=Metric, max_length=32)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('team_id', fields.IntField(null=True)),
                ('prizes', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'contest', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A time-boxed competition on a metric between the reps of a scope.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='kind',
            field=fields.CharEnumField(description='ATTAINMENT: ATTAINMENT\nFIRST_WIN: FIRST_WIN\nDEALS_WON_IN_MONTH: DEALS_WON_IN_MONTH\nSTREAK_DAILY: STREAK_DAILY\nRANK_FIRST_IN_MONTH: RANK_FIRST_IN_MONTH\nPRIZE: PRIZE', enum_type=BadgeKind, max_length=32),
        ),
    ]
