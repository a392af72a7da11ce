"""Queries of goals."""

from __future__ import annotations

import strawberry

from api import policy
from api.context import Info
from api.goals.types import Goal
from api.ids import parse_id


@strawberry.type
class GoalQueries:
    @strawberry.field(description="A goal you may read; null when there is none.")
    async def goal(self, info: Info, id: strawberry.ID) -> Goal | None:
        viewer = info.context.require_viewer()
        goal_id = parse_id(id)
        goal = await info.context.loaders.goals.load(goal_id) if goal_id else None
        if goal is None or not policy.can_read_goal(viewer, goal):
            return None
        return (await Goal.many(info, [goal]))[0]
