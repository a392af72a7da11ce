"""Stored rows for tests, made directly: for periods in the past, which SMART would refuse."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from core.goals.models import Goal, OwnerType
from domain.metrics import Metric
from tests.support.instants import LOS_ANGELES


async def make_goal(
    organisation_id: int,
    *,
    metric: Metric,
    target: Decimal | int | str,
    start: date,
    end: date,
    rep_id: int | None = None,
    team_id: int | None = None,
    **extra: Any,
) -> Goal:
    owner_type = (
        OwnerType.REP
        if rep_id is not None
        else OwnerType.TEAM
        if team_id
        else OwnerType.ORGANISATION
    )
    return await Goal.create(
        organisation_id=organisation_id,
        owner_type=owner_type,
        owner_rep_id=rep_id,
        owner_team_id=team_id,
        metric=metric,
        target=Decimal(target),
        period_start=start,
        period_end=end,
        **extra,
    )


async def revenue_goal_around(
    organisation_id: int, rep_id: int, now: datetime, target: int, days: int = 5
) -> Goal:
    """A rep's revenue goal from `days` before today to `days` after, Los Angeles time."""
    today = now.astimezone(LOS_ANGELES).date()
    return await make_goal(
        organisation_id,
        rep_id=rep_id,
        metric=Metric.REVENUE,
        target=target,
        start=today - timedelta(days=days),
        end=today + timedelta(days=days),
    )
