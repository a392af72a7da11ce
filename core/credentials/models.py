"""Issuer keys and the awards issued as Open Badges credentials."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core import clock
from core.orgs.models import Organisation


class IssuerKey(Model):
    """An organisation's Ed25519 key for signing credentials. The newest one not retired
    signs; retired keys stay published, so what they signed still verifies."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="issuer_keys", on_delete=fields.CASCADE
    )
    # The RFC 7638 thumbprint of the public key: a JWS names its key by it.
    kid = fields.CharField(max_length=64, unique=True)
    public_jwk = fields.JSONField()
    sealed_private_key = fields.TextField()
    created_at = fields.DatetimeField(default=clock.now)
    retired_at = fields.DatetimeField(null=True)

    organisation_id: int

    class Meta:
        table = "issuer_key"


class IssuedCredential(Model):
    """An award issued as an OpenBadgeCredential: its id, its place in the organisation's
    status list (the bit set when the award is revoked) and the signed credential."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="issued_credentials", on_delete=fields.CASCADE
    )
    award: fields.OneToOneRelation = fields.OneToOneField(  # type: ignore[type-arg]
        "models.Award", related_name="credential", on_delete=fields.CASCADE
    )
    uuid = fields.UUIDField(unique=True)
    status_index = fields.IntField()
    kid = fields.CharField(max_length=64)
    issued_at = fields.DatetimeField()
    token = fields.TextField()

    organisation_id: int
    award_id: int

    class Meta:
        table = "issued_credential"
        unique_together = (("organisation", "status_index"),)
