"""Live progress of a goal."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry

from api.context import Info
from api.errors import Forbidden
from api.goals.types import GoalProgress
from api.ids import parse_id
from core.events import goal_channel
from core.goals import service
from core.goals.store import find_goal
from core.orgs.store import get_organisation


@strawberry.type
class GoalSubscriptions:
    @strawberry.subscription(
        description="The goal's progress now, then again each time it changes."
    )
    async def goal_progress(
        self, info: Info, goal_id: strawberry.ID
    ) -> AsyncGenerator[GoalProgress, None]:
        access = await info.context.access()
        number = parse_id(goal_id)
        goal = await find_goal(access.viewer.organisation_id, number) if number else None
        if goal is None or not access.can_read_goal(goal):
            raise Forbidden("No goal you may follow has this id.")
        # Listen before measuring, so a change made in between is not lost.
        async with info.context.bus.subscribe(goal_channel(goal.id)) as events:
            organisation = await get_organisation(access.viewer.organisation_id)
            now = datetime.now(UTC)
            measured = await service.measure_goals(organisation, [goal], now)
            yield GoalProgress.of(goal.id, measured[goal.id], now)
            async for event in events:
                yield GoalProgress.from_event(event)
