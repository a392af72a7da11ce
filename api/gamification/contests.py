"""Contests through GraphQL: admins set them up; prizes are given when they close."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.gamification.leaderboards import LeaderboardEntry, contest_entries
from api.gamification.types import Badge
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.orgs.types import Team
from domain.errors import ErrorCode, FieldError
from domain.inputs import in_range, usable
from gamification import models, store
from gamification.contests import retire


@strawberry.input
class PrizeInput:
    rank: int
    badge: str = strawberry.field(description="Code of the badge given; made on first use.")
    points: int = 0
    bonus: Decimal = strawberry.field(
        default=Decimal(0), description="Money, added to the payout ledger as FINAL."
    )


@strawberry.type
class Prize:
    rank: int
    badge: Badge
    points: int
    bonus: Decimal


@strawberry.type
class Contest:
    model: strawberry.Private[models.Contest]
    id: strawberry.ID
    name: str
    metric: MetricEnum
    starts_on: date
    ends_on: date
    between_teams: bool
    closed: bool
    retired_at: datetime | None = strawberry.field(
        description="Retired by an admin before it ended: never closed, no prizes given."
    )

    @classmethod
    def of(cls, contest: models.Contest) -> Contest:
        return cls(
            model=contest,
            id=strawberry.ID(str(contest.id)),
            name=contest.name,
            metric=contest.metric,
            starts_on=contest.starts_on,
            ends_on=contest.ends_on,
            between_teams=contest.between_teams,
            closed=contest.closed_at is not None,
            retired_at=contest.retired_at,
        )

    @strawberry.field
    async def team(self, info: Info) -> Team | None:
        if self.model.team_id is None:
            return None
        team = await info.context.loaders.teams.load(self.model.team_id)
        return Team.of(team) if team else None

    @strawberry.field
    async def prizes(self, info: Info) -> list[Prize]:
        badges = await info.context.loaders.badges()
        return [
            Prize(
                rank=p["rank"],
                badge=Badge.of(badges[p["badge"]]),
                points=p["points"],
                bonus=Decimal(str(p.get("bonus") or 0)),
            )
            for p in self.model.prizes
        ]

    @strawberry.field(
        description="Where everyone stands now (teams' people stand where their team does in a "
        "contest between teams): the figures its prizes will be given on."
    )
    async def standings(self, info: Info) -> list[LeaderboardEntry]:
        return await contest_entries(info, self.model)


CreateContestResult = Annotated[Contest | InputErrors, strawberry.union("CreateContestResult")]


@strawberry.type
class ContestMutations:
    @strawberry.mutation(description="Admins: a contest between the reps of a team, or all.")
    async def create_contest(
        self,
        info: Info,
        name: str,
        metric: MetricEnum,
        starts_on: date,
        ends_on: date,
        prizes: list[PrizeInput],
        team_id: strawberry.ID | None = None,
        between_teams: bool = False,
    ) -> CreateContestResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("name")
        team = (parse_id(team_id) or 0) if team_id is not None else None
        problems = []
        if not (in_range(starts_on) and in_range(ends_on)):
            problems.append(
                FieldError("startsOn", ErrorCode.OUT_OF_RANGE, "Between 1900 and 2199.")
            )
        elif ends_on < starts_on:
            problems.append(
                FieldError("endsOn", ErrorCode.INVALID, "A contest ends after it starts.")
            )
        if not prizes or any(
            p.rank < 1 or p.points < 0 or not usable(p.bonus) or p.bonus < 0 or not p.badge.strip()
            for p in prizes
        ):
            problems.append(
                FieldError(
                    "prizes", ErrorCode.INVALID, "Prizes need a rank ≥ 1, a badge, points ≥ 0."
                )
            )
        if team is not None and team not in access.organisation_teams:
            problems.append(FieldError("teamId", ErrorCode.NOT_FOUND, "No such team here."))
        if problems:
            return InputErrors.of(*problems)
        for p in prizes:
            await store.prize_badge(
                access.viewer.organisation_id, p.badge.strip(), p.points, Decimal(1)
            )
        contest = await store.create_contest(
            access.viewer.organisation_id,
            name=name.strip(),
            metric=metric,
            starts_on=starts_on,
            ends_on=ends_on,
            team_id=team,
            between_teams=between_teams,
            prizes=[
                {
                    "rank": p.rank,
                    "badge": p.badge.strip(),
                    "points": p.points,
                    "bonus": str(p.bonus),
                }
                for p in prizes
            ],
        )
        return Contest.of(contest)


RetireContestResult = Annotated[Contest | InputErrors, strawberry.union("RetireContestResult")]


@strawberry.type
class ContestEditMutations:
    @strawberry.mutation(
        description="Admins: retire a contest before it ends: it is never closed and gives no "
        "prizes. One that already ended cannot be retired."
    )
    async def retire_contest(
        self, info: Info, contest_id: strawberry.ID, reason: str | None = None
    ) -> RetireContestResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("contestId")
        contest = await store.find_contest(access.viewer.organisation_id, parse_id(contest_id) or 0)
        if contest is None:
            return InputErrors.not_found("contestId")
        organisation = await info.context.loaders.own_organisation()
        result = await retire(
            organisation, contest, reason, access.viewer.user_id, info.context.now
        )
        return InputErrors.of(result) if isinstance(result, FieldError) else Contest.of(result)


@strawberry.type
class ContestQueries:
    @strawberry.field(
        description="Contests, the latest first, each with its live standings; retired ones "
        "on request."
    )
    async def contests(self, info: Info, include_retired: bool = False) -> list[Contest]:
        viewer = info.context.require_viewer()
        return [
            Contest.of(c) for c in await store.contests(viewer.organisation_id, include_retired)
        ]
