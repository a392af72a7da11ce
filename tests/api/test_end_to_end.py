"""The whole stack in production mode: PostgreSQL, Redis, a real arq worker, a real uvicorn
and a websocket subscriber."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from tests.support.scenario import TIMEZONE, revenue_goal_flow
from tests.support.servers import api_server, cli, create_organisation, running


@pytest.mark.dated
async def test_revenue_goal_end_to_end_on_postgres_and_redis(
    production_env: dict[str, str], db: None, now: datetime
) -> None:
    # Migrating an up-to-date database is a no-op, not an error.
    await asyncio.to_thread(cli, production_env, "migrate")
    created = await asyncio.to_thread(
        create_organisation, production_env, "Acme", "admin@example.test", TIMEZONE
    )
    with running(production_env, "worker"), api_server(production_env) as base_url:
        await revenue_goal_flow(base_url, now, created["token"])
