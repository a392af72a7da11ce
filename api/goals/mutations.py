"""Mutations on goals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.errors import InputErrors
from api.goals.types import (
    BaselineFromEnum,
    Goal,
    MetricEnum,
    OwnerTypeEnum,
    PeriodKindEnum,
    SmartViolation,
    SmartViolations,
    TargetKindEnum,
)
from api.ids import parse_id
from core.goals import service
from core.goals.models import Goal as GoalModel
from core.goals.models import OwnerType
from core.orgs.models import Team, User
from core.orgs.store import exists_anywhere, get_organisation
from domain.smart import PeriodRequest, Violation
from domain.targets import BaselineFrom, TargetKind, TargetSpec

CreateGoalResult = Annotated[
    Goal | SmartViolations | InputErrors, strawberry.union("CreateGoalResult")
]


@strawberry.input(description="The month, fiscal quarter or fiscal year that contains a day.")
class NamedPeriodInput:
    kind: PeriodKindEnum
    containing: date


@strawberry.input(description="One goal per period of `every`, `count` times.")
class RecurrenceInput:
    every: PeriodKindEnum
    count: int


@strawberry.input(description="What the goal counts; leave a list out to count everything.")
class ScopeInput:
    product_ids: list[str] = strawberry.field(
        default_factory=list, description="Products by external id."
    )
    regions: list[str] = strawberry.field(default_factory=list)
    segments: list[str] = strawberry.field(default_factory=list)
    course_ids: list[str] = strawberry.field(
        default_factory=list,
        description="Courses by code: what a TRAINING_COMPLETED or CERTIFIED goal counts.",
    )
    market: str | None = strawberry.field(
        default=None,
        description="A declared market by code: its region, segment and products (given "
        "alone); what a MARKET_SHARE or PENETRATION goal is measured against.",
    )


@strawberry.input
class CreateGoalInput:
    """Every field a SMART goal needs; one left out is reported as a SMART violation with
    everything else the request breaks, not refused as malformed."""

    metric: MetricEnum | None = None
    owner_type: OwnerTypeEnum = OwnerType.REP
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The rep or team; leave out for the organisation."
    )
    target: Decimal | None = strawberry.field(
        default=None,
        description="ABSOLUTE: the figure to reach. RELATIVE_PERCENT / RELATIVE_POINTS: the "
        "change over the baseline (20 = +20% or +20 points). MOVE: the value to reach.",
    )
    target_kind: TargetKindEnum = TargetKind.ABSOLUTE
    move_from: Decimal | None = strawberry.field(
        default=None, description="MOVE: the value it starts from."
    )
    baseline: Decimal | None = strawberry.field(
        default=None,
        description="For a relative target: the baseline to use instead of history.",
    )
    baseline_from: BaselineFromEnum = strawberry.field(
        default=BaselineFrom.PREVIOUS_PERIOD,
        description="For a relative target without a baseline given: the last complete "
        "comparable period (PREVIOUS_PERIOD) or the same period a year earlier "
        "(SAME_PERIOD_LAST_YEAR).",
    )
    historical: bool = strawberry.field(
        default=False,
        description="A goal about a period that is over, for analysis or backtesting: "
        "measured, never rewarded.",
    )
    period_start: date | None = None
    period_end: date | None = strawberry.field(
        default=None, description="Last day of the period, inclusive."
    )
    period: NamedPeriodInput | None = None
    recurrence: RecurrenceInput | None = None
    scope: ScopeInput | None = None
    rationale: str | None = None
    parent_id: strawberry.ID | None = None
    acknowledge_stretch: bool = strawberry.field(
        default=False,
        description="Accept a target further above history than the organisation's limit.",
    )

    def new_goal(self) -> service.NewGoal:
        scope = self.scope or ScopeInput()
        return service.NewGoal(
            metric=self.metric,
            owner_type=self.owner_type,
            owner_id=parse_id(self.owner_id),
            target=TargetSpec(self.target_kind, self.target, self.move_from)
            if self.target is not None
            else None,
            period=PeriodRequest(
                start=self.period_start,
                end=self.period_end,
                named=(self.period.kind, self.period.containing) if self.period else None,
                recurrence=(self.recurrence.every, self.recurrence.count)
                if self.recurrence
                else None,
            ),
            baseline=self.baseline,
            baseline_from=self.baseline_from,
            historical=self.historical,
            scope=service.ScopeFilter(
                tuple(scope.product_ids),
                tuple(scope.regions),
                tuple(scope.segments),
                tuple(scope.course_ids),
                scope.market,
            ),
            rationale=self.rationale,
            # An id that cannot name a goal still counts as given, and is then not found.
            parent_id=(parse_id(self.parent_id) or 0) if self.parent_id is not None else None,
            acknowledge_stretch=self.acknowledge_stretch,
        )


async def _exists(new: service.NewGoal) -> bool:
    """Whether the owner exists anywhere: one that does not is for SMART to report."""
    if new.owner_type is OwnerType.ORGANISATION or new.owner_id is None:
        return True
    model = User if new.owner_type is OwnerType.REP else Team
    return await exists_anywhere(model, new.owner_id)


@strawberry.type
class GoalMutations:
    @strawberry.mutation(
        description="Create a goal, or with a recurrence one goal per period (the first is "
        "returned; `series` lists them all)."
    )
    async def create_goal(self, info: Info, input: CreateGoalInput) -> CreateGoalResult:
        access = await info.context.access()
        new = input.new_goal()
        if not access.can_set_goal_for(new.owner_type, new.owner_id) and await _exists(new):
            return InputErrors.forbidden("ownerId", "You may not set goals for this owner.")
        organisation = await get_organisation(access.viewer.organisation_id)
        result = await service.create_goal(organisation, new, info.context.now)
        violations = [v for v in result if isinstance(v, Violation)]
        if violations:
            return SmartViolations(violations=[SmartViolation.of(v) for v in violations])
        first = result[0]
        assert isinstance(first, GoalModel)
        return Goal.of(first, organisation.fiscal_year_start_month)
