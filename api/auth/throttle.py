"""How often signing in may fail: per account and per client address, counted in Redis when
there is one (so every API process sees every attempt), in memory otherwise.

Uses `limits` (moving windows, Redis or memory storage) rather than counters of our own."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import ConnectionPool

# Failed sign-ins allowed within 15 minutes: for one account (a guessed password), and from
# one address (many accounts tried, or a shared office).
PER_ACCOUNT: RateLimitItem = RateLimitItemPerMinute(10, 15)
PER_ADDRESS: RateLimitItem = RateLimitItemPerMinute(50, 15)


@dataclass(frozen=True)
class LoginThrottle:
    limiter: MovingWindowRateLimiter
    # Ours, so that it is closed with the app.
    pool: ConnectionPool | None = None

    @classmethod
    def create(cls, redis_url: str | None, prefix: str) -> LoginThrottle:
        if not redis_url:
            return cls(MovingWindowRateLimiter(MemoryStorage()))
        pool = ConnectionPool.from_url(redis_url)
        storage = RedisStorage(
            redis_url,
            implementation="redispy",
            key_prefix=f"{prefix}:limits",
            connection_pool=pool,  # type: ignore[arg-type]
        )
        return cls(MovingWindowRateLimiter(storage), pool)

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.aclose()

    async def wait(self, email: str, address: str) -> int | None:
        """Seconds before `email` may be tried again from `address`; None when it may now."""
        waits = []
        for item, key in ((PER_ACCOUNT, email), (PER_ADDRESS, address)):
            if not await self.limiter.test(item, "login", key):
                stats = await self.limiter.get_window_stats(item, "login", key)
                waits.append(max(1, math.ceil(stats.reset_time - time.time())))
        return max(waits) if waits else None

    async def failed(self, email: str, address: str) -> None:
        await self.limiter.hit(PER_ACCOUNT, "login", email)
        await self.limiter.hit(PER_ADDRESS, "login", address)
