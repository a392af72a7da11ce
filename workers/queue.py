"""The one seam between Pacesetter and its job queue: arq on Redis, or in-process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings

from core.telemetry import JOBS

logger = logging.getLogger(__name__)

JobFunction = Callable[..., Awaitable[Any]]


class JobQueue(Protocol):
    async def enqueue(self, function: str, **kwargs: Any) -> None: ...

    async def backlog(self) -> int:
        """Jobs waiting or running; raises when the queue cannot be reached."""
        ...

    async def close(self) -> None: ...


class ArqQueue:
    def __init__(self, pool: ArqRedis, queue_name: str) -> None:
        self._pool = pool
        self._queue_name = queue_name

    @classmethod
    async def connect(cls, redis_url: str, queue_name: str) -> ArqQueue:
        pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=queue_name)
        return cls(pool, queue_name)

    async def enqueue(self, function: str, **kwargs: Any) -> None:
        await self._pool.enqueue_job(function, _queue_name=self._queue_name, **kwargs)
        JOBS.labels(function, "enqueued").inc()

    async def backlog(self) -> int:
        return int(await self._pool.zcard(self._queue_name))

    async def close(self) -> None:
        # arq builds its own connection pool, which aclose() leaves open unless told.
        await self._pool.aclose(close_connection_pool=True)


class InProcessQueue:
    """Runs the same job functions as the workers, as tasks of this process."""

    def __init__(self, functions: Mapping[str, JobFunction], ctx: dict[str, Any]) -> None:
        self._functions = functions
        self._ctx = ctx
        self._tasks: set[asyncio.Task[None]] = set()

    async def enqueue(self, function: str, **kwargs: Any) -> None:
        job = self._functions[function]
        JOBS.labels(function, "enqueued").inc()
        task = asyncio.create_task(self._run(function, job, kwargs), name=f"job:{function}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, name: str, job: JobFunction, kwargs: dict[str, Any]) -> None:
        try:
            await job(self._ctx, **kwargs)
            JOBS.labels(name, "succeeded").inc()
        except Exception:
            JOBS.labels(name, "failed").inc()
            logger.exception("in-process job %s failed", name)

    async def backlog(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every job enqueued so far, and those they enqueue."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def close(self) -> None:
        await self.drain()


async def run_daily(queue: JobQueue, function: str, hour: int, minute: int) -> None:
    """Enqueue `function` every day at hour:minute UTC, for the embedded mode's single
    process (arq's cron does this for workers)."""
    while True:
        now = datetime.now(UTC)
        due = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if due <= now:
            due += timedelta(days=1)
        await asyncio.sleep((due - now).total_seconds())
        await queue.enqueue(function)
