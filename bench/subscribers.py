"""Benchmark: ingest → subscriber latency with 100 and 1,000 concurrent subscribers spread
over two API processes, with a real worker between them and Redis carrying the events.

For each size, all subscribers follow one goal; INGESTS deals are ingested one after another
(through the first API process) and every subscriber notes when each new progress reaches
it. Baseline, same run: as many events published straight on the goal's Redis channel, one
after another (no job, no database), timed the same way. Prints p50 and p99 of both and
their ratio.

    .venv/bin/python bench/subscribers.py     # needs PostgreSQL and Redis (TEST_* variables)
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
import websockets
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import Row, report  # noqa: E402
from core.auth.tokens import mint_token  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.goals.models import Goal, OwnerType  # noqa: E402
from core.messages import ProgressChanged, encode  # noqa: E402
from core.orgs import service as orgs  # noqa: E402
from core.orgs.models import Role  # noqa: E402
from domain.metrics import Metric  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
INGESTS = 10
SECRET = "bench-" + "x" * 40
FOLLOW = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue } }"
INGEST = "mutation($d: [DealInput!]!) { ingestDeals(deals: $d) { __typename } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def follower(
    url: str,
    token: str,
    goal_id: int,
    ready: asyncio.Event,
    joined: list[None],
    total: int,
    arrivals: list[float],
    wanted: int,
) -> None:
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        await ws.recv()
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": FOLLOW, "variables": {"id": str(goal_id)}},
                }
            )
        )
        await ws.recv()  # the progress as it stands
        joined.append(None)
        if len(joined) == total:
            ready.set()
        for _ in range(wanted):
            await ws.recv()
            arrivals.append(time.perf_counter())


async def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    name = f"pacesetter_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    prefix = f"bench-{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "JWT_SECRET": SECRET,
        "QUEUE_NAME": f"bench:{name}",
        "EVENTS_PREFIX": prefix,
        "LOG_LEVEL": "WARNING",
    }
    processes = []
    try:
        await migrate(url)
        await open_database(url)
        created = await orgs.provision_organisation(
            "Bench", admin_email=f"{name}@bench.test", admin_name="B", timezone="UTC"
        )
        organisation, admin_user = created  # type: ignore[misc]
        team = await orgs.create_team(organisation.id, "Sales", None)
        rep = await orgs.create_user(
            organisation.id,
            email=f"rep-{name}@bench.test",
            name="R",
            role=Role.REP,
            team_id=team.id,
        )  # type: ignore[union-attr]
        today = datetime.now(UTC).date()
        goal = await Goal.create(
            organisation_id=organisation.id,
            owner_type=OwnerType.REP,
            owner_rep_id=rep.id,  # type: ignore[union-attr]
            metric=Metric.REVENUE,
            target=Decimal(10**9),
            period_start=today,
            period_end=today + timedelta(days=10),
        )
        token = mint_token(admin_user, SECRET)
        ports = [free_port(), free_port()]
        processes.append(
            subprocess.Popen(  # noqa: ASYNC220 - started before anything is timed
                [sys.executable, "-m", "api.cli", "worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for port in ports:
            processes.append(
                subprocess.Popen(  # noqa: ASYNC220
                    [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        async with httpx.AsyncClient() as http:
            for port in ports:
                for _ in range(100):
                    try:
                        if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
        redis = Redis.from_url(REDIS_URL)
        rows = []
        for size in (100, 1000):
            arrivals: list[float] = []
            joined: list[None] = []
            ready = asyncio.Event()
            urls = [f"ws://127.0.0.1:{port}/graphql" for port in ports]
            tasks = [
                asyncio.create_task(
                    follower(
                        urls[n % 2], token, goal.id, ready, joined, size, arrivals, 2 * INGESTS
                    )
                )
                for n in range(size)
            ]
            await asyncio.wait_for(ready.wait(), 120)
            # Baseline: as many events straight on the goal's channel, one after another.
            baseline: list[float] = []
            for _ in range(INGESTS):
                sent = time.perf_counter()
                await redis.publish(
                    f"{prefix}:goal:{goal.id}",
                    encode(
                        ProgressChanged(
                            goal_id=goal.id,
                            owner_type="REP",
                            owner_rep_id=None,
                            owner_team_id=None,
                            current_value=Decimal(0),
                            target=Decimal(1),
                            attainment=Decimal(0),
                            expected_attainment=Decimal(0),
                            projected_value=None,
                            status="ON_TRACK",
                            measured_at=datetime.now(UTC),
                        )
                    ),
                )
                while len(arrivals) < size:  # noqa: ASYNC110 - arrivals come from many tasks
                    await asyncio.sleep(0.001)
                baseline += [(t - sent) * 1000 for t in arrivals]
                arrivals.clear()
            latency: list[float] = []
            async with httpx.AsyncClient() as http:
                for number in range(INGESTS):
                    now = datetime.now(UTC)
                    deal = {
                        "externalId": f"b-{size}-{number}",
                        "ownerEmail": rep.email,  # type: ignore[union-attr]
                        "amount": "100",
                        "stage": "WON",
                        "createdAt": (now - timedelta(hours=1)).isoformat(),
                        "closedAt": now.isoformat(),
                    }
                    sent = time.perf_counter()
                    await http.post(
                        f"http://127.0.0.1:{ports[0]}/graphql",
                        headers={"Authorization": f"Bearer {token}"},
                        json={"query": INGEST, "variables": {"d": [deal]}},
                    )
                    while len(arrivals) < size:  # noqa: ASYNC110 - arrivals come from many tasks
                        await asyncio.sleep(0.001)
                    latency += [(t - sent) * 1000 for t in arrivals]
                    arrivals.clear()
            await asyncio.wait_for(asyncio.gather(*tasks), 120)
            direct = "an event published straight on Redis to the same subscribers"
            rows += [
                Row(
                    "subscribers",
                    f"ingest → {size:,} subscribers p{q} ({INGESTS} ingests), ms",
                    "ms",
                    pct(latency, share),
                    pct(baseline, share),
                    direct,
                )
                for q, share in (("50", 0.5), ("99", 0.99))
            ]
        await redis.aclose()
        report(rows)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        await close_database()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
