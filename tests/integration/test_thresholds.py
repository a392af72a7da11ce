"""Thresholds compare exact figures: 9,999.90 of a 10,000 target shows as 100.00% but has
not hit the target; ten cents more does."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from core.events import InProcessBus
from core.goals.service import measure_affected_goals, measure_goals
from core.sales import service as sales
from domain.metrics import Metric
from domain.progress import GoalStatus
from domain.records import DealRecord, DealStage
from gamification.models import Award
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.instants import LOS_ANGELES, local_date
from workers.jobs import recompute_progress


async def test_a_target_is_hit_by_the_exact_figure_not_the_rounded_one(
    org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=10000,
        start=today - timedelta(days=10),
        end=today + timedelta(days=10),
    )

    def won(key: str, amount: str) -> DealRecord:
        closed = now - timedelta(days=1)
        return DealRecord(
            key,
            "rita@acme.test",
            Decimal(amount),
            DealStage.WON,
            closed - timedelta(hours=1),
            closed,
        )

    async def target_hits() -> int:
        await recompute_progress(
            {"bus": InProcessBus()}, organisation_id=org.organisation.id, rep_ids=[org.rep.id]
        )
        return await Award.filter(goal_id=goal.id, badge__code="TARGET_HIT").count()

    await sales.ingest_deals(org.organisation, [won(f"d-{n}", "333.33") for n in range(30)])
    short = (await measure_goals(org.organisation, [goal], now))[goal.id]
    hits_short = await target_hits()
    await sales.ingest_deals(org.organisation, [won("dime", "0.10")])
    hits_reached = await target_hits()

    # 30 × 333.33 = 9,999.90: 99.999% shows as 100.00 but is short of the target.
    assert (short.current_value, short.attainment) == (Decimal("9999.90"), Decimal("100.00"))
    assert short.status is not GoalStatus.ACHIEVED
    assert hits_short == 0
    assert hits_reached == 1


async def test_only_goals_that_moved_are_announced(org: Org, now: datetime) -> None:
    today = local_date(now, LOS_ANGELES)
    window = {"start": today - timedelta(days=10), "end": today + timedelta(days=10)}
    revenue = await make_goal(
        org.organisation.id, rep_id=org.rep.id, metric=Metric.REVENUE, target=1000, **window
    )
    team = await make_goal(
        org.organisation.id, team_id=org.team.id, metric=Metric.REVENUE, target=5000, **window
    )
    # Counted for the same rep, untouched by a won deal: nothing to tell a follower.
    await make_goal(
        org.organisation.id, rep_id=org.rep.id, metric=Metric.LEADS, target=10, **window
    )
    closed = now - timedelta(hours=1)
    deal = DealRecord("m-1", "rita@acme.test", Decimal(250), DealStage.WON, closed, closed)
    await sales.ingest_deals(org.organisation, [deal])

    measured = await measure_affected_goals(org.organisation, [org.rep.id], now)

    assert sorted(m.goal.id for m in measured if m.changed) == sorted([revenue.id, team.id])
