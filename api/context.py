"""What every resolver can reach: the viewer, the loaders, the event bus and the job queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.auth import Viewer
from api.errors import Unauthenticated
from api.loaders import Loaders, create_loaders
from core.config import Settings
from core.events import EventBus
from workers.queue import JobQueue


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    bus: EventBus
    queue: JobQueue
    viewer: Viewer | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Filled by strawberry from the websocket's connection_init payload.
    connection_params: dict[str, Any] | None = None
    _loaders: Loaders | None = None

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = create_loaders(self.require_viewer().organisation_id, self.now)
        return self._loaders

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise Unauthenticated()
        return self.viewer


Info = StrawberryInfo[Context, None]
