"""How a request's fields are awaited together: a field that fails lets the others finish.

graphql-core cancels the other fields of a selection (or items of a list) when one of them
fails, since a non-null field's error nulls its parent. A field cancelled in the middle of
a statement can leave its connection half way through PostgreSQL's extended protocol, with
the server waiting on it (ClientRead) and its locks held: the next TRUNCATE, migration or
ALTER waits behind it for minutes. Letting the others settle costs at most the time of the
statements already under way; the error is propagated as before.

graphql-core awaits fields through one module-level function, replaced here once, for
every execution (queries, mutations, subscription events)."""

from __future__ import annotations

from asyncio import gather
from collections.abc import Awaitable, Sequence
from typing import Any

from graphql.execution import executor


async def settled(values: Sequence[Awaitable[Any]]) -> list[Any]:
    """Every value once all have settled; the first failure, if any, raised then."""
    results = await gather(*values, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def gather_settled(*values: Awaitable[Any]) -> Awaitable[list[Any]]:
    return settled(values)


executor.gather_with_cancel = gather_settled  # type: ignore[attr-defined]
