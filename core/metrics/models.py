"""Rollup tables. Derived from deals and leads, so they carry no foreign keys: ingestion
keeps them exact by applying each record's change, and they can be rebuilt from scratch."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DealDay(Model):
    id = fields.BigIntField(primary_key=True)
    organisation_id = fields.IntField()
    rep_id = fields.IntField()
    day = fields.IntField(description="organisation-local date, as an ordinal")
    product_key = fields.IntField(description="product id, 0 for none")
    region = fields.CharField(max_length=100, default="")
    segment = fields.CharField(max_length=100, default="")
    # Ten-thousandths of the currency (domain.money.ticks).
    revenue_ticks = fields.BigIntField(default=0)
    cost_ticks = fields.BigIntField(default=0)
    units = fields.BigIntField(default=0)
    won = fields.IntField(default=0)
    lost = fields.IntField(default=0)

    class Meta:
        table = "deal_day"
        unique_together = (("rep_id", "day", "product_key", "region", "segment"),)
        indexes = (("organisation_id", "day"),)


class AccountDay(Model):
    """Won deals per account, rep and day: the basis of new-customer and retention counts."""

    id = fields.BigIntField(primary_key=True)
    organisation_id = fields.IntField()
    rep_id = fields.IntField()
    day = fields.IntField()
    account_id = fields.IntField()
    product_key = fields.IntField()
    region = fields.CharField(max_length=100, default="")
    segment = fields.CharField(max_length=100, default="")
    won = fields.IntField(default=0)

    class Meta:
        table = "account_day"
        unique_together = (("rep_id", "day", "account_id", "product_key", "region", "segment"),)
        indexes = (("organisation_id", "day"), ("account_id", "day"))


class LeadDay(Model):
    id = fields.BigIntField(primary_key=True)
    organisation_id = fields.IntField()
    rep_id = fields.IntField()
    day = fields.IntField()
    region = fields.CharField(max_length=100, default="")
    segment = fields.CharField(max_length=100, default="")
    leads = fields.IntField(default=0)
    qualified = fields.IntField(default=0)
    converted = fields.IntField(default=0)

    class Meta:
        table = "lead_day"
        unique_together = (("rep_id", "day", "region", "segment"),)
        indexes = (("organisation_id", "day"),)
