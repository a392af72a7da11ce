"""The market a board or a series counts in, named by its code."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.errors import BadUserInput
from core.markets import store
from domain.metrics import MARKET_METRICS, Metric

MarketCode = Annotated[
    str | None,
    strawberry.argument(
        description="A declared market by code: count only what sells in it (needed for "
        "MARKET_SHARE and PENETRATION)."
    ),
]


async def market_id_of(info: Info, metric: Metric, code: str | None) -> int | None:
    """The market's id; a market metric needs one, and a code must name one."""
    if code is None:
        if metric in MARKET_METRICS:
            raise BadUserInput(f"market: {metric} is measured against a declared market; name it.")
        return None
    organisation = await info.context.loaders.own_organisation()
    found = (await store.markets_by_code(organisation.id, [code.strip()])).get(code.strip())
    if found is None:
        raise BadUserInput(f"market: no market {code!r} in this organisation.")
    return found.id
