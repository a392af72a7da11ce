"""The one seam between Pacesetter and its job queue: arq on Redis, or in-process.

Coalescing windows and schedules are on the machine's time, not `core.clock`: arq defers
jobs by its own clock, and they measure durations, not business dates.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.worker import Retry

from core.telemetry import JOBS

logger = logging.getLogger(__name__)

JobFunction = Callable[..., Awaitable[Any]]
# Jobs given a coalescing key run on the leading edge: the first enqueue of a key runs at
# once; those that follow within the window fold into one trailing run when it closes, which
# sees everything committed meanwhile. A single change is evaluated in milliseconds, and a
# burst (an organisation's deals, webhook after webhook) costs a run per window.
COALESCE_WINDOW = timedelta(milliseconds=100)
# Closed windows are forgotten once this many are remembered.
MAX_OPEN_WINDOWS = 10_000
# How often an in-process job is tried while a backing service is down (arq's max_tries).
IN_PROCESS_TRIES = 5


@dataclass(frozen=True)
class Slot:
    """Where an enqueue of a coalescing key goes: a job id, and how long to wait first."""

    job_id: str
    defer: timedelta | None = None


def leading(function: str, key: str, token: str) -> Slot:
    return Slot(f"{function}:{key}:{token}")


def trailing(function: str, key: str, token: str, remaining: timedelta) -> Slot:
    """The one run after a leading run's window, shared by every enqueue within it."""
    return Slot(f"{function}:{key}:{token}:trailing", max(remaining, timedelta()))


class JobQueue(Protocol):
    async def enqueue(self, function: str, *, coalesce: str | None = None, **kwargs: Any) -> None:
        """Run `function(ctx, **kwargs)` soon; with `coalesce`, once per key and window."""
        ...

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

    async def enqueue(self, function: str, *, coalesce: str | None = None, **kwargs: Any) -> None:
        # arq keeps every job under a global `arq:job:{id}` key: ids carry the queue name, so
        # that two deployments (or test runs) on one Redis never take each other's jobs.
        options: dict[str, Any] = {
            "_queue_name": self._queue_name,
            "_job_id": f"{self._queue_name}:{function}:{uuid.uuid4().hex}",
        }
        if coalesce is not None:
            slot = await self._slot(function, coalesce)
            options.update(_job_id=f"{self._queue_name}:{slot.job_id}", _defer_by=slot.defer)
        # arq answers None when a job with this id is already queued: coalesced.
        job = await self._pool.enqueue_job(function, **options, **kwargs)
        JOBS.labels(function, "enqueued" if job is not None else "coalesced").inc()

    async def _slot(self, function: str, key: str) -> Slot:
        """The leading run when no window of `key` is open (the window opens, in Redis, for
        every process at once), else the open window's trailing run."""
        name = f"{self._queue_name}:window:{function}:{key}"
        window_ms = int(COALESCE_WINDOW.total_seconds() * 1000)
        while True:
            token = uuid.uuid4().hex
            if await self._pool.set(name, token, nx=True, px=window_ms):
                return leading(function, key, token)
            async with self._pool.pipeline(transaction=True) as pipe:
                leader, remaining_ms = await pipe.get(name).pttl(name).execute()
            if leader is not None and remaining_ms > 0:
                remaining = timedelta(milliseconds=remaining_ms)
                return trailing(function, key, leader.decode(), remaining)

    async def backlog(self) -> int:
        return int(await self._pool.zcard(self._queue_name))

    async def close(self) -> None:
        # arq builds its own connection pool, which aclose() leaves open unless told.
        await self._pool.aclose(close_connection_pool=True)


class InProcessQueue:
    """Runs the same job functions as the workers, as tasks of this process."""

    def __init__(self, functions: Mapping[str, JobFunction], ctx: dict[str, Any]) -> None:
        self._functions = functions
        # Jobs that enqueue jobs (a daily fan-out) find the queue where a worker's do.
        self._ctx = {**ctx, "queue": self}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: set[str] = set()
        # Open windows by (function, key): the leader's token and when the window closes.
        self._windows: dict[tuple[str, str], tuple[str, float]] = {}

    def _slot(self, function: str, key: str) -> Slot:
        now = time.monotonic()
        open_window = self._windows.get((function, key))
        if open_window is not None and open_window[1] > now:
            token, closes = open_window
            return trailing(function, key, token, timedelta(seconds=closes - now))
        if len(self._windows) > MAX_OPEN_WINDOWS:
            self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
        token = uuid.uuid4().hex
        self._windows[(function, key)] = (token, now + COALESCE_WINDOW.total_seconds())
        return leading(function, key, token)

    async def enqueue(self, function: str, *, coalesce: str | None = None, **kwargs: Any) -> None:
        job = self._functions[function]
        slot = self._slot(function, coalesce) if coalesce is not None else None
        if slot is not None:
            if slot.job_id in self._pending:
                JOBS.labels(function, "coalesced").inc()
                return
            self._pending.add(slot.job_id)
        JOBS.labels(function, "enqueued").inc()
        task = asyncio.create_task(self._run(function, job, kwargs, slot), name=f"job:{function}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(
        self, name: str, job: JobFunction, kwargs: dict[str, Any], slot: Slot | None
    ) -> None:
        if slot is not None:
            if slot.defer is not None:
                await asyncio.sleep(slot.defer.total_seconds())
            self._pending.discard(slot.job_id)
        for attempt in range(1, IN_PROCESS_TRIES + 1):
            try:
                await job({**self._ctx, "job_try": attempt}, **kwargs)
                JOBS.labels(name, "succeeded").inc()
                return
            except Retry as retry:
                # A backing service was down: as a worker would, try again later.
                await asyncio.sleep(retry.defer_score / 1000 if retry.defer_score else 1)
            except Exception:
                JOBS.labels(name, "failed").inc()
                logger.exception("in-process job %s failed", name)
                return
        JOBS.labels(name, "failed").inc()
        logger.error("in-process job %s failed %d times", name, IN_PROCESS_TRIES)

    async def backlog(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every job enqueued so far, and those they enqueue."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def close(self) -> None:
        await self.drain()


def next_run(now: datetime, hour: int | None, minute: int) -> datetime:
    """The next hour:minute UTC after `now`; with hour None, the next :minute of any hour."""
    due = now.replace(minute=minute, second=0, microsecond=0)
    if hour is None:
        return due if due > now else due + timedelta(hours=1)
    due = due.replace(hour=hour)
    return due if due > now else due + timedelta(days=1)


async def run_on_schedule(queue: JobQueue, function: str, hour: int | None, minute: int) -> None:
    """Enqueue `function` at hour:minute UTC (every hour when hour is None), for the embedded
    mode's single process (arq's cron does this for workers)."""
    while True:
        now = datetime.now(UTC)
        await asyncio.sleep((next_run(now, hour, minute) - now).total_seconds())
        await queue.enqueue(function)
