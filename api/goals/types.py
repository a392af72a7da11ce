"""GraphQL types of goals, their progress and SMART violations."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from api.context import Info
from api.gamification.types import Award
from api.loaders import at_once
from api.lookahead import asks_for
from api.markets.types import Market
from api.orgs.types import Organisation, Team, User
from api.sales.types import Product
from api.training.types import Course
from core.goals import models
from core.messages import ProgressChanged
from domain import smart
from domain.metrics import CUMULATIVE, Metric, count_of
from domain.periods import Period, PeriodKind, label
from domain.progress import GoalStatus, Progress, pace_of
from domain.targets import BaselineFrom, TargetKind

MetricEnum = strawberry.enum(Metric, name="Metric")
GoalStatusEnum = strawberry.enum(GoalStatus, name="GoalStatus")
CriterionEnum = strawberry.enum(smart.Criterion, name="SmartCriterion")
ViolationCodeEnum = strawberry.enum(smart.ViolationCode, name="SmartViolationCode")
TargetKindEnum = strawberry.enum(TargetKind, name="TargetKind")
PeriodKindEnum = strawberry.enum(PeriodKind, name="PeriodKind")
OwnerTypeEnum = strawberry.enum(models.OwnerType, name="GoalOwnerType")
BaselineSourceEnum = strawberry.enum(models.BaselineSource, name="BaselineSource")
BaselineFromEnum = strawberry.enum(BaselineFrom, name="BaselineFrom")

GoalOwner = Annotated[User | Team | Organisation, strawberry.union("GoalOwner")]


@strawberry.type(description="Where a goal stands at `measuredAt`.")
class GoalProgress:
    goal_id: strawberry.ID
    metric: MetricEnum | None = strawberry.field(
        description="The goal's metric (null only on events from before it was carried)."
    )
    owner_type: OwnerTypeEnum
    current_value: Decimal | None = strawberry.field(
        description="The metric's value; null for a rate whose denominator is still empty."
    )
    target: Decimal
    count: int | None = strawberry.field(
        description="currentValue as the whole number it is, for a count (DEALS_WON, "
        "UNITS_SOLD, NEW_CUSTOMERS, LEADS, QUALIFIED_LEADS); null for money, rates, averages."
    )
    attainment: Decimal | None = strawberry.field(description="currentValue / target × 100.")
    expected_attainment: Decimal = strawberry.field(
        description="The attainment that keeps pace: the share of the period elapsed × 100 "
        "for a cumulative metric, 100 for a rate or an average once the period runs."
    )
    pace: Decimal | None = strawberry.field(
        description="attainment / expectedAttainment: 1.00 is exactly on pace, 0.50 half of "
        "it; null before the period starts or without a figure."
    )
    projected_value: Decimal | None = strawberry.field(
        description="Forecast for the end of the period: the run rate for a cumulative "
        "metric, the current value for a rate; null before the period starts."
    )
    status: GoalStatusEnum
    measured_at: datetime
    owner_rep_id: strawberry.Private[int | None]
    owner_team_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, goal: models.Goal, progress: Progress, measured_at: datetime) -> GoalProgress:
        return cls(
            goal_id=strawberry.ID(str(goal.id)),
            metric=goal.metric,
            owner_type=goal.owner_type,
            owner_rep_id=goal.owner_rep_id,
            owner_team_id=goal.owner_team_id,
            current_value=progress.current_value,
            target=progress.target,
            count=count_of(goal.metric, progress.current_value),
            attainment=progress.attainment,
            expected_attainment=progress.expected_attainment,
            pace=pace_of(progress),
            projected_value=progress.projected_value,
            status=progress.status,
            measured_at=measured_at,
        )

    @classmethod
    def from_event(cls, event: ProgressChanged) -> GoalProgress:
        progress = Progress(
            event.current_value,
            event.target,
            event.attainment,
            event.expected_attainment,
            event.projected_value,
            GoalStatus(event.status),
        )
        metric = Metric(event.metric) if event.metric else None
        return cls(
            goal_id=strawberry.ID(str(event.goal_id)),
            metric=metric,
            count=count_of(metric, event.current_value),
            owner_type=models.OwnerType(event.owner_type),
            owner_rep_id=event.owner_rep_id,
            owner_team_id=event.owner_team_id,
            current_value=event.current_value,
            target=event.target,
            attainment=event.attainment,
            expected_attainment=event.expected_attainment,
            pace=pace_of(progress),
            projected_value=event.projected_value,
            status=progress.status,
            measured_at=event.measured_at,
        )

    @strawberry.field(description="Whose goal it is (the goal's owner).")
    async def owner(self, info: Info) -> GoalOwner | None:
        return await owner_of(info, self.owner_rep_id, self.owner_team_id)


async def owner_of(
    info: Info, rep_id: int | None, team_id: int | None
) -> User | Team | Organisation | None:
    loaders = info.context.loaders
    if rep_id is not None:
        rep = await loaders.users.load(rep_id)
        return User.of(rep) if rep else None
    if team_id is not None:
        team = await loaders.teams.load(team_id)
        return Team.of(team) if team else None
    return Organisation.of(await loaders.own_organisation())


@strawberry.type(description="Progress as it was at `takenAt`, for trends.")
class ProgressSnapshot:
    taken_at: datetime
    current_value: Decimal | None
    attainment: Decimal | None
    expected_attainment: Decimal
    projected_value: Decimal | None
    status: GoalStatusEnum

    @classmethod
    def of(cls, snapshot: models.ProgressSnapshot) -> ProgressSnapshot:
        return cls(
            taken_at=snapshot.taken_at,
            current_value=snapshot.current_value,
            attainment=snapshot.attainment,
            expected_attainment=snapshot.expected_attainment,
            projected_value=snapshot.projected_value,
            status=snapshot.status,
        )


@strawberry.type(description="What a goal counts: empty lists mean everything.")
class GoalScope:
    product_ids: strawberry.Private[list[int]]
    regions: list[str]
    segments: list[str]
    course_ids: strawberry.Private[list[int]]
    market_id: strawberry.Private[int | None]

    @strawberry.field
    async def products(self, info: Info) -> list[Product]:
        found = await info.context.loaders.products.load_many(self.product_ids)
        return [Product.of(product) for product in found if product is not None]

    @strawberry.field(description="The courses a training goal counts (none: every course).")
    async def courses(self, info: Info) -> list[Course]:
        found = await info.context.loaders.courses.load_many(self.course_ids)
        return [Course.of(course) for course in found if course is not None]

    @strawberry.field(description="The declared market the goal counts in, if any.")
    async def market(self, info: Info) -> Market | None:
        if self.market_id is None:
            return None
        found = await info.context.loaders.markets.load(self.market_id)
        return Market.of(found) if found is not None else None


@strawberry.type
class Goal:
    model: strawberry.Private[models.Goal]
    id: strawberry.ID
    metric: MetricEnum
    owner_type: OwnerTypeEnum
    target: Decimal = strawberry.field(description="The absolute figure to reach.")
    target_kind: TargetKindEnum
    target_change: Decimal | None = strawberry.field(
        description="For a relative target, the change asked for (+20 is +20% or +20 points)."
    )
    move_from: Decimal | None = strawberry.field(description="Where a MOVE target starts from.")
    baseline: Decimal | None = strawberry.field(
        description="The figure the target was set against: the owner's figure for the last "
        "complete comparable period (HISTORY) or the same period a year earlier "
        "(SAME_PERIOD_LAST_YEAR), or the one given (GIVEN)."
    )
    baseline_source: BaselineSourceEnum | None
    baseline_start: date | None = strawberry.field(
        description="First day of the period the baseline was measured over."
    )
    baseline_end: date | None = strawberry.field(
        description="Last day of the period the baseline was measured over."
    )
    best_history: Decimal | None = strawberry.field(
        description="The owner's best comparable period when the goal was set."
    )
    achievability: Decimal | None = strawberry.field(
        description="How far the target is above bestHistory, in percent; null without history."
    )
    stretch_acknowledged: bool
    period_start: date
    period_end: date
    period_kind: PeriodKindEnum | None
    period_label: str | None = strawberry.field(description='E.g. "2026-12", "FY2027 Q3".')
    rationale: str | None
    historical: bool = strawberry.field(
        description="About a period that is over (analysis, backtesting): measured like any "
        "goal, never rewarded with badges, points or payouts."
    )
    scope: GoalScope

    @classmethod
    def of(cls, goal: models.Goal, fiscal_start_month: int) -> Goal:
        scope = goal.scope or {}
        return cls(
            model=goal,
            id=strawberry.ID(str(goal.id)),
            metric=goal.metric,
            owner_type=goal.owner_type,
            target=goal.target,
            target_kind=goal.target_kind,
            target_change=goal.target_change,
            move_from=goal.target_start,
            baseline=goal.baseline,
            baseline_source=goal.baseline_source,
            baseline_start=goal.baseline_start,
            baseline_end=goal.baseline_end,
            historical=goal.historical,
            best_history=goal.best_history,
            achievability=goal.achievability,
            stretch_acknowledged=goal.stretch_acknowledged,
            period_start=goal.period_start,
            period_end=goal.period_end,
            period_kind=goal.period_kind,
            period_label=label(
                goal.period_kind,
                Period(goal.period_start, goal.period_end),
                fiscal_start_month,
            )
            if goal.period_kind
            else None,
            rationale=goal.rationale,
            scope=GoalScope(
                product_ids=list(scope.get("productIds", [])),
                regions=list(scope.get("regions", [])),
                segments=list(scope.get("segments", [])),
                course_ids=list(scope.get("courseIds", [])),
                market_id=scope.get("marketId"),
            ),
        )

    @staticmethod
    async def many(info: Info, goals: list[models.Goal]) -> list[Goal]:
        organisation = await info.context.loaders.organisation.load(
            info.context.require_viewer().organisation_id
        )
        assert organisation is not None
        await Goal.prefetch(info, goals)
        return [Goal.of(goal, organisation.fiscal_year_start_month) for goal in goals]

    @staticmethod
    async def prefetch(info: Info, goals: Sequence[models.Goal]) -> None:
        """Load the progress and awards of a level's goals in bulk, when the query asks for
        them: each goal's fields then resolve at once, without a coroutine of their own."""
        loaders, wanted = info.context.loaders, []
        if asks_for(info, "progress"):
            wanted.append(loaders.progress.load_many(goals))
        if asks_for(info, "awards"):
            wanted.append(loaders.goal_awards.load_many([goal.id for goal in goals]))
        await asyncio.gather(*wanted)

    @strawberry.field
    async def owner(self, info: Info) -> GoalOwner | None:
        return await owner_of(info, self.model.owner_rep_id, self.model.owner_team_id)

    @strawberry.field(
        description="Null when the goal's figures cannot be computed (see measurementProblem)."
    )
    def progress(self, info: Info) -> GoalProgress | None:
        now, model = info.context.now, self.model
        return at_once(  # type: ignore[return-value]  # a value, or a coroutine of one
            info.context.loaders.progress,
            self.model,
            lambda found: GoalProgress.of(model, found, now) if found else None,
        )

    @strawberry.field(
        description="Why the goal cannot be measured (its stored target is not a number, "
        "say); null when it can."
    )
    async def measurement_problem(self, info: Info) -> str | None:
        if await info.context.loaders.progress.load(self.model) is not None:
            return None
        return "This goal's figures cannot be computed: check its target and period."

    @strawberry.field(description="Progress snapshots, oldest first.")
    async def progress_history(self, info: Info) -> list[ProgressSnapshot]:
        snapshots = await info.context.loaders.snapshots.load(self.model.id)
        return [ProgressSnapshot.of(snapshot) for snapshot in snapshots]

    @strawberry.field
    def awards(self, info: Info) -> list[Award]:
        return at_once(  # type: ignore[return-value]  # a value, or a coroutine of one
            info.context.loaders.goal_awards,
            self.model.id,
            lambda awards: [Award.of(award) for award in awards],
        )

    @strawberry.field
    async def parent(self, info: Info) -> Goal | None:
        if self.model.parent_id is None:
            return None
        parent = await info.context.loaders.goals.load(self.model.parent_id)
        return (await Goal.many(info, [parent]))[0] if parent else None

    @strawberry.field(description="The goals cascaded from this one.")
    async def children(self, info: Info) -> list[Goal]:
        return await Goal.many(info, await info.context.loaders.children.load(self.model.id))

    @strawberry.field(
        description="Sum of the children's targets; null for a rate or an average, which "
        "do not add up."
    )
    async def allocated(self, info: Info) -> Decimal | None:
        if self.model.metric not in CUMULATIVE:
            return None
        children = await info.context.loaders.children.load(self.model.id)
        return sum((child.target for child in children), Decimal(0))

    @strawberry.field(
        description="Whether the children's targets add up to more than this goal's target "
        "(allocationGap is then negative: by how much)."
    )
    async def over_allocated(self, info: Info) -> bool:
        allocated = await self.allocated(info)
        return allocated is not None and allocated > self.model.target

    @strawberry.field(description="When the goal was archived; null while it is in use.")
    def archived_at(self) -> datetime | None:
        return self.model.archived_at

    @strawberry.field(description="target − allocated: what is not yet given to anyone.")
    async def allocation_gap(self, info: Info) -> Decimal | None:
        allocated = await self.allocated(info)
        return self.model.target - allocated if allocated is not None else None

    @strawberry.field(description="Every goal created with this one by a recurrence, in order.")
    async def series(self, info: Info) -> list[Goal]:
        if self.model.series_id is None:
            return []
        return await Goal.many(info, await info.context.loaders.series.load(self.model.series_id))


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
