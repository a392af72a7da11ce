"""The audit trail: who changed what, when, from what to what."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model

from core.orgs.models import Organisation, User


class ObjectType(Enum):
    """What an entry is about; the trail is filtered by it, so every writer names one of
    these."""

    GOAL = "GOAL"
    PERSON = "PERSON"
    TEAM = "TEAM"
    CONTEST = "CONTEST"
    MARKET = "MARKET"
    ORGANISATION = "ORGANISATION"


class AuditEntry(Model):
    """One edit of a goal, a person, a team, a contest, a market or an organisation's
    settings. Entries are only ever added."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="audit_entries", on_delete=fields.CASCADE
    )
    # Null when an API key or the system made the change.
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    at = fields.DatetimeField()
    # GOAL_TARGET_CHANGED, TEAM_MOVED, … (api names them; the trail only keeps them).
    action = fields.CharField(max_length=48)
    object_type = fields.CharField(max_length=16)
    object_id = fields.IntField()
    before = fields.JSONField()
    after = fields.JSONField()
    reason = fields.TextField(null=True)

    organisation_id: int
    actor_id: int | None

    class Meta:
        table = "audit_entry"
        indexes = (("organisation_id", "object_type", "object_id"),)
