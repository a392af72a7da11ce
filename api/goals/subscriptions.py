"""Live progress of a goal, or of every goal of a rep or a team."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.context import Info
from api.errors import BadUserInput, Forbidden
from api.goals.types import GoalProgress
from api.ids import parse_id
from api.live import while_signed_in
from core import clock
from core.events import goal_channel, progress_channel
from core.goals import service
from core.goals.models import OwnerType
from core.goals.service import Structure
from core.goals.store import find_goal
from core.messages import ProgressChanged
from core.orgs.store import get_organisation
from domain.teams import members


@strawberry.type
class GoalSubscriptions:
    @strawberry.subscription(
        description="With goalId: the goal's progress now, then each change. With repId or "
        "teamId: each change of a goal the rep owns, or the team or one of its reps owns."
    )
    async def goal_progress(
        self,
        info: Info,
        goal_id: strawberry.ID | None = None,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
    ) -> AsyncGenerator[GoalProgress, None]:
        access = await info.context.access()
        if sum(x is not None for x in (goal_id, rep_id, team_id)) != 1:
            raise BadUserInput("Follow one of goalId, repId or teamId.")
        organisation_id = access.viewer.organisation_id
        if goal_id is not None:
            number = parse_id(goal_id)
            goal = await find_goal(organisation_id, number) if number else None
            if goal is None or not access.can_read_goal(goal):
                raise Forbidden("No goal you may follow has this id.")
            # Listen before measuring, so a change made in between is not lost.
            async with info.context.bus.subscribe(goal_channel(goal.id)) as events:
                organisation = await get_organisation(organisation_id)
                now = clock.now()
                measured = await service.measure_goals(organisation, [goal], now)
                if goal.id in measured:
                    yield GoalProgress.of(goal, measured[goal.id], now)
                async for event in while_signed_in(info, events):
                    if isinstance(event, ProgressChanged):
                        yield GoalProgress.from_event(event)
            return
        reps: set[int] = set()
        teams: set[int] = set()
        if rep_id is not None:
            reps = {parse_id(rep_id) or 0}
            access.require(access.can_read_rep(next(iter(reps))))
        else:
            team = parse_id(team_id) or 0
            structure = await Structure.load(organisation_id)
            # A rep may follow their own team: they will see their own goals in it.
            own_team = structure.teams_of.get(access.viewer.user_id or 0) == team
            access.require(access.can_read_team(team) or own_team)
            teams = {team}
            reps = set(members(team, structure.parents, structure.teams_of))
        async with info.context.bus.subscribe(progress_channel(organisation_id)) as events:
            async for event in while_signed_in(info, events):
                if not isinstance(event, ProgressChanged):
                    continue
                owner = OwnerType(event.owner_type)
                ours = event.owner_rep_id in reps or event.owner_team_id in teams
                # Checked for every event: the policy decides, not the channel.
                if ours and access.can_read_goal_of(owner, event.owner_rep_id, event.owner_team_id):
                    yield GoalProgress.from_event(event)
