"""Badge definitions (versioned rules) and the awards made under them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core import clock
from core.goals.models import Goal
from core.orgs.models import Organisation, User
from domain.metrics import Metric
from gamification.rules import BadgeKind


class EntryKind(StrEnum):
    ACCRUAL = "ACCRUAL"
    REVERSAL = "REVERSAL"
    PRIZE = "PRIZE"


class PayoutStatus(StrEnum):
    """provisional (period running) → final (period closed) → approved → paid."""

    PROVISIONAL = "PROVISIONAL"
    FINAL = "FINAL"
    APPROVED = "APPROVED"
    PAID = "PAID"


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
    points = fields.IntField(default=0, db_default=0)
    # STREAK_DAILY: the metric and the figure a working day must reach to count.
    metric = fields.CharEnumField(Metric, max_length=32, null=True)
    daily_minimum = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    # CERTIFICATION: the course whose certification earns it; None: any.
    course_code = fields.CharField(max_length=64, null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(default=clock.now)

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
    # Set while a threshold badge is withdrawn (its figure fell back below the threshold
    # before the goal's period ended), with why; earned again, it is reinstated.
    revoked_at = fields.DatetimeField(null=True)
    revocation = fields.JSONField(null=True)

    organisation_id: int
    badge_id: int
    rep_id: int
    goal_id: int | None

    class Meta:
        table = "award"
        unique_together = (("badge", "rep", "period_key"),)


class BonusPlan(Model):
    """A versioned bonus plan: changing it makes a new row with the next version."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="bonus_plans", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=64)
    version = fields.IntField(default=1)
    name = fields.CharField(max_length=200)
    # Applies to every rep goal of this metric, or only to one goal.
    metric = fields.CharEnumField(Metric, max_length=32)
    goal: fields.ForeignKeyNullableRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="bonus_plans", null=True, on_delete=fields.CASCADE
    )
    tiers = fields.JSONField()
    flats = fields.JSONField()
    cap = fields.DecimalField(max_digits=18, decimal_places=2, null=True)
    # Paid for each unit of a count metric (a deal won, a new customer).
    per_unit = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(default=clock.now)

    organisation_id: int
    goal_id: int | None

    class Meta:
        table = "bonus_plan"
        unique_together = (("organisation", "code", "version"),)


class PayoutEntry(Model):
    """The payout ledger: entries are only ever added. A goal's payout under a plan is the
    sum of its entries; a figure that falls adds a negative (reversal) entry."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="payouts", on_delete=fields.CASCADE
    )
    # What the entry is for: a bonus plan on a goal, or a contest prize.
    plan: fields.ForeignKeyNullableRelation[BonusPlan] = fields.ForeignKeyField(
        "models.BonusPlan", related_name="entries", null=True, on_delete=fields.RESTRICT
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="payouts", on_delete=fields.CASCADE
    )
    goal: fields.ForeignKeyNullableRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="payouts", null=True, on_delete=fields.CASCADE
    )
    contest_id = fields.IntField(null=True)
    kind = fields.CharEnumField(EntryKind, max_length=16)
    status = fields.CharEnumField(PayoutStatus, max_length=16)
    amount = fields.DecimalField(max_digits=18, decimal_places=2)
    explanation = fields.JSONField()
    created_at = fields.DatetimeField()

    organisation_id: int
    plan_id: int | None
    rep_id: int
    goal_id: int | None

    class Meta:
        table = "payout_entry"
        indexes = (("plan_id", "goal_id"), ("rep_id", "created_at"))


class Contest(Model):
    """A time-boxed competition on a metric between the reps of a scope.

    At its close the top places win their prizes (a badge and points)."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="contests", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=200)
    metric = fields.CharEnumField(Metric, max_length=32)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    team_id = fields.IntField(null=True)
    # Between the reps of the scope, or between the teams right below it (every member of
    # a winning team wins its prize).
    between_teams = fields.BooleanField(default=False, db_default=False)
    # [{"rank": 1, "badge": "CONTEST_GOLD", "points": 100}, ...]
    prizes = fields.JSONField()
    closed_at = fields.DatetimeField(null=True)
    # Retired by an admin before it ended: never closed, no prizes given.
    retired_at = fields.DatetimeField(null=True)

    organisation_id: int

    class Meta:
        table = "contest"


class PointsEvent(StrEnum):
    DEAL_WON = "DEAL_WON"
    LEAD_QUALIFIED = "LEAD_QUALIFIED"
    # A check-in on the rep that the other side acknowledged.
    CHECK_IN_DONE = "CHECK_IN_DONE"
    # A course passed (an assessment failed earns nothing).
    TRAINING_COMPLETED = "TRAINING_COMPLETED"


class PointsRule(Model):
    """Points per event, versioned like badge rules."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="points_rules", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=64)
    version = fields.IntField(default=1)
    event = fields.CharEnumField(PointsEvent, max_length=32)
    points = fields.IntField()
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(default=clock.now)

    organisation_id: int

    class Meta:
        table = "points_rule"
        unique_together = (("organisation", "code", "version"),)


class PointsEntry(Model):
    """Points earned by an event: once per rule version, rep and source (a deal, a lead).
    A won deal lost again within the month its points were earned in is reversed by a
    negative entry; won again, it earns again: its entries are "deal:X", then "deal:X#2",
    "deal:X#3", …, all with the record key "deal:X"."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="points_entries", on_delete=fields.CASCADE
    )
    rule: fields.ForeignKeyRelation[PointsRule] = fields.ForeignKeyField(
        "models.PointsRule", related_name="entries", on_delete=fields.RESTRICT
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="points_entries", on_delete=fields.CASCADE
    )
    source_key = fields.CharField(max_length=220)
    record_key = fields.CharField(max_length=220, db_index=True, db_default="", default="")
    points = fields.IntField()
    created_at = fields.DatetimeField()

    organisation_id: int
    rule_id: int
    rep_id: int

    class Meta:
        table = "points_entry"
        unique_together = (("rule", "rep", "source_key"),)
