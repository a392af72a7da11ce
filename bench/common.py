"""What the benchmarks share: a database of their own, the environment of the processes
they start (a queue and event prefix of their own), a free port, a server's health."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import httpx

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = "bench-" + "x" * 40


@asynccontextmanager
async def fresh_database(kind: str) -> AsyncIterator[tuple[str, str]]:
    """A database made for this run (its name and URL), dropped afterwards."""
    name = f"pacesetter_bench_{kind}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def process_env(name: str, url: str) -> dict[str, str]:
    """For `pacesetter` processes of this run: its database, queue and event prefix."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "QUEUE_NAME": f"bench:{name}",
        "EVENTS_PREFIX": f"bench-{name}",
        "JWT_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthy(base: str, tries: int = 150) -> None:
    """Until the server at `base` answers /healthz."""
    async with httpx.AsyncClient() as http:
        for _ in range(tries):
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{base} did not become healthy")
