"""GraphQL types of badges and awards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.orgs.types import User
from domain.periods import Period, PeriodKind, label, month_of_key
from gamification import models

if TYPE_CHECKING:
    from api.gamification.credentials import OpenBadgeCredential
    from api.goals.types import Goal, MetricEnum

GoalType = Annotated["Goal", strawberry.lazy("api.goals.types")]
MetricType = Annotated["MetricEnum", strawberry.lazy("api.goals.types")]


@strawberry.type
class Badge:
    code: str
    version: int
    name: str
    description: str
    threshold: Decimal

    @classmethod
    def of(cls, badge: models.BadgeDefinition) -> Badge:
        return cls(
            code=badge.code,
            version=badge.version,
            name=badge.name,
            description=badge.description,
            threshold=badge.threshold,
        )


@strawberry.type
class Award:
    id: strawberry.ID
    badge: Badge
    awarded_at: datetime
    explanation: JSON = strawberry.field(
        description="Why it was awarded: the rule version, the figures and the deals counted."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When the badge was withdrawn: its figure fell back below the threshold "
        "while the goal's period ran. Null while it stands."
    )
    revocation: JSON | None = strawberry.field(
        description="Why it was withdrawn: the rule version and the figures then."
    )
    rep_id: strawberry.Private[int]
    goal_id: strawberry.Private[int | None]
    period_key: strawberry.Private[str]

    @classmethod
    def of(cls, award: models.Award) -> Award:
        return cls(
            id=strawberry.ID(str(award.id)),
            badge=Badge.of(award.badge),
            awarded_at=award.awarded_at,
            explanation=award.explanation,
            revoked_at=award.revoked_at,
            revocation=award.revocation,
            rep_id=award.rep_id,
            goal_id=award.goal_id,
            period_key=award.period_key,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User:
        rep = await info.context.loaders.users.load(self.rep_id)
        assert rep is not None, "an award's rep is deleted with it"
        return User.of(rep)

    @strawberry.field(
        description="This award as an Open Badges credential, once issued (`issueCredential`); "
        "only its rep sees it."
    )
    async def credential(
        self, info: Info
    ) -> Annotated[OpenBadgeCredential, strawberry.lazy("api.gamification.credentials")] | None:
        from api.gamification.credentials import credential_of

        return await credential_of(info, int(self.id), self.rep_id)

    @strawberry.field(description="The goal it was earned on, if any (and yours to see).")
    async def goal(self, info: Info) -> GoalType | None:
        from api.goals.types import Goal

        if self.goal_id is None:
            return None
        goal = await info.context.loaders.goals.load(self.goal_id)
        return (await Goal.many(info, [goal]))[0] if goal else None

    @strawberry.field(
        description="The period it was earned for: the goal's, or the month of a monthly "
        'badge; null for a streak or a prize. E.g. "2026-10" for a month.'
    )
    async def period(self, info: Info) -> AwardPeriod | None:
        organisation = await info.context.loaders.own_organisation()
        fiscal = organisation.fiscal_year_start_month
        if self.goal_id is not None:
            goal = await info.context.loaders.goals.load(self.goal_id)
            if goal is None:
                return None
            period = Period(goal.period_start, goal.period_end)
            named = label(goal.period_kind, period, fiscal) if goal.period_kind else None
            return AwardPeriod(start=period.start, end=period.end, label=named)
        month = month_of_key(self.period_key)
        if month is None:
            return None
        return AwardPeriod(
            start=month.start, end=month.end, label=label(PeriodKind.MONTH, month, fiscal)
        )


@strawberry.type
class AwardPeriod:
    start: date
    end: date
    label: str | None = strawberry.field(description='E.g. "2026-10", "FY2027 Q3".')


@strawberry.type
class BonusTier:
    start: Decimal = strawberry.field(description="Percent of target where the band starts.")
    end: Decimal | None = strawberry.field(description="Where it ends; null: no end.")
    rate: Decimal = strawberry.field(description="Percent of the figure in the band paid.")


@strawberry.type
class FlatBonus:
    threshold: Decimal
    amount: Decimal


@strawberry.type
class BonusPlan:
    id: strawberry.ID
    code: str
    version: int
    name: str
    metric: MetricType
    tiers: list[BonusTier]
    flats: list[FlatBonus]
    cap: Decimal | None
    per_unit: Decimal | None = strawberry.field(description="Paid for each unit of a count.")
    active: bool

    @classmethod
    def of(cls, plan: models.BonusPlan) -> BonusPlan:
        return cls(
            id=strawberry.ID(str(plan.id)),
            code=plan.code,
            version=plan.version,
            name=plan.name,
            metric=plan.metric,
            tiers=[
                BonusTier(
                    start=Decimal(t["start"]),
                    end=Decimal(t["end"]) if t["end"] is not None else None,
                    rate=Decimal(t["rate"]),
                )
                for t in plan.tiers
            ],
            flats=[
                FlatBonus(threshold=Decimal(f["threshold"]), amount=Decimal(f["amount"]))
                for f in plan.flats
            ],
            cap=plan.cap,
            per_unit=plan.per_unit,
            active=plan.active,
        )


PayoutStatusEnum = strawberry.enum(models.PayoutStatus, name="PayoutStatus")
EntryKindEnum = strawberry.enum(models.EntryKind, name="PayoutEntryKind")


@strawberry.type(description="A line of the payout ledger; entries are never deleted.")
class PayoutEntry:
    id: strawberry.ID
    kind: EntryKindEnum
    status: PayoutStatusEnum
    amount: Decimal
    created_at: datetime
    goal_id: strawberry.ID | None = strawberry.field(description="For a bonus plan's entry.")
    plan_code: str | None
    plan_version: int | None
    contest_id: strawberry.ID | None = strawberry.field(description="For a contest prize.")
    explanation: JSON
    rep_id: strawberry.Private[int]

    @classmethod
    def of(cls, entry: models.PayoutEntry) -> PayoutEntry:
        plan = entry.plan
        return cls(
            rep_id=entry.rep_id,
            id=strawberry.ID(str(entry.id)),
            kind=entry.kind,
            status=entry.status,
            amount=entry.amount,
            created_at=entry.created_at,
            goal_id=strawberry.ID(str(entry.goal_id)) if entry.goal_id else None,
            plan_code=plan.code if plan else None,
            plan_version=plan.version if plan else None,
            contest_id=strawberry.ID(str(entry.contest_id)) if entry.contest_id else None,
            explanation=entry.explanation,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User:
        rep = await info.context.loaders.users.load(self.rep_id)
        assert rep is not None, "an entry's rep is deleted with it"
        return User.of(rep)

    @strawberry.field(description="The goal a bonus plan paid on (if yours to see).")
    async def goal(self, info: Info) -> GoalType | None:
        from api.goals.types import Goal

        if self.goal_id is None:
            return None
        goal = await info.context.loaders.goals.load(int(self.goal_id))
        return (await Goal.many(info, [goal]))[0] if goal else None
