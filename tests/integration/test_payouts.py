"""The payout ledger on PostgreSQL: accruals, a clawback when a counted deal is lost,
idempotent settling, period close, and plan versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.events import InProcessBus
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification import store
from gamification.models import EntryKind, PayoutEntry, PayoutStatus
from gamification.payouts import close_ended_periods
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.instants import local_date
from workers.jobs import recompute_progress

D = Decimal


async def plan(org: Org, **overrides: object) -> None:
    # 5% up to 100% of target, 8% from 100% to 120%, flat 500 at 100%, cap 1,500.
    fields: dict[str, object] = {
        "code": "Q-REV",
        "name": "Quarterly revenue",
        "metric": Metric.REVENUE,
        "tiers": [
            {"start": "0", "end": "100", "rate": "5"},
            {"start": "100", "end": "120", "rate": "8"},
        ],
        "flats": [{"threshold": "100", "amount": "500"}],
        "cap": D(1500),
    }
    await store.create_plan(org.organisation.id, **{**fields, **overrides})


def won(key: str, amount: int, now: datetime) -> DealRecord:
    """Won yesterday, in any timezone."""
    return DealRecord(
        key,
        "rita@acme.test",
        D(amount),
        DealStage.WON,
        created_at=now - timedelta(days=3),
        closed_at=now - timedelta(days=1),
    )


async def recompute(org: Org) -> None:
    await recompute_progress(
        {"bus": InProcessBus()}, organisation_id=org.organisation.id, rep_ids=[org.rep.id]
    )


async def ledger(org: Org) -> list[tuple[EntryKind, PayoutStatus, Decimal]]:
    entries = await PayoutEntry.filter(rep_id=org.rep.id).order_by("id")
    return [(e.kind, e.status, e.amount) for e in entries]


@pytest.mark.dated
async def test_accrual_then_clawback_when_a_counted_deal_is_lost(org: Org, now: datetime) -> None:
    today = local_date(now, ZoneInfo(org.organisation.timezone))
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=10000,
        start=today - timedelta(days=20),
        end=today + timedelta(days=20),
    )
    await plan(org)
    deals = [won("d-1", 7000, now), won("d-2", 4000, now)]
    await sales.ingest_deals(org.organisation, deals)

    await recompute(org)
    await recompute(org)  # a replay adds nothing
    # 11,000 of 10,000: 5% × 10,000 = 500, 8% × 1,000 = 80, flat 500 → 1,080.
    assert await ledger(org) == [(EntryKind.ACCRUAL, PayoutStatus.PROVISIONAL, D("1080.00"))]

    await sales.ingest_deals(org.organisation, [replace(deals[1], stage=DealStage.LOST)])
    await recompute(org)

    # 7,000 of 10,000: 5% × 7,000 = 350. The reversal takes back 730; nothing is deleted.
    assert await ledger(org) == [
        (EntryKind.ACCRUAL, PayoutStatus.PROVISIONAL, D("1080.00")),
        (EntryKind.REVERSAL, PayoutStatus.PROVISIONAL, D("-730.00")),
    ]
    reversal = await PayoutEntry.filter(kind=EntryKind.REVERSAL).first()
    assert reversal is not None
    assert (reversal.explanation["before"], reversal.explanation["after"]) == ("1080.00", "350.00")


@pytest.mark.dated
async def test_a_goal_settled_after_its_period_is_final_at_once(org: Org, now: datetime) -> None:
    yesterday = local_date(now, ZoneInfo(org.organisation.timezone)) - timedelta(days=1)
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=10000,
        start=yesterday - timedelta(days=30),
        end=yesterday,
    )
    await plan(org)
    await sales.ingest_deals(org.organisation, [won("big", 40000, now)])

    await recompute(org)
    # 400% of target: 5% × 10,000 = 500, 8% × 2,000 = 160 (no tier above 120%), flat 500:
    # 1,160, under the 1,500 cap. The period ended yesterday, so the entry is final at once.
    assert await ledger(org) == [(EntryKind.ACCRUAL, PayoutStatus.FINAL, D("1160.00"))]


@pytest.mark.dated
async def test_provisional_payouts_become_final_when_the_period_closes(
    org: Org, now: datetime
) -> None:
    today = local_date(now, ZoneInfo(org.organisation.timezone))
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=today - timedelta(days=5),
        end=today + timedelta(days=5),
    )
    await plan(org, cap=D(60))
    await sales.ingest_deals(org.organisation, [won("d", 1000, now)])
    await recompute(org)
    # 5% × 1,000 = 50 + flat 500 = 550, capped at 60.
    assert await ledger(org) == [(EntryKind.ACCRUAL, PayoutStatus.PROVISIONAL, D("60.00"))]

    closed = await close_ended_periods(org.organisation, now + timedelta(days=7))

    assert closed == 1
    assert await ledger(org) == [(EntryKind.ACCRUAL, PayoutStatus.FINAL, D("60.00"))]


async def test_a_new_plan_version_leaves_earlier_entries_on_theirs(org: Org, now: datetime) -> None:
    today = local_date(now, ZoneInfo(org.organisation.timezone))
    await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=today - timedelta(days=5),
        end=today + timedelta(days=5),
    )
    await plan(org, flats=[], cap=None)
    await sales.ingest_deals(org.organisation, [won("d", 1000, now)])
    await recompute(org)

    await plan(org, flats=[], cap=None, tiers=[{"start": "0", "end": None, "rate": "10"}])
    await recompute(org)

    entries = await PayoutEntry.filter(rep_id=org.rep.id).order_by("id").prefetch_related("plan")
    # Version 1 paid 5% × 1,000 = 50 and keeps that entry; version 2 pays 10% = 100, so it
    # books the 50 difference under its own version.
    assert [(e.plan.version, e.amount) for e in entries] == [(1, D("50.00")), (2, D("50.00"))]
