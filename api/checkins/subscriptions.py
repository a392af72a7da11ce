"""Live check-ins: recorded, acknowledged, items done, reminders sent."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from api.checkins.types import CheckInEvent
from api.context import Info
from api.live import rep_events
from core.events import check_ins_channel
from core.messages import CheckInHappened


@strawberry.type
class CheckInSubscriptions:
    @strawberry.subscription(
        description="What happens to the check-ins of one rep, or of a team's reps."
    )
    async def check_ins(
        self, info: Info, rep_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None
    ) -> AsyncGenerator[CheckInEvent, None]:
        # Closed with the subscription, so its channel is left at once, not when collected.
        async with aclosing(
            rep_events(info, check_ins_channel, CheckInHappened, rep_id, team_id)
        ) as events:
            async for event in events:
                yield CheckInEvent.from_event(event)
