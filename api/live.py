"""What every subscription shares: whom it follows, and that events stop (and the
websocket closes) when the subscriber's credential expires or is ended."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

import strawberry
from starlette.websockets import WebSocket

from api.context import Info
from api.errors import BadUserInput
from api.ids import parse_id
from api.policy import Access
from core import clock
from core.auth.tokens import Viewer
from core.events import credentials_channel
from core.goals.service import Structure
from core.messages import AwardChanged, CheckInHappened, CredentialEnded, Event, TrainingCompleted
from domain.teams import members

# graphql-transport-ws: "4401: Unauthorized".
TOKEN_EXPIRED = 4401
E = TypeVar("E")
R = TypeVar("R", AwardChanged, CheckInHappened, TrainingCompleted)


async def while_signed_in(info: Info, events: AsyncIterator[E]) -> AsyncIterator[E]:
    """The events, for as long as the connection's credential holds: until it expires, or
    is ended (sign-out, password change, deactivation, key revoked); then the socket
    closes with 4401."""
    viewer = info.context.require_viewer()
    async with info.context.bus.subscribe(credentials_channel(viewer.organisation_id)) as ended:
        waiting_event: asyncio.Task[E] | None = None
        waiting_end = asyncio.ensure_future(_first_ending(ended, viewer))
        try:
            while True:
                waiting_event = asyncio.ensure_future(anext(events))
                remaining = None
                if viewer.expires_at is not None:
                    remaining = max((viewer.expires_at - clock.now()).total_seconds(), 0)
                done, _ = await asyncio.wait(
                    {waiting_event, waiting_end},
                    timeout=remaining,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if waiting_event not in done:
                    await _close(info, "Signed out" if waiting_end in done else "Expired")
                    return
                yield waiting_event.result()
        finally:
            for task in (waiting_event, waiting_end):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await task


async def _first_ending(ended: AsyncIterator[Event], viewer: Viewer) -> None:
    """Returns when a credential change ends this viewer's credential."""
    async for change in ended:
        if isinstance(change, CredentialEnded) and ends(change, viewer):
            return


def ends(change: CredentialEnded, viewer: Viewer) -> bool:
    if viewer.api_key_id is not None:
        return change.api_key_id == viewer.api_key_id
    if change.user_id != viewer.user_id:
        return False
    # A sign-out names its session; anything else ends every session of the person.
    return change.session is None or change.session == viewer.session


async def _close(info: Info, reason: str) -> None:
    socket = info.context.request
    if isinstance(socket, WebSocket):
        await socket.close(code=TOKEN_EXPIRED, reason=reason)


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
    kind: type[R],
    rep_id: strawberry.ID | None,
    team_id: strawberry.ID | None,
) -> AsyncIterator[R]:
    """The events of the viewer's organisation's channel about the reps followed, while the
    viewer is signed in; each one checked against the policy, not only the channel."""
    access = await info.context.access()
    wanted = await followed_reps(access, rep_id, team_id)
    async with info.context.bus.subscribe(channel_of(access.viewer.organisation_id)) as events:
        async for event in while_signed_in(info, events):
            if not isinstance(event, kind):
                continue
            if event.rep_id in wanted and access.can_read_rep(event.rep_id):
                yield event
