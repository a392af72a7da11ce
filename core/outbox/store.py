"""Writing to the outbox, finding who has entries in it, and claiming them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.outbox.models import OutboxEntry

# Reps per entry: an evaluation claims a few entries at a time, so an entry is a batch.
REPS_PER_ENTRY = 100


async def record(organisation_id: int, rep_ids: Collection[int]) -> None:
    """Note that these reps' figures moved; call inside the transaction that moved them."""
    reps = sorted(set(rep_ids))
    if not reps:
        return
    await OutboxEntry.bulk_create(
        [
            OutboxEntry(
                organisation_id=organisation_id, rep_ids=reps[start : start + REPS_PER_ENTRY]
            )
            for start in range(0, len(reps), REPS_PER_ENTRY)
        ]
    )


async def pending_organisations(before: datetime | None = None) -> list[int]:
    """The organisations with entries (made before `before`, when given)."""
    query = OutboxEntry.all()
    if before is not None:
        query = query.filter(created_at__lt=before)
    found = await query.distinct().values_list("organisation_id", flat=True)
    return sorted(set(found))


async def claim(organisation_id: int, limit: int) -> list[OutboxEntry]:
    """An organisation's oldest entries that no other evaluation holds, locked until the
    calling transaction ends."""
    return (
        await OutboxEntry.filter(organisation_id=organisation_id)
        .order_by("id")
        .limit(limit)
        .select_for_update(skip_locked=True)
    )


async def remove(entries: Collection[OutboxEntry]) -> None:
    await OutboxEntry.filter(id__in=[entry.id for entry in entries]).delete()
