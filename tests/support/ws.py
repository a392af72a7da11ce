"""A small graphql-transport-ws client over `websockets`, enough to follow a subscription."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import websockets

PROTOCOL = "graphql-transport-ws"
WAIT = 20.0


class Subscription:
    def __init__(self, socket: websockets.ClientConnection, operation_id: str) -> None:
        self._socket = socket
        self._id = operation_id

    async def _message(self) -> dict[str, Any]:
        """The next message of this operation, answering pings on the way."""
        async with asyncio.timeout(WAIT):
            while True:
                message = json.loads(await self._socket.recv())
                if message["type"] == "ping":
                    await self._socket.send(json.dumps({"type": "pong"}))
                    continue
                if message.get("id") == self._id:
                    return message

    async def next(self) -> dict[str, Any]:
        """The next `next` payload of this operation; fails on `error` or `complete`,
        or after WAIT seconds of silence."""
        message = await self._message()
        if message["type"] == "next":
            return message["payload"]
        raise AssertionError(f"subscription ended: {message}")

    async def next_error(self) -> list[dict[str, Any]]:
        """The errors the operation was refused with (an `error` message, or a `next` that
        carries errors)."""
        message = await self._message()
        if message["type"] == "error":
            return message["payload"]
        assert message["type"] == "next", message
        assert message["payload"].get("errors"), message
        return message["payload"]["errors"]


@asynccontextmanager
async def subscribe(
    url: str, query: str, variables: dict[str, Any], token: str | None
) -> AsyncIterator[Subscription]:
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
        init: dict[str, Any] = {"type": "connection_init"}
        if token is not None:
            init["payload"] = {"authorization": f"Bearer {token}"}
        await socket.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        yield Subscription(socket, "1")
        await socket.send(json.dumps({"id": "1", "type": "complete"}))
