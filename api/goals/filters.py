"""The filters goal lists take (`goals`, `User.goals`): the stored ones become a database
filter, the measured one (status) is tested on the goals' progress."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.ids import parse_id
from core.goals import models
from core.goals.store import GoalFilter
from domain.metrics import Metric
from domain.progress import GoalStatus


async def owners_filter(
    info: Info,
    owner_type: models.OwnerType | None,
    owner_id: strawberry.ID | None,
    team_id: strawberry.ID | None,
    metric: Metric | None,
    containing: date | None,
    include_archived: bool,
) -> GoalFilter:
    """`ownerId` is a rep unless `ownerType` says TEAM; `teamId` keeps the team's goals,
    the teams' below it and their people's (FORBIDDEN on a team the viewer may not read)."""
    rep_ids: set[int] | None = None
    team_ids: set[int] | None = None
    if owner_id is not None:
        owner = parse_id(owner_id) or 0
        if owner_type is models.OwnerType.TEAM:
            team_ids, rep_ids = {owner}, set()
        else:
            rep_ids, team_ids = {owner}, set()
    if team_id is not None:
        below, people = await info.context.team_below(team_id)
        rep_ids = people if rep_ids is None else rep_ids & people
        team_ids = below if team_ids is None else team_ids & below
    return GoalFilter(owner_type, metric, containing, rep_ids, team_ids, include_archived)


async def of_status(
    info: Info, goals: list[models.Goal], status: GoalStatus | None
) -> list[models.Goal]:
    """The goals whose progress has this status now (all of them for None)."""
    if status is None:
        return goals
    measured = await info.context.loaders.progress.load_many(goals)
    return [
        goal
        for goal, progress in zip(goals, measured, strict=True)
        if progress is not None and progress.status is status
    ]
