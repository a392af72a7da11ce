"""Benchmark: capacity under a mixed load. One `pacesetter serve` process (and a worker) on a
fresh PostgreSQL database seeded with the demo organisation; CLIENTS concurrent clients for
SECONDS, each looping over a mix: a manager's team dashboard, the reps list, a leaderboard
(reads) and one deal ingested (writes, one in five). Reports operations per second, p50 and
p99 latency and the errors (timeouts at 30 s included). Baseline, same run, same clients:
`GET /healthz` — what the server does with no work at all. The clients run in this process,
on the same machine: on two cores they take CPU from the server, so the figures are a floor.

    .venv/bin/python bench/load.py [CLIENTS] [SECONDS]   # needs PostgreSQL and Redis
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api import demo  # noqa: E402
from bench.common import SECRET, free_port, fresh_database, healthy, process_env  # noqa: E402
from bench.results import Row, report  # noqa: E402
from core.auth.tokens import mint_token  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.orgs.models import Role, Team, User  # noqa: E402

CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
TIMEOUT = 30.0

DASHBOARD = """query($team: ID!) { team(id: $team) { name reps(first: 20) { edges { node {
  name goals(first: 10) { edges { node { target progress { currentValue attainment status }
  awards { badge { code } } } } } } } } } }"""
REPS = "{ reps(first: 50) { edges { node { name email } } } }"
BOARD = """query($start: Date!, $end: Date!) { leaderboard(metric: REVENUE, periodStart: $start,
  periodEnd: $end) { entries { name rank value } } }"""
INGEST = "mutation($d: [DealInput!]!) { ingestDeals(deals: $d) { __typename } }"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def hammer(
    base: str, work: list[tuple[str, dict]], seconds: float
) -> tuple[float, list[float], int]:
    """CLIENTS clients looping over `work` (each its own random order) for `seconds`:
    operations per second, latencies in ms, errors."""
    latencies: list[float] = []
    errors = 0
    ends = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as http:

        async def client(number: int) -> None:
            nonlocal errors
            rng = random.Random(number)
            while time.monotonic() < ends:
                path, request = rng.choice(work)
                began = time.monotonic()
                try:
                    if request:
                        response = await http.post(path, **request)
                    else:
                        response = await http.get(path)
                    failed = response.status_code != 200 or "errors" in response.text[:20]
                except httpx.HTTPError:
                    failed = True
                latencies.append((time.monotonic() - began) * 1000)
                errors += failed

        started = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(CLIENTS)))
        elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, errors


async def main() -> None:
    async with fresh_database("load") as (name, url):
        await measure(name, url)


async def measure(name: str, url: str) -> None:
    env = process_env(name, url)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await migrate(url)
        await open_database(url)
        made = await demo.seed_demo(datetime.now(UTC))
        organisation = made.organisation
        team = await Team.filter(organisation_id=organisation.id).exclude(manager_id=None).first()
        assert team is not None
        assert team.manager_id is not None
        manager = await User.get(id=team.manager_id)
        reps = await User.filter(organisation_id=organisation.id, role=Role.REP)
        await close_database()
        port = free_port()
        for args in (["serve", "--port", str(port)], ["worker"]):
            processes.append(
                subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
                    [sys.executable, "-m", "api.cli", *args],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        base = f"http://127.0.0.1:{port}"
        await healthy(base)
        bearer = {"authorization": f"Bearer {mint_token(manager, SECRET)}"}
        ingest = {"authorization": f"Bearer {mint_token(made.admin, SECRET)}"}
        today = datetime.now(UTC).date()
        month = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}

        def deal(n: int) -> dict:
            closed = datetime.now(UTC) - timedelta(minutes=1)
            rep = reps[n % len(reps)]
            record = {
                "externalId": f"load-{n}",
                "ownerEmail": rep.email,
                "amount": "100",
                "stage": "WON",
                "createdAt": (closed - timedelta(days=1)).isoformat(),
                "closedAt": closed.isoformat(),
            }
            return {"json": {"query": INGEST, "variables": {"d": [record]}}, "headers": ingest}

        reads = [
            ("/graphql", {"json": {"query": DASHBOARD, "variables": {"team": str(team.id)}}}),
            ("/graphql", {"json": {"query": REPS}}),
            ("/graphql", {"json": {"query": BOARD, "variables": month}}),
        ]
        work = [(path, {**request, "headers": bearer}) for path, request in reads] * 4
        work += [("/graphql", deal(n)) for n in range(3)]
        mixed_rate, mixed, mixed_errors = await hammer(base, work, SECONDS)
        floor_rate, floor, floor_errors = await hammer(base, [("/healthz", {})], SECONDS / 3)
        print(
            f"{CLIENTS} clients, {SECONDS:.0f} s: {len(mixed):,} operations, "
            f"{mixed_errors} errors; /healthz: {len(floor):,} requests, {floor_errors} errors"
        )
        health = "GET /healthz from the same clients"
        report(
            [
                Row(
                    "load",
                    f"mixed load, {CLIENTS} clients: operations per s",
                    "per s",
                    mixed_rate,
                    floor_rate,
                    health,
                ),
                Row(
                    "load",
                    f"mixed load, {CLIENTS} clients: p50 ms",
                    "ms",
                    pct(mixed, 0.5),
                    pct(floor, 0.5),
                    health,
                ),
                Row(
                    "load",
                    f"mixed load, {CLIENTS} clients: p99 ms",
                    "ms",
                    pct(mixed, 0.99),
                    pct(floor, 0.99),
                    health,
                ),
            ]
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


FREE_PORT = (
    "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
)


if __name__ == "__main__":
    asyncio.run(main())
