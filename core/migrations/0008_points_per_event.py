from tortoise import migrations
from tortoise.migrations import operations as ops
from gamification.models import PointsEvent
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_contests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PointsRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='points_rules', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('version', fields.IntField(default=1)),
                ('event', fields.CharEnumField(description='DEAL_WON: DEAL_WON\nLEAD_QUALIFIED: LEAD_QUALIFIED', enum_type=PointsEvent, max_length=32)),
                ('points', fields.IntField()),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'points_rule', 'app': 'models', 'unique_together': (('organisation', 'code', 'version'),), 'pk_attr': 'id', 'table_description': 'Points per event, versioned like badge rules.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PointsEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='points_entries', on_delete=OnDelete.CASCADE)),
                ('rule', fields.ForeignKeyField('models.PointsRule', source_field='rule_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('rep', fields.ForeignKeyField('models.User', source_field='rep_id', db_constraint=True, to_field='id', related_name='points_entries', on_delete=OnDelete.CASCADE)),
                ('source_key', fields.CharField(max_length=220)),
                ('points', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'points_entry', 'app': 'models', 'unique_together': (('rule', 'rep', 'source_key'),), 'pk_attr': 'id', 'table_description': 'Points earned by an event: once per rule version, rep and source (a deal, a lead).'},
            bases=['Model'],
        ),
    ]
