"""Mutations of markets (admins): declaring a market and giving its size per period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.ids import parse_id
from api.markets.types import Market, MarketSize
from core.markets import service
from core.markets.models import Market as MarketRow
from domain.markets import MarketDraft
from domain.markets import MarketSize as Size
from workers.relay import after_commit

MarketResult = Annotated[Market | InputErrors, strawberry.union("MarketResult")]
MarketSizeResult = Annotated[MarketSize | InputErrors, strawberry.union("MarketSizeResult")]


@strawberry.input(description="A market: a region, a segment and/or a product line.")
class MarketInput:
    code: str = strawberry.field(description="Unique in the organisation; declaring it again "
        "redefines it.")  # fmt: skip
    name: str
    region: str | None = None
    segment: str | None = None
    product_ids: list[str] = strawberry.field(
        default_factory=list, description="Its product line, by external id; empty: every product."
    )


@strawberry.input(description="A market's size over a period; one starting the same day is "
    "replaced.")  # fmt: skip
class MarketSizeInput:
    market_id: strawberry.ID
    period_start: date
    period_end: date
    addressable_accounts: int | None = None
    revenue: Decimal | None = strawberry.field(
        default=None, description="The market's total revenue over the period."
    )
    source: str | None = strawberry.field(
        default=None, description="Where the figures come from (an analyst report)."
    )


@strawberry.type
class MarketMutations:
    @strawberry.mutation(description="Admins: declare a market, or redefine one by its code.")
    async def declare_market(self, info: Info, input: MarketInput) -> MarketResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("code")
        organisation = await info.context.loaders.own_organisation()
        draft = MarketDraft(
            input.code, input.name, input.region, input.segment, tuple(input.product_ids)
        )
        made = await service.declare(organisation, draft, access.viewer.user_id, info.context.now)
        if not isinstance(made, MarketRow):
            return InputErrors.of(*made)
        await after_commit(info.context.queue)
        return Market.of(made)

    @strawberry.mutation(description="Admins: how big a market is over a period.")
    async def set_market_size(self, info: Info, input: MarketSizeInput) -> MarketSizeResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("marketId")
        market = await info.context.loaders.markets.load(parse_id(input.market_id) or 0)
        if market is None:
            return InputErrors.not_found("marketId")
        organisation = await info.context.loaders.own_organisation()
        size = Size(input.period_start, input.period_end, input.addressable_accounts, input.revenue)
        made = await service.set_size(
            organisation, market, size, input.source, access.viewer.user_id, info.context.now
        )
        if isinstance(made, list):
            return InputErrors.of(*made)
        await after_commit(info.context.queue)
        return MarketSize.of(made)
