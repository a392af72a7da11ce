"""Mutations on goals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from api import policy
from api.context import Info
from api.goals.types import Goal, MetricEnum, SmartViolation, SmartViolations
from api.ids import parse_id
from core.goals import service
from core.orgs.store import get_organisation

CreateGoalResult = Annotated[Goal | SmartViolations, strawberry.union("CreateGoalResult")]


@strawberry.input
class CreateGoalInput:
    metric: MetricEnum
    owner_id: strawberry.ID = strawberry.field(description="The rep who owns the goal.")
    target: Decimal
    period_start: date
    period_end: date = strawberry.field(description="Last day of the period, inclusive.")
    rationale: str | None = None


@strawberry.type
class GoalMutations:
    @strawberry.mutation
    async def create_goal(self, info: Info, input: CreateGoalInput) -> CreateGoalResult:
        viewer = info.context.require_viewer()
        policy.require_role(viewer, policy.GOAL_SETTING_ROLES)
        organisation = await get_organisation(viewer.organisation_id)
        result = await service.create_goal(
            organisation,
            service.NewGoal(
                metric=input.metric,
                owner_rep_id=parse_id(input.owner_id),
                target=input.target,
                period_start=input.period_start,
                period_end=input.period_end,
                rationale=input.rationale,
            ),
            info.context.now,
        )
        if isinstance(result, list):
            return SmartViolations(violations=[SmartViolation.of(v) for v in result])
        return Goal.of(result)
