"""Migration operations the project's migrations share."""

from __future__ import annotations

from typing import Any

from tortoise.migrations import operations as ops


class PostgresOnly(ops.AlterField):
    """A column type that changes in PostgreSQL only: SQLite keeps decimals as text and
    ignores lengths already, and letting AlterField run there would rebuild the table and
    drop its unique constraints."""

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_backward(app_label, old_state, new_state, state_editor)
