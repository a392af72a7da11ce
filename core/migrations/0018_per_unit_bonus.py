from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0017_samples_revocations_and_points_ledger')]

    initial = False

    operations = [
        ops.AddField(
            model_name='BonusPlan',
            name='per_unit',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
    ]
