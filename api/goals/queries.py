"""Queries of goals."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.goals.types import Goal, OwnerTypeEnum
from api.ids import parse_id
from api.pagination import Connection, keyset
from api.policy import visible
from core.goals import models, store


@strawberry.type
class GoalQueries:
    @strawberry.field(description="A goal by id: FORBIDDEN when it is not yours to see.")
    async def goal(self, info: Info, id: strawberry.ID) -> Goal | None:
        access = await info.context.access()
        goal_id = parse_id(id)
        goal = await info.context.loaders.goals.load(goal_id) if goal_id else None
        found = await visible(
            access, models.Goal, goal_id, goal, goal is not None and access.can_read_goal(goal)
        )
        return (await Goal.many(info, [found]))[0] if found else None

    @strawberry.field(description="The goals you may see, by id.")
    async def goals(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_type: OwnerTypeEnum | None = None,
    ) -> Connection[Goal]:
        access = await info.context.access()
        organisation = await info.context.loaders.organisation.load(access.viewer.organisation_id)
        assert organisation is not None
        query = store.goals_of(organisation.id, access.goal_filter(), owner_type)
        fiscal = organisation.fiscal_year_start_month
        page = await keyset(query, first, after, lambda goal: Goal.of(goal, fiscal))
        await Goal.prefetch(info, [edge.node.model for edge in page.edges])
        return page
