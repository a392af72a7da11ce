from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.checkins.models import ReminderKind
from domain.metrics import Metric
from domain.training import Method
from gamification.models import PointsEvent
from gamification.rules import BadgeKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0021_edits_and_audit')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Course',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='courses', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('skills', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('duration_minutes', fields.IntField()),
                ('pass_score', fields.DecimalField(null=True, max_digits=5, decimal_places=2)),
                ('certification_months', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'course', 'app': 'models', 'unique_together': (('organisation', 'code'),), 'pk_attr': 'id', 'table_description': 'A course or module of the catalogue, named by `code` (by an LMS and by goals).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Assignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('course', fields.ForeignKeyField('models.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('assigned_by', fields.ForeignKeyField('models.User', source_field='assigned_by_id', null=True, db_constraint=True, to_field='id', related_name='assignments_made', on_delete=OnDelete.SET_NULL)),
                ('due_on', fields.DateField()),
                ('recur_months', fields.IntField(null=True)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'training_assignment', 'app': 'models', 'indexes': [Index(fields=['organisation_id', 'rep_id']), Index(fields=['organisation_id', 'due_on'])], 'pk_attr': 'id', 'table_description': 'A course a rep is to complete by `due_on` (a local day). A recurring one is assigned'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Completion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='completions', on_delete=OnDelete.CASCADE)),
                ('course', fields.ForeignKeyField('models.Course', source_field='course_id', db_constraint=True, to_field='id', related_name='completions', on_delete=OnDelete.CASCADE)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='completions', on_delete=OnDelete.CASCADE)),
                ('assignment', fields.ForeignKeyField('models.Assignment', source_field='assignment_id', null=True, db_constraint=True, to_field='id', related_name='completions', on_delete=OnDelete.SET_NULL)),
                ('method', fields.CharEnumField(description='SELF: SELF\nMANAGER: MANAGER\nLMS: LMS', enum_type=Method, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=200)),
                ('completed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.IntField()),
                ('score', fields.DecimalField(null=True, max_digits=5, decimal_places=2)),
                ('passed', fields.BooleanField()),
                ('expires_on', fields.DateField(null=True)),
                ('expires_day', fields.IntField(null=True)),
                ('notes', fields.TextField(null=True, unique=False)),
                ('recorded_by', fields.ForeignKeyField('models.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='completions_recorded', on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'training_completion', 'app': 'models', 'unique_together': (('organisation', 'external_id'),), 'indexes': [Index(fields=['organisation_id', 'rep_id', 'day']), Index(fields=['organisation_id', 'course_id'])], 'pk_attr': 'id', 'table_description': 'A course completed (or an assessment failed) by a rep: self-paced, in a coached'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SkillMetric',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='skill_metrics', on_delete=OnDelete.CASCADE)),
                ('skill', fields.CharField(max_length=64)),
                ('metric', fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED', enum_type=Metric, max_length=32)),
            ],
            options={'table': 'skill_metric', 'app': 'models', 'unique_together': (('organisation', 'skill', 'metric'),), 'pk_attr': 'id', 'table_description': 'A skill that moves a metric (negotiation → WIN_RATE): the courses teaching it are'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='kind',
            field=fields.CharEnumField(description='ATTAINMENT: ATTAINMENT\nFIRST_WIN: FIRST_WIN\nDEALS_WON_IN_MONTH: DEALS_WON_IN_MONTH\nSTREAK_DAILY: STREAK_DAILY\nRANK_FIRST_IN_MONTH: RANK_FIRST_IN_MONTH\nSTREAK_GOALS: STREAK_GOALS\nPRIZE: PRIZE\nCERTIFICATION: CERTIFICATION', enum_type=BadgeKind, max_length=32),
        ),
        ops.AlterField(
            model_name='BadgeDefinition',
            name='metric',
            field=fields.CharEnumField(null=True, description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED', enum_type=Metric, max_length=32),
        ),
        ops.AddField(
            model_name='BadgeDefinition',
            name='course_code',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AlterField(
            model_name='BonusPlan',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='Contest',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='Goal',
            name='metric',
            field=fields.CharEnumField(description='REVENUE: REVENUE\nGROSS_PROFIT: GROSS_PROFIT\nPROFIT_MARGIN: PROFIT_MARGIN\nUNITS_SOLD: UNITS_SOLD\nDEALS_WON: DEALS_WON\nWIN_RATE: WIN_RATE\nAVERAGE_DEAL_SIZE: AVERAGE_DEAL_SIZE\nNEW_CUSTOMERS: NEW_CUSTOMERS\nRETENTION_RATE: RETENTION_RATE\nLEADS: LEADS\nQUALIFIED_LEADS: QUALIFIED_LEADS\nCONVERSION_RATE: CONVERSION_RATE\nTRAINING_COMPLETED: TRAINING_COMPLETED\nCERTIFIED: CERTIFIED', enum_type=Metric, max_length=32),
        ),
        ops.AlterField(
            model_name='PointsRule',
            name='event',
            field=fields.CharEnumField(description='DEAL_WON: DEAL_WON\nLEAD_QUALIFIED: LEAD_QUALIFIED\nCHECK_IN_DONE: CHECK_IN_DONE\nTRAINING_COMPLETED: TRAINING_COMPLETED', enum_type=PointsEvent, max_length=32),
        ),
        ops.AlterField(
            model_name='Reminder',
            name='kind',
            field=fields.CharEnumField(description='CHECK_IN_OVERDUE: CHECK_IN_OVERDUE\nACTION_ITEM_OVERDUE: ACTION_ITEM_OVERDUE\nTRAINING_OVERDUE: TRAINING_OVERDUE', enum_type=ReminderKind, max_length=32),
        ),
        ops.AddField(
            model_name='Reminder',
            name='assignment',
            field=fields.ForeignKeyField('models.Assignment', source_field='assignment_id', null=True, db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE),
        ),
    ]
