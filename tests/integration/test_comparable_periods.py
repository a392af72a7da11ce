"""Periods compared like for like: retention of a quarter against the quarter before, and
goals about a period that is over (historical), measured and backfilled but never
rewarded."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from core.events import InProcessBus
from core.goals import service as goals
from core.goals.models import OwnerType, ProgressSnapshot
from core.sales import service as sales
from domain.metrics import Metric
from domain.progress import GoalStatus
from domain.records import AccountRecord, DealRecord, DealStage
from domain.smart import PeriodRequest
from domain.targets import TargetKind, TargetSpec
from gamification.models import Award, PayoutEntry
from gamification.store import create_plan
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.instants import LOS_ANGELES
from workers.jobs import recompute_progress


def won(key: str, amount: int, day: date, account: str | None = None) -> DealRecord:
    closed = datetime(day.year, day.month, day.day, 12, tzinfo=LOS_ANGELES)
    return DealRecord(
        key,
        "rita@acme.test",
        Decimal(amount),
        DealStage.WON,
        created_at=closed - timedelta(days=1),
        closed_at=closed,
        account_external_id=account,
    )


async def test_retention_of_a_quarter_is_against_the_quarter_before(org: Org) -> None:
    """Ada's account last bought on 31 March (Q1), Bea's on 15 May (Q2) and again in
    August. Q3's customers to keep are Q2's (Bea alone, kept): 100%. The 92 days before
    1 July would reach back to 31 March and count Ada as lost: 50%."""
    organisation = org.organisation
    await sales.ingest_accounts(
        organisation, [AccountRecord("ada", "Ada Ltd"), AccountRecord("bea", "Bea plc")]
    )
    await sales.ingest_deals(
        organisation,
        [
            won("a1", 100, date(2026, 3, 31), "ada"),
            won("b1", 100, date(2026, 5, 15), "bea"),
            won("b2", 100, date(2026, 8, 3), "bea"),
        ],
    )
    q3 = await make_goal(
        organisation.id,
        rep_id=org.rep.id,
        metric=Metric.RETENTION_RATE,
        target=90,
        start=date(2026, 7, 1),
        end=date(2026, 9, 30),
    )

    progress = await goals.measure_goals(
        organisation, [q3], datetime(2026, 10, 1, 9, tzinfo=LOS_ANGELES)
    )

    assert progress[q3.id].current_value == Decimal("100.00")


async def test_a_historical_goal_is_measured_backfilled_and_never_rewarded(
    org: Org, now: datetime
) -> None:
    """October 2025: 1,000 won on the 5th and 2,000 on the 20th against a target of
    2,500. The historical goal is achieved, its history has a point for the end of each of
    October's 31 days (1,000 from the 5th, 3,000 from the 20th), and recomputing the rep's
    goals awards it no badge and pays it nothing under a 5% revenue plan, while the same
    goal not marked historical (stored directly, as SMART would refuse it) earns both."""
    organisation = org.organisation
    await create_plan(
        organisation.id,
        code="REV",
        name="5% of revenue",
        metric=Metric.REVENUE,
        tiers=[{"start": "0", "end": None, "rate": "5"}],
        flats=[],
        cap=None,
    )
    control = await make_goal(
        organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=2500,
        start=date(2025, 10, 1),
        end=date(2025, 10, 31),
    )
    await sales.ingest_deals(
        organisation, [won("o1", 1000, date(2025, 10, 5)), won("o2", 2000, date(2025, 10, 20))]
    )

    made = await goals.create_goal(
        organisation,
        goals.NewGoal(
            metric=Metric.REVENUE,
            owner_type=OwnerType.REP,
            owner_id=org.rep.id,
            target=TargetSpec(TargetKind.ABSOLUTE, Decimal(2500)),
            period=PeriodRequest(start=date(2025, 10, 1), end=date(2025, 10, 31)),
            rationale="Backtest last year's quota",
            historical=True,
        ),
        now,
    )
    assert len(made) == 1
    goal = made[0]
    assert not isinstance(goal, goals.smart.Violation)
    await recompute_progress(
        {"bus": InProcessBus()}, organisation_id=organisation.id, rep_ids=[org.rep.id]
    )

    progress = (await goals.measure_goals(organisation, [goal], now))[goal.id]
    assert (progress.current_value, progress.status) == (Decimal("3000.00"), GoalStatus.ACHIEVED)
    history = await ProgressSnapshot.filter(goal_id=goal.id).order_by("taken_at")
    expected = [0] * 4 + [1000] * 15 + [3000] * 12
    assert [snapshot.current_value for snapshot in history] == [Decimal(v) for v in expected]
    # The point for 31 October is taken at midnight opening 1 November, Los Angeles time.
    assert history[-1].taken_at == datetime(2025, 11, 1, tzinfo=LOS_ANGELES)
    assert await Award.filter(goal_id=goal.id).count() == 0
    assert await PayoutEntry.filter(goal_id=goal.id).count() == 0
    assert await Award.filter(goal_id=control.id, badge__code="TARGET_HIT").count() == 1
    assert [e.amount for e in await PayoutEntry.filter(goal_id=control.id)] == [Decimal("150.00")]
