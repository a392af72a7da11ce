"""Creating goals under the SMART rules and measuring where they stand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import store
from core.goals.models import Goal
from core.orgs import store as people
from core.orgs.models import Organisation
from core.sales import store as sales
from domain import smart
from domain.metrics import Metric
from domain.periods import Period, local_today
from domain.progress import PaceThresholds, Progress, compute_progress


@dataclass(frozen=True)
class NewGoal:
    metric: Metric
    owner_rep_id: int | None
    target: Decimal
    period_start: date
    period_end: date
    rationale: str | None = None


@dataclass(frozen=True)
class Measured:
    goal: Goal
    progress: Progress
    changed: bool


def period_of(goal: Goal) -> Period:
    return Period(goal.period_start, goal.period_end)


def thresholds_of(organisation: Organisation) -> PaceThresholds:
    return PaceThresholds(on_track=organisation.on_track_pace, at_risk=organisation.at_risk_pace)


async def create_goal(
    organisation: Organisation, new: NewGoal, now: datetime
) -> Goal | list[smart.Violation]:
    """The stored goal, or every SMART rule the draft breaks (nothing stored then)."""
    owner = (
        await people.find_user(organisation.id, new.owner_rep_id)
        if new.owner_rep_id is not None
        else None
    )
    violations = smart.validate(
        smart.GoalDraft(
            target=new.target,
            owner_found=owner is not None,
            period_start=new.period_start,
            period_end=new.period_end,
            today=local_today(now, ZoneInfo(organisation.timezone)),
        )
    )
    if violations or owner is None:
        return violations
    return await store.create_rep_goal(
        organisation.id,
        rep_id=owner.id,
        metric=new.metric,
        target=new.target,
        period_start=new.period_start,
        period_end=new.period_end,
        rationale=new.rationale,
    )


async def current_value(goal: Goal, tz: ZoneInfo) -> Decimal:
    assert goal.owner_rep_id is not None
    start, end = period_of(goal).bounds(tz)
    return await sales.won_revenue(goal.owner_rep_id, start, end)


async def measure(organisation: Organisation, goal: Goal, now: datetime) -> Progress:
    tz = ZoneInfo(organisation.timezone)
    return compute_progress(
        await current_value(goal, tz),
        goal.target,
        period_of(goal).elapsed_fraction(now, tz),
        thresholds_of(organisation),
    )


async def measure_reps_goals(
    organisation: Organisation, rep_ids: Sequence[int], now: datetime
) -> list[Measured]:
    """Measure every goal of these reps, noting which moved since their last snapshot."""
    goals = await store.goals_of_reps(organisation.id, rep_ids)
    latest = await store.latest_snapshots([goal.id for goal in goals])
    measured = []
    for goal in goals:
        progress = await measure(organisation, goal, now)
        last = latest.get(goal.id)
        changed = (
            last is None
            or last.current_value != progress.current_value
            or last.status != progress.status
        )
        measured.append(Measured(goal, progress, changed))
    return measured


async def snapshot_changes(measured: Sequence[Measured], now: datetime) -> None:
    """Keep the progress of the goals that moved, for trends and change detection."""
    for item in measured:
        if item.changed:
            await store.add_snapshot(item.goal.id, item.progress, now)
