"""The outbox: what moved, written in the same transaction as the records that moved it."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core import clock


class OutboxEntry(Model):
    """Reps of an organisation whose figures moved and are still to be evaluated. A relay
    hands entries to the queue and deletes them in one transaction, so an entry is gone
    only once its evaluation is queued."""

    id = fields.BigIntField(primary_key=True)
    organisation_id = fields.IntField()
    rep_ids = fields.JSONField()
    created_at = fields.DatetimeField(default=clock.now, db_index=True)

    class Meta:
        table = "outbox"
