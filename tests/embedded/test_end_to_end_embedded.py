"""The same story on the embedded default: a SQLite file, in-process jobs and events."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from tests.support.scenario import TIMEZONE, revenue_goal_flow
from tests.support.servers import api_server, cli, create_organisation


async def test_revenue_goal_end_to_end_embedded(tmp_path: Path, now: datetime) -> None:
    env = {
        "DATABASE_URL": f"sqlite://{tmp_path / 'pacesetter.sqlite3'}",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    await asyncio.to_thread(cli, env, "migrate")
    created = await asyncio.to_thread(
        create_organisation, env, "Acme", "admin@example.test", TIMEZONE
    )
    with api_server(env) as base_url:
        await revenue_goal_flow(base_url, now, created["token"])
