import functools
from decimal import Decimal
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from core.goals.models import OwnerType
from core.orgs.models import Role
from domain.records import DealStage
from domain.metrics import Metric
from domain.progress import GoalStatus
from gamification.rules import BadgeKind


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=200)),
                ("currency", fields.CharField(default="USD", max_length=3)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("fiscal_year_start_month", fields.SmallIntField(default=1)),
                (
                    "on_track_pace",
                    fields.DecimalField(default=Decimal("1.000"), max_digits=6, decimal_places=3),
                ),
                (
                    "at_risk_pace",
                    fields.DecimalField(default=Decimal("0.850"), max_digits=6, decimal_places=3),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "organisation", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Account",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="accounts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("external_id", fields.CharField(max_length=200)),
                ("name", fields.CharField(max_length=300)),
                ("segment", fields.CharField(null=True, max_length=100)),
                ("region", fields.CharField(null=True, max_length=100)),
            ],
            options={
                "table": "account",
                "app": "models",
                "unique_together": (("organisation", "external_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BadgeDefinition",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="badge_definitions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code", fields.CharField(max_length=64)),
                ("version", fields.IntField(default=1)),
                ("name", fields.CharField(max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ATTAINMENT: ATTAINMENT", enum_type=BadgeKind, max_length=32
                    ),
                ),
                ("threshold", fields.DecimalField(max_digits=12, decimal_places=2)),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "badge_definition",
                "app": "models",
                "unique_together": (("organisation", "code", "version"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Product",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="products",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("external_id", fields.CharField(max_length=200)),
                ("name", fields.CharField(max_length=300)),
                ("unit_price", fields.DecimalField(null=True, max_digits=18, decimal_places=2)),
                ("unit_cost", fields.DecimalField(null=True, max_digits=18, decimal_places=2)),
            ],
            options={
                "table": "product",
                "app": "models",
                "unique_together": (("organisation", "external_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Team",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="teams",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Team",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("name", fields.CharField(max_length=200)),
                ("external_id", fields.CharField(null=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "team",
                "app": "models",
                "unique_together": (("organisation", "external_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="users",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "team",
                    fields.ForeignKeyField(
                        "models.Team",
                        source_field="team_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("email", fields.CharField(unique=True, max_length=320)),
                ("name", fields.CharField(max_length=200)),
                (
                    "role",
                    fields.CharEnumField(
                        default=Role.REP,
                        description="REP: REP\nMANAGER: MANAGER\nADMIN: ADMIN",
                        enum_type=Role,
                        max_length=16,
                    ),
                ),
                ("external_id", fields.CharField(null=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "app_user",
                "app": "models",
                "unique_together": (("organisation", "external_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Deal",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("external_id", fields.CharField(max_length=200)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "models.Account",
                        source_field="account_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="deals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="deals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount", fields.DecimalField(max_digits=18, decimal_places=2)),
                ("cost", fields.DecimalField(null=True, max_digits=18, decimal_places=2)),
                ("quantity", fields.IntField(default=1)),
                (
                    "stage",
                    fields.CharEnumField(
                        description="OPEN: OPEN\nWON: WON\nLOST: LOST",
                        enum_type=DealStage,
                        max_length=8,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("region", fields.CharField(null=True, max_length=100)),
                ("segment", fields.CharField(null=True, max_length=100)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "deal",
                "app": "models",
                "unique_together": (("organisation", "external_id"),),
                "indexes": [Index(fields=["owner_id", "stage", "closed_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Goal",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="goals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "owner_type",
                    fields.CharEnumField(
                        description="REP: REP\nTEAM: TEAM\nORGANISATION: ORGANISATION",
                        enum_type=OwnerType,
                        max_length=16,
                    ),
                ),
                (
                    "owner_rep",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_rep_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="goals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "owner_team",
                    fields.ForeignKeyField(
                        "models.Team",
                        source_field="owner_team_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="goals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Goal",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "metric",
                    fields.CharEnumField(
                        description="REVENUE: REVENUE", enum_type=Metric, max_length=32
                    ),
                ),
                ("target", fields.DecimalField(max_digits=18, decimal_places=2)),
                ("period_start", fields.DateField()),
                ("period_end", fields.DateField()),
                ("rationale", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "goal",
                "app": "models",
                "indexes": [Index(fields=["organisation_id", "owner_rep_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Award",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "organisation",
                    fields.ForeignKeyField(
                        "models.Organisation",
                        source_field="organisation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="awards",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "badge",
                    fields.ForeignKeyField(
                        "models.BadgeDefinition",
                        source_field="badge_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="awards",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "rep",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="rep_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="awards",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "goal",
                    fields.ForeignKeyField(
                        "models.Goal",
                        source_field="goal_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="awards",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("period_key", fields.CharField(max_length=100)),
                ("awarded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "explanation",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "award",
                "app": "models",
                "unique_together": (("badge", "rep", "period_key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProgressSnapshot",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "goal",
                    fields.ForeignKeyField(
                        "models.Goal",
                        source_field="goal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="snapshots",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("taken_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("current_value", fields.DecimalField(max_digits=18, decimal_places=2)),
                ("attainment", fields.DecimalField(max_digits=12, decimal_places=2)),
                ("expected_attainment", fields.DecimalField(max_digits=6, decimal_places=2)),
                (
                    "projected_value",
                    fields.DecimalField(null=True, max_digits=18, decimal_places=2),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="ACHIEVED: ACHIEVED\nMISSED: MISSED\nON_TRACK: ON_TRACK\nAT_RISK: AT_RISK\nOFF_TRACK: OFF_TRACK",
                        enum_type=GoalStatus,
                        max_length=16,
                    ),
                ),
            ],
            options={
                "table": "progress_snapshot",
                "app": "models",
                "indexes": [Index(fields=["goal_id", "taken_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
