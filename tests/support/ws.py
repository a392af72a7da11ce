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

    async def next(self) -> dict[str, Any]:
        """The next `next` payload of this operation; fails on `error` or `complete`,
        or after WAIT seconds of silence."""
        async with asyncio.timeout(WAIT):
            while True:
                message = json.loads(await self._socket.recv())
                if message["type"] == "ping":
                    await self._socket.send(json.dumps({"type": "pong"}))
                    continue
                if message.get("id") != self._id:
                    continue
                if message["type"] == "next":
                    return message["payload"]
                raise AssertionError(f"subscription ended: {message}")


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
