"""Job functions. Each is thin and safe to run more than once: arq may retry it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from arq.worker import Function, func

from core import clock
from core.checkins.events import publish_reminder
from core.checkins.service import remind_overdue as make_reminders
from core.events import EventBus
from core.goals.service import snapshot_running_goals
from core.orgs.models import Organisation
from core.orgs.store import get_organisation, organisation_ids
from gamification.closing import close_periods as close_due_periods
from workers import pipeline
from workers.queue import JobFunction
from workers.relay import sweep

logger = logging.getLogger(__name__)


async def recompute_progress(ctx: dict[str, Any], organisation_id: int, rep_ids: list[int]) -> int:
    """Evaluate what moved for these reps (workers.pipeline); the number of new awards."""
    organisation = await get_organisation(organisation_id)
    return await pipeline.evaluate(organisation, rep_ids, ctx["bus"], clock.now())


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Relay the outbox entries a process left behind (workers.relay)."""
    return await sweep(ctx["queue"])


class OrganisationsFailed(Exception):
    """A cron job finished every other organisation; these failed (and are logged)."""


async def for_each_organisation(job: str, work: Callable[[Organisation], Awaitable[int]]) -> int:
    """`work` for every organisation, each on its own: one that fails is logged and the
    others go on; then the job fails, naming it, so that arq tries again (every job is
    idempotent, so the others are not done twice)."""
    done, failed = 0, []
    for organisation_id in await organisation_ids():
        try:
            done += await work(await get_organisation(organisation_id))
        except Exception:
            logger.exception("%s failed for organisation %s", job, organisation_id)
            failed.append(organisation_id)
    if failed:
        raise OrganisationsFailed(f"{job}: organisations {failed} failed")
    return done


async def snapshot_goals(ctx: dict[str, Any]) -> int:
    """The daily progress snapshot of every running goal of every organisation."""
    now = clock.now()
    return await for_each_organisation(
        "snapshot_goals", lambda organisation: snapshot_running_goals(organisation, now)
    )


async def close_periods(ctx: dict[str, Any]) -> int:
    """Period close for every organisation: final payouts, rank badges, contest prizes."""
    now = clock.now()
    return await for_each_organisation(
        "close_periods", lambda organisation: close_due_periods(organisation, now)
    )


async def remind_overdue(ctx: dict[str, Any]) -> int:
    """Reminders for overdue check-ins and action items, each made and announced once."""
    bus: EventBus = ctx["bus"]
    now = clock.now()

    async def remind(organisation: Organisation) -> int:
        reminders = await make_reminders(organisation, now)
        for reminder in reminders:
            await publish_reminder(bus, reminder)
        return len(reminders)

    return await for_each_organisation("remind_overdue", remind)


async def ping(ctx: dict[str, Any]) -> str:
    """Does nothing: a worker answering it is alive (and a baseline for benchmarks)."""
    return "pong"


JOBS: dict[str, JobFunction] = {
    "ping": ping,
    "recompute_progress": recompute_progress,
    "sweep_outbox": sweep_outbox,
    "snapshot_goals": snapshot_goals,
    "close_periods": close_periods,
    "remind_overdue": remind_overdue,
}

# Retried on failure (a lost connection, a worker killed mid-job); each run is idempotent.
ARQ_FUNCTIONS: list[Function] = [
    func(ping, name="ping", timeout=10, max_tries=1, keep_result=60),
    # Coalesced job ids are per window; their results need not outlive the window by much.
    func(recompute_progress, name="recompute_progress", timeout=120, max_tries=5, keep_result=60),
    func(sweep_outbox, name="sweep_outbox", timeout=60, max_tries=1, keep_result=10),
    func(snapshot_goals, name="snapshot_goals", timeout=1800, max_tries=3),
    func(close_periods, name="close_periods", timeout=1800, max_tries=3),
    func(remind_overdue, name="remind_overdue", timeout=600, max_tries=3),
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
