"""Badge rules (admins) and a rep's achievements through GraphQL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from tortoise.transactions import in_transaction

from api.context import Info
from api.errors import InputErrors
from api.gamification.types import Award
from api.goals.types import MetricEnum
from core.goals.service import Structure
from core.outbox import store as outbox
from core.training.store import courses_by_code
from domain.errors import ErrorCode, FieldError
from domain.inputs import MAX_THRESHOLD, usable
from gamification import models, store
from gamification.rules import BadgeKind, level_of
from workers.relay import after_commit

BadgeKindEnum = strawberry.enum(BadgeKind, name="BadgeKind")
METRIC_KINDS = (BadgeKind.STREAK_DAILY, BadgeKind.STREAK_GOALS, BadgeKind.RANK_FIRST_IN_MONTH)


@strawberry.type
class BadgeRule:
    id: strawberry.ID
    code: str
    version: int
    name: str
    description: str
    kind: BadgeKindEnum
    threshold: Decimal
    points: int
    active: bool
    metric: MetricEnum | None = strawberry.field(
        description="The metric a STREAK_DAILY, STREAK_GOALS or RANK_FIRST_IN_MONTH rule reads."
    )
    daily_minimum: Decimal | None = strawberry.field(
        description="STREAK_DAILY: the figure a working day must reach."
    )
    course_code: str | None = strawberry.field(
        description="CERTIFICATION: the course whose certification earns it (null: any)."
    )
    created_at: datetime

    @classmethod
    def of(cls, rule: models.BadgeDefinition) -> BadgeRule:
        return cls(
            id=strawberry.ID(str(rule.id)),
            code=rule.code,
            version=rule.version,
            name=rule.name,
            description=rule.description,
            kind=rule.kind,
            threshold=rule.threshold,
            points=rule.points,
            active=rule.active,
            metric=rule.metric,
            daily_minimum=rule.daily_minimum,
            course_code=rule.course_code,
            created_at=rule.created_at,
        )


CreateBadgeRuleResult = Annotated[
    BadgeRule | InputErrors, strawberry.union("CreateBadgeRuleResult")
]


@strawberry.input(description="Changing a rule: create it again under the same code.")
class BadgeRuleInput:
    code: str
    name: str
    kind: BadgeKindEnum
    threshold: Decimal = strawberry.field(
        description="ATTAINMENT: percent of target; DEALS_WON_IN_MONTH: deals; "
        "FIRST_WIN and CERTIFICATION: 1."
    )
    points: int = 0
    description: str = ""
    metric: MetricEnum | None = strawberry.field(
        default=None, description="STREAK_DAILY: the metric a working day is judged on."
    )
    daily_minimum: Decimal | None = strawberry.field(
        default=None, description="STREAK_DAILY: the figure a working day must reach."
    )
    course_code: str | None = strawberry.field(
        default=None,
        description="CERTIFICATION: the course whose certification earns it (leave out: any).",
    )


@strawberry.type
class Achievements:
    badges: list[Award] = strawberry.field(description="Every award, newest first.")
    points: int
    level: int
    next_level_at: int | None = strawberry.field(description="Points for the next level.")
    points_to_next_level: int | None
    recent: list[Award] = strawberry.field(description="The ten newest awards.")


@strawberry.type
class AchievementMutations:
    @strawberry.mutation(description="Admins: a badge rule, or the next version of one.")
    async def create_badge_rule(self, info: Info, input: BadgeRuleInput) -> CreateBadgeRuleResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("code")
        problems = []
        if not input.code.strip():
            problems.append(FieldError("code", ErrorCode.REQUIRED, "Name the rule's code."))
        if not usable(input.threshold, MAX_THRESHOLD):
            problems.append(
                FieldError("threshold", ErrorCode.OUT_OF_RANGE, f"Below {MAX_THRESHOLD:,}.")
            )
        elif input.threshold <= 0:
            problems.append(FieldError("threshold", ErrorCode.NOT_POSITIVE, "Above zero."))
        if input.daily_minimum is not None and not usable(input.daily_minimum):
            problems.append(FieldError("dailyMinimum", ErrorCode.OUT_OF_RANGE, "A finite amount."))
        if input.points < 0:
            problems.append(FieldError("points", ErrorCode.NEGATIVE, "Zero or more."))
        if input.kind is BadgeKind.STREAK_DAILY and (
            input.metric is None or input.daily_minimum is None
        ):
            problems.append(
                FieldError(
                    "dailyMinimum",
                    ErrorCode.REQUIRED,
                    "A streak needs a metric and a daily minimum.",
                )
            )
        if input.course_code is not None:
            if input.kind is not BadgeKind.CERTIFICATION:
                problems.append(
                    FieldError(
                        "courseCode", ErrorCode.INVALID, "Only a CERTIFICATION rule names a course."
                    )
                )
            elif not await courses_by_code(access.viewer.organisation_id, [input.course_code]):
                problems.append(
                    FieldError("courseCode", ErrorCode.NOT_FOUND, "No course with this code.")
                )
        if problems:
            return InputErrors.of(*problems)
        # A new or changed rule applies now to everyone's running periods, not at each
        # rep's next deal: everyone of the organisation goes through the outbox, in the
        # transaction that makes the rule.
        organisation_id = access.viewer.organisation_id
        people = (await Structure.load(organisation_id)).teams_of
        async with in_transaction():
            rule = await store.create_badge(
                organisation_id,
                code=input.code.strip(),
                name=input.name.strip(),
                description=input.description,
                kind=input.kind,
                threshold=input.threshold,
                points=input.points,
                metric=input.metric,
                daily_minimum=input.daily_minimum,
                course_code=input.course_code,
            )
            await outbox.record(organisation_id, people)
        await after_commit(info.context.queue)
        return BadgeRule.of(rule)


PointsEventEnum = strawberry.enum(models.PointsEvent, name="PointsEvent")


@strawberry.type
class PointsRule:
    code: str
    version: int
    event: PointsEventEnum
    points: int
    active: bool

    @classmethod
    def of(cls, rule: models.PointsRule) -> PointsRule:
        return cls(
            code=rule.code,
            version=rule.version,
            event=rule.event,
            points=rule.points,
            active=rule.active,
        )


CreatePointsRuleResult = Annotated[
    PointsRule | InputErrors, strawberry.union("CreatePointsRuleResult")
]


@strawberry.type
class PointsMutations:
    @strawberry.mutation(description="Admins: points per event, or the next version of a rule.")
    async def create_points_rule(
        self, info: Info, code: str, event: PointsEventEnum, points: int
    ) -> CreatePointsRuleResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("code")
        if points <= 0 or not code.strip():
            return InputErrors.of(
                FieldError("points", ErrorCode.NOT_POSITIVE, "A code and points above zero.")
            )
        rule = await store.create_points_rule(
            access.viewer.organisation_id, code=code.strip(), event=event, points=points
        )
        return PointsRule.of(rule)


@strawberry.type
class AchievementQueries:
    @strawberry.field(description="The organisation's badge rules, every version.")
    async def badge_rules(self, info: Info) -> list[BadgeRule]:
        viewer = info.context.require_viewer()
        return [BadgeRule.of(rule) for rule in await store.badge_rules(viewer.organisation_id)]

    @strawberry.field(description="The organisation's points rules, every version.")
    async def points_rules(self, info: Info) -> list[PointsRule]:
        viewer = info.context.require_viewer()
        return [PointsRule.of(rule) for rule in await store.points_rules(viewer.organisation_id)]

    @strawberry.field(description="Your badges, points, level and the way to the next.")
    async def my_achievements(self, info: Info) -> Achievements:
        viewer = info.context.require_viewer()
        awards = (
            await store.awards_of_rep(viewer.organisation_id, viewer.user_id)
            if viewer.user_id is not None
            else []
        )
        # Points are those of the rule version each award was made under, plus events'.
        events = (
            await store.event_points_of(viewer.organisation_id, viewer.user_id)
            if viewer.user_id is not None
            else 0
        )
        level = level_of(sum(award.badge.points for award in awards) + events)
        shaped = [Award.of(award) for award in awards]
        return Achievements(
            badges=shaped,
            points=level.points,
            level=level.level,
            next_level_at=level.next_at,
            points_to_next_level=level.to_next,
            recent=shaped[:10],
        )
