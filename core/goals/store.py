"""Every query of goals and their progress snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from tortoise.functions import Max

from core.goals.models import Goal, OwnerType, ProgressSnapshot
from domain.metrics import Metric
from domain.progress import Progress


async def create_rep_goal(
    organisation_id: int,
    *,
    rep_id: int,
    metric: Metric,
    target: Decimal,
    period_start: date,
    period_end: date,
    rationale: str | None,
) -> Goal:
    return await Goal.create(
        organisation_id=organisation_id,
        owner_type=OwnerType.REP,
        owner_rep_id=rep_id,
        metric=metric,
        target=target,
        period_start=period_start,
        period_end=period_end,
        rationale=rationale,
    )


async def find_goal(organisation_id: int, goal_id: int) -> Goal | None:
    return await Goal.get_or_none(organisation_id=organisation_id, id=goal_id)


async def goals_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Goal]:
    goals = await Goal.filter(organisation_id=organisation_id, id__in=list(set(ids)))
    return {goal.id: goal for goal in goals}


async def goals_of_reps(organisation_id: int, rep_ids: Sequence[int]) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id, owner_rep_id__in=list(set(rep_ids))
    ).order_by("id")


async def latest_snapshots(goal_ids: Sequence[int]) -> dict[int, ProgressSnapshot]:
    # Snapshots are appended in time order, so the highest id is the latest; two bounded
    # queries instead of reading a goal's whole history.
    last_ids = await (
        ProgressSnapshot.filter(goal_id__in=list(set(goal_ids)))
        .annotate(last_id=Max("id"))
        .group_by("goal_id")
        .values_list("last_id", flat=True)
    )
    snapshots = await ProgressSnapshot.filter(id__in=list(last_ids))
    return {snapshot.goal_id: snapshot for snapshot in snapshots}


async def add_snapshot(goal_id: int, progress: Progress, taken_at: datetime) -> None:
    await ProgressSnapshot.create(
        goal_id=goal_id,
        taken_at=taken_at,
        current_value=progress.current_value,
        attainment=progress.attainment,
        expected_attainment=progress.expected_attainment,
        projected_value=progress.projected_value,
        status=progress.status,
    )
