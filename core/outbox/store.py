"""Writing to the outbox, and claiming what is in it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from core.outbox.models import OutboxEntry


async def record(organisation_id: int, rep_ids: Collection[int]) -> None:
    """Note that these reps' figures moved; call inside the transaction that moved them."""
    if rep_ids:
        await OutboxEntry.create(organisation_id=organisation_id, rep_ids=sorted(set(rep_ids)))


async def claim(limit: int, before: datetime | None = None) -> list[OutboxEntry]:
    """Entries no other relay holds (oldest first, made before `before` when given), locked
    until the calling transaction ends."""
    query = OutboxEntry.all()
    if before is not None:
        query = query.filter(created_at__lt=before)
    return await query.order_by("id").limit(limit).select_for_update(skip_locked=True)


async def remove(entries: Collection[OutboxEntry]) -> None:
    await OutboxEntry.filter(id__in=[entry.id for entry in entries]).delete()


async def backlog() -> int:
    return await OutboxEntry.all().count()
