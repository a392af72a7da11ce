"""A real arq worker for tests, on the test run's Redis and queue."""

from __future__ import annotations

from typing import Any

from arq.worker import Worker

from core.config import Settings
from workers.settings import create_worker, prepare_context


def burst_worker(settings: Settings) -> Worker:
    """A real arq worker that stops when the queue is empty, running the jobs the test
    enqueued (no crons: the outbox sweeper would add runs of its own). This test process
    has the ORM open already, so its hooks only prepare the jobs' context and close the
    event bus."""

    async def startup(ctx: dict[str, Any]) -> None:
        prepare_context(ctx, settings)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await ctx["bus"].close()

    return create_worker(
        settings,
        burst=True,
        on_startup=startup,
        on_shutdown=shutdown,
        handle_signals=False,
        cron_jobs=[],
        poll_delay=0.05,
    )
