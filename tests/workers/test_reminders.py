"""The reminder cron on real arq workers: each overdue check-in and action item is reminded
once, and announced once, however many times (and however concurrently) the cron runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis

from core.checkins import service
from core.checkins.models import ActionItem, CheckIn, Reminder, ReminderKind
from core.config import Settings
from core.events import RedisBus, check_ins_channel
from core.messages import CheckInHappened, Event, FiguresMoved
from core.orgs import service as orgs
from core.orgs.models import Role, User
from domain.checkins import ActionItemDraft, Rating
from tests.conftest import Org
from tests.support.instants import local_date
from tests.support.waiting import listened, until
from tests.support.workers import burst_worker
from workers.queue import ArqQueue


async def _run(settings: Settings, jobs: int, workers: int) -> tuple[int, int]:
    """Enqueue the cron's job `jobs` times and run `workers` workers at once until done;
    how many runs completed and how many failed."""
    queue = await ArqQueue.connect(settings.redis_url or "", settings.queue_name)
    try:
        for _ in range(jobs):
            await queue.enqueue("remind_overdue")
    finally:
        await queue.close()
    running = [burst_worker(settings) for _ in range(workers)]
    try:
        await asyncio.gather(*(worker.main() for worker in running))
    finally:
        for worker in running:
            await worker.close()
    return sum(w.jobs_complete for w in running), sum(w.jobs_failed for w in running)


# An end marker the test publishes itself: Redis delivers a channel's messages in order.
END_OF_TEST = FiguresMoved(rep_ids=[-1])


async def _published_before(
    bus: RedisBus, channel: str, events: AsyncIterator[Event]
) -> list[Event]:
    """Everything published on the channel so far: what came before the end marker."""
    await bus.publish(channel, END_OF_TEST)
    received = []
    async with asyncio.timeout(30):
        while (event := await anext(events)) != END_OF_TEST:
            received.append(event)
    return received


@pytest.mark.dated
async def test_two_runs_of_the_cron_remind_once(
    settings: Settings, org: Org, redis: Redis, now: datetime
) -> None:
    organisation = org.organisation
    tz = ZoneInfo(organisation.timezone)
    today = local_date(now, tz)
    max_ = await orgs.create_user(
        organisation.id, email="max@acme.test", name="Max", role=Role.MANAGER, team_id=None
    )
    sam = await orgs.create_user(
        organisation.id, email="sam@acme.test", name="Sam", role=Role.REP, team_id=org.team.id
    )
    assert isinstance(max_, User)
    assert isinstance(sam, User)
    org.team.manager_id = max_.id
    await org.team.save()
    # Rita joined 30 days ago and has had no check-in: a weekly one was due 23 days ago.
    joined = now - timedelta(days=30)
    await User.filter(id=org.rep.id).update(created_at=joined)
    rita_due = local_date(joined, tz) + timedelta(days=7)
    # Sam had his check-in today, with an action item that has since fallen three days
    # behind (moved back here, as no one can set a past due date).
    made = await service.record_check_in(
        organisation,
        max_.id,
        service.NewCheckIn(
            sam.id,
            None,
            Rating.NEEDS_HELP,
            "Pipeline is thin",
            None,
            (ActionItemDraft("Book ten discovery calls", sam.id, today),),
        ),
        now,
    )
    assert isinstance(made, CheckIn)
    item = await ActionItem.get(check_in_id=made.id)
    item_due = today - timedelta(days=3)
    await ActionItem.filter(id=item.id).update(due_on=item_due)

    listener = RedisBus(settings.redis_url or "", settings.events_prefix)
    channel = check_ins_channel(organisation.id)
    try:
        async with listener.subscribe(channel) as events:
            await until(
                lambda: listened(redis, f"{settings.events_prefix}:{channel}"), "the listener"
            )
            # Two runs at once on two workers, then one more later.
            first = await _run(settings, jobs=2, workers=2)
            second = await _run(settings, jobs=1, workers=1)
            received = await _published_before(listener, channel, events)
    finally:
        await listener.close()

    # Each run of the daily job fans out one job for the (one) organisation.
    assert (first, second) == ((4, 0), (2, 0))
    # Two overdue things in all, each reminded and announced once over the three runs.
    reminders = await Reminder.filter(organisation_id=organisation.id).order_by("kind")
    assert [(r.kind, r.rep_id, r.recipient_id, r.due_on, r.action_item_id) for r in reminders] == [
        (ReminderKind.ACTION_ITEM_OVERDUE, sam.id, sam.id, item_due, item.id),
        (ReminderKind.CHECK_IN_OVERDUE, org.rep.id, max_.id, rita_due, None),
    ]
    assert all(isinstance(e, CheckInHappened) for e in received)
    assert sorted(
        (e.kind, e.reminder_kind, e.rep_name, e.recipient_name)
        for e in received
        if isinstance(e, CheckInHappened)
    ) == [
        ("REMINDER", "ACTION_ITEM_OVERDUE", "Sam", "Sam"),
        ("REMINDER", "CHECK_IN_OVERDUE", "Rita Rep", "Max"),
    ]
