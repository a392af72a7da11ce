"""Live events: publish to a channel, subscribe to a channel, in one process or across many.

Both buses fan messages out to local subscribers through bounded queues, so a slow
subscriber never holds up the others: when its queue is full it is cut off with
`SubscriberLagged` and must resubscribe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from core.messages import Event, decode, encode
from core.telemetry import LISTENERS

logger = logging.getLogger(__name__)

SUBSCRIBER_BUFFER = 256
_LAGGED = object()


class SubscriberLagged(Exception):
    """The subscriber fell further behind than its buffer allows."""


class EventBus(Protocol):
    async def publish(self, channel: str, event: Event) -> None: ...

    def subscribe(
        self, channel: str
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Event]]:
        """Listening starts on entering and stops on leaving the context."""
        ...

    async def close(self) -> None: ...


class _Fanout:
    """Local subscribers per channel, each with a bounded queue."""

    def __init__(self, buffer: int) -> None:
        self._buffer = buffer
        self._queues: dict[str, set[asyncio.Queue[object]]] = defaultdict(set)

    def add(self, channel: str) -> tuple[asyncio.Queue[object], bool]:
        """A new subscriber's queue, and whether it is the channel's first."""
        queue: asyncio.Queue[object] = asyncio.Queue(self._buffer)
        first = channel not in self._queues
        self._queues[channel].add(queue)
        return queue, first

    def remove(self, channel: str, queue: asyncio.Queue[object]) -> bool:
        """Drop a subscriber; True when the channel has none left."""
        queues = self._queues.get(channel)
        if queues is None:
            return False
        queues.discard(queue)
        if queues:
            return False
        del self._queues[channel]
        return True

    def has(self, channel: str) -> bool:
        return channel in self._queues

    def deliver(self, channel: str, message: str) -> None:
        for queue in list(self._queues.get(channel, ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # Replace what it has not read with the signal to give up.
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(_LAGGED)

    async def listen(self, queue: asyncio.Queue[object]) -> AsyncIterator[Event]:
        while True:
            item = await queue.get()
            if item is _LAGGED:
                raise SubscriberLagged("too many events were not read in time; subscribe again")
            assert isinstance(item, str)
            try:
                yield decode(item)
            except ValueError:
                logger.warning("a message that is no event was dropped: %.200s", item)


@contextlib.contextmanager
def _listening(channel: str) -> Iterator[None]:
    """Counts a subscriber once events published from now on reach it."""
    kind = LISTENERS.labels(channel.split(":", 1)[0])
    kind.inc()
    try:
        yield
    finally:
        kind.dec()


class InProcessBus:
    """The embedded mode's bus: everything happens inside this process."""

    def __init__(self, buffer: int = SUBSCRIBER_BUFFER) -> None:
        self._fanout = _Fanout(buffer)

    async def publish(self, channel: str, event: Event) -> None:
        self._fanout.deliver(channel, encode(event))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue, _ = self._fanout.add(channel)
        try:
            with _listening(channel):
                yield self._fanout.listen(queue)
        finally:
            self._fanout.remove(channel, queue)

    async def close(self) -> None:
        return None


class RedisBus:
    """Redis pub/sub, one connection per process, so every process sees every event.

    Channels are subscribed on Redis while at least one local subscriber wants them and
    unsubscribed when the last one leaves.
    """

    def __init__(self, url: str, prefix: str, buffer: int = SUBSCRIBER_BUFFER) -> None:
        self._redis: Redis = Redis.from_url(url)
        self._prefix = f"{prefix}:"
        self._fanout = _Fanout(buffer)
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, event: Event) -> None:
        await self._redis.publish(self._prefix + channel, encode(event))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue, first = self._fanout.add(channel)
        try:
            if first:
                async with self._lock:
                    if self._pubsub is None:
                        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                    await self._pubsub.subscribe(self._prefix + channel)
                    # Only now: a reader started before the first subscription would sit in
                    # redis-py's idle sleep for a whole read timeout.
                    self._ensure_reader(self._pubsub)
            else:
                # The first subscriber may still be waiting for Redis to confirm.
                async with self._lock:
                    pass
            with _listening(channel):
                yield self._fanout.listen(queue)
        finally:
            if self._fanout.remove(channel, queue) and self._pubsub is not None:
                async with self._lock:
                    # Someone may have subscribed again while we waited for the lock.
                    if not self._fanout.has(channel):
                        await self._pubsub.unsubscribe(self._prefix + channel)

    def _ensure_reader(self, pubsub: PubSub) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(pubsub), name="redis-bus-reader")

    async def _read(self, pubsub: PubSub) -> None:
        while True:
            try:
                message = await pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("redis pub/sub read failed; retrying")
                await asyncio.sleep(1.0)
                continue
            if message is None or message["type"] != "message":
                continue
            channel = message["channel"].decode().removeprefix(self._prefix)
            data = message["data"]
            self._fanout.deliver(channel, data.decode() if isinstance(data, bytes) else data)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()
        await self._redis.aclose()


def goal_channel(goal_id: int) -> str:
    return f"goal:{goal_id}"


def progress_channel(organisation_id: int) -> str:
    """Every goal's progress changes in an organisation, for followers of a rep or team."""
    return f"progress:{organisation_id}"


def figures_channel(organisation_id: int) -> str:
    """The reps whose figures were just re-measured: leaderboards may have moved."""
    return f"figures:{organisation_id}"


def awards_channel(organisation_id: int) -> str:
    """Every award of an organisation; subscribers keep the ones they may see and want."""
    return f"awards:{organisation_id}"


def check_ins_channel(organisation_id: int) -> str:
    """Check-ins recorded and acknowledged, action items done, reminders sent."""
    return f"check-ins:{organisation_id}"


def training_channel(organisation_id: int) -> str:
    """Courses completed (and assessments failed) in an organisation."""
    return f"training:{organisation_id}"


def credentials_channel(organisation_id: int) -> str:
    """Credentials ended (sign-out, password change, deactivation, key revoked): open
    subscriptions that rest on them close."""
    return f"credentials:{organisation_id}"


def create_bus(redis_url: str | None, prefix: str) -> EventBus:
    return RedisBus(redis_url, prefix) if redis_url else InProcessBus()
