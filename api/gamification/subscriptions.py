"""Live awards: the moment a badge is awarded, to those who may see it."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from enum import StrEnum

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.live import rep_events
from core.events import awards_channel
from core.messages import AwardChanged


@strawberry.enum
class AwardEventKind(StrEnum):
    AWARDED = "AWARDED"
    # A threshold badge withdrawn: its figure fell back below the threshold while the
    # period ran; its points no longer count.
    REVOKED = "REVOKED"


@strawberry.type(description="An award, or its withdrawal, as it happens: all a screen needs.")
class AwardEvent:
    kind: AwardEventKind
    award_id: strawberry.ID
    rep_id: strawberry.ID
    rep_name: str
    goal_id: strawberry.ID | None
    badge_code: str
    badge_name: str
    badge_version: int
    awarded_at: datetime
    explanation: JSON
    revoked_at: datetime | None
    revocation: JSON | None = strawberry.field(
        description="Why it was withdrawn: the rule version and the figures then."
    )

    @classmethod
    def from_event(cls, event: AwardChanged) -> AwardEvent:
        return cls(
            kind=AwardEventKind(event.kind),
            award_id=strawberry.ID(str(event.award_id)),
            rep_id=strawberry.ID(str(event.rep_id)),
            rep_name=event.rep_name,
            goal_id=strawberry.ID(str(event.goal_id)) if event.goal_id else None,
            badge_code=event.badge_code,
            badge_name=event.badge_name,
            badge_version=event.badge_version,
            awarded_at=event.awarded_at,
            explanation=event.explanation,
            revoked_at=event.revoked_at,
            revocation=event.revocation,
        )


@strawberry.type
class AwardSubscriptions:
    @strawberry.subscription(description="Awards of one rep, or of a team's reps, as they come.")
    async def awards(
        self, info: Info, rep_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None
    ) -> AsyncGenerator[AwardEvent, None]:
        # Closed with the subscription, so its channel is left at once, not when collected.
        async with aclosing(
            rep_events(info, awards_channel, AwardChanged, rep_id, team_id)
        ) as events:
            async for event in events:
                yield AwardEvent.from_event(event)
