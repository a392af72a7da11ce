"""Build the hand-built world in a SQLite database and print every measured figure as JSON.

Run in its own process by the embedded tests: tortoise binds the model classes to one
database per process, and the test process holds PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import sys

from tortoise import Tortoise, connections

from core import clock
from core.db import tortoise_config
from tests.support.world import AFTER, ANA_DECEMBER, ORGANISATION_DECEMBER, build_world, value


async def main(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))
    try:
        assert connections.get("default").capabilities.dialect == "sqlite"
        # The world's deals run into January 2027; it is measured as it stands after them.
        with clock.pinned(AFTER):
            world = await build_world()
        found = {}
        for metric in ANA_DECEMBER:
            found[f"ana {metric}"] = await value(world, metric, rep=world.ana)
            found[f"east {metric}"] = await value(world, metric, team=world.east)
        for metric in ORGANISATION_DECEMBER:
            found[f"organisation {metric}"] = await value(world, metric)
        print(
            json.dumps(
                {key: str(figure) if figure is not None else None for key, figure in found.items()}
            )
        )
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
