"""Job functions. Each is thin and safe to run more than once: arq may retry it."""

from __future__ import annotations

import functools
import logging
from typing import Any

from arq.worker import Function, Retry, func
from tortoise.transactions import in_transaction

from core import clock
from core.checkins.events import publish_reminder
from core.checkins.service import remind_overdue as make_reminders
from core.events import EventBus
from core.goals.service import snapshot_running_goals
from core.orgs.store import get_organisation, organisation_ids
from core.outages import is_outage
from core.outbox import store as outbox
from gamification.closing import close_periods as close_due_periods
from workers import pipeline
from workers.queue import JobFunction
from workers.relay import sweep

logger = logging.getLogger(__name__)

# Outbox entries evaluated per transaction: each names up to a hundred reps.
OUTBOX_BATCH = 5

MAX_BACKOFF_SECONDS = 60


def retried_through_outages(job: JobFunction) -> JobFunction:
    """`job`, asking to be tried again (arq's Retry) when a backing service is down."""

    @functools.wraps(job)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await job(ctx, *args, **kwargs)
        except Exception as error:
            if not is_outage(error):
                raise
            tries = int(ctx.get("job_try", 1))
            logger.warning("%s: a backing service is down (%r); retrying", job.__name__, error)
            raise Retry(defer=min(2**tries, MAX_BACKOFF_SECONDS)) from error

    return run


async def recompute_progress(ctx: dict[str, Any], organisation_id: int, rep_ids: list[int]) -> int:
    """Evaluate these reps now (workers.pipeline); the number of new awards."""
    organisation = await get_organisation(organisation_id)
    evaluation = await pipeline.evaluate(organisation, rep_ids, clock.now())
    await pipeline.publish(ctx["bus"], evaluation.events)
    return evaluation.awards


async def evaluate_outbox(ctx: dict[str, Any], organisation_id: int) -> int:
    """Evaluate the reps an organisation's outbox names, a batch per transaction: the
    entries are deleted in the transaction that evaluated them, and its events published
    once it is committed. The number of reps evaluated."""
    organisation = await get_organisation(organisation_id)
    evaluated = 0
    while True:
        async with in_transaction():
            entries = await outbox.claim(organisation_id, OUTBOX_BATCH)
            if not entries:
                return evaluated
            reps = sorted({rep for entry in entries for rep in entry.rep_ids})
            evaluation = await pipeline.evaluate(organisation, reps, clock.now())
            await outbox.remove(entries)
        await pipeline.publish(ctx["bus"], evaluation.events)
        evaluated += len(reps)


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Relay the outbox entries a process left behind (workers.relay)."""
    return await sweep(ctx["queue"])


async def _fan_out(ctx: dict[str, Any], job: str) -> int:
    """A daily job as one job per organisation: each short (so that a worker killed
    mid-job frees it within minutes, not the half hour a whole run could take) and retried
    on its own. The number of organisations."""
    found = await organisation_ids()
    for organisation_id in found:
        await ctx["queue"].enqueue(job, organisation_id=organisation_id)
    return len(found)


async def snapshot_goals(ctx: dict[str, Any]) -> int:
    """The daily progress snapshot of every running goal, organisation by organisation."""
    return await _fan_out(ctx, "snapshot_goals_of")


async def snapshot_goals_of(ctx: dict[str, Any], organisation_id: int) -> int:
    return await snapshot_running_goals(await get_organisation(organisation_id), clock.now())


async def close_periods(ctx: dict[str, Any]) -> int:
    """Period close (final payouts, rank badges, contest prizes), organisation by
    organisation."""
    return await _fan_out(ctx, "close_periods_of")


async def close_periods_of(ctx: dict[str, Any], organisation_id: int) -> int:
    return await close_due_periods(await get_organisation(organisation_id), clock.now())


async def remind_overdue(ctx: dict[str, Any]) -> int:
    """Reminders for overdue check-ins and action items, organisation by organisation."""
    return await _fan_out(ctx, "remind_overdue_of")


async def remind_overdue_of(ctx: dict[str, Any], organisation_id: int) -> int:
    """An organisation's reminders, each made and announced once."""
    bus: EventBus = ctx["bus"]
    reminders = await make_reminders(await get_organisation(organisation_id), clock.now())
    for reminder in reminders:
        await publish_reminder(bus, reminder)
    return len(reminders)


async def ping(ctx: dict[str, Any]) -> str:
    """Does nothing: a worker answering it is alive (and a baseline for benchmarks)."""
    return "pong"


JOBS: dict[str, JobFunction] = {
    name: retried_through_outages(job)
    for name, job in {
        "ping": ping,
        "recompute_progress": recompute_progress,
        "evaluate_outbox": evaluate_outbox,
        "sweep_outbox": sweep_outbox,
        "snapshot_goals": snapshot_goals,
        "snapshot_goals_of": snapshot_goals_of,
        "close_periods": close_periods,
        "close_periods_of": close_periods_of,
        "remind_overdue": remind_overdue,
        "remind_overdue_of": remind_overdue_of,
    }.items()
}

# Retried on failure (a lost connection, a worker killed mid-job); each run is idempotent.
ARQ_FUNCTIONS: list[Function] = [
    func(JOBS["ping"], name="ping", timeout=10, max_tries=1, keep_result=60),
    # Coalesced job ids are per window; their results need not outlive the window by much.
    func(
        JOBS["recompute_progress"],
        name="recompute_progress",
        timeout=120,
        max_tries=5,
        keep_result=60,
    ),
    func(JOBS["evaluate_outbox"], name="evaluate_outbox", timeout=120, max_tries=5, keep_result=10),
    func(JOBS["sweep_outbox"], name="sweep_outbox", timeout=60, max_tries=1, keep_result=10),
    *(
        func(JOBS[name], name=name, timeout=60, max_tries=5)
        for name in ("snapshot_goals", "close_periods", "remind_overdue")
    ),
    *(
        func(JOBS[name], name=name, timeout=120, max_tries=5)
        for name in ("snapshot_goals_of", "close_periods_of", "remind_overdue_of")
    ),
]

# (job, hour, minute) in UTC, hour None for every hour; arq's cron runs each once however
# many workers there are. Reminders run hourly: an organisation's day starts at its own
# midnight, which is some hour in UTC.
# The outbox sweeper runs every this many seconds, in the workers and the embedded mode.
SWEEP_EVERY_SECONDS = 10
SCHEDULE: list[tuple[str, int | None, int]] = [
    ("snapshot_goals", 0, 15),
    ("close_periods", 0, 30),
    ("remind_overdue", None, 5),
]
