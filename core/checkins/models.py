"""Check-ins between a rep and their managers, the action items agreed in them and the
reminders sent when either is overdue."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from core.goals.models import Goal
from core.orgs.models import Organisation, User
from core.training.models import Assignment
from domain.checkins import Rating


class Side(StrEnum):
    """Who wrote a check-in: the rep about themselves, or one of their managers."""

    REP = "REP"
    MANAGER = "MANAGER"


class ReminderKind(StrEnum):
    CHECK_IN_OVERDUE = "CHECK_IN_OVERDUE"
    ACTION_ITEM_OVERDUE = "ACTION_ITEM_OVERDUE"
    TRAINING_OVERDUE = "TRAINING_OVERDUE"


class CheckIn(Model):
    """A conversation about a rep's progress, on one goal or on all of theirs.

    The progress it was held on is kept as it was then, in `snapshot`, a list of goals with
    their figures: it is never recomputed.
    """

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="check_ins", on_delete=fields.CASCADE
    )
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="check_ins", on_delete=fields.CASCADE
    )
    goal: fields.ForeignKeyNullableRelation[Goal] = fields.ForeignKeyField(
        "models.Goal", related_name="check_ins", null=True, on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="check_ins_written", on_delete=fields.CASCADE
    )
    side = fields.CharEnumField(Side, max_length=16)
    rating = fields.CharEnumField(Rating, max_length=16)
    comment = fields.TextField()
    # Only ever shown to managers.
    private_note = fields.TextField(null=True)
    snapshot = fields.JSONField()
    acknowledged_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="check_ins_acknowledged", null=True, on_delete=fields.SET_NULL
    )
    acknowledged_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    organisation_id: int
    rep_id: int
    goal_id: int | None
    author_id: int
    acknowledged_by_id: int | None

    class Meta:
        table = "check_in"
        indexes = (("organisation_id", "rep_id", "created_at"),)


class ActionItem(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="action_items", on_delete=fields.CASCADE
    )
    check_in: fields.ForeignKeyRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="action_items", on_delete=fields.CASCADE
    )
    # The rep the check-in was about, kept here so a rep's open items are one lookup.
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="action_items_about", on_delete=fields.CASCADE
    )
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="action_items", on_delete=fields.CASCADE
    )
    description = fields.TextField()
    due_on = fields.DateField()
    completed_at = fields.DatetimeField(null=True)
    completed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="action_items_completed", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()

    organisation_id: int
    check_in_id: int
    rep_id: int
    owner_id: int
    completed_by_id: int | None

    class Meta:
        table = "action_item"
        indexes = (("organisation_id", "rep_id"), ("organisation_id", "due_on"))


class Reminder(Model):
    """One reminder per overdue thing: `key` names it (the rep and the day the check-in
    was due, the action item, or the training assignment), so the cron can run any number
    of times."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="reminders", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=100)
    kind = fields.CharEnumField(ReminderKind, max_length=32)
    rep: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reminders_about", on_delete=fields.CASCADE
    )
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reminders", on_delete=fields.CASCADE
    )
    action_item: fields.ForeignKeyNullableRelation[ActionItem] = fields.ForeignKeyField(
        "models.ActionItem", related_name="reminders", null=True, on_delete=fields.CASCADE
    )
    assignment: fields.ForeignKeyNullableRelation[Assignment] = fields.ForeignKeyField(
        "models.Assignment", related_name="reminders", null=True, on_delete=fields.CASCADE
    )
    due_on = fields.DateField()
    created_at = fields.DatetimeField()

    organisation_id: int
    rep_id: int
    recipient_id: int
    action_item_id: int | None
    assignment_id: int | None

    class Meta:
        table = "reminder"
        unique_together = (("organisation", "key"),)
        indexes = (("organisation_id", "recipient_id"),)
