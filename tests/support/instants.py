"""The instants the suite runs at: one ordinary moment for every test, and the edges of the
day, month, year and daylight saving that date-sensitive tests (`@pytest.mark.dated`) are
run at as well. Test organisations are in Los Angeles (the `org` fixture) or UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def in_los_angeles(*parts: int) -> datetime:
    """A wall-clock time in Los Angeles, as a UTC instant."""
    return datetime(*parts, tzinfo=LOS_ANGELES).astimezone(UTC)


# Noon in Los Angeles on a Wednesday in the middle of a month and a quarter.
ORDINARY = in_los_angeles(2026, 11, 18, 12, 0)

EDGES: dict[str, datetime] = {
    # UTC is already on the 19th; Los Angeles is still on the afternoon of the 18th.
    "utc-just-after-midnight": datetime(2026, 11, 19, 0, 5, tzinfo=UTC),
    "la-just-before-midnight": in_los_angeles(2026, 11, 18, 23, 55),
    "la-just-after-midnight": in_los_angeles(2026, 11, 19, 0, 5),
    # The last evening of a month and of a quarter (UTC is in October already).
    "la-last-day-of-quarter": in_los_angeles(2026, 9, 30, 23, 30),
    # The last evening of the (calendar = default fiscal) year.
    "la-last-day-of-year": in_los_angeles(2026, 12, 31, 23, 30),
    # Clocks went forward at 02:00: the local day is 23 hours long.
    "la-dst-starts": in_los_angeles(2027, 3, 14, 3, 30),
    # 01:30 for the second time (PST): the local day is 25 hours long.
    "la-dst-ends": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
}


def start_of_day(now: datetime, tz: ZoneInfo) -> datetime:
    """The instant the local day of `now` began (23 or 25 hours before the next one on a
    daylight-saving change)."""
    local = now.astimezone(tz)
    return datetime.combine(local.date(), datetime.min.time(), tz).astimezone(UTC)


def earlier_today(now: datetime, tz: ZoneInfo) -> datetime:
    """An instant before `now` on the same local day: halfway since the day began, so it is
    today even five minutes after midnight."""
    began = start_of_day(now, tz)
    return began + (now - began) / 2


def local_date(now: datetime, tz: ZoneInfo) -> date:
    """The date on a wall calendar in `tz` at `now` (worked out here, not by the code under
    test)."""
    return now.astimezone(tz).date()
