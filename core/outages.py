"""Errors that mean a backing service is down (PostgreSQL restarting, a connection reset,
Redis gone) or turned the work away for now (a deadlock broken), not that the request or
the code is wrong: worth trying again shortly."""

from __future__ import annotations

import asyncio

import asyncpg
from redis.exceptions import ConnectionError as RedisDown
from redis.exceptions import TimeoutError as RedisTimeout
from tortoise.exceptions import DBConnectionError

OUTAGES: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.QueryCanceledError,
    # PostgreSQL rolled the transaction back to break a deadlock: nothing of it was kept.
    asyncpg.exceptions.TransactionRollbackError,
    asyncpg.exceptions.InterfaceError,
    DBConnectionError,
    RedisDown,
    RedisTimeout,
)
UNAVAILABLE = "The service is unavailable for a moment; send this again shortly."


def is_outage(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from, is an outage."""
    while error is not None:
        if isinstance(error, OUTAGES):
            return True
        error = error.__cause__ or error.__context__
    return False
