"""Queries of goals."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import checked_days
from api.goals.filters import of_status, owners_filter
from api.goals.types import Goal, GoalStatusEnum, MetricEnum, OwnerTypeEnum
from api.ids import parse_id
from api.pagination import Connection, keyset_kept
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

    @strawberry.field(
        description="The goals you may see, by id, narrowed by any of the filters; archived "
        "goals only with includeArchived."
    )
    async def goals(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        owner_type: OwnerTypeEnum | None = None,
        owner_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A rep, or a team with ownerType: TEAM."),
        ] = None,
        team_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The team's goals, its sub-teams' and its people's goals."
            ),
        ] = None,
        metric: MetricEnum | None = None,
        status: GoalStatusEnum | None = None,
        containing: Annotated[
            date | None, strawberry.argument(description="Goals whose period contains this day.")
        ] = None,
        include_archived: bool = False,
    ) -> Connection[Goal]:
        checked_days(containing=containing)
        access = await info.context.access()
        organisation = await info.context.loaders.own_organisation()
        wanted = await owners_filter(
            info, owner_type, owner_id, team_id, metric, containing, include_archived
        )
        query = store.goals_of(organisation.id, access.goal_filter(), wanted)
        fiscal = organisation.fiscal_year_start_month
        page = await keyset_kept(
            query,
            first,
            after,
            lambda goals: of_status(info, goals, status),
            lambda goal: Goal.of(goal, fiscal),
        )
        await Goal.prefetch(info, [edge.node.model for edge in page.edges])
        return page
