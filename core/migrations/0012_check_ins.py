from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from core.checkins.models import ReminderKind, Side
from domain.checkins import Cadence, Rating
from gamification.models import PointsEvent
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_team_contests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CheckIn',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='check_ins', on_delete=OnDelete.CASCADE)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='check_ins', on_delete=OnDelete.CASCADE)),
                ('goal', fields.ForeignKeyField('models.Goal', source_field='goal_id', null=True, db_constraint=True, to_field='id', related_name='check_ins', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='check_ins_written', on_delete=OnDelete.CASCADE)),
                ('side', fields.CharEnumField(description='REP: REP\nMANAGER: MANAGER', enum_type=Side, max_length=16)),
                ('rating', fields.CharEnumField(description='ON_TRACK: ON_TRACK\nNEEDS_HELP: NEEDS_HELP\nBLOCKED: BLOCKED', enum_type=Rating, max_length=16)),
                ('comment', fields.TextField(unique=False)),
                ('private_note', fields.TextField(null=True, unique=False)),
                ('snapshot', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('acknowledged_by', fields.ForeignKeyField('models.User', source_field='acknowledged_by_id', null=True, db_constraint=True, to_field='id', related_name='check_ins_acknowledged', on_delete=OnDelete.SET_NULL)),
                ('acknowledged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'check_in', 'app': 'models', 'indexes': [Index(fields=['organisation_id', 'rep_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "A conversation about a rep's progress, on one goal or on all of theirs."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ActionItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='action_items', on_delete=OnDelete.CASCADE)),
                ('check_in', fields.ForeignKeyField('models.CheckIn', source_field='check_in_id', db_constraint=True, to_field='id', related_name='action_items', on_delete=OnDelete.CASCADE)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='action_items_about', on_delete=OnDelete.CASCADE)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='action_items', on_delete=OnDelete.CASCADE)),
                ('description', fields.TextField(unique=False)),
                ('due_on', fields.DateField()),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_by', fields.ForeignKeyField('models.User', source_field='completed_by_id', null=True, db_constraint=True, to_field='id', related_name='action_items_completed', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'action_item', 'app': 'models', 'indexes': [Index(fields=['organisation_id', 'rep_id']), Index(fields=['organisation_id', 'due_on'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=100)),
                ('kind', fields.CharEnumField(description='CHECK_IN_OVERDUE: CHECK_IN_OVERDUE\nACTION_ITEM_OVERDUE: ACTION_ITEM_OVERDUE', enum_type=ReminderKind, max_length=32)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='reminders_about', on_delete=OnDelete.CASCADE)),
                ('recipient', fields.ForeignKeyField('models.User', source_field='recipient_id', db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('action_item', fields.ForeignKeyField('models.ActionItem', source_field='action_item_id', null=True, db_constraint=True, to_field='id', related_name='reminders', on_delete=OnDelete.CASCADE)),
                ('due_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reminder', 'app': 'models', 'unique_together': (('organisation', 'key'),), 'indexes': [Index(fields=['organisation_id', 'recipient_id'])], 'pk_attr': 'id', 'table_description': 'One reminder per overdue thing: `key` names it (the rep and the day the check-in'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='PointsRule',
            name='event',
            field=fields.CharEnumField(description='DEAL_WON: DEAL_WON\nLEAD_QUALIFIED: LEAD_QUALIFIED\nCHECK_IN_DONE: CHECK_IN_DONE', enum_type=PointsEvent, max_length=32),
        ),
        ops.AddField(
            model_name='Team',
            name='check_in_cadence',
            field=fields.CharEnumField(default=Cadence.WEEKLY, description='WEEKLY: WEEKLY\nBIWEEKLY: BIWEEKLY\nMONTHLY: MONTHLY', db_default='WEEKLY', enum_type=Cadence, max_length=16),
        ),
    ]
