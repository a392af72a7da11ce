"""Live check-ins: recorded, acknowledged, items done, reminders sent."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.checkins.types import CheckInEvent
from api.context import Info
from api.live import followed_reps, while_signed_in
from core.events import check_ins_channel


@strawberry.type
class CheckInSubscriptions:
    @strawberry.subscription(
        description="What happens to the check-ins of one rep, or of a team's reps."
    )
    async def check_ins(
        self, info: Info, rep_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None
    ) -> AsyncGenerator[CheckInEvent, None]:
        access = await info.context.access()
        wanted = await followed_reps(access, rep_id, team_id)
        async with info.context.bus.subscribe(
            check_ins_channel(access.viewer.organisation_id)
        ) as events:
            async for event in while_signed_in(info, events):
                # Checked for every event: the policy decides, not the channel.
                if event["repId"] in wanted and access.can_read_rep(event["repId"]):
                    yield CheckInEvent.from_event(event)
