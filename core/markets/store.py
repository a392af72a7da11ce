"""Every query of the market tables, and of the accounts and purchases a market holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from tortoise.backends.base.client import BaseDBAsyncClient

from core.markets.models import Market, MarketSize
from core.sql import Params
from domain.markets import Buying
from domain.markets import MarketSize as Size


@dataclass(frozen=True)
class MarketFacts:
    """What measuring a market needs: where it is, what it buys, how big it is."""

    region: str | None
    segment: str | None
    product_ids: tuple[int, ...]
    sizes: tuple[Size, ...]


def size_of(row: MarketSize) -> Size:
    return Size(row.period_start, row.period_end, row.addressable_accounts, row.revenue)


async def facts(organisation_id: int, market_ids: Collection[int]) -> dict[int, MarketFacts]:
    """The markets asked for (those of the organisation), with their sizes: two statements."""
    if not market_ids:
        return {}
    markets = await Market.filter(organisation_id=organisation_id, id__in=sorted(market_ids))
    sizes = await sizes_of(organisation_id, [market.id for market in markets])
    return {
        market.id: MarketFacts(
            market.region,
            market.segment,
            tuple(market.product_ids),
            tuple(size_of(row) for row in sizes.get(market.id, [])),
        )
        for market in markets
    }


async def sizes_of(organisation_id: int, market_ids: Sequence[int]) -> dict[int, list[MarketSize]]:
    """Each market's sizes, earliest first (of the organisation's markets only)."""
    found: dict[int, list[MarketSize]] = defaultdict(list)
    if market_ids:
        rows = MarketSize.filter(
            market__organisation_id=organisation_id, market_id__in=sorted(set(market_ids))
        ).order_by("period_start")
        for row in await rows:
            found[row.market_id].append(row)
    return found


async def markets_of(organisation_id: int) -> list[Market]:
    return await Market.filter(organisation_id=organisation_id).order_by("code")


async def markets_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Market]:
    found = await Market.filter(organisation_id=organisation_id, id__in=sorted(set(ids)))
    return {market.id: market for market in found}


async def markets_by_code(organisation_id: int, codes: Iterable[str]) -> dict[str, Market]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    found = await Market.filter(organisation_id=organisation_id, code__in=wanted)
    return {market.code: market for market in found}


async def declared_regions_and_segments(organisation_id: int) -> tuple[set[str], set[str]]:
    """The regions and segments markets declare: known before any account is in them."""
    rows = await Market.filter(organisation_id=organisation_id).values_list("region", "segment")
    return {r for r, _ in rows if r}, {s for _, s in rows if s}


@dataclass(frozen=True)
class MarketAccount:
    account_id: int
    external_id: str
    name: str
    region: str | None
    segment: str | None


def _spec(params: Params, markets: Sequence[tuple[int, MarketFacts]]) -> str:
    rows = ", ".join(
        f"({params.integer(key)}, {params.text(m.region)}, {params.text(m.segment)})"
        for key, m in markets
    )
    return f"WITH spec (k, region, segment) AS (VALUES {rows}) "


_IN_MARKET = (
    "(spec.region IS NULL OR a.region = spec.region) "
    "AND (spec.segment IS NULL OR a.segment = spec.segment)"
)


async def accounts_in(
    connection: BaseDBAsyncClient, organisation_id: int, markets: Sequence[tuple[int, MarketFacts]]
) -> dict[int, list[MarketAccount]]:
    """The accounts each market holds (by their region and segment), by name."""
    found: dict[int, list[MarketAccount]] = defaultdict(list)
    if not markets:
        return found
    params = Params(connection)
    spec = _spec(params, markets)
    rows = await connection.execute_query_dict(
        f"{spec}SELECT spec.k AS k, a.id, a.external_id, a.name, a.region, a.segment "
        f"FROM spec JOIN account a ON a.organisation_id = {params(organisation_id)} "
        f"AND {_IN_MARKET} ORDER BY a.name, a.id",
        params.values,
    )
    for row in rows:
        found[row["k"]].append(
            MarketAccount(row["id"], row["external_id"], row["name"], row["region"], row["segment"])
        )
    return found


async def bought_by(
    connection: BaseDBAsyncClient, organisation_id: int, markets: Sequence[tuple[int, MarketFacts]]
) -> dict[int, frozenset[int]]:
    """The products (0: none named) each account of these markets has won deals for, ever."""
    found: dict[int, set[int]] = defaultdict(set)
    if markets:
        params = Params(connection)
        spec = _spec(params, markets)
        # Each placeholder written once: SQLite's `?` binds in order of appearance.
        org = partial(params, organisation_id)
        rows = await connection.execute_query_dict(
            f"{spec}SELECT DISTINCT d.account_id AS account, d.product_key AS product "
            f"FROM spec JOIN account a ON a.organisation_id = {org()} AND {_IN_MARKET} "
            f"JOIN account_day d ON d.account_id = a.id AND d.organisation_id = {org()} "
            "AND d.won > 0",
            params.values,
        )
        for row in rows:
            found[row["account"]].add(row["product"])
    return {account: frozenset(products) for account, products in found.items()}


async def segment_buying(
    connection: BaseDBAsyncClient, organisation_id: int, segments: Collection[str]
) -> tuple[dict[str, dict[int, Buying]], dict[str, int]]:
    """For each segment, who among its accounts (anywhere) buys each product, and how many
    accounts it has in all."""
    buying: dict[str, dict[int, Buying]] = defaultdict(dict)
    sizes: dict[str, int] = {}
    if not segments:
        return buying, sizes
    params = Params(connection)
    org = partial(params, organisation_id)
    rows = await connection.execute_query_dict(
        "SELECT a.segment AS segment, d.product_key AS product, "
        "COUNT(DISTINCT d.account_id) AS accounts, SUM(d.won) AS wins FROM account a "
        f"JOIN account_day d ON d.account_id = a.id AND d.organisation_id = {org()} "
        f"AND d.won > 0 AND d.product_key <> 0 WHERE a.organisation_id = {org()} "
        f"AND a.segment IN ({', '.join(params.text(s) for s in sorted(segments))}) "
        "GROUP BY a.segment, d.product_key",
        params.values,
    )
    for row in rows:
        buying[row["segment"]][row["product"]] = Buying(int(row["accounts"]), int(row["wins"]))
    params = Params(connection)
    org = params(organisation_id)
    listed = ", ".join(params.text(s) for s in sorted(segments))
    counted = await connection.execute_query_dict(
        "SELECT segment, COUNT(*) AS n FROM account "
        f"WHERE organisation_id = {org} AND segment IN ({listed}) GROUP BY segment",
        params.values,
    )
    sizes = {row["segment"]: int(row["n"]) for row in counted}
    return buying, sizes
