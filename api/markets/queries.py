"""Queries of markets: the declared markets, and the whitespace in them."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.errors import BadUserInput, Forbidden
from api.markets.types import Market, MarketWhitespace
from core.markets import store
from core.markets.whitespace import whitespace
from domain.inputs import in_range
from domain.periods import Period, PeriodKind, period_containing


@strawberry.type
class MarketQueries:
    @strawberry.field(description="The organisation's declared markets, by code.")
    async def markets(self, info: Info) -> list[Market]:
        access = await info.context.access()
        return [Market.of(m) for m in await store.markets_of(access.viewer.organisation_id)]

    @strawberry.field(
        description="Managers and admins: every market's penetration, share and the accounts "
        "left to win over a period (default: this fiscal year), those with the most "
        "accounts left first. Figures are the team's (`teamId`), else those of everyone "
        "the viewer may read."
    )
    async def whitespace(
        self,
        info: Info,
        period_start: date | None = None,
        period_end: date | None = None,
        team_id: strawberry.ID | None = None,
    ) -> list[MarketWhitespace]:
        access = await info.context.access()
        if not access.can_aim():
            raise Forbidden("Whitespace is for managers and admins.")
        organisation = await info.context.loaders.own_organisation()
        period = await _period(info, period_start, period_end)
        reps: tuple[int, ...] | None
        if team_id is not None:
            reps = tuple(sorted((await info.context.team_below(team_id))[1]))
        else:
            reps = None if access.rep_ids is None else tuple(sorted(access.rep_ids))
        found = await whitespace(organisation, period, reps)
        return [MarketWhitespace.of(row, period.start, period.end) for row in found]


async def _period(info: Info, first: date | None, last: date | None) -> Period:
    if (first is None) != (last is None):
        raise BadUserInput("Give periodStart and periodEnd together, or neither.")
    if first is None or last is None:
        organisation = await info.context.loaders.own_organisation()
        return period_containing(
            PeriodKind.FISCAL_YEAR, await info.context.today(), organisation.fiscal_year_start_month
        )
    if not (in_range(first) and in_range(last)) or last < first:
        raise BadUserInput("periodEnd: on or after periodStart, both between 1900 and 2199.")
    return Period(first, last)
