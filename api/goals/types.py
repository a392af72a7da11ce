"""GraphQL types of goals, their progress and SMART violations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from api.context import Info
from api.gamification.types import Award
from api.orgs.types import User
from core.goals import models
from domain import smart
from domain.metrics import Metric
from domain.progress import GoalStatus, Progress

MetricEnum = strawberry.enum(Metric, name="Metric")
GoalStatusEnum = strawberry.enum(GoalStatus, name="GoalStatus")
CriterionEnum = strawberry.enum(smart.Criterion, name="SmartCriterion")
ViolationCodeEnum = strawberry.enum(smart.ViolationCode, name="SmartViolationCode")


@strawberry.type(description="Where a goal stands at `measuredAt`.")
class GoalProgress:
    goal_id: strawberry.ID
    current_value: Decimal
    target: Decimal
    attainment: Decimal = strawberry.field(description="currentValue / target × 100.")
    expected_attainment: Decimal = strawberry.field(
        description="Share of the period elapsed × 100: the attainment that keeps pace."
    )
    projected_value: Decimal | None = strawberry.field(
        description="Run-rate forecast to the end of the period; null before it starts."
    )
    status: GoalStatusEnum
    measured_at: datetime

    @classmethod
    def of(cls, goal_id: int, progress: Progress, measured_at: datetime) -> GoalProgress:
        return cls(
            goal_id=strawberry.ID(str(goal_id)),
            current_value=progress.current_value,
            target=progress.target,
            attainment=progress.attainment,
            expected_attainment=progress.expected_attainment,
            projected_value=progress.projected_value,
            status=progress.status,
            measured_at=measured_at,
        )

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> GoalProgress:
        projected = event["projectedValue"]
        return cls(
            goal_id=strawberry.ID(str(event["goalId"])),
            current_value=Decimal(event["currentValue"]),
            target=Decimal(event["target"]),
            attainment=Decimal(event["attainment"]),
            expected_attainment=Decimal(event["expectedAttainment"]),
            projected_value=Decimal(projected) if projected is not None else None,
            status=GoalStatus(event["status"]),
            measured_at=datetime.fromisoformat(event["measuredAt"]),
        )


@strawberry.type
class Goal:
    id: strawberry.ID
    metric: MetricEnum
    target: Decimal
    period_start: date
    period_end: date
    rationale: str | None
    owner_rep_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, goal: models.Goal) -> Goal:
        return cls(
            id=strawberry.ID(str(goal.id)),
            metric=goal.metric,
            target=goal.target,
            period_start=goal.period_start,
            period_end=goal.period_end,
            rationale=goal.rationale,
            owner_rep_id=goal.owner_rep_id,
        )

    @strawberry.field
    async def owner(self, info: Info) -> User | None:
        if self.owner_rep_id is None:
            return None
        rep = await info.context.loaders.users.load(self.owner_rep_id)
        return User.of(rep) if rep else None

    @strawberry.field
    async def progress(self, info: Info) -> GoalProgress:
        goal_id = int(self.id)
        progress = await info.context.loaders.progress.load(goal_id)
        return GoalProgress.of(goal_id, progress, info.context.now)

    @strawberry.field
    async def awards(self, info: Info) -> list[Award]:
        return [
            Award.of(award) for award in await info.context.loaders.goal_awards.load(int(self.id))
        ]


@strawberry.type
class SmartViolation:
    criterion: CriterionEnum
    code: ViolationCodeEnum
    message: str
    field: str

    @classmethod
    def of(cls, violation: smart.Violation) -> SmartViolation:
        return cls(
            criterion=violation.criterion,
            code=violation.code,
            message=violation.message,
            field=violation.field,
        )


@strawberry.type(description="The goal is not SMART: one entry per broken rule; nothing stored.")
class SmartViolations:
    violations: list[SmartViolation]
