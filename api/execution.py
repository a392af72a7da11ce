"""How a request's fields are awaited together: a field that fails lets the others finish.

graphql-core cancels the other fields of a selection when one of them fails (a non-null
field's error nulls its parent). A field cancelled in the middle of a statement can leave
its connection half way through PostgreSQL's extended protocol — parsed, not yet bound —
with the server waiting on it and its locks held, so that the next TRUNCATE, migration or
ALTER waits behind it. Letting the others settle costs at most the time of statements
already under way; the error is propagated as before."""

from __future__ import annotations

from asyncio import gather
from collections.abc import Awaitable, Sequence
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


async def settled(values: Sequence[Awaitable[Any]]) -> list[Any]:
    """Every value once all have settled; the first failure, if any, raised then."""
    results = await gather(*values, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


class SettlingExecution(StrawberryGraphQLCoreExecutionContext):
    def gather_async_work(self, values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        return settled(values)
