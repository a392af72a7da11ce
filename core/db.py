"""Tortoise configuration shared by the API, the workers and the CLI."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

MODEL_MODULES = [
    "core.orgs.models",
    "core.auth.models",
    "core.sales.models",
    "core.goals.models",
    "core.metrics.models",
    "core.checkins.models",
    "core.outbox.models",
    "gamification.models",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "core.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(database_url: str) -> None:
    """Apply every pending migration; the same files serve SQLite and PostgreSQL."""
    from tortoise.migrations.api import migrate as run_migrations

    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


async def open_database(database_url: str) -> None:
    # The global fallback lets requests, served in other tasks than the lifespan, see the ORM.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


# For tortoise's own CLI (`tortoise -c core.db.TORTOISE_ORM makemigrations`): writing
# migrations compares the models with the migration files and needs no server.
TORTOISE_ORM = tortoise_config("sqlite://:memory:")
