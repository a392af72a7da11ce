"""Leaderboards through GraphQL: what everyone in the organisation may see of everyone."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import BadUserInput
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.live import while_signed_in
from api.markets.scope import MarketCode, market_id_of
from core.events import figures_channel
from core.messages import FiguresMoved
from core.orgs.models import User
from domain.inputs import in_range
from domain.metrics import COUNTS, Metric
from domain.periods import Period
from gamification.leaderboards import Standing
from gamification.models import Contest
from gamification.standings import (
    attainment_leaderboard,
    contest_standings,
    leaderboard,
    minimum_sample_of,
    points_leaderboard,
    team_leaderboard,
)

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
    count: int | None = strawberry.field(
        description="value as the whole number it is, on a board of a count; null otherwise."
    )
    sample_size: int | None = strawberry.field(
        description="How many cases a rate or an average rests on (decisions for WIN_RATE, "
        "leads for CONVERSION_RATE, won deals for PROFIT_MARGIN and AVERAGE_DEAL_SIZE, last "
        "period's customers for RETENTION_RATE); null for sums and counts."
    )


def entries_of(
    standings: list[tuple[User, Standing]], counted: bool = False
) -> list[LeaderboardEntry]:
    """The entries; `counted` when the values are a count (deals won, points)."""
    return [
        LeaderboardEntry(
            rep_id=strawberry.ID(str(user.id)),
            name=user.name,
            rank=s.rank,
            value=s.value,
            count=int(s.value) if counted and s.value is not None else None,
            sample_size=s.sample,
        )
        for user, s in standings
    ]


def _mine(info: Info, entries: list[LeaderboardEntry]) -> LeaderboardEntry | None:
    viewer = info.context.require_viewer().user_id
    return next((e for e in entries if e.rep_id == str(viewer)), None)


class Ranking(Enum):
    FIGURE = "FIGURE"
    ATTAINMENT = "ATTAINMENT"


RankingEnum = strawberry.enum(
    Ranking,
    name="LeaderboardRanking",
    description="FIGURE: the metric's value. ATTAINMENT: percent of each person's own target "
    "on a goal for exactly this period (fair across territories; no goal, no rank).",
)


@strawberry.type
class Leaderboard:
    metric: MetricEnum
    ranked_by: RankingEnum
    period_start: date
    period_end: date
    minimum_sample: int | None = strawberry.field(
        description="The sample a rate or an average needs to be ranked; null for sums and counts."
    )
    entries: list[LeaderboardEntry]

    @strawberry.field(description="Your own entry; null when you are not on the board.")
    def me(self, info: Info) -> LeaderboardEntry | None:
        return _mine(info, self.entries)


@strawberry.type(description="Everyone of a scope ranked on the points they earned in a period.")
class PointsLeaderboard:
    period_start: date
    period_end: date
    entries: list[LeaderboardEntry]

    @strawberry.field(description="Your own entry; null when you are not on the board.")
    def me(self, info: Info) -> LeaderboardEntry | None:
        return _mine(info, self.entries)


@strawberry.type
class TeamStanding:
    team_id: strawberry.ID
    name: str
    rank: int | None
    value: Decimal | None
    sample_size: int | None


@strawberry.type(description="The teams right below a team (or the top teams) ranked.")
class TeamLeaderboard:
    metric: MetricEnum
    period_start: date
    period_end: date
    entries: list[TeamStanding]


async def _scope(info: Info, team_id: strawberry.ID | None) -> int | None:
    access = await info.context.access()
    team = (parse_id(team_id) or 0) if team_id is not None else None
    # Any member of the organisation may see its leaderboards; another's teams, no.
    access.require(team is None or team in access.organisation_teams)
    return team


async def _board(
    info: Info,
    metric: Metric,
    period: Period,
    team_id: strawberry.ID | None,
    minimum_sample: int | None,
    ranked_by: Ranking = Ranking.FIGURE,
    market: str | None = None,
) -> tuple[Leaderboard, set[int]]:
    """The board, and the reps on it (whose changes can move it)."""
    team = await _scope(info, team_id)
    organisation = await info.context.loaders.own_organisation()
    if ranked_by is Ranking.ATTAINMENT:
        if market is not None:
            raise BadUserInput("market: a board by attainment ranks goals, which name their own.")
        standings = await attainment_leaderboard(
            organisation, metric, period, team, info.context.now
        )
        sample = None
    else:
        market_id = await market_id_of(info, metric, market)
        standings = await leaderboard(organisation, metric, period, team, minimum_sample, market_id)
        sample = minimum_sample_of(organisation, metric, minimum_sample)
    board = Leaderboard(
        metric=metric,
        ranked_by=ranked_by,
        period_start=period.start,
        period_end=period.end,
        minimum_sample=sample,
        entries=entries_of(standings, ranked_by is Ranking.FIGURE and metric in COUNTS),
    )
    return board, {user.id for user, _ in standings}


def _period(period_start: date, period_end: date) -> Period:
    if not (in_range(period_start) and in_range(period_end)) or period_end < period_start:
        raise BadUserInput("periodEnd: on or after periodStart, both between 1900 and 2199.")
    return Period(period_start, period_end)


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
        ranked_by: RankingEnum = Ranking.FIGURE,
        market: MarketCode = None,
    ) -> Leaderboard:
        period = _period(period_start, period_end)
        board, _ = await _board(
            info, Metric(metric), period, team_id, minimum_sample, Ranking(ranked_by), market
        )
        return board

    @strawberry.field(description="Teams ranked on their figure: those right below `teamId`.")
    async def team_leaderboard(
        self,
        info: Info,
        metric: MetricEnum,
        period_start: date,
        period_end: date,
        team_id: strawberry.ID | None = None,
        minimum_sample: MinimumSample = None,
        market: MarketCode = None,
    ) -> TeamLeaderboard:
        period = _period(period_start, period_end)
        team = await _scope(info, team_id)
        organisation = await info.context.loaders.own_organisation()
        market_id = await market_id_of(info, Metric(metric), market)
        ranked = await team_leaderboard(
            organisation, Metric(metric), period, team, minimum_sample, market_id
        )
        teams = await info.context.loaders.teams.load_many([t for t, _, _ in ranked])
        return TeamLeaderboard(
            metric=metric,
            period_start=period.start,
            period_end=period.end,
            entries=[
                TeamStanding(
                    team_id=strawberry.ID(str(t)),
                    name=found.name if found else "",
                    rank=s.rank,
                    value=s.value,
                    sample_size=s.sample,
                )
                for (t, _, s), found in zip(ranked, teams, strict=True)
            ],
        )

    @strawberry.field(description="Everyone of a team (or all) ranked on points earned.")
    async def points_leaderboard(
        self,
        info: Info,
        period_start: date,
        period_end: date,
        team_id: strawberry.ID | None = None,
    ) -> PointsLeaderboard:
        period = _period(period_start, period_end)
        team = await _scope(info, team_id)
        organisation = await info.context.loaders.own_organisation()
        standings = await points_leaderboard(organisation, period, team)
        return PointsLeaderboard(
            period_start=period.start, period_end=period.end, entries=entries_of(standings, True)
        )


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
        market: MarketCode = None,
    ) -> AsyncGenerator[Leaderboard, None]:
        period = _period(period_start, period_end)
        organisation_id = (await info.context.access()).viewer.organisation_id
        figure = Ranking.FIGURE
        async with info.context.bus.subscribe(figures_channel(organisation_id)) as events:
            board, reps = await _board(
                info, Metric(metric), period, team_id, minimum_sample, figure, market
            )
            yield board
            ranks = [(e.rep_id, e.rank) for e in board.entries]
            async for event in while_signed_in(info, events):
                if not isinstance(event, FiguresMoved) or not reps.intersection(event.rep_ids):
                    continue
                board, reps = await _board(
                    info, Metric(metric), period, team_id, minimum_sample, figure, market
                )
                moved = [(e.rep_id, e.rank) for e in board.entries]
                if moved != ranks:
                    ranks = moved
                    yield board


async def contest_entries(info: Info, contest: Contest) -> list[LeaderboardEntry]:
    organisation = await info.context.loaders.own_organisation()
    return entries_of(await contest_standings(organisation, contest), contest.metric in COUNTS)
