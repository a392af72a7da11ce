"""Declared markets and their sizes per period."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.orgs.models import Organisation


class Market(Model):
    """A market the organisation sells into or means to: a region, a segment and/or a
    product line (`product_ids`, none: every product), named by `code`."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="markets", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    region = fields.CharField(max_length=100, null=True)
    segment = fields.CharField(max_length=100, null=True)
    product_ids = fields.JSONField(default=list)
    created_at = fields.DatetimeField()

    organisation_id: int

    class Meta:
        table = "market"
        unique_together = (("organisation", "code"),)


class MarketSize(Model):
    """How big a market is over a period: addressable accounts and/or total revenue. The
    periods of one market do not overlap."""

    id = fields.IntField(primary_key=True)
    market: fields.ForeignKeyRelation[Market] = fields.ForeignKeyField(
        "models.Market", related_name="sizes", on_delete=fields.CASCADE
    )
    period_start = fields.DateField()
    period_end = fields.DateField()
    addressable_accounts = fields.IntField(null=True)
    revenue = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    source = fields.CharField(max_length=200, null=True)

    market_id: int

    class Meta:
        table = "market_size"
        unique_together = (("market", "period_start"),)
