from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from core.migration_ops import PostgresOnly


class Migration(migrations.Migration):
    dependencies = [('models', '0014_sessions_that_end')]

    initial = False

    operations = [
        PostgresOnly(
            model_name='Deal',
            name='amount',
            field=fields.DecimalField(max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Deal',
            name='cost',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        ops.RenameField(
            model_name='DealDay',
            old_name='cost_cents',
            new_name='cost_ticks',
        ),
        ops.RenameField(
            model_name='DealDay',
            old_name='revenue_cents',
            new_name='revenue_ticks',
        ),
        # Cents become ten-thousandths.
        ops.RunSQL(
            "UPDATE deal_day SET revenue_ticks = revenue_ticks * 100, cost_ticks = cost_ticks * 100",
            reverse_sql="UPDATE deal_day SET revenue_ticks = revenue_ticks / 100, "
            "cost_ticks = cost_ticks / 100",
        ),
        PostgresOnly(
            model_name='Goal',
            name='baseline',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Goal',
            name='best_history',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Goal',
            name='target',
            field=fields.DecimalField(max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Goal',
            name='target_change',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Goal',
            name='target_start',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Product',
            name='unit_cost',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
        PostgresOnly(
            model_name='Product',
            name='unit_price',
            field=fields.DecimalField(null=True, max_digits=18, decimal_places=4),
        ),
    ]
