"""Refresh tokens and API keys; only hashes of their secrets are stored."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core import clock
from core.orgs.models import Organisation, User


class RefreshToken(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    # One signed-in session: the refresh tokens it rotates through share it, and so do the
    # access tokens minted for it (their `sid`). Signing out revokes all of them.
    session = fields.CharField(max_length=32, db_index=True, db_default="")
    created_at = fields.DatetimeField(default=clock.now)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    user_id: int

    class Meta:
        table = "refresh_token"


class ApiKey(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="api_keys", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=200)
    # The key's public prefix finds the row; the hash of the whole key proves it.
    prefix = fields.CharField(max_length=16, unique=True)
    key_hash = fields.CharField(max_length=64)
    scopes = fields.JSONField()
    created_at = fields.DatetimeField(default=clock.now)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)

    organisation_id: int

    class Meta:
        table = "api_key"
