"""Goals and their progress history."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core import clock
from core.orgs.models import Organisation, Team, User
from domain.metrics import Metric
from domain.periods import PeriodKind
from domain.progress import GoalStatus
from domain.targets import TargetKind


class OwnerType(StrEnum):
    REP = "REP"
    TEAM = "TEAM"
    ORGANISATION = "ORGANISATION"


class BaselineSource(StrEnum):
    # The owner's figure for the last complete comparable period.
    HISTORY = "HISTORY"
    # The owner's figure for the same period a year earlier.
    SAME_PERIOD_LAST_YEAR = "SAME_PERIOD_LAST_YEAR"
    GIVEN = "GIVEN"


class Goal(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="goals", on_delete=fields.CASCADE
    )
    owner_type = fields.CharEnumField(OwnerType, max_length=16)
    owner_rep: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="goals", null=True, on_delete=fields.RESTRICT
    )
    owner_team: fields.ForeignKeyNullableRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="goals", null=True, on_delete=fields.RESTRICT
    )
    parent: fields.ForeignKeyNullableRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    metric = fields.CharEnumField(Metric, max_length=32)
    # The absolute target; how it was asked for is kept beside it: the change for a
    # relative target (+20 for +20% or +20 points), the starting value for a move.
    target = fields.DecimalField(max_digits=18, decimal_places=4)
    target_kind = fields.CharEnumField(
        TargetKind, max_length=24, default=TargetKind.ABSOLUTE, db_default="ABSOLUTE"
    )
    target_change = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    target_start = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    baseline = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    baseline_source = fields.CharEnumField(BaselineSource, max_length=24, null=True)
    # The period the baseline was measured over (HISTORY, SAME_PERIOD_LAST_YEAR).
    baseline_start = fields.DateField(null=True)
    baseline_end = fields.DateField(null=True)
    best_history = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    achievability = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    stretch_acknowledged = fields.BooleanField(default=False, db_default=False)
    # {"productIds": [...], "regions": [...], "segments": [...]}; null or empty: everything.
    scope = fields.JSONField(null=True)
    period_start = fields.DateField()
    period_end = fields.DateField()
    period_kind = fields.CharEnumField(PeriodKind, max_length=16, null=True)
    # Goals made together by one recurring request share a series id.
    series_id = fields.CharField(max_length=36, null=True)
    rationale = fields.TextField(null=True)
    # About a period that is over (analysis, backtesting): measured, never rewarded.
    historical = fields.BooleanField(default=False, db_default=False)
    # An archived goal is kept (its history, awards and payouts stand) but no longer
    # measured, rewarded or listed unless asked for.
    archived_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(default=clock.now)

    organisation_id: int
    owner_rep_id: int | None
    owner_team_id: int | None
    parent_id: int | None

    class Meta:
        table = "goal"
        indexes = (
            ("organisation_id", "owner_rep_id"),
            ("organisation_id", "owner_team_id"),
            ("series_id",),
            ("parent_id",),
        )


class ProgressSnapshot(Model):
    id = fields.IntField(primary_key=True)
    goal: fields.ForeignKeyRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="snapshots", on_delete=fields.CASCADE
    )
    taken_at = fields.DatetimeField()
    current_value = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    attainment = fields.DecimalField(max_digits=12, decimal_places=2, null=True)
    expected_attainment = fields.DecimalField(max_digits=6, decimal_places=2)
    projected_value = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    status = fields.CharEnumField(GoalStatus, max_length=16)

    goal_id: int

    class Meta:
        table = "progress_snapshot"
        indexes = (("goal_id", "taken_at"),)


class GoalFigure(Model):
    """A goal's current figure as the pipeline last measured it: the read model behind
    progress. Only a valid row is read; anything that can move the figure makes it invalid
    (in the transaction that moves it) at a newer version, and a measurement is stored only
    over an older version, so a slow measurement never overwrites a newer truth."""

    goal: fields.OneToOneRelation[Goal] = fields.OneToOneField(
        "models.Goal", related_name="figure", on_delete=fields.CASCADE, primary_key=True
    )
    organisation_id = fields.IntField(db_index=True)
    # The exact figure as text (a rate has more places than any fixed scale keeps); null
    # when there is none yet (a rate over nothing).
    value = fields.TextField(null=True)
    valid = fields.BooleanField()
    version = fields.BigIntField()

    goal_id: int

    class Meta:
        table = "goal_figure"


class FiguresVersion(Model):
    """An organisation's count of changes to what its figures are measured from."""

    organisation_id = fields.IntField(primary_key=True, generated=False)
    version = fields.BigIntField(default=0)

    class Meta:
        table = "figures_version"
