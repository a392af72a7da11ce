"""What a check-in subscriber is told, published by the API and by the reminder cron.

Events carry ids and public fields only: private manager notes never leave the database
this way, and a subscriber's own policy decides per event whether it may see the rep.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from core.checkins.models import ActionItem, CheckIn, Reminder
from core.events import EventBus, check_ins_channel


class CheckInEventKind(StrEnum):
    CHECK_IN_RECORDED = "CHECK_IN_RECORDED"
    CHECK_IN_ACKNOWLEDGED = "CHECK_IN_ACKNOWLEDGED"
    ACTION_ITEM_COMPLETED = "ACTION_ITEM_COMPLETED"
    REMINDER = "REMINDER"


def _event(
    kind: CheckInEventKind, organisation_id: int, rep_id: int, at: datetime, **fields: Any
) -> dict[str, Any]:
    """Every event has every key, null where it does not apply."""
    return {
        "kind": kind.value,
        "organisationId": organisation_id,
        "repId": rep_id,
        "at": at.isoformat(),
        **dict.fromkeys(
            (
                "repName",
                "checkInId",
                "goalId",
                "side",
                "rating",
                "comment",
                "authorId",
                "authorName",
                "acknowledgedById",
                "actionItemId",
                "description",
                "dueOn",
                "ownerId",
                "completedById",
                "reminderId",
                "reminderKind",
                "recipientId",
                "recipientName",
            )
        ),
        **fields,
    }


async def publish_check_in(bus: EventBus, kind: CheckInEventKind, check_in: CheckIn) -> None:
    """A check-in recorded or acknowledged, with what a screen shows of it."""
    await check_in.fetch_related("rep", "author")
    at = check_in.acknowledged_at if kind is CheckInEventKind.CHECK_IN_ACKNOWLEDGED else None
    event = _event(
        kind,
        check_in.organisation_id,
        check_in.rep_id,
        at or check_in.created_at,
        repName=check_in.rep.name,
        checkInId=check_in.id,
        goalId=check_in.goal_id,
        side=check_in.side.value,
        rating=check_in.rating.value,
        comment=check_in.comment,
        authorId=check_in.author_id,
        authorName=check_in.author.name,
        acknowledgedById=check_in.acknowledged_by_id,
    )
    await bus.publish(check_ins_channel(check_in.organisation_id), event)


async def publish_completed(bus: EventBus, item: ActionItem) -> None:
    assert item.completed_at is not None
    event = _event(
        CheckInEventKind.ACTION_ITEM_COMPLETED,
        item.organisation_id,
        item.rep_id,
        item.completed_at,
        checkInId=item.check_in_id,
        actionItemId=item.id,
        description=item.description,
        dueOn=item.due_on.isoformat(),
        ownerId=item.owner_id,
        completedById=item.completed_by_id,
    )
    await bus.publish(check_ins_channel(item.organisation_id), event)


async def publish_reminder(bus: EventBus, reminder: Reminder) -> None:
    """A reminder sent, with the names a screen (or a notification) shows."""
    await reminder.fetch_related("rep", "recipient")
    event = _event(
        CheckInEventKind.REMINDER,
        reminder.organisation_id,
        reminder.rep_id,
        reminder.created_at,
        repName=reminder.rep.name,
        recipientName=reminder.recipient.name,
        actionItemId=reminder.action_item_id,
        dueOn=reminder.due_on.isoformat(),
        reminderId=reminder.id,
        reminderKind=reminder.kind.value,
        recipientId=reminder.recipient_id,
    )
    await bus.publish(check_ins_channel(reminder.organisation_id), event)
