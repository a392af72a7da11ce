"""What a check-in subscriber is told, published by the API and by the reminder cron.

Events carry ids and public fields only: private manager notes never leave the database
this way, and a subscriber's own policy decides per event whether it may see the rep.
"""

from __future__ import annotations

from enum import StrEnum

from core.checkins.models import ActionItem, CheckIn, Reminder
from core.events import EventBus, check_ins_channel
from core.messages import CheckInHappened


class CheckInEventKind(StrEnum):
    CHECK_IN_RECORDED = "CHECK_IN_RECORDED"
    CHECK_IN_ACKNOWLEDGED = "CHECK_IN_ACKNOWLEDGED"
    ACTION_ITEM_COMPLETED = "ACTION_ITEM_COMPLETED"
    REMINDER = "REMINDER"


async def publish_check_in(bus: EventBus, kind: CheckInEventKind, check_in: CheckIn) -> None:
    """A check-in recorded or acknowledged, with what a screen shows of it."""
    await check_in.fetch_related("rep", "author")
    at = check_in.acknowledged_at if kind is CheckInEventKind.CHECK_IN_ACKNOWLEDGED else None
    event = CheckInHappened(
        kind=kind.value,
        organisation_id=check_in.organisation_id,
        rep_id=check_in.rep_id,
        at=at or check_in.created_at,
        rep_name=check_in.rep.name,
        check_in_id=check_in.id,
        goal_id=check_in.goal_id,
        side=check_in.side.value,
        rating=check_in.rating.value,
        comment=check_in.comment,
        author_id=check_in.author_id,
        author_name=check_in.author.name,
        acknowledged_by_id=check_in.acknowledged_by_id,
    )
    await bus.publish(check_ins_channel(check_in.organisation_id), event)


async def publish_completed(bus: EventBus, item: ActionItem) -> None:
    assert item.completed_at is not None
    event = CheckInHappened(
        kind=CheckInEventKind.ACTION_ITEM_COMPLETED.value,
        organisation_id=item.organisation_id,
        rep_id=item.rep_id,
        at=item.completed_at,
        check_in_id=item.check_in_id,
        action_item_id=item.id,
        description=item.description,
        due_on=item.due_on,
        owner_id=item.owner_id,
        completed_by_id=item.completed_by_id,
    )
    await bus.publish(check_ins_channel(item.organisation_id), event)


async def publish_reminder(bus: EventBus, reminder: Reminder) -> None:
    """A reminder sent, with the names a screen (or a notification) shows."""
    await reminder.fetch_related("rep", "recipient")
    event = CheckInHappened(
        kind=CheckInEventKind.REMINDER.value,
        organisation_id=reminder.organisation_id,
        rep_id=reminder.rep_id,
        at=reminder.created_at,
        rep_name=reminder.rep.name,
        recipient_name=reminder.recipient.name,
        action_item_id=reminder.action_item_id,
        due_on=reminder.due_on,
        reminder_id=reminder.id,
        reminder_kind=reminder.kind.value,
        recipient_id=reminder.recipient_id,
        assignment_id=reminder.assignment_id,
    )
    await bus.publish(check_ins_channel(reminder.organisation_id), event)
