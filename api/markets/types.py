"""Markets as clients see them: declarations, sizes, and the whitespace in each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from api.context import Info
from api.sales.types import Product
from core.markets import models
from core.markets.store import MarketAccount as AccountRow
from core.markets.whitespace import MarketWhitespace as WhitespaceRow
from domain.markets import Gap

# The longest list a whitespace entry gives at once.
MAX_LISTED = 500


@strawberry.type(description="How big a market is over a period (from an analyst report, a plan).")
class MarketSize:
    period_start: date
    period_end: date
    addressable_accounts: int | None = strawberry.field(
        description="Accounts the market holds: what PENETRATION is measured against."
    )
    revenue: Decimal | None = strawberry.field(
        description="The market's total revenue over the period: what MARKET_SHARE is "
        "measured against, spread evenly over its days."
    )
    source: str | None

    @classmethod
    def of(cls, size: models.MarketSize) -> MarketSize:
        return cls(
            period_start=size.period_start,
            period_end=size.period_end,
            addressable_accounts=size.addressable_accounts,
            revenue=size.revenue,
            source=size.source,
        )


@strawberry.type(description="A market the organisation sells into or means to: a region, a "
    "segment and/or a product line.")  # fmt: skip
class Market:
    id: strawberry.ID
    code: str = strawberry.field(description="What goals, boards and series name it by.")
    name: str
    region: str | None
    segment: str | None
    product_ids: strawberry.Private[list[int]]

    @classmethod
    def of(cls, market: models.Market) -> Market:
        return cls(
            id=strawberry.ID(str(market.id)),
            code=market.code,
            name=market.name,
            region=market.region,
            segment=market.segment,
            product_ids=list(market.product_ids),
        )

    @strawberry.field(description="Its product line; empty: every product.")
    async def products(self, info: Info) -> list[Product]:
        found = await info.context.loaders.products.load_many(self.product_ids)
        return [Product.of(product) for product in found if product is not None]

    @strawberry.field(description="Its sizes, earliest first.")
    async def sizes(self, info: Info) -> list[MarketSize]:
        found = await info.context.loaders.market_sizes.load(int(self.id))
        return [MarketSize.of(size) for size in found]


@strawberry.type(description="An account of a market (by its own region and segment).")
class MarketAccount:
    external_id: str
    name: str
    region: str | None
    segment: str | None

    @classmethod
    def of(cls, account: AccountRow) -> MarketAccount:
        return cls(
            external_id=account.external_id,
            name=account.name,
            region=account.region,
            segment=account.segment,
        )


@strawberry.type(description="A product an account's segment buys and the account does not.")
class CrossSell:
    account: MarketAccount
    product_id: strawberry.Private[int]
    peers: int = strawberry.field(description="Accounts of the segment that bought it.")
    segment_accounts: int = strawberry.field(description="Accounts of the segment in all.")
    adoption: Decimal = strawberry.field(description="peers / segmentAccounts × 100.")
    peer_wins: int = strawberry.field(description="Won deals of it across those peers.")

    @strawberry.field
    async def product(self, info: Info) -> Product:
        found = await info.context.loaders.products.load(self.product_id)
        assert found is not None  # products are never deleted
        return Product.of(found)


@strawberry.type(description="Where a market stands and what is left in it to win.")
class MarketWhitespace:
    row: strawberry.Private[WhitespaceRow]
    market: Market
    period_start: date
    period_end: date
    accounts: int = strawberry.field(description="Accounts known in the market.")
    untapped: bool = strawberry.field(description="No account known in the market yet.")
    customers: int = strawberry.field(description="Accounts with a won deal in the period.")
    new_customers: int = strawberry.field(description="Of them, won for the first time.")
    addressable_accounts: int | None
    open_accounts: int | None = strawberry.field(
        description="Addressable accounts not won in the period: what ranks the markets."
    )
    penetration: Decimal | None = strawberry.field(
        description="customers / addressableAccounts × 100."
    )
    revenue: Decimal
    market_revenue: Decimal | None = strawberry.field(
        description="The market's revenue over the days gone by of the period."
    )
    market_share: Decimal | None = strawberry.field(description="revenue / marketRevenue × 100.")
    never_sold_to_count: int

    @classmethod
    def of(cls, row: WhitespaceRow, period_start: date, period_end: date) -> MarketWhitespace:
        return cls(
            row=row,
            market=Market.of(row.market),
            period_start=period_start,
            period_end=period_end,
            accounts=len(row.held),
            untapped=not row.held,
            customers=row.customers,
            new_customers=row.new_customers,
            addressable_accounts=row.addressable,
            open_accounts=row.open_accounts,
            penetration=row.penetration,
            revenue=row.revenue,
            market_revenue=row.market_revenue,
            market_share=row.share,
            never_sold_to_count=len(row.never_sold_to),
        )

    @strawberry.field(description="Accounts of the market never sold to (in its line), by name.")
    def never_sold_to(self, first: int = 20) -> list[MarketAccount]:
        return [MarketAccount.of(a) for a in self.row.never_sold_to[: _listed(first)]]

    @strawberry.field(
        description="What accounts of the market could buy next: the products most of their "
        "segment buys first."
    )
    def cross_sell(self, first: int = 20) -> list[CrossSell]:
        accounts = {a.account_id: a for a in self.row.held}
        return [
            _cross_sell(gap, accounts[gap.account_id]) for gap in self.row.gaps[: _listed(first)]
        ]


def _listed(first: int) -> int:
    return min(max(first, 0), MAX_LISTED)


def _cross_sell(gap: Gap, account: AccountRow) -> CrossSell:
    return CrossSell(
        account=MarketAccount.of(account),
        product_id=gap.product_id,
        peers=gap.peers,
        segment_accounts=gap.segment_accounts,
        adoption=gap.adoption,
        peer_wins=gap.peer_wins,
    )
