"""Declaring markets and their sizes: checked, audited, and in the transaction that makes
every goal measured against them stale and its people due for evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.transactions import in_transaction

from core import clock
from core.audit import store as audit
from core.audit.models import ObjectType
from core.goals import figures
from core.markets import store
from core.markets.models import Market, MarketSize
from core.orgs import store as people
from core.orgs.models import Organisation
from core.outbox import store as outbox
from core.sales import store as sales
from core.sales.service import IngestResult, finish
from domain.errors import ErrorCode, FieldError
from domain.inputs import check_text
from domain.markets import MarketDraft, MarketRecord, check_market, check_size, normalised
from domain.markets import MarketSize as Size
from domain.records import MAX_LABEL_LENGTH


async def declare(
    organisation: Organisation, draft: MarketDraft, actor_id: int | None, now: datetime
) -> Market | list[FieldError]:
    """A new market, or a market redefined under the code it already has."""
    draft = normalised(draft)
    errors = check_market(draft)
    products = await sales.products_by_external_id(organisation.id, draft.product_codes)
    errors += [
        FieldError(f"productIds.{index}", ErrorCode.NOT_FOUND, f"No product {code}.")
        for index, code in enumerate(draft.product_codes)
        if code not in products
    ]
    if errors:
        return errors
    product_ids = sorted(products[code].id for code in draft.product_codes)
    async with in_transaction():
        market = (await store.markets_by_code(organisation.id, [draft.code])).get(draft.code)
        before = _facts(market) if market else {}
        if market is None:
            market = Market(organisation_id=organisation.id, code=draft.code, created_at=now)
        market.name = draft.name
        market.region = draft.region
        market.segment = draft.segment
        market.product_ids = product_ids
        await market.save()
        await _changed(
            organisation.id, actor_id, now, "MARKET_DECLARED", market.id, before, _facts(market)
        )
    return market


def _facts(market: Market) -> dict[str, object]:
    return {
        "code": market.code,
        "name": market.name,
        "region": market.region,
        "segment": market.segment,
        "productIds": list(market.product_ids),
    }


async def set_size(
    organisation: Organisation,
    market: Market,
    size: Size,
    source: str | None,
    actor_id: int | None,
    now: datetime,
) -> MarketSize | list[FieldError]:
    """A market's size over a period (replacing the one that starts the same day)."""
    source = source.strip() or None if source is not None else None
    errors = check_text("source", source, MAX_LABEL_LENGTH * 2)
    async with in_transaction():
        rows = (await store.sizes_of(organisation.id, [market.id])).get(market.id, [])
        errors += check_size(size, [store.size_of(row) for row in rows])
        if errors:
            return errors
        row = next((r for r in rows if r.period_start == size.first), None)
        before = _size_facts(row) if row else {}
        if row is None:
            row = MarketSize(market_id=market.id, period_start=size.first)
        row.period_end = size.last
        row.addressable_accounts = size.accounts
        row.revenue = size.revenue
        row.source = source
        await row.save()
        await _changed(
            organisation.id, actor_id, now, "MARKET_SIZED", market.id, before, _size_facts(row)
        )
    return row


def _size_facts(row: MarketSize) -> dict[str, object]:
    return {
        "periodStart": row.period_start.isoformat(),
        "periodEnd": row.period_end.isoformat(),
        "addressableAccounts": row.addressable_accounts,
        "revenue": str(row.revenue) if row.revenue is not None else None,
        "source": row.source,
    }


async def _changed(
    organisation_id: int,
    actor_id: int | None,
    now: datetime,
    action: str,
    market_id: int,
    before: dict[str, object],
    after: dict[str, object],
) -> None:
    """Audited; goals measured against a market are stale, and everyone is evaluated again
    (a smaller market can carry a share across a threshold)."""
    await audit.record(
        organisation_id, actor_id, now, action, ObjectType.MARKET, market_id, before, after
    )
    await figures.remeasured(organisation_id)
    await outbox.record(organisation_id, set(await people.rep_teams(organisation_id)))


async def ingest_markets(
    organisation: Organisation, records: Sequence[MarketRecord]
) -> IngestResult:
    """Rows of an analyst's table: each declares (or redefines) its market and sets its
    size over its period; a bad row is reported and the others kept."""
    errors: dict[int, list[FieldError]] = {}
    now = clock.now()
    for index, record in enumerate(records):
        market = await declare(organisation, record.market, None, now)
        if isinstance(market, list):
            errors[index] = market
            continue
        sized = await set_size(organisation, market, record.size, record.source, None, now)
        if isinstance(sized, list):
            errors[index] = sized
    return IngestResult(
        accepted=len(records) - len(errors),
        rejected=finish(records, lambda r: r.market.code, errors),
    )
