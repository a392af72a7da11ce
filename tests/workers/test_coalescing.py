"""Leading-edge coalescing: the first job of a key runs at once; the jobs that follow within
its window fold into one trailing run when the window closes; other keys run apart."""

from __future__ import annotations

import time
from typing import Any

from core.config import Settings
from workers.queue import COALESCE_WINDOW, ArqQueue, InProcessQueue


async def test_in_process_a_burst_runs_at_once_and_once_more_at_its_end() -> None:
    runs: list[tuple[list[int], float]] = []
    began = time.monotonic()

    async def job(ctx: dict[str, Any], rep_ids: list[int]) -> None:
        runs.append((rep_ids, time.monotonic() - began))

    queue = InProcessQueue({"job": job}, {})
    for _ in range(5):
        await queue.enqueue("job", coalesce="rep-7", rep_ids=[7])
    await queue.enqueue("job", coalesce="rep-8", rep_ids=[8])
    await queue.drain()

    window = COALESCE_WINDOW.total_seconds()
    sevens = [at for reps, at in runs if reps == [7]]
    eights = [at for reps, at in runs if reps == [8]]
    # rep 7: the leading run at once, the trailing one when the window closed; rep 8 alone.
    assert len(sevens) == 2
    assert len(eights) == 1
    assert sevens[0] < window / 2
    assert eights[0] < window / 2
    assert sevens[1] >= window * 0.9


async def test_arq_queues_a_leading_and_one_trailing_job_per_key(
    settings: Settings, db: None
) -> None:
    assert settings.redis_url is not None
    queue = await ArqQueue.connect(settings.redis_url, settings.queue_name)
    try:
        for _ in range(5):
            await queue.enqueue(
                "recompute_progress", coalesce="1:7", organisation_id=1, rep_ids=[7]
            )
        await queue.enqueue("recompute_progress", coalesce="1:8", organisation_id=1, rep_ids=[8])
        backlog = await queue.backlog()
    finally:
        await queue.close()

    assert backlog == 3


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
