"""GraphQL types of badges and awards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.orgs.types import User
from gamification import models


@strawberry.type
class Badge:
    code: str
    version: int
    name: str
    description: str
    threshold: Decimal

    @classmethod
    def of(cls, badge: models.BadgeDefinition) -> Badge:
        return cls(
            code=badge.code,
            version=badge.version,
            name=badge.name,
            description=badge.description,
            threshold=badge.threshold,
        )


@strawberry.type
class Award:
    id: strawberry.ID
    badge: Badge
    awarded_at: datetime
    explanation: JSON = strawberry.field(
        description="Why it was awarded: the rule version, the figures and the deals counted."
    )
    rep_id: strawberry.Private[int]

    @classmethod
    def of(cls, award: models.Award) -> Award:
        return cls(
            id=strawberry.ID(str(award.id)),
            badge=Badge.of(award.badge),
            awarded_at=award.awarded_at,
            explanation=award.explanation,
            rep_id=award.rep_id,
        )

    @strawberry.field
    async def rep(self, info: Info) -> User:
        rep = await info.context.loaders.users.load(self.rep_id)
        assert rep is not None, "an award's rep is deleted with it"
        return User.of(rep)
