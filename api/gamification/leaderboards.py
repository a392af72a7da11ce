"""Leaderboards through GraphQL: what everyone in the organisation may see of everyone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from api.context import Info
from api.goals.types import MetricEnum
from api.ids import parse_id
from core.orgs.store import get_organisation
from domain.metrics import Metric
from domain.periods import Period
from gamification.standings import leaderboard


@strawberry.type(description="Only what a leaderboard shows of a person: name, rank, figure.")
class LeaderboardEntry:
    rep_id: strawberry.ID
    name: str
    rank: int | None = strawberry.field(description="Ties share a rank; null without a figure.")
    value: Decimal | None


@strawberry.type
class Leaderboard:
    metric: MetricEnum
    period_start: date
    period_end: date
    entries: list[LeaderboardEntry]


@strawberry.type
class LeaderboardQueries:
    @strawberry.field(description="The reps of a team (and below) or of the organisation, ranked.")
    async def leaderboard(
        self,
        info: Info,
        metric: MetricEnum,
        period_start: date,
        period_end: date,
        team_id: strawberry.ID | None = None,
    ) -> Leaderboard:
        access = await info.context.access()
        team = (parse_id(team_id) or 0) if team_id is not None else None
        # Any member of the organisation may see its leaderboards; another's teams, no.
        access.require(team is None or team in access.organisation_teams)
        organisation = await get_organisation(access.viewer.organisation_id)
        standings = await leaderboard(
            organisation, Metric(metric), Period(period_start, period_end), team
        )
        return Leaderboard(
            metric=metric,
            period_start=period_start,
            period_end=period_end,
            entries=[
                LeaderboardEntry(
                    rep_id=strawberry.ID(str(user.id)), name=user.name, rank=s.rank, value=s.value
                )
                for user, s in standings
            ],
        )
