"""Benchmark: `ingestDeals` of 1,000 deals through a real `pacesetter serve` process, against
PostgreSQL's own COPY of the same rows into a bare table, in the same run (median of RUNS
batches, each of new deals).

    .venv/bin/python bench/ingest.py      # needs PostgreSQL (and Redis for the relay)
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SECRET, free_port, fresh_database, healthy, process_env  # noqa: E402
from bench.results import Row, report  # noqa: E402
from core.auth.tokens import mint_token  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.orgs import service as orgs  # noqa: E402
from core.orgs.models import Role, User  # noqa: E402

BATCH = 1000
RUNS = 7
REPS = 50
INGEST = "mutation($d: [DealInput!]!) { ingestDeals(deals: $d) { __typename } }"
BARE = """CREATE TABLE bare (external_id text, owner text, amount numeric, stage text,
  created timestamptz, closed timestamptz)"""


async def main() -> None:
    async with fresh_database("ingest") as (name, url):
        await measure(name, url)


async def measure(name: str, url: str) -> None:
    env = process_env(name, url)
    server = None
    try:
        await migrate(url)
        await open_database(url)
        made = await orgs.provision_organisation(
            "Bench", admin_email=f"{name}@bench.test", admin_name="B", timezone="UTC"
        )
        organisation, admin_user = made  # type: ignore[misc]
        team = await orgs.create_team(organisation.id, "Sales", None)
        reps: list[User] = []
        for n in range(REPS):
            rep = await orgs.create_user(
                organisation.id,
                email=f"r{n}@bench.test",
                name=f"R{n}",
                role=Role.REP,
                team_id=team.id,  # type: ignore[union-attr]
            )
            reps.append(rep)  # type: ignore[arg-type]
        await close_database()
        port = free_port()
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        token = mint_token(admin_user, SECRET)
        closed = datetime.now(UTC) - timedelta(days=1)

        def batch(run: int) -> list[dict[str, str]]:
            return [
                {
                    "externalId": f"i-{run}-{n}",
                    "ownerEmail": reps[n % REPS].email,
                    "amount": f"{100 + n}.25",
                    "stage": "WON",
                    "createdAt": (closed - timedelta(days=1)).isoformat(),
                    "closedAt": closed.isoformat(),
                }
                for n in range(BATCH)
            ]

        ours, theirs = [], []
        raw = await asyncpg.connect(url)
        await raw.execute(BARE)
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            await healthy(base)
            for run in range(RUNS + 1):
                deals = batch(run)
                began = time.perf_counter()
                answer = await http.post(
                    "/graphql",
                    json={"query": INGEST, "variables": {"d": deals}},
                    headers={"authorization": f"Bearer {token}"},
                )
                seconds = time.perf_counter() - began
                assert answer.json()["data"]["ingestDeals"]["__typename"] == "IngestPayload"
                rows = [
                    (
                        d["externalId"],
                        d["ownerEmail"],
                        d["amount"],
                        d["stage"],
                        datetime.fromisoformat(d["createdAt"]),
                        datetime.fromisoformat(d["closedAt"]),
                    )
                    for d in deals
                ]
                began = time.perf_counter()
                await raw.copy_records_to_table("bare", records=rows)
                copy = time.perf_counter() - began
                if run:  # the first warms the server and the plans
                    ours.append(seconds)
                    theirs.append(copy)
        await raw.close()
        report(
            [
                Row(
                    "ingest",
                    f"ingestDeals of {BATCH:,} deals over HTTP, median ms",
                    "ms",
                    statistics.median(ours) * 1000,
                    statistics.median(theirs) * 1000,
                    "PostgreSQL COPY of the same rows into a bare table",
                )
            ]
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    asyncio.run(main())
