"""Benchmark: capacity under load. One `pacesetter serve` process (and a worker) on a fresh
PostgreSQL database seeded with the demo organisation; CLIENTS concurrent clients for
SECONDS, each looping over a mix: the director's team dashboard, the reps list, a
leaderboard (reads) and one deal ingested (writes, one in five). Reports requests per
second, p50 and p99 latency and the errors (timeouts at 30 s included), against `GET
/healthz` from the same clients — what the server does with no work at all. Then the reads
alone (dashboard and reps list), against the same reads from one PostGraphile 4 process over
the same database (bench/stack.py). The clients run in this process, on the same machine: on
two cores they take CPU from the server, so the figures are a floor.

    .venv/bin/python bench/load.py [CLIENTS] [SECONDS]   # needs PostgreSQL and Redis
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SECRET  # noqa: E402
from bench.results import Row, report  # noqa: E402
from bench.stack import (  # noqa: E402
    BASELINE_DASHBOARD,
    BASELINE_REPS,
    PROJECT_DASHBOARD,
    PROJECT_REPS,
    Stack,
    side_by_side,
)
from core.auth.tokens import mint_token  # noqa: E402

CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
TIMEOUT = 30.0

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
    reasons: list[str] = []  # the first few failures, printed
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
                    why = f"{response.status_code} {response.text[:160]}"
                except httpx.HTTPError as error:
                    failed, why = True, repr(error)
                if failed and len(reasons) < 3:
                    reasons.append(why)
                latencies.append((time.monotonic() - began) * 1000)
                errors += failed

        started = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(CLIENTS)))
        elapsed = time.monotonic() - started
    for why in reasons:
        print(f"  failed: {why}")
    return len(latencies) / elapsed, latencies, errors


async def main() -> None:
    async with side_by_side("load") as stack:
        await measure(stack)


async def measure(stack: Stack) -> None:
    seeded, base, baseline = stack.seeded, stack.project, stack.baseline
    bearer = {"authorization": f"Bearer {mint_token(seeded.director, SECRET)}"}
    ingest = {"authorization": f"Bearer {mint_token(seeded.admin, SECRET)}"}
    today = datetime.now(UTC).date()
    month = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    ours, theirs = {"team": str(seeded.team.id)}, {"team": seeded.team.id}

    def deal(n: int) -> dict:
        closed = datetime.now(UTC) - timedelta(minutes=1)
        rep = seeded.reps[n % len(seeded.reps)]
        record = {
            "externalId": f"load-{n}",
            "ownerEmail": rep.email,
            "amount": "100",
            "stage": "WON",
            "createdAt": (closed - timedelta(days=1)).isoformat(),
            "closedAt": closed.isoformat(),
        }
        return {"json": {"query": INGEST, "variables": {"d": [record]}}, "headers": ingest}

    def asked(query: str, variables: dict, headers: dict) -> tuple[str, dict]:
        return (
            "/graphql",
            {"json": {"query": query, "variables": variables}, "headers": headers},
        )

    reads = [asked(PROJECT_DASHBOARD, ours, bearer), asked(PROJECT_REPS, ours, bearer)]
    baseline_reads = [asked(BASELINE_DASHBOARD, theirs, {}), asked(BASELINE_REPS, theirs, {})]
    board = asked(BOARD, month, bearer)
    work = [*reads, board] * 4 + [("/graphql", deal(n)) for n in range(3)]

    mixed = await hammer(base, work, SECONDS)
    floor = await hammer(base, [("/healthz", {})], SECONDS / 3)
    read_only = await hammer(base, reads, SECONDS / 2)
    other = await hammer(baseline, baseline_reads, SECONDS / 2)
    for label, (_, done, failed) in (
        ("mixed", mixed),
        ("/healthz", floor),
        ("reads", read_only),
        ("PostGraphile reads", other),
    ):
        print(f"{CLIENTS} clients, {label}: {len(done):,} requests, {failed} errors")
    # Each figure of a side: (label, unit, how it is read off (rate, latencies, errors)).
    figures = [
        ("requests per s", "per s", lambda side: side[0]),
        ("p50 ms", "ms", lambda side: pct(side[1], 0.5)),
        ("p99 ms", "ms", lambda side: pct(side[1], 0.99)),
        ("errors", "count", lambda side: side[2]),
    ]
    rows = [
        Row("load", f"{what}, {CLIENTS} clients: {label}", unit, of(ours_side), of(theirs), against)
        for what, ours_side, theirs, against in (
            ("mixed load", mixed, floor, "GET /healthz from the same clients"),
            ("reads", read_only, other, "PostGraphile 4, the same reads"),
        )
        for label, unit, of in figures
    ]
    report(rows)


if __name__ == "__main__":
    asyncio.run(main())
