"""Every query of accounts, products and deals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from tortoise.functions import Sum

from core.sales.models import Account, Deal, Product
from domain.deals import DealStage

UPSERT_FIELDS = (
    "owner_id",
    "account_id",
    "product_id",
    "amount",
    "cost",
    "quantity",
    "stage",
    "created_at",
    "closed_at",
    "region",
    "segment",
    "updated_at",
)


async def accounts_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Account]:
    accounts = await Account.filter(
        organisation_id=organisation_id, external_id__in=list(set(external_ids))
    )
    return {account.external_id: account for account in accounts}


async def products_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Product]:
    products = await Product.filter(
        organisation_id=organisation_id, external_id__in=list(set(external_ids))
    )
    return {product.external_id: product for product in products}


async def owners_by_external_id(
    organisation_id: int, external_ids: Iterable[str]
) -> dict[str, int]:
    rows = await Deal.filter(
        organisation_id=organisation_id, external_id__in=list(set(external_ids))
    ).values_list("external_id", "owner_id")
    return {external_id: owner_id for external_id, owner_id in rows}


async def upsert_deals(deals: Sequence[Deal]) -> None:
    """Insert new deals and overwrite existing ones, matched by (organisation, external id)."""
    if deals:
        await Deal.bulk_create(
            deals,
            on_conflict=["organisation_id", "external_id"],
            update_fields=UPSERT_FIELDS,
        )


async def won_revenue(owner_id: int, start: datetime, end: datetime) -> Decimal:
    """Sum of won deal amounts closed in [start, end)."""
    row = await (
        Deal.filter(
            owner_id=owner_id,
            stage=DealStage.WON,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .annotate(total=Sum("amount"))
        .first()
        .values("total")
    )
    total = row["total"] if row else None
    return Decimal(total) if total is not None else Decimal(0)


async def won_deals(owner_id: int, start: datetime, end: datetime) -> list[Deal]:
    """The won deals closed in [start, end), in the order they closed."""
    return await Deal.filter(
        owner_id=owner_id,
        stage=DealStage.WON,
        closed_at__gte=start,
        closed_at__lt=end,
    ).order_by("closed_at", "id")
