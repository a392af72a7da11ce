"""Goals and their progress history."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.orgs.models import Organisation, Team, User
from domain.metrics import Metric
from domain.progress import GoalStatus


class OwnerType(StrEnum):
    REP = "REP"
    TEAM = "TEAM"
    ORGANISATION = "ORGANISATION"


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
    target = fields.DecimalField(max_digits=18, decimal_places=2)
    period_start = fields.DateField()
    period_end = fields.DateField()
    rationale = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    organisation_id: int
    owner_rep_id: int | None
    owner_team_id: int | None
    parent_id: int | None

    class Meta:
        table = "goal"
        indexes = (("organisation_id", "owner_rep_id"),)


class ProgressSnapshot(Model):
    id = fields.IntField(primary_key=True)
    goal: fields.ForeignKeyRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="snapshots", on_delete=fields.CASCADE
    )
    taken_at = fields.DatetimeField()
    current_value = fields.DecimalField(max_digits=18, decimal_places=2)
    attainment = fields.DecimalField(max_digits=12, decimal_places=2)
    expected_attainment = fields.DecimalField(max_digits=6, decimal_places=2)
    projected_value = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    status = fields.CharEnumField(GoalStatus, max_length=16)

    goal_id: int

    class Meta:
        table = "progress_snapshot"
        indexes = (("goal_id", "taken_at"),)
