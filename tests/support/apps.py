"""The running test app under other settings: same open ORM, bus and queue (their lifespan
is the session app's), for tests of what settings change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette

from api.app import create_app
from core.config import Settings


@asynccontextmanager
async def client_of(app: Starlette, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    variant = create_app(settings)
    variant.state.bus, variant.state.queue = app.state.bus, app.state.queue
    variant.state.throttle = app.state.throttle
    variant.state.settings = settings
    transport = httpx.ASGITransport(app=variant)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
