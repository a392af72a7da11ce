"""Benchmark: ingest → award latency and evaluations per second, with a real arq worker.

A `pacesetter worker` process serves a fresh PostgreSQL database and Redis. 1,000 reps
each have a goal of 100 for this month.

- Latency: 50 times, one deal of 150 is ingested for a rep and the outbox relayed (as the
  API does: the rep's first change runs at once); the clock stops when the award row exists.
  Baseline, same run: a no-op `ping` job enqueued and its result awaited.
- Statements: one batch of 500 reps evaluated in this process, its SQL statements counted.
- Throughput: one deal each for all the other reps (9,450), the outbox relayed; evaluations
  per second until the outbox and the queue are empty. Baseline: as many `ping` jobs.

    .venv/bin/python bench/awards.py      # needs PostgreSQL and Redis (TEST_* variables)
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
from arq import create_pool
from arq.connections import RedisSettings
from tortoise.transactions import in_transaction

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import Row, report  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.goals.models import Goal, OwnerType  # noqa: E402
from core.orgs import service as orgs  # noqa: E402
from core.orgs.models import Role, User  # noqa: E402
from core.outbox.models import OutboxEntry  # noqa: E402
from core.sales import service as sales  # noqa: E402
from domain.metrics import Metric  # noqa: E402
from domain.records import DealRecord, DealStage  # noqa: E402
from gamification.models import Award  # noqa: E402
from workers import pipeline  # noqa: E402
from workers.queue import COALESCE_WINDOW, ArqQueue  # noqa: E402
from workers.relay import after_commit  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
REPS = 10_000
SAMPLES = 50
# Reps evaluated in this process, their statements counted: one batch of the pipeline.
COUNTED = 500
EXECUTORS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def wait_for(check, limit: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + limit
    while not await check():
        if time.perf_counter() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.005)


async def main() -> None:
    name = f"pacesetter_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    queue_name = f"bench:{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "QUEUE_NAME": queue_name,
        "JWT_SECRET": "bench-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        # Events of this run only: another run on the machine publishes under its own.
        "EVENTS_PREFIX": f"bench-{name}",
    }
    worker = None
    try:
        await migrate(url)
        await open_database(url)
        created = await orgs.provision_organisation(
            "Bench", admin_email=f"{name}@bench.test", admin_name="B", timezone="UTC"
        )
        organisation, _ = created  # type: ignore[misc]
        team = await orgs.create_team(organisation.id, "Sales", None)
        today = datetime.now(UTC).date()
        reps: list[User] = []
        for n in range(REPS):
            rep = await orgs.create_user(
                organisation.id,
                email=f"r{n}-{name}@bench.test",
                name=f"R{n}",
                role=Role.REP,
                team_id=team.id,
            )  # type: ignore[union-attr]
            reps.append(rep)  # type: ignore[arg-type]
        await Goal.bulk_create(
            [
                Goal(
                    organisation_id=organisation.id,
                    owner_type=OwnerType.REP,
                    owner_rep_id=r.id,
                    metric=Metric.REVENUE,
                    target=Decimal(100),
                    target_kind="ABSOLUTE",
                    period_start=today.replace(day=1),
                    period_end=today + timedelta(days=40),
                )
                for r in reps
            ]
        )
        worker = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
            [sys.executable, "-m", "api.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        queue = await ArqQueue.connect(REDIS_URL, queue_name)
        pool = await create_pool(RedisSettings.from_dsn(REDIS_URL), default_queue_name=queue_name)

        async def ping_once() -> None:
            job = await pool.enqueue_job("ping", _queue_name=queue_name)
            assert job is not None
            await job.result(timeout=30, poll_delay=0.005)

        await ping_once()  # the worker is up
        baseline = []
        for _ in range(SAMPLES):
            began = time.perf_counter()
            await ping_once()
            baseline.append(time.perf_counter() - began)

        def deal(rep: User, key: str) -> DealRecord:
            now = datetime.now(UTC)
            return DealRecord(
                key,
                rep.email,
                Decimal(150),
                DealStage.WON,
                created_at=now - timedelta(hours=1),
                closed_at=now,
            )

        latencies = []
        rng = random.Random(7)
        for n in range(SAMPLES):
            rep = reps[n]
            # At a random point of the coalescing window the previous sample opened.
            await asyncio.sleep(rng.uniform(0, 2 * COALESCE_WINDOW.total_seconds()))
            began = time.perf_counter()
            await sales.ingest_deals(organisation, [deal(rep, f"lat-{n}")])
            await after_commit(queue)

            async def awarded(rep_id: int = rep.id) -> bool:
                return await Award.filter(rep_id=rep_id, goal_id__not_isnull=True).exists()

            await wait_for(awarded)
            latencies.append(time.perf_counter() - began)

        counted, rest = reps[SAMPLES : SAMPLES + COUNTED], reps[SAMPLES + COUNTED :]
        await sales.ingest_deals(organisation, [deal(r, f"tp-{r.id}") for r in counted])
        seen: list[str] = []
        batch_began = time.perf_counter()
        async with in_transaction() as client:
            originals = {name: getattr(client, name) for name in EXECUTORS}

            def counting(name: str):  # type: ignore[no-untyped-def]
                async def run(sql: str, *args, **kwargs):  # type: ignore[no-untyped-def]
                    seen.append(sql)
                    return await originals[name](sql, *args, **kwargs)

                return run

            for name in EXECUTORS:
                setattr(client, name, counting(name))
            await pipeline.evaluate(organisation, [r.id for r in counted], datetime.now(UTC))
            await OutboxEntry.all().delete()
        batch_seconds = time.perf_counter() - batch_began
        for start in range(0, len(rest), 500):
            await sales.ingest_deals(
                organisation, [deal(r, f"tp-{r.id}") for r in rest[start : start + 500]]
            )
        began = time.perf_counter()
        await after_commit(queue)

        async def drained() -> bool:
            return await queue.backlog() == 0 and not await OutboxEntry.exists()

        await wait_for(drained, limit=600)
        evaluations = len(rest) / (time.perf_counter() - began)
        began = time.perf_counter()
        for _ in range(len(rest)):
            await pool.enqueue_job("ping", _queue_name=queue_name)
        await wait_for(drained, limit=600)
        pings = len(rest) / (time.perf_counter() - began)

        ms = [v * 1000 for v in latencies]
        base = [v * 1000 for v in baseline]
        ping = "a no-op ping job's round trip"
        report(
            [
                Row("awards", "ingest → award p50, ms", "ms", pct(ms, 0.5), pct(base, 0.5), ping),
                Row("awards", "ingest → award p95, ms", "ms", pct(ms, 0.95), pct(base, 0.95), ping),
                Row(
                    "awards",
                    f"evaluations per second, {len(rest):,} reps, one worker",
                    "per s",
                    evaluations,
                    pings,
                    "ping jobs per second",
                ),
            ]
        )
        print(
            f"one batch of {COUNTED} reps in this process: {len(seen)} statements, "
            f"{batch_seconds * 1000:.0f} ms ({COUNTED / batch_seconds:.0f} reps/s)"
        )
        await queue.close()
        await pool.aclose(close_connection_pool=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        await close_database()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
