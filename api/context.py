"""What every resolver can reach: the viewer and their access, the loaders, the event bus
and the job queue."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.auth.throttle import LoginThrottle
from api.errors import Unauthenticated
from api.ids import parse_id
from api.loaders import Loaders, create_loaders
from api.policy import Access
from core import clock
from core.auth.tokens import Viewer
from core.config import Settings
from core.events import EventBus
from core.orgs import store as people
from domain.periods import local_today
from domain.teams import members, subtree
from workers.queue import JobQueue


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    bus: EventBus
    queue: JobQueue
    throttle: LoginThrottle
    viewer: Viewer | None = None
    now: datetime = field(default_factory=lambda: clock.now())
    # Filled by strawberry from the websocket's connection_init payload.
    connection_params: dict[str, Any] | None = None
    _loaders: Loaders | None = None
    _access: Access | None = None
    _reading: asyncio.Future[Access] | None = None

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = create_loaders(self.require_viewer().organisation_id, self.now)
        return self._loaders

    @property
    def client_address(self) -> str:
        """The caller's address (behind a proxy, run uvicorn with --proxy-headers)."""
        client = self.request.client if self.request is not None else None
        return client.host if client is not None else "unknown"

    def speak_for(self, viewer: Viewer) -> None:
        """The rest of this answer is for `viewer` (who just signed in)."""
        self.viewer = viewer
        self.refresh()

    def refresh(self) -> None:
        """Read access and rows afresh: a mutation has changed them."""
        self._access, self._loaders, self._reading = None, None, None

    def require_viewer(self) -> Viewer:
        if self.viewer is None:
            raise Unauthenticated()
        return self.viewer

    @property
    def known_access(self) -> Access | None:
        """The viewer's access if already worked out in this request (no waiting)."""
        return self._access

    async def access(self) -> Access:
        """What the viewer may read and do, worked out once per request (resolvers asking
        at the same moment wait for the one reading)."""
        if self._access is None:
            if self._reading is None:
                self._reading = asyncio.ensure_future(self._read_access())
            reading = self._reading
            access = await reading
            if self._reading is reading:
                self._access = access
            return access
        return self._access

    async def today(self) -> date:
        """The organisation's local day at the request's moment."""
        organisation = await self.loaders.own_organisation()
        return local_today(self.now, ZoneInfo(organisation.timezone))

    async def team_below(self, team_id: str) -> tuple[set[int], set[int]]:
        """The team and the teams below it, and everyone in them: FORBIDDEN unless the
        viewer may read the team."""
        access = await self.access()
        team = parse_id(team_id) or 0
        access.require(access.can_read_team(team))
        structure = await self.loaders.structure()
        people = set(members(team, structure.parents, structure.teams_of))
        return subtree(team, structure.parents), people

    async def _read_access(self) -> Access:
        viewer = self.require_viewer()
        structure = await self.loaders.structure()
        managed = (
            await people.teams_managed_by(viewer.user_id) if viewer.user_id is not None else []
        )
        return Access.of(viewer, structure, managed)


Info = StrawberryInfo[Context, None]
