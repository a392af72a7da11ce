"""Benchmark: progress of one team goal as history grows (10k, 100k, 1M deals).

The goal's quarter always holds the same 9,000 deals; only older history grows. Each size
times the product's progress path (`measure_goals`: team structure + one rollup query) and,
as the baseline measured in the same run, one hand-written SQL aggregate over the raw deals
(indexed on owner, stage, closed_at), sent through the ORM's pool as the product's
statements are. Prints the median of each and their ratio.

    .venv/bin/python bench/progress.py            # needs PostgreSQL (TEST_POSTGRES_URL)

History is loaded with COPY and the rollups built from it with one SQL statement, since
going through ingestion a million times would time the loader, not the query.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
from tortoise import connections

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import Row, report  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.goals.models import Goal, OwnerType  # noqa: E402
from core.goals.service import measure_goals  # noqa: E402
from core.orgs import service as orgs  # noqa: E402
from core.orgs.models import Role  # noqa: E402
from domain.metrics import Metric  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SIZES = [10_000, 100_000, 1_000_000]
REPS = 20
IN_PERIOD = 9_000
RUNS = 30
QUARTER = (date(2026, 10, 1), date(2026, 12, 31))
TZ = "America/New_York"

RAW = """
SELECT COALESCE(SUM(amount), 0) FROM deal
WHERE organisation_id = $1 AND owner_id = ANY($2::int[]) AND stage = 'WON'
  AND closed_at >= $3 AND closed_at < $4
"""
# The rollups of COPY-loaded deals, built the way ingestion would have left them.
BUILD_ROLLUPS = f"""
INSERT INTO deal_day (organisation_id, rep_id, day, product_key, region, segment,
                      revenue_ticks, cost_ticks, units, won, lost)
SELECT organisation_id, owner_id,
       ((closed_at AT TIME ZONE '{TZ}')::date - DATE '0001-01-01') + 1,
       COALESCE(product_id, 0), COALESCE(region, ''), COALESCE(segment, ''),
       SUM(CASE WHEN stage = 'WON' THEN amount * 10000 ELSE 0 END)::bigint,
       SUM(CASE WHEN stage = 'WON' THEN COALESCE(cost, 0) * 10000 ELSE 0 END)::bigint,
       SUM(CASE WHEN stage = 'WON' THEN quantity ELSE 0 END),
       SUM(CASE WHEN stage = 'WON' THEN 1 ELSE 0 END),
       SUM(CASE WHEN stage = 'LOST' THEN 1 ELSE 0 END)
FROM deal WHERE organisation_id = $1 AND closed_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6
"""


def deal_rows(
    org_id: int, reps: list[int], count: int, start: int, first: date, days: int, rng: random.Random
) -> list[tuple]:
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        closed = datetime.combine(
            first + timedelta(days=rng.randrange(days)), datetime.min.time(), UTC
        ) + timedelta(minutes=rng.randrange(1440))
        rows.append(
            (
                org_id,
                f"d{start + n}",
                rng.choice(reps),
                Decimal(rng.randrange(100, 20000)),
                1,
                "WON" if rng.random() < 0.7 else "LOST",
                closed - timedelta(days=20),
                closed,
                rng.choice(["EMEA", "NA", "APAC"]),
                rng.choice(["SMB", "Enterprise"]),
                now,
            )
        )
    return rows


async def timed(call, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


async def main() -> None:
    name = f"pacesetter_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        await migrate(url)
        await open_database(url)
        raw = await asyncpg.connect(url)
        created = await orgs.provision_organisation(
            "Bench", admin_email=f"{name}@bench.test", admin_name="B", timezone=TZ
        )
        organisation, _ = created  # type: ignore[misc]
        team = await orgs.create_team(organisation.id, "Sales", None)
        reps = []
        for n in range(REPS):
            rep = await orgs.create_user(
                organisation.id,
                email=f"r{n}-{name}@bench.test",
                name=f"R{n}",
                role=Role.REP,
                team_id=team.id,
            )
            reps.append(rep.id)  # type: ignore[union-attr]
        goal = await Goal.create(
            organisation_id=organisation.id,
            owner_type=OwnerType.TEAM,
            owner_team_id=team.id,
            metric=Metric.REVENUE,
            target=Decimal(10_000_000),
            period_start=QUARTER[0],
            period_end=QUARTER[1],
        )
        rng = random.Random(42)
        columns = [
            "organisation_id",
            "external_id",
            "owner_id",
            "amount",
            "quantity",
            "stage",
            "created_at",
            "closed_at",
            "region",
            "segment",
            "updated_at",
        ]
        await raw.copy_records_to_table(
            "deal",
            records=deal_rows(organisation.id, reps, IN_PERIOD, 0, QUARTER[0], 92, rng),
            columns=columns,
        )
        loaded = IN_PERIOD
        start_ts = datetime(2026, 10, 1, tzinfo=UTC)
        end_ts = datetime(2027, 1, 1, 5, tzinfo=UTC)
        now = datetime(2026, 11, 15, tzinfo=UTC)
        rows = []
        for size in SIZES:
            older = size - loaded
            # Older history: 20 years back at most, denser as it grows.
            await raw.copy_records_to_table(
                "deal",
                records=deal_rows(
                    organisation.id,
                    reps,
                    older,
                    loaded,
                    date(2006, 10, 1),
                    (QUARTER[0] - date(2006, 10, 1)).days,
                    rng,
                ),
                columns=columns,
            )
            loaded = size
            await raw.execute("TRUNCATE deal_day")
            await raw.execute(BUILD_ROLLUPS, organisation.id)
            await raw.execute("ANALYZE")

            async def rollup() -> None:
                await measure_goals(organisation, [goal], now)

            async def aggregate() -> None:
                # Through the ORM's own pool, as the product's statements go.
                await connections.get("default").execute_query(
                    RAW, [organisation.id, reps, start_ts, end_ts]
                )

            await rollup(), await aggregate()  # warm caches and plans
            ours, theirs = await timed(rollup), await timed(aggregate)
            rows.append(
                Row(
                    "progress",
                    f"team goal progress, {size:,} deals of history, ms",
                    "ms",
                    ours,
                    theirs,
                    "one hand-written SQL aggregate over the raw deals",
                )
            )
        await raw.close()
        report(rows)
    finally:
        await close_database()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
