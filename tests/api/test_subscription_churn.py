"""200 subscribers that come and go leave no Redis subscription and no task behind."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
from redis.asyncio import Redis

from core.config import Settings
from domain.metrics import Metric
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.instants import LOS_ANGELES, local_date
from tests.support.servers import api_server
from tests.support.waiting import METRICS, until
from tests.support.ws import subscribe

FOLLOW = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue } }"


def tasks(metrics: str) -> float:
    match = re.search(r"^pacesetter_asyncio_tasks (\S+)$", metrics, re.MULTILINE)
    assert match, metrics
    return float(match.group(1))


async def test_connect_disconnect_cycles_release_everything(
    production_env: dict[str, str], settings: Settings, org: Org, redis: Redis, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=100,
        start=today,
        end=today + timedelta(days=3),
    )
    channel = f"{settings.events_prefix}:goal:{goal.id}"
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with httpx.AsyncClient(base_url=base_url) as http:
            before = tasks((await http.get("/metrics", headers=METRICS)).text)
            async with subscribe(url, FOLLOW, {"id": str(goal.id)}, org.token()) as live:
                await live.next()
                during = dict(await redis.pubsub_numsub(channel))
            for _ in range(199):
                async with subscribe(url, FOLLOW, {"id": str(goal.id)}, org.token()) as live:
                    await live.next()

            # The last sockets' handlers may still be closing: wait for them, within a deadline.
            async def settled() -> float | None:
                count = tasks((await http.get("/metrics", headers=METRICS)).text)
                return count if count <= before + 1 else None

            after = await until(settled, "the server's tasks to settle")
            left = dict(await redis.pubsub_numsub(channel))

    assert during == {channel.encode(): 1}
    assert left == {channel.encode(): 0}
    # The reader of the Redis bus stays (started by the first subscriber); nothing else.
    assert after <= before + 1, (before, after)
