"""Raw SQL that runs on both PostgreSQL and SQLite: placeholders in each dialect's style."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient


class Params:
    """Collects bound values and writes the matching placeholder (`$n` or `?`)."""

    def __init__(self, connection: BaseDBAsyncClient) -> None:
        self.postgres = connection.capabilities.dialect == "postgres"
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"

    def integer(self, value: int) -> str:
        # Typed, because PostgreSQL cannot infer the type of a bare parameter in VALUES.
        return f"CAST({self(value)} AS INTEGER)"

    def text(self, value: str | None) -> str:
        return f"CAST({self(value)} AS TEXT)"
