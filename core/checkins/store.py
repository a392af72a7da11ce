"""Every query of check-ins, action items and reminders."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.checkins.models import ActionItem, CheckIn, Reminder


async def create_check_in(check_in: CheckIn, items: Sequence[ActionItem]) -> CheckIn:
    """The check-in and its action items, together or not at all."""
    async with in_transaction():
        await check_in.save()
        for item in items:
            item.check_in_id = check_in.id
        if items:
            await ActionItem.bulk_create(items)
    return check_in


async def find_check_in(organisation_id: int, check_in_id: int) -> CheckIn | None:
    return await CheckIn.get_or_none(organisation_id=organisation_id, id=check_in_id)


async def find_action_item(organisation_id: int, item_id: int) -> ActionItem | None:
    return await ActionItem.get_or_none(organisation_id=organisation_id, id=item_id)


def check_ins_of(organisation_id: int, rep_ids: Collection[int] | None) -> QuerySet[CheckIn]:
    query = CheckIn.filter(organisation_id=organisation_id)
    if rep_ids is not None:
        query = query.filter(rep_id__in=sorted(rep_ids))
    return query


async def last_check_ins(organisation_id: int, rep_ids: Sequence[int]) -> dict[int, datetime]:
    """When each rep last had a check-in, for the reps that had one."""
    rows = (
        await CheckIn.filter(organisation_id=organisation_id, rep_id__in=list(rep_ids))
        .annotate(last=Max("created_at"))
        .group_by("rep_id")
        .values_list("rep_id", "last")
    )
    return {rep: last for rep, last in rows}


async def action_items_of(check_in_ids: Sequence[int]) -> list[ActionItem]:
    return await ActionItem.filter(check_in_id__in=list(check_in_ids)).order_by("due_on", "id")


async def action_items_by_ids(organisation_id: int, ids: Sequence[int]) -> dict[int, ActionItem]:
    items = await ActionItem.filter(organisation_id=organisation_id, id__in=list(ids))
    return {item.id: item for item in items}


async def open_action_items(organisation_id: int, rep_id: int) -> list[ActionItem]:
    return await ActionItem.filter(
        organisation_id=organisation_id, rep_id=rep_id, completed_at__isnull=True
    ).order_by("due_on", "id")


async def action_items_due_before(organisation_id: int, day: date) -> list[ActionItem]:
    return await ActionItem.filter(
        organisation_id=organisation_id, completed_at__isnull=True, due_on__lt=day
    ).order_by("id")


async def recently_acknowledged(rep_ids: Sequence[int], since: datetime) -> list[CheckIn]:
    """The reps' check-ins acknowledged since `since`: check-ins done."""
    return await CheckIn.filter(rep_id__in=list(rep_ids), acknowledged_at__gte=since).order_by("id")


async def acknowledge(check_in_id: int, user_id: int, now: datetime) -> bool:
    """Acknowledge unless someone already has: False when they had."""
    changed = await CheckIn.filter(id=check_in_id, acknowledged_at__isnull=True).update(
        acknowledged_by_id=user_id, acknowledged_at=now
    )
    return changed == 1


async def complete(item_id: int, user_id: int, now: datetime) -> bool:
    """Complete unless it already is: False when it was."""
    changed = await ActionItem.filter(id=item_id, completed_at__isnull=True).update(
        completed_by_id=user_id, completed_at=now
    )
    return changed == 1


async def add_reminders(organisation_id: int, reminders: Sequence[Reminder]) -> list[Reminder]:
    """Store the reminders not made before (by key) and return just those: a concurrent
    run that made one first keeps it, and only the run that made it returns it."""
    if not reminders:
        return []
    keys = [reminder.key for reminder in reminders]
    made = set(
        await Reminder.filter(organisation_id=organisation_id, key__in=keys).values_list(
            "key", flat=True
        )
    )
    fresh = [reminder for reminder in reminders if reminder.key not in made]
    if not fresh:
        return []
    await Reminder.bulk_create(fresh, ignore_conflicts=True)
    stamp = fresh[0].created_at
    return await Reminder.filter(
        organisation_id=organisation_id,
        key__in=[reminder.key for reminder in fresh],
        created_at=stamp,
    ).order_by("id")


def reminders_of(
    organisation_id: int, rep_ids: Collection[int] | None, recipient_id: int | None
) -> QuerySet[Reminder]:
    """Reminders about these reps (None: anyone) or addressed to the recipient."""
    query = Reminder.filter(organisation_id=organisation_id)
    if rep_ids is None:
        return query
    return query.filter(Q(rep_id__in=sorted(rep_ids)) | Q(recipient_id=recipient_id or 0))
