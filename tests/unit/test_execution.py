"""A field that fails lets its sibling fields finish (their statements are not cut off
half way), then its error is raised."""

from __future__ import annotations

import asyncio

import pytest
from graphql.execution import executor

from api.execution import gather_settled, settled
from api.schema import schema


async def test_a_failure_waits_for_the_others_then_is_raised() -> None:
    finished: list[str] = []

    async def slow() -> str:
        await asyncio.sleep(0.05)
        finished.append("slow")
        return "slow"

    async def failing() -> str:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await settled([slow(), failing()])
    assert finished == ["slow"]


async def test_values_come_back_in_order() -> None:
    async def value(n: int, delay: float) -> int:
        await asyncio.sleep(delay)
        return n

    assert await settled([value(1, 0.02), value(2, 0)]) == [1, 2]


def test_the_schema_executes_through_it() -> None:
    assert schema is not None
    assert executor.gather_with_cancel is gather_settled
