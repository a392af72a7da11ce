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
from core.goals import figures
from core.goals import service as goals
from core.goals.models import Goal
from tests.support.world import (
    AFTER,
    ANA_DECEMBER,
    ORGANISATION_DECEMBER,
    World,
    build_world,
    value,
)


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
        found["read back"] = await read_back(world)
        print(
            json.dumps(
                {key: str(figure) if figure is not None else None for key, figure in found.items()}
            )
        )
    finally:
        await Tortoise.close_connections()


async def read_back(world: World) -> int:
    """Store every goal's measured figure in the read model, read progress back through it,
    and count the goals whose figures come back the same."""
    organisation = world.organisation
    made = await Goal.filter(organisation_id=organisation.id)
    version = await figures.version_of(organisation.id)
    measured = await goals.measure_goals(organisation, made, AFTER)
    await figures.store(
        organisation.id, version, {goal: found.exact_value for goal, found in measured.items()}
    )
    stored = await figures.stored(organisation.id, [goal.id for goal in made])
    read = await goals.read_progress(
        organisation, made, AFTER, lambda: goals.Structure.load(organisation.id)
    )
    return sum(
        1
        for goal in made
        if goal.id in stored and read[goal.id].current_value == measured[goal.id].current_value
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
