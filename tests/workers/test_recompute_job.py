"""The recompute job on real arq workers against PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from arq import Retry
from arq.worker import func

from core import clock
from core.config import Settings
from core.events import RedisBus, goal_channel
from core.goals.models import Goal
from core.goals.service import measure_affected_goals
from core.messages import ProgressChanged
from core.orgs.store import get_organisation
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import DealRecord, DealStage
from gamification.models import Award
from gamification.service import evaluate_goals
from tests.conftest import Org, delete_run_keys
from tests.support.factories import make_goal
from tests.support.instants import local_date
from tests.support.workers import burst_worker
from workers.jobs import recompute_progress
from workers.queue import ArqQueue


async def goal_passed_by_deals(org: Org, now: datetime) -> Goal:
    """A 10,000 goal around today and 6,000 + 5,000 of deals won in it yesterday."""
    today = local_date(now, ZoneInfo(org.organisation.timezone))
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=10000,
        start=today - timedelta(days=40),
        end=today + timedelta(days=20),
    )
    closed = now - timedelta(days=1)
    records = [
        DealRecord(
            f"d-{n}",
            "rita@acme.test",
            Decimal(amount),
            DealStage.WON,
            created_at=closed - timedelta(days=3),
            closed_at=closed + timedelta(minutes=n),
        )
        for n, amount in ((1, 6000), (2, 5000))
    ]
    result = await sales.ingest_deals(org.organisation, records)
    assert result.accepted == 2
    return goal


@pytest.mark.dated
async def test_duplicate_jobs_on_two_concurrent_workers_award_once(
    settings: Settings, org: Org, now: datetime
) -> None:
    goal = await goal_passed_by_deals(org, now)
    queue = await ArqQueue.connect(settings.redis_url or "", settings.queue_name)
    listener = RedisBus(settings.redis_url or "", settings.events_prefix)
    try:
        async with listener.subscribe(goal_channel(goal.id)) as events:
            for _ in range(4):
                await queue.enqueue(
                    "recompute_progress", organisation_id=org.organisation.id, rep_ids=[org.rep.id]
                )
            workers = [burst_worker(settings) for _ in range(2)]
            try:
                await asyncio.gather(*(worker.main() for worker in workers))
            finally:
                for worker in workers:
                    await worker.close()
            event = await asyncio.wait_for(anext(events), 10)
    finally:
        await listener.close()
        await queue.close()

    assert sum(w.jobs_complete for w in workers) == 4
    assert sum(w.jobs_failed for w in workers) == 0
    awards = await Award.filter(rep_id=org.rep.id).prefetch_related("badge").order_by("id")
    assert sorted((a.badge.code, a.goal_id, a.period_key) for a in awards) == [
        ("FIRST_WIN", None, "ever"),
        ("TARGET_HIT", goal.id, f"goal:{goal.id}"),
    ]
    target_hit = next(a for a in awards if a.badge.code == "TARGET_HIT")
    # 6,000 alone is short of 10,000; the 5,000 closed a minute later crosses it.
    assert target_hit.explanation["deals"] == ["d-1", "d-2"]
    assert isinstance(event, ProgressChanged)
    assert (event.current_value, event.attainment, event.status) == (
        Decimal("11000.00"),
        Decimal("110.00"),
        "ACHIEVED",
    )


async def test_the_job_retried_after_it_ran_changes_nothing(
    settings: Settings, org: Org, now: datetime
) -> None:
    await goal_passed_by_deals(org, now)
    queue = await ArqQueue.connect(settings.redis_url or "", settings.queue_name)
    new_awards = []
    try:
        for _ in range(2):
            await queue.enqueue(
                "recompute_progress", organisation_id=org.organisation.id, rep_ids=[org.rep.id]
            )
            worker = burst_worker(settings)
            try:
                await worker.main()
                results = await worker.pool.all_job_results()
                new_awards.extend(
                    r.result for r in results if r.job_id.startswith(settings.queue_name)
                )
                await delete_run_keys(worker.pool)
            finally:
                await worker.close()
    finally:
        await queue.close()

    # The first run makes the two awards (target hit, first win), the replay finds them made.
    assert new_awards == [2, 0]
    assert await Award.filter(rep_id=org.rep.id).count() == 2


async def test_a_job_that_dies_halfway_is_retried_and_awards_once(
    settings: Settings, org: Org, now: datetime
) -> None:
    """The first try writes the award and then dies (as a worker killed mid-job would leave
    it); arq runs the job again, which finishes without a second award."""
    goal = await goal_passed_by_deals(org, now)
    tries: list[int] = []

    async def dies_after_awarding(
        ctx: dict[str, Any], organisation_id: int, rep_ids: list[int]
    ) -> int:
        tries.append(ctx["job_try"])
        if ctx["job_try"] == 1:
            organisation = await get_organisation(organisation_id)
            at = clock.now()
            measured = await measure_affected_goals(organisation, rep_ids, at)
            assert len(await evaluate_goals(organisation, measured, at)) == 1
            raise Retry(defer=0)
        return await recompute_progress(ctx, organisation_id=organisation_id, rep_ids=rep_ids)

    queue = await ArqQueue.connect(settings.redis_url or "", settings.queue_name)
    worker = burst_worker(settings)
    worker.functions = {
        "recompute_progress": func(dies_after_awarding, name="recompute_progress", max_tries=5)
    }
    try:
        await queue.enqueue(
            "recompute_progress", organisation_id=org.organisation.id, rep_ids=[org.rep.id]
        )
        await worker.main()
    finally:
        await worker.close()
        await queue.close()

    assert tries == [1, 2]
    assert (worker.jobs_complete, worker.jobs_failed, worker.jobs_retried) == (1, 0, 1)
    target_hit = await Award.filter(rep_id=org.rep.id, goal_id=goal.id).count()
    assert target_hit == 1
