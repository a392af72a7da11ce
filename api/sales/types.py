"""GraphQL types of CRM records."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from core.sales import models


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
