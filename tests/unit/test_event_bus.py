"""The in-process bus: fan-out of typed events, a slow subscriber cut off instead of slowing
the others, and the one encoding every bus uses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.events import InProcessBus, SubscriberLagged
from core.messages import CheckInHappened, FiguresMoved, ProgressChanged, decode, encode


async def test_every_subscriber_of_a_channel_gets_each_event() -> None:
    bus = InProcessBus()
    async with (
        bus.subscribe("goal:1") as first,
        bus.subscribe("goal:1") as second,
        bus.subscribe("goal:2") as other,
    ):
        await bus.publish("goal:1", FiguresMoved([1]))
        await bus.publish("goal:2", FiguresMoved([2]))
        assert await anext(first) == FiguresMoved([1])
        assert await anext(second) == FiguresMoved([1])
        assert await anext(other) == FiguresMoved([2])


async def test_a_subscriber_that_falls_behind_is_cut_off_and_the_others_are_not() -> None:
    bus = InProcessBus(buffer=3)
    async with bus.subscribe("goal:1") as slow, bus.subscribe("goal:1") as quick:
        for n in range(5):
            await bus.publish("goal:1", FiguresMoved([n]))
            assert await anext(quick) == FiguresMoved([n])
        with pytest.raises(SubscriberLagged):
            await anext(slow)


def test_events_come_back_as_they_went_decimals_and_instants_included() -> None:
    progress = ProgressChanged(
        goal_id=7,
        owner_type="REP",
        owner_rep_id=2,
        owner_team_id=None,
        current_value=Decimal("957.5775"),
        target=Decimal("1000.00"),
        attainment=None,
        expected_attainment=Decimal("40.00"),
        projected_value=None,
        status="ON_TRACK",
        measured_at=datetime(2026, 11, 18, 20, tzinfo=UTC),
    )
    reminder = CheckInHappened(
        kind="REMINDER",
        organisation_id=1,
        rep_id=2,
        at=progress.measured_at,
        due_on=date(2026, 11, 20),
    )

    assert decode(encode(progress)) == progress
    assert decode(encode(reminder)) == reminder
    assert isinstance(decode(encode(progress)).current_value, Decimal)
    with pytest.raises(ValueError, match="not an event"):
        decode('{"kind": "END_OF_TEST"}')
