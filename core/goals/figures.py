"""The progress read model: each goal's figure as last measured, and when it is stale.

Reading progress looks a figure up; what depends on the clock (expected attainment, pace,
status) is derived from it at read time. The figure is exact by construction:

- a write that moves figures (an ingestion, a move between teams) bumps the organisation's
  version and marks every goal it can touch invalid at that version, in its own transaction;
- a measurement reads the version *before* it reads the rollups, and stores its figures only
  over rows of that version or older: one that started before a move never hides it;
- a goal without a valid row is measured from the rollups at read time, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from core.goals.models import FiguresVersion, GoalFigure
from core.sql import Params

# Rows per statement when storing figures (SQLite allows 999 bound values per statement).
CHUNK = 150


def _connection() -> BaseDBAsyncClient:
    return connections.get("default")


async def version_of(organisation_id: int) -> int:
    """The organisation's version now: read it before measuring, store with it after."""
    found = await FiguresVersion.filter(organisation_id=organisation_id).first()
    return found.version if found else 0


async def _bump(connection: BaseDBAsyncClient, organisation_id: int) -> int:
    params = Params(connection)
    rows = await connection.execute_query_dict(
        "INSERT INTO figures_version (organisation_id, version) "
        f"VALUES ({params(organisation_id)}, 1) ON CONFLICT (organisation_id) "
        "DO UPDATE SET version = figures_version.version + 1 RETURNING version",
        params.values,
    )
    return int(rows[0]["version"])


async def moved(organisation_id: int, rep_ids: Collection[int]) -> None:
    """These reps' figures moved: every goal that counts them (their own, their teams' and
    the teams above, the organisation's) is stale. Call inside the transaction that moved
    them."""
    if not rep_ids:
        return
    connection = _connection()
    version = await _bump(connection, organisation_id)
    params = Params(connection)
    # Each placeholder written once: SQLite's `?` binds in order of appearance.
    reps = sorted(set(rep_ids))
    listed = lambda: ", ".join(params(rep) for rep in reps)  # noqa: E731
    above = (
        "WITH RECURSIVE above(id) AS ("
        f"SELECT team_id FROM app_user WHERE organisation_id = {params(organisation_id)} "
        f"AND id IN ({listed()}) AND team_id IS NOT NULL "
        "UNION SELECT t.parent_id FROM team t JOIN above ON t.id = above.id "
        "WHERE t.parent_id IS NOT NULL) "
    )
    which = lambda: (  # noqa: E731
        f"g.organisation_id = {params(organisation_id)} AND (g.owner_type = 'ORGANISATION' "
        f"OR g.owner_rep_id IN ({listed()}) OR g.owner_team_id IN (SELECT id FROM above))"
    )
    await connection.execute_query(above + _invalidate(params, version, which), params.values)


async def restructured(organisation_id: int) -> None:
    """Someone moved between teams (or a team moved): every team's and the organisation's
    goals are stale. Call inside the transaction that moved them."""
    await _all_stale(organisation_id, " AND g.owner_type <> 'REP'")


async def remeasured(organisation_id: int) -> None:
    """What goals are measured against changed (a market's definition or size): every
    goal of the organisation is stale. Call inside the transaction that changed it."""
    await _all_stale(organisation_id, "")


async def _all_stale(organisation_id: int, condition: str) -> None:
    connection = _connection()
    version = await _bump(connection, organisation_id)
    params = Params(connection)
    which = lambda: f"g.organisation_id = {params(organisation_id)}{condition}"  # noqa: E731
    await connection.execute_query(_invalidate(params, version, which), params.values)


async def created(organisation_id: int, goal_ids: Collection[int]) -> None:
    """New goals: rows that no measurement begun before their creation can fill. Call in
    the transaction that creates them."""
    if not goal_ids:
        return
    connection = _connection()
    version = await _bump(connection, organisation_id)
    params = Params(connection)
    which = lambda: (  # noqa: E731
        f"g.organisation_id = {params(organisation_id)} AND g.id IN "
        f"({', '.join(params(goal) for goal in sorted(goal_ids))})"
    )
    await connection.execute_query(_invalidate(params, version, which), params.values)


def _invalidate(params: Params, version: int, which: Callable[[], str]) -> str:
    """Mark the goals `which` selects invalid at `version` (`which` writes its placeholders
    when called, after this statement's own, as they appear)."""
    # A goal with no row yet gets an invalid one too: a measurement begun before this
    # version must not store a figure for it afterwards. Rows are locked in goal order, as
    # `store` locks them, so that a write and a measurement never wait for each other.
    at = params(version)
    return (
        "INSERT INTO goal_figure (goal_id, organisation_id, value, valid, version) "
        f"SELECT g.id, g.organisation_id, NULL, {_false(params)}, {at} FROM goal g "
        f"WHERE {which()} ORDER BY g.id "
        "ON CONFLICT (goal_id) DO UPDATE SET valid = excluded.valid, version = excluded.version"
    )


def _false(params: Params) -> str:
    return "FALSE" if params.postgres else "0"


async def store(organisation_id: int, version: int, values: Mapping[int, Decimal | None]) -> None:
    """Store measured figures (goal id → exact value), measured at `version`: each only
    over a row of that version or older, and only where it changes the row (a valid row
    with the same figure stays as it is: nothing has moved it since)."""
    if not values:
        return
    connection = _connection()
    # In goal order, the order every writer of these rows locks them in (see _invalidate).
    items = sorted(values.items())
    texts = [None if value is None else str(value) for _, value in items]
    if connection.capabilities.dialect == "postgres":
        # One statement for any number of goals: the figures as two arrays.
        await connection.execute_query(
            "INSERT INTO goal_figure (goal_id, organisation_id, value, valid, version) "
            "SELECT goal, $2, value, TRUE, $3 FROM unnest($1::int[], $4::text[]) "
            f"AS measured(goal, value) {_UPSERT.format(differs='IS DISTINCT FROM')}",
            [[goal for goal, _ in items], organisation_id, version, texts],
        )
        return
    for start in range(0, len(items), CHUNK):
        params = Params(connection)
        rows = ", ".join(
            f"({params.integer(goal)}, {params.integer(organisation_id)}, {params.text(text)}, "
            f"1, CAST({params(version)} AS BIGINT))"
            for (goal, _), text in zip(
                items[start : start + CHUNK], texts[start : start + CHUNK], strict=True
            )
        )
        await connection.execute_query(
            "INSERT INTO goal_figure (goal_id, organisation_id, value, valid, version) "
            f"VALUES {rows} {_UPSERT.format(differs='IS NOT')}",
            params.values,
        )


_UPSERT = (
    "ON CONFLICT (goal_id) DO UPDATE SET value = excluded.value, valid = excluded.valid, "
    "version = excluded.version WHERE goal_figure.version <= excluded.version "
    "AND (NOT goal_figure.valid OR goal_figure.value {differs} excluded.value)"
)


async def stored(organisation_id: int, goal_ids: Sequence[int]) -> dict[int, Decimal | None]:
    """The valid figures of these goals (a goal missing here must be measured)."""
    if not goal_ids:
        return {}
    rows = await GoalFigure.filter(
        organisation_id=organisation_id, goal_id__in=list(set(goal_ids)), valid=True
    ).values_list("goal_id", "value")
    return {goal: None if value is None else Decimal(value) for goal, value in rows}
