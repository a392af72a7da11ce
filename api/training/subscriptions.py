"""Live training: courses completed, as they are recorded."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from api.context import Info
from api.live import rep_events
from api.training.types import TrainingEvent
from core.events import training_channel
from core.messages import TrainingCompleted


@strawberry.type
class TrainingSubscriptions:
    @strawberry.subscription(description="Completions of one rep, or of a team's people.")
    async def training_completed(
        self, info: Info, rep_id: strawberry.ID | None = None, team_id: strawberry.ID | None = None
    ) -> AsyncGenerator[TrainingEvent, None]:
        async with aclosing(
            rep_events(info, training_channel, TrainingCompleted, rep_id, team_id)
        ) as events:
            async for event in events:
                yield TrainingEvent.from_event(event)
