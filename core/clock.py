"""The one clock: services, jobs, tokens and the API read the time here, so it can be pinned.

The clock may be shifted by a fixed amount (`CLOCK_SHIFT_SECONDS`): it then reads another
instant and keeps running from there. Every process given the same shift reads the same
time, which is how tests run the API and workers "just before midnight in Los Angeles".
Waiting and scheduling (arq's deferred jobs, cron, sleeps) stay on the machine's time:
they measure durations, not business dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_shift = timedelta()


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC) + _shift


def shift() -> timedelta:
    """How far this process's clock is from the machine's."""
    return _shift


def set_shift(by: timedelta) -> None:
    """Shift this process's clock; a whole process reads one time."""
    global _shift
    _shift = by


@contextmanager
def pinned(at: datetime) -> Iterator[datetime]:
    """Read `at` now, and run on from it, until the block ends."""
    if at.tzinfo is None:
        raise ValueError("a pinned instant must be timezone-aware")
    before = _shift
    set_shift(at - datetime.now(UTC))
    try:
        yield at
    finally:
        set_shift(before)
