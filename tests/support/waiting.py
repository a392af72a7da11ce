"""Waiting for a condition, never for a fixed time: a busy machine only makes it slower."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from redis.asyncio import Redis

from tests.conftest import METRICS_TOKEN

T = TypeVar("T")
METRICS = {"Authorization": f"Bearer {METRICS_TOKEN}"}
DEADLINE = 30.0
POLL = 0.02


async def until(check: Callable[[], Awaitable[T]], what: str, *, deadline: float = DEADLINE) -> T:
    """The first truthy answer of `check`, asked again and again; fails naming `what` when
    none came within `deadline` seconds."""
    ends = time.monotonic() + deadline
    while True:
        answer = await check()
        if answer:
            return answer
        if time.monotonic() > ends:
            raise AssertionError(f"waited {deadline:.0f} s for {what}")
        await asyncio.sleep(POLL)


async def listening(base_url: str, count: int) -> None:
    """Until the API process at `base_url` has `count` subscriptions registered with its
    event bus (its /metrics gauge; each one's watch on its credential is not counted): an
    event published from then on reaches each of them."""

    async def registered() -> bool:
        async with httpx.AsyncClient(base_url=base_url) as http:
            metrics = (await http.get("/metrics", headers=METRICS)).text
        found = re.findall(
            r'^pacesetter_event_listeners\{kind="([^"]+)"\} (\S+)$', metrics, re.MULTILINE
        )
        return sum(float(v) for kind, v in found if kind != "credentials") >= count

    await until(registered, f"{count} subscriber(s) registered at {base_url}")


async def listened(redis: Redis, channel: str) -> bool:
    """Whether a connection subscribes to the Redis channel (its full name)."""
    [(_, count)] = await redis.pubsub_numsub(channel)
    return int(count) > 0
