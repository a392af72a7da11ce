from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.metrics import Metric
from gamification.models import EntryKind, PayoutStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_auth_and_team_managers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BonusPlan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='bonus_plans', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('version', fields.IntField(default=1)),
                ('name', fields.CharField(max_length=200)),
                ('metric', fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE', enum_type=Metric, max_length=32)),
                ('goal', fields.ForeignKeyField('models.Goal', source_field='goal_id', null=True, db_constraint=True, to_field='id', related_name='bonus_plans', on_delete=OnDelete.CASCADE)),
                ('tiers', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('flats', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('cap', fields.DecimalField(null=True, max_digits=18, decimal_places=2)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'bonus_plan', 'app': 'models', 'unique_together': (('organisation', 'code', 'version'),), 'pk_attr': 'id', 'table_description': 'A versioned bonus plan: changing it makes a new row with the next version.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PayoutEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='payouts', on_delete=OnDelete.CASCADE)),
                ('plan', fields.ForeignKeyField('models.BonusPlan', source_field='plan_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='payouts', on_delete=OnDelete.CASCADE)),
                ('goal', fields.ForeignKeyField('models.Goal', source_field='goal_id', db_constraint=True, to_field='id', related_name='payouts', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='ACCRUAL: ACCRUAL\nREVERSAL: REVERSAL', enum_type=EntryKind, max_length=16)),
                ('status', fields.CharEnumField(description='PROVISIONAL: PROVISIONAL\nFINAL: FINAL\nAPPROVED: APPROVED\nPAID: PAID', enum_type=PayoutStatus, max_length=16)),
                ('amount', fields.DecimalField(max_digits=18, decimal_places=2)),
                ('explanation', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payout_entry', 'app': 'models', 'indexes': [Index(fields=['plan_id', 'goal_id']), Index(fields=['rep_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "The payout ledger: entries are only ever added. A goal's payout under a plan is the"},
            bases=['Model'],
        ),
    ]
