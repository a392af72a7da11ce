"""arq worker settings: the same job functions, run against Redis."""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings
from arq.cron import cron
from arq.worker import Worker

from core.config import Settings
from core.db import close_database, open_database
from core.events import create_bus
from workers.jobs import ARQ_FUNCTIONS, JOBS, SCHEDULE, SWEEP_EVERY_SECONDS
from workers.queue import ArqQueue


def prepare_context(ctx: dict[str, Any], settings: Settings) -> None:
    """What every job finds in its context: the event bus, and the queue (on the worker's
    own connection to Redis, which arq closes) for jobs that enqueue jobs."""
    assert settings.redis_url is not None
    ctx["bus"] = create_bus(settings.redis_url, settings.events_prefix)
    ctx["queue"] = ArqQueue(ctx["redis"], settings.queue_name)


def create_worker(settings: Settings, **overrides: Any) -> Worker:
    """An arq worker bound to this configuration; `overrides` for tests (e.g. burst)."""
    if settings.redis_url is None:
        raise ValueError("REDIS_URL must be set to run a worker")
    redis_url = settings.redis_url

    async def startup(ctx: dict[str, Any]) -> None:
        await open_database(settings.database_url)
        prepare_context(ctx, settings)

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "bus" in ctx:
            await ctx["bus"].close()
        await close_database()

    options: dict[str, Any] = {
        "functions": ARQ_FUNCTIONS,
        "cron_jobs": [
            cron(
                JOBS[name],
                # arq names a cron job's runs `{name}:{time}` under global keys: the queue
                # name keeps two deployments on one Redis from skipping each other's runs.
                name=f"cron:{settings.queue_name}:{name}",
                hour=None if hour is None else {hour},
                minute={minute},
                unique=True,
                # Each only fans out one job per organisation (workers.jobs).
                timeout=60,
            )
            for name, hour, minute in SCHEDULE
        ]
        + [
            cron(
                JOBS["sweep_outbox"],
                name=f"cron:{settings.queue_name}:sweep_outbox",
                second=set(range(0, 60, SWEEP_EVERY_SECONDS)),
                unique=True,
                timeout=60,
            )
        ],
        "redis_settings": RedisSettings.from_dsn(redis_url),
        "queue_name": settings.queue_name,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "handle_signals": True,
        # arq waits this long between looks at the queue: it bounds job latency.
        "poll_delay": 0.05,
        # Fewer jobs at once than the database pool has connections (tortoise's default is
        # five): a job never waits for a connection that only another waiting job holds.
        "max_jobs": 4,
        **overrides,
    }
    return Worker(**options)
