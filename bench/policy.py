"""Benchmark: what the access guard costs on a manager's dashboard.

A manager of 100 reps (two goals and five won deals each) asks for their goals with owner,
progress and parent, and for their reps with email, team and goals. The same schema runs
the same queries with the policy guard (`api/guard.py`) and, as the baseline in the same
run, without it. Prints the median of each and their ratio.

    .venv/bin/python bench/policy.py            # needs PostgreSQL (TEST_POSTGRES_URL)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.auth.throttle import LoginThrottle  # noqa: E402
from api.context import Context  # noqa: E402
from api.schema import create_schema, unguarded_schema  # noqa: E402
from bench.results import Row, report  # noqa: E402
from core import clock  # noqa: E402
from core.auth.tokens import Viewer  # noqa: E402
from core.config import Settings  # noqa: E402
from core.db import close_database, migrate, open_database  # noqa: E402
from core.events import InProcessBus  # noqa: E402
from core.goals.models import Goal, OwnerType  # noqa: E402
from core.orgs import service as orgs  # noqa: E402
from core.orgs.models import Role  # noqa: E402
from core.sales import service as sales  # noqa: E402
from domain.metrics import Metric  # noqa: E402
from domain.records import DealRecord, DealStage  # noqa: E402
from workers.queue import InProcessQueue  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REPS = 100
RUNS = 15
DASHBOARD = """{
  goals(first: 100) { edges { node { id target periodLabel
    owner { ... on User { name email } ... on Team { name } }
    progress { currentValue attainment status } parent { id target } } } }
  reps(first: 100) { edges { node { name email team { name }
    goals { edges { node { id target } } } } } }
}"""


async def seed() -> Viewer:
    created = await orgs.provision_organisation(
        "Bench", admin_email=f"{uuid.uuid4().hex}@bench.test", admin_name="B", timezone="UTC"
    )
    organisation, _ = created  # type: ignore[misc]
    manager = await orgs.create_user(
        organisation.id, email="boss@bench.test", name="Boss", role=Role.MANAGER, team_id=None
    )
    team = await orgs.create_team(organisation.id, "Sales", None)
    team.manager_id = manager.id  # type: ignore[union-attr]
    await team.save(update_fields=["manager_id"])  # type: ignore[union-attr]
    now = clock.now()
    today = now.date()
    team_goal = await Goal.create(
        organisation_id=organisation.id,
        owner_type=OwnerType.TEAM,
        owner_team_id=team.id,  # type: ignore[union-attr]
        metric=Metric.REVENUE,
        target=Decimal(1_000_000),
        period_start=today.replace(day=1),
        period_end=today + timedelta(days=30),
    )
    deals = []
    for n in range(REPS):
        rep = await orgs.create_user(
            organisation.id,
            email=f"r{n}@bench.test",
            name=f"R{n}",
            role=Role.REP,
            team_id=team.id,  # type: ignore[union-attr]
        )
        for target in (5000, 10000):
            await Goal.create(
                organisation_id=organisation.id,
                owner_type=OwnerType.REP,
                owner_rep_id=rep.id,  # type: ignore[union-attr]
                metric=Metric.REVENUE,
                target=Decimal(target),
                period_start=today.replace(day=1),
                period_end=today + timedelta(days=30),
                parent_id=team_goal.id,
            )
        deals += [
            DealRecord(
                f"d{n}-{k}",
                f"r{n}@bench.test",
                Decimal(700 + k),
                DealStage.WON,
                now - timedelta(hours=3),
                now - timedelta(hours=1),
            )
            for k in range(5)
        ]
    await sales.ingest_deals(organisation, deals)
    return Viewer(organisation.id, manager.id, Role.MANAGER)  # type: ignore[union-attr]


async def timed(schema: object, settings: Settings, viewer: Viewer) -> float:
    samples = []
    for _ in range(RUNS):
        context = Context(
            request=None,  # type: ignore[arg-type]
            response=None,
            settings=settings,
            bus=InProcessBus(),
            queue=InProcessQueue({}, {}),
            throttle=LoginThrottle.create(None, "bench"),
            viewer=viewer,
        )
        began = time.perf_counter()
        result = await schema.execute(DASHBOARD, context_value=context)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - began)
        assert not result.errors, result.errors
    return statistics.median(samples) * 1000


async def main() -> None:
    name = f"pacesetter_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        await migrate(url)
        await open_database(url)
        viewer = await seed()
        settings = Settings(database_url=url, jwt_secret="b" * 40, max_tokens=100_000)
        guarded = create_schema(settings)
        unguarded = unguarded_schema(settings)
        await timed(guarded, settings, viewer)  # warm caches and connections
        baseline = await timed(unguarded, settings, viewer)
        with_guard = await timed(guarded, settings, viewer)
        report(
            [
                Row(
                    "policy",
                    f"manager dashboard, {REPS} reps, {2 * REPS + 1} goals, median ms",
                    "ms",
                    with_guard,
                    baseline,
                    "the same schema without the access guard",
                )
            ]
        )
    finally:
        await close_database()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
