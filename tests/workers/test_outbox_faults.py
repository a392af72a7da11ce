"""Faults on real processes: a Redis of the test's own is stopped and started again under a
real API server and a real worker (an ingest during the outage is stored and answered, its
evaluation left in the outbox is relayed once Redis is back, the worker survives the
restart, nothing is awarded twice); and what an API killed between its commit and its
relay leaves behind is swept up by a worker."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

import httpx
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown

from core.outbox.models import OutboxEntry
from core.sales import service as sales
from domain.records import DealRecord, DealStage
from gamification.models import Award
from tests.conftest import Org
from tests.support.factories import revenue_goal_around
from tests.support.servers import api_process, api_server, free_port, running
from tests.support.waiting import until

INGEST = """mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) {
  __typename ... on IngestPayload { accepted } } }"""


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A redis-server of the test's own on `port`, keeping nothing on disk."""
    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is installed on these machines"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if Redis(port=port).ping():
                    break
            except RedisDown:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def deal(key: str, amount: int, closed: datetime) -> dict[str, object]:
    return {
        "externalId": key,
        "ownerEmail": "rita@acme.test",
        "amount": str(amount),
        "stage": "WON",
        "createdAt": (closed - timedelta(days=1)).isoformat(),
        "closedAt": closed.isoformat(),
    }


async def test_an_ingest_while_redis_is_down_is_kept_and_evaluated_after(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    goal = await revenue_goal_around(org.organisation.id, org.rep.id, now, 1000)
    port = free_port()
    env = {**production_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    closed = now - timedelta(hours=1)
    headers = {"authorization": f"Bearer {org.token()}"}

    with (
        redis_server(port) as first_redis,
        api_server(env) as base,
        running(env, "worker") as worker,
    ):
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            first_redis.terminate()
            first_redis.wait(timeout=10)
            during = await http.post(
                "/graphql",
                json={"query": INGEST, "variables": {"deals": [deal("d1", 1200, closed)]}},
                headers=headers,
            )
            left = await OutboxEntry.filter(organisation_id=org.organisation.id).count()
            await asyncio.sleep(3)
            with redis_server(port):
                hit = await until(
                    lambda: Award.filter(goal_id=goal.id, badge__code="TARGET_HIT").count(),
                    "the sweeper to relay the outbox and the worker to award",
                    deadline=60,
                )
                # Sent again (a client retrying), nothing more is made.
                again = await http.post(
                    "/graphql",
                    json={"query": INGEST, "variables": {"deals": [deal("d1", 1200, closed)]}},
                    headers=headers,
                )
                await asyncio.sleep(2)
                awards = await Award.filter(goal_id=goal.id).count()
                assert worker.poll() is None, "the worker survives Redis going away"

    # Stored and answered during the outage; the evaluation waited in the outbox.
    assert during.json()["data"]["ingestDeals"] == {"__typename": "IngestPayload", "accepted": 1}
    assert left == 1
    assert hit == 1
    assert again.json()["data"]["ingestDeals"]["accepted"] == 1
    assert awards == 1
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 0


async def test_what_a_dead_api_committed_but_never_relayed_is_swept_up(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    """The state an API killed right after its commit leaves behind — the deals and their
    outbox entry stored, nothing enqueued — made here by calling the ingestion service
    without the relay. A real worker's sweeper finds the entry and the rep is awarded."""
    goal = await revenue_goal_around(org.organisation.id, org.rep.id, now, 1000)
    closed = now - timedelta(hours=1)
    record = DealRecord(
        "orphan", "rita@acme.test", Decimal(1500), DealStage.WON, closed - timedelta(1), closed
    )
    assert (await sales.ingest_deals(org.organisation, [record])).accepted == 1
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 1

    with running(production_env, "worker") as worker:
        hit = await until(
            lambda: Award.filter(goal_id=goal.id, badge__code="TARGET_HIT").count(),
            "the worker's sweeper to relay the orphaned entry",
            deadline=60,
        )
        assert worker.poll() is None

    assert hit == 1
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 0


async def test_an_api_killed_after_its_commit_loses_nothing(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    """A real API whose relay cannot run (its Redis is down) commits an ingest and is killed
    with -9 before Redis is back: nothing of it survives but the database. A worker started
    afterwards sweeps the entry up and the rep is awarded."""
    goal = await revenue_goal_around(org.organisation.id, org.rep.id, now, 1000)
    port = free_port()
    env = {**production_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    closed = now - timedelta(hours=1)

    with redis_server(port) as redis, api_process(env) as (api, base):
        redis.terminate()
        redis.wait(timeout=10)
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            answer = await http.post(
                "/graphql",
                json={"query": INGEST, "variables": {"deals": [deal("k1", 1500, closed)]}},
                headers={"authorization": f"Bearer {org.token()}"},
            )
        os.kill(api.pid, signal.SIGKILL)
        api.wait(timeout=10)
    left = await OutboxEntry.filter(organisation_id=org.organisation.id).count()

    with redis_server(port), running(env, "worker"):
        hit = await until(
            lambda: Award.filter(goal_id=goal.id, badge__code="TARGET_HIT").count(),
            "a new worker to sweep up what the dead API committed",
            deadline=60,
        )

    assert answer.json()["data"]["ingestDeals"]["accepted"] == 1
    assert left == 1
    assert hit == 1
