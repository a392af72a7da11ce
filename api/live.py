"""What every subscription shares: whom it follows, and that events stop (and the
websocket closes) when the subscriber's access token expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from starlette.websockets import WebSocket

from api.context import Info
from api.errors import BadUserInput
from api.ids import parse_id
from api.policy import Access
from core import clock
from core.goals.service import Structure
from domain.teams import members

# graphql-transport-ws: "4401: Unauthorized".
TOKEN_EXPIRED = 4401


async def while_signed_in(
    info: Info, events: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[dict[str, Any]]:
    """The events, for as long as the connection's token is valid; then the socket closes."""
    viewer = info.context.require_viewer()
    while True:
        if viewer.expires_at is None:
            yield await anext(events)
            continue
        remaining = (viewer.expires_at - clock.now()).total_seconds()
        try:
            async with asyncio.timeout(max(remaining, 0)):
                event = await anext(events)
        except TimeoutError:
            socket = info.context.request
            if isinstance(socket, WebSocket):
                await socket.close(code=TOKEN_EXPIRED, reason="Access token expired")
            return
        yield event


async def followed_reps(
    access: Access, rep_id: strawberry.ID | None, team_id: strawberry.ID | None
) -> set[int]:
    """One rep, or every rep of a team and the teams below: refused unless readable."""
    if (rep_id is None) == (team_id is None):
        raise BadUserInput("Follow either repId or teamId.")
    if rep_id is not None:
        rep = parse_id(rep_id) or 0
        access.require(access.can_read_rep(rep))
        return {rep}
    team = parse_id(team_id) or 0
    access.require(access.can_read_team(team))
    structure = await Structure.load(access.viewer.organisation_id)
    return set(members(team, structure.parents, structure.teams_of))


async def rep_events(
    info: Info,
    channel_of: Callable[[int], str],
    rep_id: strawberry.ID | None,
    team_id: strawberry.ID | None,
) -> AsyncIterator[dict[str, Any]]:
    """The events of the viewer's organisation's channel about the reps followed, while the
    viewer is signed in; each one checked against the policy, not only the channel."""
    access = await info.context.access()
    wanted = await followed_reps(access, rep_id, team_id)
    async with info.context.bus.subscribe(channel_of(access.viewer.organisation_id)) as events:
        async for event in while_signed_in(info, events):
            if event["repId"] in wanted and access.can_read_rep(event["repId"]):
                yield event
