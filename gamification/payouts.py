"""Bonus payouts: keeping the ledger equal to what each plan pays for each goal, closing
periods, and simulating a plan on past figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from core.goals import store as goal_store
from core.goals.models import Goal, OwnerType
from core.goals.service import Measured, measure_goals
from core.locks import Guarded, lock
from core.orgs.models import Organisation
from domain.metrics import Metric
from domain.periods import Period, local_today
from gamification import bonus, store
from gamification.models import BonusPlan, EntryKind, PayoutEntry, PayoutStatus


def plan_of(model: BonusPlan) -> bonus.Plan:
    return bonus.Plan(
        tiers=tuple(
            bonus.Tier(
                Decimal(t["start"]), Decimal(t["end"]) if t["end"] else None, Decimal(t["rate"])
            )
            for t in model.tiers
        ),
        flats=tuple(bonus.Flat(Decimal(f["threshold"]), Decimal(f["amount"])) for f in model.flats),
        cap=model.cap,
        per_unit=model.per_unit,
    )


def applies(plan: BonusPlan, goal: Goal) -> bool:
    """Whether `plan` pays for `goal`: a rep's goal of its metric, never a historical one
    (a plan is backtested on those with `simulate`, which writes nothing)."""
    return (
        goal.owner_type is OwnerType.REP
        and not goal.historical
        and goal.metric is plan.metric
        and (plan.goal_id is None or plan.goal_id == goal.id)
    )


def _explain(
    model: BonusPlan, goal: Goal, result: bonus.Payout, value: Decimal, before: Decimal
) -> dict[str, Any]:
    return {
        "plan": {"code": model.code, "version": model.version},
        "figures": {"metric": str(goal.metric), "value": str(value), "target": str(goal.target)},
        "lines": [
            {"label": line.label, "base": str(line.base), "amount": str(line.amount)}
            for line in result.lines
        ],
        "capped": result.capped,
        "before": str(before),
        "after": str(result.amount),
    }


async def settle(
    organisation: Organisation, measured: Sequence[Measured], now: datetime
) -> list[PayoutEntry]:
    """Add the ledger entries that bring each (plan, goal) to what the plan pays now:
    an accrual when the figure rose, a reversal (clawback) when it fell. Idempotent: a
    second run finds nothing to add."""
    plans = await store.active_plans(organisation.id)
    pairs = [
        (plan, item)
        for item in measured
        for plan in plans
        if applies(plan, item.goal) and item.progress.current_value is not None
    ]
    if not pairs:
        return []
    today = local_today(now, ZoneInfo(organisation.timezone))
    async with in_transaction() as connection:
        # One settler per organisation at a time: the ledger is read, then added to.
        await lock(connection, Guarded.LEDGER, organisation.id)
        held = await store.booked(
            organisation.id, [p.code for p, _ in pairs], [m.goal.id for _, m in pairs]
        )
        entries = []
        for model, item in pairs:
            goal, value = item.goal, item.progress.current_value
            assert value is not None
            assert goal.owner_rep_id is not None
            result = bonus.payout(plan_of(model), value, goal.target)
            # Every version of the plan counts: a new version pays the difference, so the
            # goal's total is always what the current version pays.
            before = held.get((model.code, goal.id), Decimal(0))
            change = result.amount - before
            if change == 0:
                continue
            entries.append(
                PayoutEntry(
                    organisation_id=organisation.id,
                    plan_id=model.id,
                    rep_id=goal.owner_rep_id,
                    goal_id=goal.id,
                    kind=EntryKind.ACCRUAL if change > 0 else EntryKind.REVERSAL,
                    status=PayoutStatus.FINAL
                    if goal.period_end < today
                    else PayoutStatus.PROVISIONAL,
                    amount=change,
                    explanation=_explain(model, goal, result, value, before),
                    created_at=now,
                )
            )
        await store.add_entries(entries)
    return entries


async def close_ended_periods(organisation: Organisation, now: datetime) -> int:
    """Make final the provisional payouts of goals whose period has ended."""
    today = local_today(now, ZoneInfo(organisation.timezone))
    ended = await goal_store.goals_ended_before(organisation.id, today)
    return await store.finalise_entries(organisation.id, [goal.id for goal in ended])


@dataclass(frozen=True)
class Simulated:
    goal: Goal
    value: Decimal | None
    payout: bonus.Payout | None


async def simulate(
    organisation: Organisation, plan: bonus.Plan, metric: Metric, period: Period, now: datetime
) -> list[Simulated]:
    """What `plan` would pay for the rep goals of `metric` within `period`, on the figures
    as they stand; nothing is written."""
    goals = [
        goal
        for goal in await goal_store.goals_within(organisation.id, period.start, period.end)
        if goal.owner_type is OwnerType.REP and goal.metric is metric
    ]
    progress = await measure_goals(organisation, goals, now)
    found = []
    for goal in goals:
        if goal.id not in progress:
            continue
        value = progress[goal.id].current_value
        found.append(
            Simulated(
                goal, value, bonus.payout(plan, value, goal.target) if value is not None else None
            )
        )
    return found


@dataclass(frozen=True)
class Skipped:
    """An entry a workflow step left where it was, and why."""

    entry_id: str
    reason: str


def _why_not(status: PayoutStatus, wanted: PayoutStatus) -> str:
    if status is PayoutStatus.PROVISIONAL:
        return "still PROVISIONAL: its period has not closed."
    return f"is {status.value}, not {wanted.value}."


async def advance(
    organisation_id: int,
    asked: Sequence[tuple[str, int | None]],
    wanted: PayoutStatus,
    to: PayoutStatus,
) -> tuple[list[PayoutEntry], list[Skipped]]:
    """Move the entries asked for (each id as sent, and the row it names if any) from
    `wanted` to `to`: those moved, and each one left with its reason (not found, asked
    twice, in another status, moved by someone else meanwhile)."""
    ids: dict[str, int] = {}
    skipped: list[Skipped] = []
    for raw, number in asked:
        if number is None:
            skipped.append(Skipped(raw, "no such payout entry here."))
        elif raw in ids:
            skipped.append(Skipped(raw, "asked for twice; moved once."))
        else:
            ids[raw] = number
    found = await store.entries_by_ids(organisation_id, ids.values())
    movable = []
    for raw, number in ids.items():
        entry = found.get(number)
        if entry is None:
            skipped.append(Skipped(raw, "no such payout entry here."))
        elif entry.status is not wanted:
            skipped.append(Skipped(raw, _why_not(entry.status, wanted)))
        else:
            movable.append(number)
    await store.advance_entries(organisation_id, movable, wanted, to)
    after = await store.entries_by_ids(organisation_id, movable)
    moved = [after[n] for n in movable if after[n].status is to]
    skipped += [
        Skipped(str(n), "moved by someone else meanwhile.")
        for n in movable
        if after[n].status is not to
    ]
    return moved, skipped
