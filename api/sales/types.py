"""GraphQL types of CRM records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from api.context import Info
from api.orgs.types import User
from core.sales import models
from domain.records import DealStage, LeadStatus

DealStageEnum = strawberry.enum(DealStage, name="DealStage")
LeadStatusEnum = strawberry.enum(LeadStatus, name="LeadStatus")


@strawberry.type
class Product:
    id: strawberry.ID
    external_id: str
    name: str
    unit_price: Decimal | None
    unit_cost: Decimal | None

    @classmethod
    def of(cls, product: models.Product) -> Product:
        return cls(
            id=strawberry.ID(str(product.id)),
            external_id=product.external_id,
            name=product.name,
            unit_price=product.unit_price,
            unit_cost=product.unit_cost,
        )


@strawberry.type
class Deal:
    model: strawberry.Private[models.Deal]
    id: strawberry.ID
    external_id: str
    amount: Decimal
    cost: Decimal | None
    quantity: int
    stage: DealStageEnum
    created_at: datetime
    closed_at: datetime | None
    region: str | None
    segment: str | None

    @classmethod
    def of(cls, deal: models.Deal) -> Deal:
        return cls(
            model=deal,
            id=strawberry.ID(str(deal.id)),
            external_id=deal.external_id,
            amount=deal.amount,
            cost=deal.cost,
            quantity=deal.quantity,
            stage=deal.stage,
            created_at=deal.created_at,
            closed_at=deal.closed_at,
            region=deal.region,
            segment=deal.segment,
        )

    @strawberry.field
    async def owner(self, info: Info) -> User | None:
        owner = await info.context.loaders.users.load(self.model.owner_id)
        return User.of(owner) if owner else None

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        if self.model.product_id is None:
            return None
        product = await info.context.loaders.products.load(self.model.product_id)
        return Product.of(product) if product else None


@strawberry.type
class Lead:
    model: strawberry.Private[models.Lead]
    id: strawberry.ID
    external_id: str
    status: LeadStatusEnum
    created_at: datetime
    qualified_at: datetime | None
    converted_deal_external_id: str | None
    region: str | None
    segment: str | None

    @classmethod
    def of(cls, lead: models.Lead) -> Lead:
        return cls(
            model=lead,
            id=strawberry.ID(str(lead.id)),
            external_id=lead.external_id,
            status=lead.status,
            created_at=lead.created_at,
            qualified_at=lead.qualified_at,
            converted_deal_external_id=lead.converted_deal_external_id,
            region=lead.region,
            segment=lead.segment,
        )

    @strawberry.field
    async def owner(self, info: Info) -> User | None:
        owner = await info.context.loaders.users.load(self.model.owner_id)
        return User.of(owner) if owner else None
