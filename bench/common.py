"""What the benchmarks share: a database of their own, the environment of the processes
they start (a queue and event prefix of their own), a free port, a server's health, and the
Node.js tools of the comparisons (PostGraphile, and autocannon to load both sides alike)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# The Node.js tools the comparisons use, pinned; installed once into the user's cache.
NODE_TOOLS = ("postgraphile@4.14.1", "autocannon@7.15.0")
NODE_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pacesetter-bench"


def node_tool(name: str) -> Path:
    """The path of a pinned Node.js tool's command (`postgraphile`, `autocannon`), installing
    NODE_TOOLS with npm the first time."""
    folder = NODE_HOME / "-".join(tool.replace("@", "-") for tool in NODE_TOOLS)
    command = folder / "node_modules" / ".bin" / name
    if not command.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), *NODE_TOOLS],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return command


@dataclass(frozen=True)
class Volley:
    """What autocannon measured: requests per second, latency percentiles, failures."""

    per_second: float
    p50: float
    p99: float
    failures: int


async def volley(
    url: str, body: dict[str, Any], headers: dict[str, str], connections: int, seconds: int
) -> Volley:
    """POST `body` as JSON to `url` from `connections` connections for `seconds` with
    autocannon (one Node.js process: light enough not to starve the server it measures)."""
    args = [str(node_tool("autocannon")), "--json", "-c", str(connections), "-d", str(seconds)]
    args += ["-m", "POST", "-b", json.dumps(body), "-H", "content-type=application/json"]
    for name, value in headers.items():
        args += ["-H", f"{name}={value}"]
    process = await asyncio.create_subprocess_exec(
        *args, url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await process.communicate()
    found = json.loads(out)
    return Volley(
        per_second=found["requests"]["average"],
        p50=found["latency"]["p50"],
        p99=found["latency"]["p99"],
        failures=found["errors"] + found["timeouts"] + found["non2xx"],
    )
