"""The audit trail through GraphQL: admins read who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.ids import parse_id
from api.orgs.types import User
from api.pagination import Connection, keyset
from core.audit import models, store
from core.audit.models import ObjectType

AuditObjectTypeEnum = strawberry.enum(ObjectType, name="AuditObjectType")


@strawberry.type(description="One edit: who made it, when, what it changed and why.")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    action: str = strawberry.field(
        description="GOAL_TARGET_CHANGED, GOAL_ARCHIVED, PERSON_MOVED, ROLE_CHANGED, "
        "PERSON_DEACTIVATED, PERSON_ACTIVATED, TEAM_EDITED, TEAM_ARCHIVED, CONTEST_RETIRED, "
        "MARKET_DECLARED, MARKET_SIZED, CREDENTIAL_ISSUING_SET, ISSUER_KEY_ROTATED."
    )
    object_type: AuditObjectTypeEnum
    object_id: strawberry.ID
    before: JSON
    after: JSON
    reason: str | None
    actor_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, entry: models.AuditEntry) -> AuditEntry:
        return cls(
            id=strawberry.ID(str(entry.id)),
            at=entry.at,
            action=entry.action,
            object_type=ObjectType(entry.object_type),
            object_id=strawberry.ID(str(entry.object_id)),
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
            actor_id=entry.actor_id,
        )

    @strawberry.field(description="Who made it; null for an API key or a person since deleted.")
    async def actor(self, info: Info) -> User | None:
        if self.actor_id is None:
            return None
        actor = await info.context.loaders.users.load(self.actor_id)
        return User.of(actor) if actor else None


@strawberry.type
class AuditQueries:
    @strawberry.field(description="Admins: the audit trail, newest first, of one object or all.")
    async def audit_trail(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        object_type: AuditObjectTypeEnum | None = None,
        object_id: strawberry.ID | None = None,
    ) -> Connection[AuditEntry]:
        access = await info.context.access()
        access.require(access.is_admin)
        found = store.trail(
            access.viewer.organisation_id,
            object_type,
            (parse_id(object_id) or 0) if object_id is not None else None,
        )
        return await keyset(found, first, after, AuditEntry.of, newest_first=True)
