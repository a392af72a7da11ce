"""Revenue progress on PostgreSQL, with period edges in Los Angeles time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.goals import service as goals
from core.goals import store
from core.goals.models import Goal
from core.sales import service as sales
from domain.metrics import Metric
from domain.progress import GoalStatus
from domain.records import DealRecord, DealStage
from tests.conftest import Org
from tests.support.factories import make_goal

NOW = datetime(2026, 11, 16, 8, tzinfo=UTC)


def won(external_id: str, amount: int, closed_at: datetime) -> DealRecord:
    return DealRecord(
        external_id=external_id,
        owner_email="rita@acme.test",
        amount=Decimal(amount),
        stage=DealStage.WON,
        created_at=datetime(2026, 10, 1, tzinfo=UTC),
        closed_at=closed_at,
    )


async def november_goal(org: Org, target: int) -> Goal:
    return await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=target,
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
    )


async def revenue(org: Org, goal: Goal, now: datetime) -> Decimal | None:
    progress = await goals.measure_goals(org.organisation, [goal], now)
    return progress[goal.id].current_value


@pytest.mark.at(datetime(2026, 12, 2, tzinfo=UTC))
async def test_deals_count_by_local_day_at_both_edges(org: Org) -> None:
    # Local midnight opening 1 Nov is 07:00Z (still PDT); the period ends at local midnight
    # opening 1 Dec, 08:00Z (PST since 1 Nov).
    await sales.ingest_deals(
        org.organisation,
        [
            won("before", 100, datetime(2026, 11, 1, 6, 59, 59, tzinfo=UTC)),
            won("first", 1000, datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
            won("last", 2000, datetime(2026, 12, 1, 7, 59, 59, tzinfo=UTC)),
            won("after", 400, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        ],
    )
    goal = await november_goal(org, 5000)

    over = (await goals.measure_goals(org.organisation, [goal], datetime(2026, 12, 2, tzinfo=UTC)))[
        goal.id
    ]
    assert over.current_value == Decimal("3000.00")
    assert over.attainment == Decimal("60.00")
    assert over.status is GoalStatus.MISSED


async def test_a_deal_moved_from_won_to_lost_stops_counting(org: Org) -> None:
    deal = won("d-1", 1200, datetime(2026, 11, 10, 18, tzinfo=UTC))
    await sales.ingest_deals(org.organisation, [deal, won("d-2", 300, deal.closed_at)])
    goal = await november_goal(org, 3000)
    assert await revenue(org, goal, NOW) == Decimal("1500.00")

    await sales.ingest_deals(org.organisation, [replace(deal, stage=DealStage.LOST)])

    assert await revenue(org, goal, NOW) == Decimal("300.00")


async def test_only_moved_goals_are_marked_changed(org: Org) -> None:
    goal = await november_goal(org, 3000)
    now = NOW
    await sales.ingest_deals(
        org.organisation, [won("d-1", 1200, datetime(2026, 11, 10, 18, tzinfo=UTC))]
    )

    first = await goals.measure_affected_goals(org.organisation, [org.rep.id], now)
    await goals.snapshot_changes(first, now)
    again = await goals.measure_affected_goals(org.organisation, [org.rep.id], now)

    assert [(m.goal.id, m.progress.current_value, m.changed) for m in first] == [
        (goal.id, Decimal("1200.00"), True)
    ]
    assert [m.changed for m in again] == [False]
    latest = await store.latest_snapshots([goal.id])
    assert latest[goal.id].attainment == Decimal("40.00")
