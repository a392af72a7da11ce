from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.metrics import Metric
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0022_training')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Market',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='markets', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('region', fields.CharField(null=True, max_length=100)),
                ('segment', fields.CharField(null=True, max_length=100)),
                ('product_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'market', 'app': 'models', 'unique_together': (('organisation', 'code'),), 'pk_attr': 'id', 'table_description': 'A market the organisation sells into or means to: a region, a segment and/or a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MarketSize',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('market', fields.ForeignKeyField('models.Market', source_field='market_id', db_constraint=True, to_field='id', related_name='sizes', on_delete=OnDelete.CASCADE)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('addressable_accounts', fields.IntField(null=True)),
                ('revenue', fields.DecimalField(null=True, max_digits=18, decimal_places=4)),
                ('source', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'market_size', 'app': 'models', 'unique_together': (('market', 'period_start'),), 'pk_attr': 'id', 'table_description': 'How big a market is over a period: addressable accounts and/or total revenue. The'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='metric',
            field=fields.CharEnumField(null=True, description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED\nMARKET_SHARE: MARKET_SHARE\nPENETRATION: PENETRATION', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='BonusPlan',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED\nMARKET_SHARE: MARKET_SHARE\nPENETRATION: PENETRATION', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='Contest',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED\nMARKET_SHARE: MARKET_SHARE\nPENETRATION: PENETRATION', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='Goal',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED\nMARKET_SHARE: MARKET_SHARE\nPENETRATION: PENETRATION', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='SkillMetric',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED\nMARKET_SHARE: MARKET_SHARE\nPENETRATION: PENETRATION', enum_type=Metric, max_length=32),
        ),
    ]
