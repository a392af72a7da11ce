"""Bonus plans through GraphQL: creating, simulating, the payout ledger and its workflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry

from api.context import Info
from api.errors import BadUserInput, InputErrors, checked_days
from api.gamification.types import BonusPlan, PayoutEntry, PayoutStatusEnum
from api.goals.types import MetricEnum
from api.ids import parse_id
from api.orgs.types import User
from api.pagination import Connection, keyset
from core.goals.store import find_goal
from core.orgs.store import get_organisation
from domain.inputs import in_range
from domain.metrics import Metric
from domain.periods import Period
from gamification import bonus, payouts, store
from gamification.models import PayoutStatus

# Entries one workflow step moves.
MAX_MOVED = 1000

CreateBonusPlanResult = Annotated[
    BonusPlan | InputErrors, strawberry.union("CreateBonusPlanResult")
]


@strawberry.input
class BonusTierInput:
    start: Decimal
    end: Decimal | None = None
    rate: Decimal


@strawberry.input
class FlatBonusInput:
    threshold: Decimal
    amount: Decimal


@strawberry.input(description="Changing a plan: create it again under the same code.")
class BonusPlanInput:
    code: str
    name: str
    metric: MetricEnum
    tiers: list[BonusTierInput] = strawberry.field(
        default_factory=list,
        description="For a money metric (REVENUE, GROSS_PROFIT): a share of the figure by band.",
    )
    flats: list[FlatBonusInput] = strawberry.field(default_factory=list)
    cap: Decimal | None = None
    per_unit: Decimal | None = strawberry.field(
        default=None,
        description="For a count metric (DEALS_WON, UNITS_SOLD, NEW_CUSTOMERS, LEADS, "
        "QUALIFIED_LEADS): paid for each unit.",
    )
    goal_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this goal; leave out for every rep goal of the metric."
    )

    def plan(self) -> bonus.Plan:
        return bonus.Plan(
            tiers=tuple(bonus.Tier(t.start, t.end, t.rate) for t in self.tiers),
            flats=tuple(bonus.Flat(f.threshold, f.amount) for f in self.flats),
            cap=self.cap,
            per_unit=self.per_unit,
        )


@strawberry.type
class SimulatedPayout:
    rep: User
    goal_id: strawberry.ID
    value: Decimal | None
    target: Decimal
    amount: Decimal
    capped: bool


@strawberry.type
class Rewards:
    provisional: Decimal = strawberry.field(description="Earned in running periods.")
    final: Decimal = strawberry.field(description="Final, awaiting approval or payment.")
    paid: Decimal
    entries: Connection[PayoutEntry]


def _problems(plan: bonus.Plan, metric: Metric) -> InputErrors | None:
    found = bonus.check_plan(plan, metric)
    return InputErrors.of(*found) if found else None


@strawberry.type
class BonusMutations:
    @strawberry.mutation(description="Admins: a bonus plan, or the next version of one.")
    async def create_bonus_plan(self, info: Info, input: BonusPlanInput) -> CreateBonusPlanResult:
        access = await info.context.access()
        if not access.is_admin:
            return InputErrors.forbidden("code")
        problems = _problems(input.plan(), input.metric)
        if problems is not None:
            return problems
        plan = input.plan()
        goal_id = parse_id(input.goal_id) if input.goal_id is not None else None
        if input.goal_id is not None and (
            goal_id is None or await find_goal(access.viewer.organisation_id, goal_id) is None
        ):
            return InputErrors.not_found("goalId", "No such goal in this organisation.")
        created = await store.create_plan(
            access.viewer.organisation_id,
            code=input.code.strip(),
            name=input.name.strip(),
            metric=input.metric,
            goal_id=goal_id,
            tiers=[
                {
                    "start": str(t.start),
                    "end": str(t.end) if t.end is not None else None,
                    "rate": str(t.rate),
                }
                for t in plan.tiers
            ],
            flats=[{"threshold": str(f.threshold), "amount": str(f.amount)} for f in plan.flats],
            cap=plan.cap,
            per_unit=plan.per_unit,
        )
        return BonusPlan.of(created)

    @strawberry.mutation(
        description="Admins: approve FINAL payouts; says which moved and why each other did not."
    )
    async def approve_payouts(self, info: Info, ids: list[strawberry.ID]) -> PayoutsMoved:
        return await _advance(info, ids, PayoutStatus.FINAL, PayoutStatus.APPROVED)

    @strawberry.mutation(
        description="Admins: mark APPROVED payouts paid; says which moved and why each other "
        "did not."
    )
    async def mark_payouts_paid(self, info: Info, ids: list[strawberry.ID]) -> PayoutsMoved:
        return await _advance(info, ids, PayoutStatus.APPROVED, PayoutStatus.PAID)


@strawberry.type
class SkippedPayout:
    id: strawberry.ID
    reason: str


@strawberry.type(description="What a payout workflow step did.")
class PayoutsMoved:
    moved: list[PayoutEntry]
    skipped: list[SkippedPayout]


async def _advance(
    info: Info, ids: list[strawberry.ID], wanted: PayoutStatus, to: PayoutStatus
) -> PayoutsMoved:
    access = await info.context.access()
    access.require(access.is_admin)
    if len(ids) > MAX_MOVED:
        raise BadUserInput(f"ids: at most {MAX_MOVED} at a time.")
    moved, skipped = await payouts.advance(
        access.viewer.organisation_id, [(str(i), parse_id(i)) for i in ids], wanted, to
    )
    return PayoutsMoved(
        moved=[PayoutEntry.of(entry) for entry in moved],
        skipped=[SkippedPayout(id=strawberry.ID(s.entry_id), reason=s.reason) for s in skipped],
    )


@strawberry.type
class BonusQueries:
    @strawberry.field(description="Your payout ledger and its totals.")
    async def my_rewards(self, info: Info, first: int = 50, after: str | None = None) -> Rewards:
        viewer = info.context.require_viewer()
        mine = {viewer.user_id} if viewer.user_id is not None else set()
        entries = store.entries_of(viewer.organisation_id, mine)
        totals = await store.totals_by_status(viewer.organisation_id, mine)
        return Rewards(
            provisional=totals[PayoutStatus.PROVISIONAL],
            final=totals[PayoutStatus.FINAL] + totals[PayoutStatus.APPROVED],
            paid=totals[PayoutStatus.PAID],
            entries=await keyset(entries, first, after, PayoutEntry.of),
        )

    @strawberry.field(
        description="The payout ledger of the people you may see, by id: narrowed by status, "
        "rep, and the organisation-local days it was booked on."
    )
    async def payouts(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        status: PayoutStatusEnum | None = None,
        rep_id: strawberry.ID | None = None,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> Connection[PayoutEntry]:
        checked_days(**{"from": from_, "to": to})
        access = await info.context.access()
        readable = access.rep_ids
        if rep_id is not None:
            rep = parse_id(rep_id) or 0
            readable = {rep} if readable is None or rep in readable else set()
        organisation = await info.context.loaders.own_organisation()
        tz = ZoneInfo(organisation.timezone)
        entries = store.entries_of(
            organisation.id,
            readable,
            status,
            Period(from_, from_).bounds(tz)[0] if from_ is not None else None,
            Period(to, to).bounds(tz)[1] if to is not None else None,
        )
        return await keyset(entries, first, after, PayoutEntry.of)

    @strawberry.field(description="The bonus plans: the active version of each, or every one.")
    async def bonus_plans(self, info: Info, include_inactive: bool = False) -> list[BonusPlan]:
        viewer = info.context.require_viewer()
        found = await store.plans(viewer.organisation_id, include_inactive)
        return [BonusPlan.of(plan) for plan in found]

    @strawberry.field(description="Admins: what a plan would pay on past figures; writes nothing.")
    async def simulate_bonus_plan(
        self, info: Info, plan: BonusPlanInput, period_start: date, period_end: date
    ) -> list[SimulatedPayout]:
        access = await info.context.access()
        access.require(access.is_admin)
        if problems := bonus.check_plan(plan.plan(), plan.metric):
            raise BadUserInput(" ".join(f"plan.{p.field}: {p.message}" for p in problems))
        if not (in_range(period_start) and in_range(period_end)) or period_end < period_start:
            raise BadUserInput("periodEnd: on or after periodStart, both between 1900 and 2199.")
        organisation = await get_organisation(access.viewer.organisation_id)
        results = await payouts.simulate(
            organisation,
            plan.plan(),
            plan.metric,
            Period(period_start, period_end),
            info.context.now,
        )
        reps = await info.context.loaders.users.load_many(
            [r.goal.owner_rep_id or 0 for r in results]
        )
        return [
            SimulatedPayout(
                rep=User.of(rep),
                goal_id=strawberry.ID(str(result.goal.id)),
                value=result.value,
                target=result.goal.target,
                amount=result.payout.amount if result.payout else Decimal(0),
                capped=result.payout.capped if result.payout else False,
            )
            for result, rep in zip(results, reps, strict=True)
            if rep is not None
        ]
