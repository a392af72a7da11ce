"""Live awards: the moment a badge is awarded, to those who may see it."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.context import Info
from api.live import rep_events
from core.events import awards_channel


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
    def from_event(cls, event: dict[str, Any]) -> AwardEvent:
        badge = event["badge"]
        revoked = event["revokedAt"]
        return cls(
            kind=AwardEventKind(event["kind"]),
            award_id=strawberry.ID(str(event["awardId"])),
            rep_id=strawberry.ID(str(event["repId"])),
            rep_name=event["repName"],
            goal_id=strawberry.ID(str(event["goalId"])) if event["goalId"] else None,
            badge_code=badge["code"],
            badge_name=badge["name"],
            badge_version=badge["version"],
            awarded_at=datetime.fromisoformat(event["awardedAt"]),
            explanation=event["explanation"],
            revoked_at=datetime.fromisoformat(revoked) if revoked else None,
            revocation=event["revocation"],
        )


@strawberry.type
class AwardSubscriptions:
    @strawberry.subscription(description="Awards of one rep, or of a team's reps, as they come.")
    async def awards(
        self, info: Info, rep_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None
    ) -> AsyncGenerator[AwardEvent, None]:
        # Closed with the subscription, so its channel is left at once, not when collected.
        async with aclosing(rep_events(info, awards_channel, rep_id, team_id)) as events:
            async for event in events:
                yield AwardEvent.from_event(event)
