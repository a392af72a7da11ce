"""Per-organisation locks for writers that read and then add: a PostgreSQL advisory lock
held until the transaction ends (SQLite has a single writer already), one kind per thing
guarded.

The kinds are kept apart because their holders take row locks in opposite orders: an
ingestion holds the rollups' lock when it marks goal figures stale, and an evaluation holds
those goal figures when it settles the ledger. With one lock shared, most ingestions that
came during a long evaluation were chosen as a deadlock's victim.
"""

from __future__ import annotations

from enum import IntEnum

from tortoise.backends.base.client import BaseDBAsyncClient

# Nobody waits for a lock longer than this: a holder stuck behind something the waiters
# hold (a pool slot) makes them fail, to be retried, instead of hanging them all.
LOCK_TIMEOUT_MS = 10_000


class Guarded(IntEnum):
    """What a lock guards; its value is the advisory lock's namespace."""

    # The daily rollups: an ingestion reads a record's old version and applies the
    # difference; two at once could both apply the same difference.
    ROLLUPS = 74_110
    # The payout ledger: a settler reads what is booked and adds what is still due.
    LEDGER = 74_111


async def lock(connection: BaseDBAsyncClient, guarded: Guarded, organisation_id: int) -> None:
    """Hold `guarded` for this organisation until `connection`'s transaction ends."""
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
        await connection.execute_query(
            "SELECT pg_advisory_xact_lock($1, $2)", [int(guarded), organisation_id]
        )
