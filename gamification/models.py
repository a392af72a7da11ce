"""Badge definitions (versioned rules) and the awards made under them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.goals.models import Goal
from core.orgs.models import Organisation, User
from gamification.rules import BadgeKind


class BadgeDefinition(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="badge_definitions", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=64)
    version = fields.IntField(default=1)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    kind = fields.CharEnumField(BadgeKind, max_length=32)
    threshold = fields.DecimalField(max_digits=12, decimal_places=2)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    organisation_id: int

    class Meta:
        table = "badge_definition"
        unique_together = (("organisation", "code", "version"),)


class Award(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="awards", on_delete=fields.CASCADE
    )
    badge: fields.ForeignKeyRelation[BadgeDefinition] = fields.ForeignKeyField(
        "models.BadgeDefinition", related_name="awards", on_delete=fields.RESTRICT
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="awards", on_delete=fields.CASCADE
    )
    goal: fields.ForeignKeyNullableRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="awards", null=True, on_delete=fields.SET_NULL
    )
    # What the award is for, e.g. "goal:42": with the rule version and the rep it makes the
    # award unique, so replays and concurrent workers cannot award twice.
    period_key = fields.CharField(max_length=100)
    awarded_at = fields.DatetimeField()
    explanation = fields.JSONField()

    organisation_id: int
    badge_id: int
    rep_id: int
    goal_id: int | None

    class Meta:
        table = "award"
        unique_together = (("badge", "rep", "period_key"),)
