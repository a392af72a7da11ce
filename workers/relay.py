"""Hands the outbox to the job queue: at once after a commit, and by a sweeper for whatever
a process left behind (it died between its commit and its relay, or Redis was down).

Entries are claimed with SKIP LOCKED, enqueued, then deleted in the same transaction: an
entry disappears only once its evaluation is queued. Evaluation is idempotent, so an entry
relayed twice (two relays racing before a commit) costs a second run, never a second award.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from core import clock
from core.outbox import store as outbox
from workers.queue import JobQueue

logger = logging.getLogger(__name__)

BATCH = 500
# The sweeper leaves younger entries to the relay of the process that wrote them.
SWEEP_AFTER = timedelta(seconds=5)


async def relay(queue: JobQueue, before: datetime | None = None) -> int:
    """Enqueue the evaluation of every rep in the outbox (made before `before`, when given);
    the number of entries relayed."""
    relayed = 0
    while True:
        async with in_transaction():
            entries = await outbox.claim(BATCH, before)
            if not entries:
                return relayed
            reps: dict[int, set[int]] = defaultdict(set)
            for entry in entries:
                reps[entry.organisation_id].update(entry.rep_ids)
            for organisation_id, rep_ids in sorted(reps.items()):
                for rep_id in sorted(rep_ids):
                    await queue.enqueue(
                        "recompute_progress",
                        coalesce=f"{organisation_id}:{rep_id}",
                        organisation_id=organisation_id,
                        rep_ids=[rep_id],
                    )
            await outbox.remove(entries)
        relayed += len(entries)


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
