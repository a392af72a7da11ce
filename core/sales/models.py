"""Accounts, products and deals, each unique per organisation by external id."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core import clock
from core.orgs.models import Organisation, User
from domain.records import DealStage, LeadStatus


class Account(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="accounts", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=200)
    name = fields.CharField(max_length=300)
    segment = fields.CharField(max_length=100, null=True)
    region = fields.CharField(max_length=100, null=True)

    organisation_id: int

    class Meta:
        table = "account"
        unique_together = (("organisation", "external_id"),)


class Product(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="products", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=200)
    name = fields.CharField(max_length=300)
    unit_price = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    unit_cost = fields.DecimalField(max_digits=18, decimal_places=4, null=True)

    organisation_id: int

    class Meta:
        table = "product"
        unique_together = (("organisation", "external_id"),)


class Deal(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="deals", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=200)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="deals", on_delete=fields.RESTRICT
    )
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="deals", null=True, on_delete=fields.RESTRICT
    )
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="deals", null=True, on_delete=fields.RESTRICT
    )
    amount = fields.DecimalField(max_digits=18, decimal_places=4)
    cost = fields.DecimalField(max_digits=18, decimal_places=4, null=True)
    quantity = fields.IntField(default=1)
    stage = fields.CharEnumField(DealStage, max_length=8)
    created_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)
    region = fields.CharField(max_length=100, null=True)
    segment = fields.CharField(max_length=100, null=True)
    updated_at = fields.DatetimeField(default=clock.now)

    organisation_id: int
    owner_id: int
    account_id: int | None
    product_id: int | None

    class Meta:
        table = "deal"
        unique_together = (("organisation", "external_id"),)
        indexes = (("owner_id", "stage", "closed_at"),)


class Lead(Model):
    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="leads", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=200)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="leads", on_delete=fields.RESTRICT
    )
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="leads", null=True, on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(LeadStatus, max_length=16)
    created_at = fields.DatetimeField()
    qualified_at = fields.DatetimeField(null=True)
    # The deal the lead became; it counts as converted while that deal is WON.
    converted_deal_external_id = fields.CharField(max_length=200, null=True)
    region = fields.CharField(max_length=100, null=True)
    segment = fields.CharField(max_length=100, null=True)
    updated_at = fields.DatetimeField(default=clock.now)

    organisation_id: int
    owner_id: int
    account_id: int | None

    class Meta:
        table = "lead"
        unique_together = (("organisation", "external_id"),)
        indexes = (("organisation_id", "converted_deal_external_id"),)
