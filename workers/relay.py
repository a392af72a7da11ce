"""Hands the outbox to the job queue: at once after a commit, and by a sweeper for whatever
a process left behind (it died between its commit and its relay, or Redis was down).

The relay only says which organisations have work: one `evaluate_outbox` job per
organisation, coalesced on the leading edge (the first runs at once, a burst folds into one
trailing run). The job claims the entries (SKIP LOCKED), evaluates their reps in batches,
and deletes the entries in the transaction that evaluated them: an entry is gone only once
its evaluation is committed, and evaluation is idempotent, so a job run twice costs a
second run, never a second award.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from core import clock
from core.outbox import store as outbox
from workers.queue import JobQueue

logger = logging.getLogger(__name__)

# The sweeper leaves younger entries to the relay of the process that wrote them.
SWEEP_AFTER = timedelta(seconds=5)


async def relay(queue: JobQueue, before: datetime | None = None) -> int:
    """Enqueue an evaluation for every organisation with entries (made before `before`,
    when given); the number of organisations."""
    found = await outbox.pending_organisations(before)
    for organisation_id in found:
        await queue.enqueue(
            "evaluate_outbox", coalesce=str(organisation_id), organisation_id=organisation_id
        )
    return len(found)


async def after_commit(queue: JobQueue) -> None:
    """Relay right after an ingestion committed. A failure (the queue unreachable) is not
    the client's: its records are stored and the sweeper relays them later."""
    try:
        await relay(queue)
    except Exception:
        logger.warning("outbox relay failed; the sweeper will relay it", exc_info=True)


async def sweep(queue: JobQueue) -> int:
    """Relay what was left behind: entries older than SWEEP_AFTER."""
    return await relay(queue, before=clock.now() - SWEEP_AFTER)


async def sweep_forever(queue: JobQueue, every: timedelta) -> None:
    """The embedded mode's sweeper (arq's cron runs `sweep_outbox` for workers)."""
    while True:
        await asyncio.sleep(every.total_seconds())
        try:
            await sweep(queue)
        except Exception:
            logger.exception("outbox sweep failed")
