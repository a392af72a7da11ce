"""Deals ingested while a worker works through a long outbox, on PostgreSQL: no ingestion
and no evaluation is chosen as a deadlock's victim, and every deal is evaluated by the runs
its own commit set going, not left for the sweeper.

An ingestion marks goal figures stale while it holds the rollups' lock; an evaluation
stores goal figures and then settles the ledger. Before their locks were kept apart and
taken in one order, most deals sent during a long evaluation failed with a deadlock, or
the evaluation did and its entries waited for the sweeper."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from arq.jobs import JobResult, deserialize_result
from redis.asyncio import Redis

from api import demo
from core.config import Settings
from core.outbox import store as outbox
from core.outbox.models import OutboxEntry
from core.sales import service as sales
from domain.records import DealRecord, DealStage
from tests.support.servers import running
from tests.support.waiting import until
from workers.queue import ArqQueue
from workers.relay import SWEEP_AFTER, after_commit

NOW = datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
# Every rep named this many times over: a backlog that takes the worker a few seconds.
BACKLOG_ROUNDS = 4
DEALS = 12


def won(key: str, email: str) -> DealRecord:
    return DealRecord(
        key, email, Decimal(100), DealStage.WON, NOW - timedelta(days=2), NOW - timedelta(hours=1)
    )


async def _settled(organisation_id: int) -> bool:
    return not await OutboxEntry.filter(organisation_id=organisation_id).exists()


async def evaluation_runs(redis: Redis, queue_name: str) -> list[JobResult]:
    """The results the worker keeps of this run's evaluate_outbox jobs (for a few seconds)."""
    keys = await redis.keys(f"arq:result:{queue_name}:evaluate_outbox*")
    kept = [await redis.get(key) for key in keys]
    return [deserialize_result(result) for result in kept if result is not None]


@pytest.mark.at(NOW)
async def test_deals_ingested_during_a_long_evaluation_are_evaluated_at_once(
    settings: Settings, production_env: dict[str, str], redis: Redis, db: None
) -> None:
    # The demo: teams, organisation goals and payout plans, so an evaluation measures,
    # awards and settles the ledger, as it does in production.
    made = await demo.ready_demo(NOW)
    organisation = made.organisation
    reps = [rep for rep in await organisation.users.all() if rep.team_id is not None]
    assert settings.redis_url is not None
    queue = await ArqQueue.connect(settings.redis_url, settings.queue_name)
    failed: list[BaseException] = []
    try:
        with running(production_env, "worker"):
            await after_commit(queue)
            await until(lambda: _settled(organisation.id), "the seeding to be evaluated")
            for _ in range(BACKLOG_ROUNDS):
                for rep in reps:
                    await outbox.record(organisation.id, [rep.id])
            await after_commit(queue)
            began = asyncio.get_running_loop().time()
            for number in range(DEALS):
                rep = reps[number * 7 % len(reps)]
                try:
                    await sales.ingest_deals(organisation, [won(f"during-{number}", rep.email)])
                except Exception as error:  # the deadlock's victim, were it the ingestion
                    failed.append(error)
                await after_commit(queue)
                await asyncio.sleep(0.05)
            # Younger than the sweeper's age limit: only the relays' own runs could do it.
            await until(
                lambda: _settled(organisation.id),
                "every deal to be evaluated",
                deadline=SWEEP_AFTER.total_seconds(),
            )
            took = asyncio.get_running_loop().time() - began
            runs = await evaluation_runs(redis, settings.queue_name)
    finally:
        await queue.close()

    assert [getattr(error, "detail", error) for error in failed] == []
    assert len(runs) >= 2, "the worker kept the results of its evaluation runs"
    # An evaluation chosen as a deadlock's victim is tried again (or fails, its entries
    # left for the sweeper): every run succeeded the first time.
    assert [(run.success, run.job_try) for run in runs] == [(True, 1)] * len(runs)
    assert took < SWEEP_AFTER.total_seconds()
