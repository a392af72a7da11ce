"""Leaderboards through GraphQL: what everyone in the organisation may see of everyone."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.live import while_signed_in
from core.events import figures_channel
from core.messages import FiguresMoved
from domain.metrics import Metric
from domain.periods import Period
from gamification.standings import leaderboard, minimum_sample_of

MinimumSample = Annotated[
    int | None,
    strawberry.argument(
        description="For a rate or an average: the cases an entry needs to be ranked; by "
        "default the organisation's (5 unless it set another)."
    ),
]


@strawberry.type(description="Only what a leaderboard shows of a person: name, rank, figure.")
class LeaderboardEntry:
    rep_id: strawberry.ID
    name: str
    rank: int | None = strawberry.field(
        description="Ties share a rank; null without a figure, or with a rate or an average "
        "on fewer cases than the board's minimumSample."
    )
    value: Decimal | None
    sample_size: int | None = strawberry.field(
        description="How many cases a rate or an average rests on (decisions for WIN_RATE, "
        "leads for CONVERSION_RATE, won deals for PROFIT_MARGIN and AVERAGE_DEAL_SIZE, last "
        "period's customers for RETENTION_RATE); null for sums and counts."
    )


@strawberry.type
class Leaderboard:
    metric: MetricEnum
    period_start: date
    period_end: date
    minimum_sample: int | None = strawberry.field(
        description="The sample a rate or an average needs to be ranked; null for sums and counts."
    )
    entries: list[LeaderboardEntry]


async def _board(
    info: Info,
    metric: Metric,
    period: Period,
    team_id: strawberry.ID | None,
    minimum_sample: int | None,
) -> tuple[Leaderboard, set[int]]:
    """The board, and the reps on it (whose changes can move it)."""
    access = await info.context.access()
    team = (parse_id(team_id) or 0) if team_id is not None else None
    # Any member of the organisation may see its leaderboards; another's teams, no.
    access.require(team is None or team in access.organisation_teams)
    organisation = await info.context.loaders.own_organisation()
    standings = await leaderboard(organisation, metric, period, team, minimum_sample)
    board = Leaderboard(
        metric=metric,
        period_start=period.start,
        period_end=period.end,
        minimum_sample=minimum_sample_of(organisation, metric, minimum_sample),
        entries=[
            LeaderboardEntry(
                rep_id=strawberry.ID(str(user.id)),
                name=user.name,
                rank=s.rank,
                value=s.value,
                sample_size=s.sample,
            )
            for user, s in standings
        ],
    )
    return board, {user.id for user, _ in standings}


@strawberry.type
class LeaderboardQueries:
    @strawberry.field(
        description="Everyone of a team (and below) or of the organisation with figures — reps, "
        "and managers who also sell — ranked."
    )
    async def leaderboard(
        self,
        info: Info,
        metric: MetricEnum,
        period_start: date,
        period_end: date,
        team_id: strawberry.ID | None = None,
        minimum_sample: MinimumSample = None,
    ) -> Leaderboard:
        period = Period(period_start, period_end)
        board, _ = await _board(info, Metric(metric), period, team_id, minimum_sample)
        return board


@strawberry.type
class LeaderboardSubscriptions:
    @strawberry.subscription(description="The board now, then again each time a rank changes.")
    async def leaderboard(
        self,
        info: Info,
        metric: MetricEnum,
        period_start: date,
        period_end: date,
        team_id: strawberry.ID | None = None,
        minimum_sample: MinimumSample = None,
    ) -> AsyncGenerator[Leaderboard, None]:
        period = Period(period_start, period_end)
        organisation_id = (await info.context.access()).viewer.organisation_id
        async with info.context.bus.subscribe(figures_channel(organisation_id)) as events:
            board, reps = await _board(info, Metric(metric), period, team_id, minimum_sample)
            yield board
            ranks = [(e.rep_id, e.rank) for e in board.entries]
            async for event in while_signed_in(info, events):
                if not isinstance(event, FiguresMoved) or not reps.intersection(event.rep_ids):
                    continue
                board, reps = await _board(info, Metric(metric), period, team_id, minimum_sample)
                moved = [(e.rep_id, e.rank) for e in board.entries]
                if moved != ranks:
                    ranks = moved
                    yield board
