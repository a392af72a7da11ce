"""A job that meets a backing service down is tried again, backing off, not failed for good;
a job that is simply wrong fails at once."""

from __future__ import annotations

from typing import Any

import pytest
from arq.worker import Retry

from workers.jobs import MAX_BACKOFF_SECONDS, retried_through_outages
from workers.queue import InProcessQueue


async def test_a_job_is_tried_again_through_an_outage() -> None:
    tries: list[int] = []

    async def flaky(ctx: dict[str, Any]) -> None:
        tries.append(ctx["job_try"])
        if len(tries) < 3:
            raise ConnectionRefusedError("PostgreSQL is restarting")

    queue = InProcessQueue({"flaky": retried_through_outages(flaky)}, {})
    await queue.enqueue("flaky")
    await queue.drain()

    assert tries == [1, 2, 3]


async def test_the_backoff_doubles_up_to_a_minute_and_other_errors_are_not_retried() -> None:
    async def down(ctx: dict[str, Any]) -> None:
        raise ConnectionResetError("gone")

    async def wrong(ctx: dict[str, Any]) -> None:
        raise ValueError("a bug, not an outage")

    deferred = []
    for attempt in (1, 2, 5, 9):
        with pytest.raises(Retry) as retry:
            await retried_through_outages(down)({"job_try": attempt})
        deferred.append(retry.value.defer_score)
    with pytest.raises(ValueError, match="a bug"):
        await retried_through_outages(wrong)({"job_try": 1})

    assert deferred == [2_000, 4_000, 32_000, MAX_BACKOFF_SECONDS * 1000]
