from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0024_credentials')]

    initial = False

    operations = [
        # Market changes were recorded under a name the trail could not read back.
        ops.RunSQL(
            "UPDATE audit_entry SET object_type = 'MARKET' WHERE object_type = 'Market'",
            reverse_sql="UPDATE audit_entry SET object_type = 'Market' WHERE object_type = 'MARKET'",
        ),
    ]
