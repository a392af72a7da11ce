"""Real processes under strain: a flood of concurrent ingests through a real API with a real
worker evaluating as they come (nothing may wait on a lock or a pool slot its holder needs),
and a worker killed with -9 in the middle of an evaluation (another worker finishes the
work, nothing is made twice)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import datetime, timedelta
from decimal import Decimal

import httpx

from core.orgs.models import Role, User
from core.outbox.models import OutboxEntry
from core.sales import service as sales
from domain.records import DealRecord, DealStage
from gamification.models import Award
from tests.conftest import Org
from tests.support.factories import revenue_goal_around
from tests.support.servers import api_server, running
from tests.support.waiting import until

INGEST = """mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) {
  __typename ... on IngestPayload { accepted } } }"""


async def _reps(org: Org, now: datetime, count: int) -> list[User]:
    """`count` reps, each with a goal of 100 around today."""
    await User.bulk_create(
        [
            User(
                organisation_id=org.organisation.id,
                email=f"many{n}@acme.test",
                name=f"Many {n}",
                role=Role.REP,
                team_id=org.team.id,
            )
            for n in range(count)
        ]
    )
    reps = await User.filter(email__startswith="many").order_by("id")
    for rep in reps:
        await revenue_goal_around(org.organisation.id, rep.id, now, 100, days=3)
    return reps


def _deal(rep: User, closed: datetime) -> dict[str, object]:
    return {
        "externalId": f"many-{rep.id}",
        "ownerEmail": rep.email,
        "amount": "150",
        "stage": "WON",
        "createdAt": (closed - timedelta(days=1)).isoformat(),
        "closedAt": closed.isoformat(),
    }


async def _target_hits(reps: list[User]) -> int:
    return await Award.filter(rep_id__in=[rep.id for rep in reps], badge__code="TARGET_HIT").count()


async def test_a_flood_of_concurrent_ingests_is_answered_and_evaluated(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    """Forty batches at once, each of five reps' deals, into one organisation (one advisory
    lock), while a worker evaluates: every request answered within its timeout, every rep
    awarded once."""
    reps = await _reps(org, now, 200)
    closed = now - timedelta(hours=1)
    batches = [reps[start : start + 5] for start in range(0, len(reps), 5)]
    with running(production_env, "worker"), api_server(production_env) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:

            async def send(batch: list[User]) -> tuple[float, dict]:
                began = time.monotonic()
                response = await http.post(
                    "/graphql",
                    json={
                        "query": INGEST,
                        "variables": {"deals": [_deal(r, closed) for r in batch]},
                    },
                    headers={"authorization": f"Bearer {org.token()}"},
                )
                return time.monotonic() - began, response.json()

            answers = await asyncio.gather(*(send(batch) for batch in batches))
        hits = await until(lambda: _all(reps), "every rep's award", deadline=90)

    assert all(body["data"]["ingestDeals"]["accepted"] == 5 for _, body in answers)
    assert max(seconds for seconds, _ in answers) < 30
    assert hits
    assert await _target_hits(reps) == len(reps)
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 0


async def _all(reps: list[User]) -> bool:
    return await _target_hits(reps) == len(reps)


async def test_a_worker_killed_mid_evaluation_leaves_its_work_to_another(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    """2,000 reps' deals committed with their outbox entries; a worker starts evaluating
    them and is killed with -9 while entries remain; a second worker's sweeper takes the
    entries the first held (its transaction died with it), and every rep is awarded once."""
    reps = await _reps(org, now, 2000)
    closed = now - timedelta(hours=1)
    records = [
        DealRecord(
            f"many-{r.id}", r.email, Decimal(150), DealStage.WON, closed - timedelta(1), closed
        )
        for r in reps
    ]
    for start in range(0, len(records), 500):
        await sales.ingest_deals(org.organisation, records[start : start + 500])
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 20

    with running(production_env, "worker") as first:
        await until(lambda: _any(reps), "the first worker to have evaluated some", deadline=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        left = await OutboxEntry.filter(organisation_id=org.organisation.id).count()
    with running(production_env, "worker") as second:
        await until(lambda: _all(reps), "the second worker to finish the work", deadline=120)
        assert second.poll() is None

    assert left > 0, "the first worker was killed before it was done"
    assert await _target_hits(reps) == len(reps)
    assert await OutboxEntry.filter(organisation_id=org.organisation.id).count() == 0


async def _any(reps: list[User]) -> bool:
    return await _target_hits(reps) > 0
