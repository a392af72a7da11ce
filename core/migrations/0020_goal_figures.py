from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0019_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FiguresVersion',
            fields=[
                ('organisation_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('version', fields.BigIntField(default=0)),
            ],
            options={'table': 'figures_version', 'app': 'models', 'pk_attr': 'organisation_id', 'table_description': "An organisation's count of changes to what its figures are measured from."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GoalFigure',
            fields=[
                ('goal', fields.OneToOneField('models.Goal', source_field='goal_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='figure', on_delete=OnDelete.CASCADE)),
                ('organisation_id', fields.IntField(db_index=True)),
                ('value', fields.TextField(null=True, unique=False)),
                ('valid', fields.BooleanField()),
                ('version', fields.BigIntField()),
            ],
            options={'table': 'goal_figure', 'app': 'models', 'pk_attr': 'goal_id', 'table_description': "A goal's current figure as the pipeline last measured it: the read model behind"},
            bases=['Model'],
        ),
    ]
