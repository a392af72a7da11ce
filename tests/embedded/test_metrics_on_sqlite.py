"""The hand-built metric data set again on the embedded SQLite database: the rollup SQL must
give the same figures in both dialects."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from tortoise import connections
from tortoise.context import TortoiseContext

from core.db import tortoise_config
from domain.metrics import Metric
from tests.support.servers import cli
from tests.support.world import (
    ANA_DECEMBER,
    EAST_DECEMBER,
    ORGANISATION_DECEMBER,
    build_world,
    value,
)


async def test_every_metric_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'metrics.sqlite3'}"
    await asyncio.to_thread(cli, {"DATABASE_URL": url}, "migrate")

    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        assert connections.get("default").capabilities.dialect == "sqlite"
        world = await build_world()
        found: dict[tuple[str, Metric], Decimal | None] = {}
        for metric in ANA_DECEMBER:
            found["ana", metric] = await value(world, metric, rep=world.ana)
            found["east", metric] = await value(world, metric, team=world.east)
        for metric in ORGANISATION_DECEMBER:
            found["organisation", metric] = await value(world, metric)

    assert found == {
        **{("ana", m): v for m, v in ANA_DECEMBER.items()},
        **{("east", m): v for m, v in EAST_DECEMBER.items()},
        **{("organisation", m): v for m, v in ORGANISATION_DECEMBER.items()},
    }
