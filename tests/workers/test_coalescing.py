"""A burst of jobs for one key runs once, after its window closes; other keys run apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from core.config import Settings
from workers.queue import COALESCE_WINDOW, ArqQueue, InProcessQueue, coalesced


def test_one_job_id_per_key_and_window() -> None:
    at = datetime(2026, 11, 28, 12, 0, 0, 250_000, tzinfo=UTC)
    later = datetime(2026, 11, 28, 12, 0, 0, 900_000, tzinfo=UTC)

    first, runs_at = coalesced("recompute_progress", "1:7", at)
    again, _ = coalesced("recompute_progress", "1:7", later)
    other, _ = coalesced("recompute_progress", "1:8", at)

    assert first == again != other
    assert runs_at == datetime(2026, 11, 28, 12, 0, 1, tzinfo=UTC)
    assert COALESCE_WINDOW.total_seconds() == 1


async def fresh_window() -> None:
    """Start at the beginning of a window, so a burst cannot straddle two."""
    window = COALESCE_WINDOW.total_seconds()
    now = datetime.now(UTC).timestamp()
    await asyncio.sleep(window - now % window + 0.01)


async def test_in_process_bursts_run_once_per_key() -> None:
    runs: list[list[int]] = []

    async def job(ctx: dict[str, Any], rep_ids: list[int]) -> None:
        runs.append(rep_ids)

    queue = InProcessQueue({"job": job}, {})
    await fresh_window()
    for _ in range(5):
        await queue.enqueue("job", coalesce="rep-7", rep_ids=[7])
    await queue.enqueue("job", coalesce="rep-8", rep_ids=[8])
    await queue.drain()

    assert sorted(runs) == [[7], [8]]


async def test_arq_keeps_one_queued_job_per_key(settings: Settings, db: None) -> None:
    assert settings.redis_url is not None
    queue = await ArqQueue.connect(settings.redis_url, settings.queue_name)
    await fresh_window()
    try:
        for _ in range(5):
            await queue.enqueue(
                "recompute_progress", coalesce="1:7", organisation_id=1, rep_ids=[7]
            )
        await queue.enqueue("recompute_progress", coalesce="1:8", organisation_id=1, rep_ids=[8])
        backlog = await queue.backlog()
    finally:
        await queue.close()

    assert backlog == 2


async def test_two_deployments_on_one_redis_keep_their_own_jobs(
    settings: Settings, db: None
) -> None:
    """arq keeps jobs under global keys: the same coalescing key in two queues (two
    deployments, or two test runs, on one Redis) must still make two jobs."""
    assert settings.redis_url is not None
    queues = [
        await ArqQueue.connect(settings.redis_url, f"{settings.queue_name}:{name}")
        for name in ("one", "two")
    ]
    await fresh_window()
    try:
        for queue in queues:
            await queue.enqueue(
                "recompute_progress", coalesce="1:7", organisation_id=1, rep_ids=[7]
            )
        backlogs = [await queue.backlog() for queue in queues]
    finally:
        for queue in queues:
            await queue.close()

    assert backlogs == [1, 1]
