from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.goals.models import BaselineSource
from decimal import Decimal
from domain.metrics import Metric
from domain.periods import PeriodKind
from domain.records import LeadStatus
from domain.targets import TargetKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccountDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation_id', fields.IntField()),
                ('rep_id', fields.IntField()),
                ('day', fields.IntField()),
                ('account_id', fields.IntField()),
                ('product_key', fields.IntField()),
                ('region', fields.CharField(default='', max_length=100)),
                ('segment', fields.CharField(default='', max_length=100)),
                ('won', fields.IntField(default=0)),
            ],
            options={'table': 'account_day', 'app': 'models', 'unique_together': (('rep_id', 'day', 'account_id', 'product_key', 'region', 'segment'),), 'indexes': [Index(fields=['organisation_id', 'day']), Index(fields=['account_id', 'day'])], 'pk_attr': 'id', 'table_description': 'Won deals per account, rep and day: the basis of new-customer and retention counts.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DealDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation_id', fields.IntField()),
                ('rep_id', fields.IntField()),
                ('day', fields.IntField(description='organisation-local date, as an ordinal')),
                ('product_key', fields.IntField(description='product id, 0 for none')),
                ('region', fields.CharField(default='', max_length=100)),
                ('segment', fields.CharField(default='', max_length=100)),
                ('revenue_cents', fields.BigIntField(default=0)),
                ('cost_cents', fields.BigIntField(default=0)),
                ('units', fields.BigIntField(default=0)),
                ('won', fields.IntField(default=0)),
                ('lost', fields.IntField(default=0)),
            ],
            options={'table': 'deal_day', 'app': 'models', 'unique_together': (('rep_id', 'day', 'product_key', 'region', 'segment'),), 'indexes': [Index(fields=['organisation_id', 'day'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Lead',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='leads', on_delete=OnDelete.CASCADE)),
                ('external_id', fields.CharField(max_length=200)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='leads', on_delete=OnDelete.RESTRICT)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', null=True, db_constraint=True, to_field='id', related_name='leads', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(description='NEW: NEW\nQUALIFIED: QUALIFIED\nDISQUALIFIED: DISQUALIFIED\nCONVERTED: CONVERTED', enum_type=LeadStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('qualified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('converted_deal_external_id', fields.CharField(null=True, max_length=200)),
                ('region', fields.CharField(null=True, max_length=100)),
                ('segment', fields.CharField(null=True, max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'lead', 'app': 'models', 'unique_together': (('organisation', 'external_id'),), 'indexes': [Index(fields=['organisation_id', 'converted_deal_external_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LeadDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation_id', fields.IntField()),
                ('rep_id', fields.IntField()),
                ('day', fields.IntField()),
                ('region', fields.CharField(default='', max_length=100)),
                ('segment', fields.CharField(default='', max_length=100)),
                ('leads', fields.IntField(default=0)),
                ('qualified', fields.IntField(default=0)),
                ('converted', fields.IntField(default=0)),
            ],
            options={'table': 'lead_day', 'app': 'models', 'unique_together': (('rep_id', 'day', 'region', 'segment'),), 'indexes': [Index(fields=['organisation_id', 'day'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Goal',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE', enum_type=Metric, max_length=32),
        ),
        ops.AddField(
            model_name='Goal',
            name='achievability',
            field=fields.DecimalField(null=True, max_digits=12, decimal_places=2),
        ),
        ops.AddField(
            model_name='Goal',
            name='baseline',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
        ops.AddField(
            model_name='Goal',
            name='baseline_source',
            field=fields.CharEnumField(null=True, description='HISTORY: HISTORY\nGIVEN: GIVEN', enum_type=BaselineSource, max_length=16),
        ),
        ops.AddField(
            model_name='Goal',
            name='best_history',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
        ops.AddField(
            model_name='Goal',
            name='period_kind',
            field=fields.CharEnumField(null=True, description='MONTH: MONTH\nFISCAL_QUARTER: FISCAL_QUARTER\nFISCAL_YEAR: FISCAL_YEAR', enum_type=PeriodKind, max_length=16),
        ),
        ops.AddField(
            model_name='Goal',
            name='scope',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Goal',
            name='series_id',
            field=fields.CharField(null=True, max_length=36),
        ),
        ops.AddField(
            model_name='Goal',
            name='stretch_acknowledged',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Goal',
            name='target_change',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
        ops.AddField(
            model_name='Goal',
            name='target_kind',
            field=fields.CharEnumField(default=TargetKind.ABSOLUTE, description='ABSOLUTE: ABSOLUTE\nRELATIVE_PERCENT: RELATIVE_PERCENT\nRELATIVE_POINTS: RELATIVE_POINTS\nMOVE: MOVE', db_default='ABSOLUTE', enum_type=TargetKind, max_length=24),
        ),
        ops.AddField(
            model_name='Goal',
            name='target_start',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
        ops.AddIndex(
            model_name='Goal',
            index=Index(fields=['organisation_id', 'owner_team_id']),
        ),
        ops.AddIndex(
            model_name='Goal',
            index=Index(fields=['series_id']),
        ),
        ops.AddIndex(
            model_name='Goal',
            index=Index(fields=['parent_id']),
        ),
        ops.AddField(
            model_name='Organisation',
            name='stretch_limit',
            field=fields.DecimalField(default=Decimal('50.00'), db_default=Decimal('50.00'), max_digits=8, decimal_places=2),
        ),
        ops.AlterField(
            model_name='ProgressSnapshot',
            name='attainment',
            field=fields.DecimalField(null=True, max_digits=12, decimal_places=2),
        ),
        ops.AlterField(
            model_name='ProgressSnapshot',
            name='current_value',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=2),
        ),
    ]
