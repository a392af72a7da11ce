"""Edits of goals: a new target with its reason, archiving (core/goals/edits.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.goals.types import Goal, SmartViolation, SmartViolations
from api.ids import parse_id
from core.goals import edits
from core.goals.models import Goal as GoalModel
from core.goals.service import owner_id_of
from domain.errors import FieldError
from workers.relay import after_commit

ChangeTargetResult = Annotated[
    Goal | SmartViolations | InputErrors, strawberry.union("ChangeGoalTargetResult")
]
ArchiveGoalResult = Annotated[Goal | InputErrors, strawberry.union("ArchiveGoalResult")]


async def _editable(info: Info, goal_id: strawberry.ID) -> GoalModel | InputErrors:
    """A goal the viewer may set goals for the owner of (as they could create it)."""
    access = await info.context.access()
    number = parse_id(goal_id)
    goal = await info.context.loaders.goals.load(number) if number else None
    if goal is None or not access.can_read_goal(goal):
        return InputErrors.not_found("goalId", "No goal you may see has this id.")
    if not access.can_set_goal_for(goal.owner_type, owner_id_of(goal)):
        return InputErrors.forbidden("goalId", "You may not set this owner's goals.")
    return goal


@strawberry.type
class GoalEditMutations:
    @strawberry.mutation(
        description="A running goal's new target, with the reason (kept in the audit trail): "
        "held to the same SMART rules as a new goal's, and measured again at once."
    )
    async def change_goal_target(
        self,
        info: Info,
        goal_id: strawberry.ID,
        target: Decimal,
        reason: str,
        acknowledge_stretch: bool = False,
    ) -> ChangeTargetResult:
        goal = await _editable(info, goal_id)
        if isinstance(goal, InputErrors):
            return goal
        organisation = await info.context.loaders.own_organisation()
        viewer = info.context.require_viewer()
        result = await edits.change_target(
            organisation,
            goal,
            target,
            reason,
            acknowledge_stretch,
            viewer.user_id,
            info.context.now,
        )
        if isinstance(result, FieldError):
            return InputErrors.of(result)
        if isinstance(result, list):
            return SmartViolations(violations=[SmartViolation.of(v) for v in result])
        await after_commit(info.context.queue)
        return Goal.of(result, organisation.fiscal_year_start_month)

    @strawberry.mutation(
        description="Archive a goal: no longer measured, rewarded or listed (unless asked "
        "for); its history, awards and payouts stay."
    )
    async def archive_goal(
        self, info: Info, goal_id: strawberry.ID, reason: str | None = None
    ) -> ArchiveGoalResult:
        goal = await _editable(info, goal_id)
        if isinstance(goal, InputErrors):
            return goal
        organisation = await info.context.loaders.own_organisation()
        viewer = info.context.require_viewer()
        result = await edits.archive_goal(
            organisation, goal, reason, viewer.user_id, info.context.now
        )
        if isinstance(result, FieldError):
            return InputErrors.of(result)
        return Goal.of(result, organisation.fiscal_year_start_month)
