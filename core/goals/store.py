"""Every query of goals and their progress snapshots."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.queryset import QuerySet

from core.goals.models import Goal, OwnerType, ProgressSnapshot
from domain.metrics import Metric
from domain.periods import Period
from domain.progress import Progress


async def create_goals(goals: Sequence[Goal]) -> list[Goal]:
    for goal in goals:
        await goal.save()
    return list(goals)


async def find_goal(organisation_id: int, goal_id: int) -> Goal | None:
    return await Goal.get_or_none(organisation_id=organisation_id, id=goal_id)


async def goals_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, Goal]:
    goals = await Goal.filter(organisation_id=organisation_id, id__in=list(set(ids)))
    return {goal.id: goal for goal in goals}


async def goals_of_parents(organisation_id: int, parent_ids: Sequence[int]) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id, parent_id__in=list(set(parent_ids)), archived_at=None
    ).order_by("id")


async def goals_of_series(organisation_id: int, series_ids: Sequence[str]) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id, series_id__in=list(set(series_ids))
    ).order_by("period_start", "id")


async def goals_touching(
    organisation_id: int, rep_ids: Sequence[int], team_ids: Sequence[int]
) -> list[Goal]:
    """Goals whose figures include these reps: their own, their teams' (and teams above),
    and the organisation's."""
    return await Goal.filter(
        Q(owner_rep_id__in=list(set(rep_ids)))
        | Q(owner_team_id__in=list(set(team_ids)))
        | Q(owner_type=OwnerType.ORGANISATION),
        organisation_id=organisation_id,
        archived_at=None,
    ).order_by("id")


async def goals_running_on(organisation_id: int, day: date) -> list[Goal]:
    """Goals whose period includes `day` or ended the day before (for its final figure)."""
    return await Goal.filter(
        organisation_id=organisation_id,
        period_start__lte=day,
        period_end__gte=date.fromordinal(day.toordinal() - 1),
        archived_at=None,
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


async def snapshots_of(goal_ids: Sequence[int]) -> list[ProgressSnapshot]:
    return await ProgressSnapshot.filter(goal_id__in=list(set(goal_ids))).order_by(
        "goal_id", "taken_at", "id"
    )


async def add_snapshots(items: Sequence[tuple[int, Progress]], taken_at: datetime) -> None:
    await add_snapshots_at([(taken_at, goal_id, progress) for goal_id, progress in items])


async def add_snapshots_at(items: Sequence[tuple[datetime, int, Progress]]) -> None:
    """Snapshots each taken at its own instant (a history filled in afterwards)."""
    await ProgressSnapshot.bulk_create(
        [
            ProgressSnapshot(
                goal_id=goal_id,
                taken_at=taken_at,
                current_value=progress.current_value,
                attainment=progress.attainment,
                expected_attainment=progress.expected_attainment,
                projected_value=progress.projected_value,
                status=progress.status,
            )
            for taken_at, goal_id, progress in items
        ]
    )


async def goals_of_reps(organisation_id: int, rep_ids: Sequence[int]) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id, owner_rep_id__in=list(set(rep_ids))
    ).order_by("id")


@dataclass(frozen=True)
class GoalFilter:
    """Which goals a list keeps; every field left empty keeps all."""

    owner_type: OwnerType | None = None
    metric: Metric | None = None
    # Goals whose period contains this day.
    containing: date | None = None
    # Goals owned by one of these reps or teams (both None: any owner).
    rep_ids: Collection[int] | None = None
    team_ids: Collection[int] | None = None
    include_archived: bool = False

    def keeps(self, goal: Goal) -> bool:
        """The same test on a goal already loaded."""
        return (
            (self.owner_type is None or goal.owner_type is self.owner_type)
            and (self.metric is None or goal.metric is self.metric)
            and (self.containing is None or goal.period_start <= self.containing <= goal.period_end)
            and (self.include_archived or goal.archived_at is None)
            and (
                (self.rep_ids is None and self.team_ids is None)
                or goal.owner_rep_id in (self.rep_ids or ())
                or goal.owner_team_id in (self.team_ids or ())
            )
        )


def goals_of(
    organisation_id: int, readable: Q | None, wanted: GoalFilter = GoalFilter()
) -> QuerySet[Goal]:
    """The goals a viewer may read (`readable`, None: all) that `wanted` keeps."""
    query = Goal.filter(organisation_id=organisation_id)
    if readable is not None:
        query = query.filter(readable)
    if wanted.owner_type is not None:
        query = query.filter(owner_type=wanted.owner_type)
    if wanted.metric is not None:
        query = query.filter(metric=wanted.metric)
    if wanted.containing is not None:
        query = query.filter(period_start__lte=wanted.containing, period_end__gte=wanted.containing)
    if not wanted.include_archived:
        query = query.filter(archived_at=None)
    if wanted.rep_ids is not None or wanted.team_ids is not None:
        query = query.filter(
            Q(owner_rep_id__in=sorted(wanted.rep_ids or ()))
            | Q(owner_team_id__in=sorted(wanted.team_ids or ()))
        )
    return query


async def rep_goals_for(
    organisation_id: int, metric: Metric, period: Period, rep_ids: Sequence[int]
) -> list[Goal]:
    """The reps' goals on `metric` for exactly this period (archived ones left out)."""
    return await Goal.filter(
        organisation_id=organisation_id,
        owner_type=OwnerType.REP,
        owner_rep_id__in=list(set(rep_ids)),
        metric=metric,
        period_start=period.start,
        period_end=period.end,
        archived_at=None,
    ).order_by("id")


async def goals_ended_before(organisation_id: int, day: date) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id, period_end__lt=day, archived_at=None
    ).order_by("id")


async def goals_within(organisation_id: int, first: date, last: date) -> list[Goal]:
    return await Goal.filter(
        organisation_id=organisation_id,
        period_start__gte=first,
        period_end__lte=last,
        archived_at=None,
    ).order_by("id")
