"""A real arq worker for tests, on the test run's Redis and queue."""

from __future__ import annotations

from typing import Any

from arq.worker import Worker

from core.config import Settings
from core.events import RedisBus
from workers.settings import create_worker


def burst_worker(settings: Settings) -> Worker:
    """A real arq worker that stops when the queue is empty. This test process has the ORM
    open already, so its hooks only open and close the event bus."""
    assert settings.redis_url is not None
    redis_url = settings.redis_url

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["bus"] = RedisBus(redis_url, settings.events_prefix)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await ctx["bus"].close()

    return create_worker(
        settings,
        burst=True,
        on_startup=startup,
        on_shutdown=shutdown,
        handle_signals=False,
        poll_delay=0.05,
    )
