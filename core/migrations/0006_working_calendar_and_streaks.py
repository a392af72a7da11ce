from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.metrics import Metric
from gamification.rules import BadgeKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_badge_points')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Holiday',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='holidays', on_delete=OnDelete.CASCADE)),
                ('day', fields.DateField()),
                ('name', fields.CharField(max_length=200)),
            ],
            options={'table': 'holiday', 'app': 'models', 'unique_together': (('organisation', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='kind',
            field=fields.CharEnumField(description='ATTAINMENT: ATTAINMENT\nFIRST_WIN: FIRST_WIN\nDEALS_WON_IN_MONTH: DEALS_WON_IN_MONTH\nSTREAK_DAILY: STREAK_DAILY', enum_type=BadgeKind, max_length=32),
        ),
        ops.AddField(
            model_name='BadgeDefinition',
            name='daily_minimum',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
        ops.AddField(
            model_name='BadgeDefinition',
            name='metric',
            field=fields.CharEnumField(null=True, description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE', enum_type=Metric, max_length=32),
        ),
        ops.AddField(
            model_name='Organisation',
            name='working_days',
            field=fields.CharField(default='12345', db_default='12345', max_length=7),
        ),
    ]
