"""Whitespace: per market, how far it is penetrated, which of its accounts were never sold
to, and what each account's segment buys that it does not; markets with the most
accounts left to win first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise import connections

from core.goals.service import totals_of_each
from core.markets import store
from core.markets.models import Market
from core.markets.store import MarketAccount
from core.metrics.store import Scope
from core.orgs.models import Organisation
from domain import markets as rules
from domain.metrics import Metric, value_of
from domain.money import shown_exact
from domain.periods import Period


@dataclass(frozen=True)
class MarketWhitespace:
    market: Market
    customers: int
    new_customers: int
    addressable: int | None
    penetration: Decimal | None
    open_accounts: int | None
    revenue: Decimal
    market_revenue: Decimal | None
    share: Decimal | None
    held: list[MarketAccount]
    never_sold_to: list[MarketAccount]
    gaps: list[rules.Gap]


def _ranking(found: MarketWhitespace) -> tuple[int, int, Decimal, str]:
    """Most accounts left to win first (unknown sizes last), then the least penetrated."""
    unknown = found.open_accounts is None
    return (
        unknown,
        -(found.open_accounts or 0),
        found.penetration if found.penetration is not None else Decimal(0),
        found.market.code,
    )


async def whitespace(
    organisation: Organisation, period: Period, rep_ids: tuple[int, ...] | None
) -> list[MarketWhitespace]:
    """Every market's whitespace over `period`, its figures those of `rep_ids` (None: the
    whole organisation's); who the accounts are and what they buy is the organisation's."""
    declared = await store.markets_of(organisation.id)
    if not declared:
        return []
    facts = await store.facts(organisation.id, [m.id for m in declared])
    # Both metrics in one batch: the account and the deal families, the markets read once.
    figures = await totals_of_each(
        organisation,
        [
            ((metric, m.id), metric, Scope(rep_ids=rep_ids, market_id=m.id), period)
            for m in declared
            for metric in (Metric.PENETRATION, Metric.MARKET_SHARE)
        ],
    )
    connection = connections.get("default")
    specs = [(m.id, facts[m.id]) for m in declared]
    accounts = await store.accounts_in(connection, organisation.id, specs)
    bought = await store.bought_by(connection, organisation.id, specs)
    segments = {a.segment for found in accounts.values() for a in found if a.segment}
    buying, segment_sizes = await store.segment_buying(connection, organisation.id, segments)
    found = []
    for market in declared:
        line = frozenset(facts[market.id].product_ids) or None
        held = accounts.get(market.id, [])
        unsold = set(rules.never_sold_to([a.account_id for a in held], bought, line))
        t = figures[(Metric.PENETRATION, market.id)]
        s = figures[(Metric.MARKET_SHARE, market.id)]
        found.append(
            MarketWhitespace(
                market=market,
                customers=t.customers,
                new_customers=t.new_customers,
                addressable=t.addressable,
                penetration=value_of(Metric.PENETRATION, t),
                open_accounts=rules.open_accounts(t.addressable, t.customers),
                revenue=s.revenue,
                market_revenue=shown_exact(s.market_revenue) if s.market_revenue else None,
                share=value_of(Metric.MARKET_SHARE, s),
                held=held,
                never_sold_to=[a for a in held if a.account_id in unsold],
                gaps=rules.gaps(
                    {a.account_id: a.segment for a in held}, bought, buying, segment_sizes, line
                ),
            )
        )
    return sorted(found, key=_ranking)
