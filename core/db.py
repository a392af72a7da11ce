"""Tortoise configuration shared by the API, the workers and the CLI."""

from __future__ import annotations

from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

MODEL_MODULES = [
    "core.orgs.models",
    "core.auth.models",
    "core.sales.models",
    "core.goals.models",
    "core.metrics.models",
    "core.checkins.models",
    "core.outbox.models",
    "core.audit.models",
    "core.training.models",
    "core.markets.models",
    "gamification.models",
    "core.credentials.models",
]


# No statement runs longer than this in the API or a worker: a stuck one fails (and its
# job is retried) instead of holding a connection and its locks. Migrations are exempt.
STATEMENT_TIMEOUT_MS = 60_000


async def _release(connection: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool. asyncpg's default reset costs a
    round trip after every statement (RESET ALL, UNLISTEN, closing cursors) for state this
    project never leaves behind: nothing but a transaction left open needs undoing."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


def tortoise_config(database_url: str, serving: bool = False) -> dict[str, Any]:
    """The ORM configuration; `serving` for the API and the workers (a statement timeout,
    a light reset of connections returning to the pool), not for migrations."""
    connection: str | dict[str, Any] = database_url
    if serving and database_url.startswith("postgres"):
        connection = expand_db_url(database_url)
        credentials = connection["credentials"]
        credentials.setdefault("server_settings", {})["statement_timeout"] = str(
            STATEMENT_TIMEOUT_MS
        )
        credentials["reset"] = _release
    return {
        "connections": {"default": connection},
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
    await Tortoise.init(
        config=tortoise_config(database_url, serving=True), _enable_global_fallback=True
    )


async def close_database() -> None:
    await Tortoise.close_connections()


# For tortoise's own CLI (`tortoise -c core.db.TORTOISE_ORM makemigrations`): writing
# migrations compares the models with the migration files and needs no server.
TORTOISE_ORM = tortoise_config("sqlite://:memory:")
