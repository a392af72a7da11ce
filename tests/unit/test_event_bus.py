"""The in-process bus: fan-out, and a slow subscriber cut off instead of slowing others."""

from __future__ import annotations

import pytest

from core.events import InProcessBus, SubscriberLagged


async def test_every_subscriber_of_a_channel_gets_each_event() -> None:
    bus = InProcessBus()
    async with (
        bus.subscribe("goal:1") as first,
        bus.subscribe("goal:1") as second,
        bus.subscribe("goal:2") as other,
    ):
        await bus.publish("goal:1", {"n": 1})
        await bus.publish("goal:2", {"n": 2})
        assert await anext(first) == {"n": 1}
        assert await anext(second) == {"n": 1}
        assert await anext(other) == {"n": 2}


async def test_a_subscriber_that_falls_behind_is_cut_off_and_the_others_are_not() -> None:
    bus = InProcessBus(buffer=3)
    async with bus.subscribe("goal:1") as slow, bus.subscribe("goal:1") as quick:
        for n in range(5):
            await bus.publish("goal:1", {"n": n})
            assert await anext(quick) == {"n": n}
        with pytest.raises(SubscriberLagged):
            await anext(slow)
