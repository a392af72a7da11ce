"""Writing and reading the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from core.audit.models import AuditEntry, ObjectType


async def record(
    organisation_id: int,
    actor_id: int | None,
    at: datetime,
    action: str,
    object_type: ObjectType,
    object_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str | None = None,
) -> AuditEntry:
    return await AuditEntry.create(
        organisation_id=organisation_id,
        actor_id=actor_id,
        at=at,
        action=action,
        object_type=object_type.value,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
    )


def trail(
    organisation_id: int, object_type: ObjectType | None, object_id: int | None
) -> QuerySet[AuditEntry]:
    query = AuditEntry.filter(organisation_id=organisation_id)
    if object_type is not None:
        query = query.filter(object_type=object_type.value)
    if object_id is not None:
        query = query.filter(object_id=object_id)
    return query
