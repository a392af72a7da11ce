"""What every subscription shares: events stop, and the websocket closes, when the
subscriber's access token expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocket

from api.context import Info

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
        remaining = (viewer.expires_at - datetime.now(UTC)).total_seconds()
        try:
            async with asyncio.timeout(max(remaining, 0)):
                event = await anext(events)
        except TimeoutError:
            socket = info.context.request
            if isinstance(socket, WebSocket):
                await socket.close(code=TOKEN_EXPIRED, reason="Access token expired")
            return
        yield event
