"""Measure market figures and whitespace in a SQLite database and print them as JSON.

Run in its own process by the embedded tests (tortoise binds the models to one database per
process): the market SQL must give the same figures in both dialects."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date

from tortoise import Tortoise, connections

from core.db import tortoise_config
from core.goals.service import totals_over
from core.markets.models import Market
from core.markets.whitespace import whitespace
from core.metrics.store import Scope
from core.orgs.models import Organisation
from domain.metrics import Metric, value_of
from domain.periods import Period

PERIODS = {
    "october": Period(date(2026, 10, 1), date(2026, 10, 31)),
    "summer": Period(date(2026, 6, 16), date(2026, 7, 15)),
}


async def main(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))
    try:
        assert connections.get("default").capabilities.dialect == "sqlite"
        organisation = await Organisation.get()
        emea = await Market.get(code="EMEA-MM")
        found: dict[str, object] = {}
        for metric in (Metric.MARKET_SHARE, Metric.PENETRATION, Metric.NEW_CUSTOMERS):
            for label, period in PERIODS.items():
                key = f"{metric.value} {label}"
                scope = Scope(rep_ids=None, market_id=emea.id)
                totals = await totals_over(organisation, metric, [(key, scope, period)])
                found[key] = str(value_of(metric, totals[key]))
        for entry in await whitespace(organisation, PERIODS["october"], None):
            found[entry.market.code] = {
                "never sold to": [a.external_id for a in entry.never_sold_to],
                "cross-sell": [(g.account_id, g.product_id, g.peers) for g in entry.gaps],
                "open": entry.open_accounts,
            }
        print(json.dumps(found))
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
