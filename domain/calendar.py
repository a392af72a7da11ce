"""The organisation's working calendar: which days count for daily streaks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = frozenset({1, 2, 3, 4, 5})


@dataclass(frozen=True)
class WorkingCalendar:
    """ISO weekdays that are worked (Monday is 1) and the holidays that are not."""

    weekdays: frozenset[int] = WEEKDAYS
    holidays: frozenset[date] = frozenset()

    def is_working(self, day: date) -> bool:
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def working_days_back(self, last: date, count: int) -> list[date]:
        """The `count` working days up to and including `last` (if it is one), oldest first."""
        found: list[date] = []
        day = last
        # A year of non-working days in a row would be a calendar error, not a streak.
        for _ in range(count * 7 + 366):
            if len(found) == count:
                break
            if self.is_working(day):
                found.append(day)
            day -= timedelta(days=1)
        return found[::-1]


def current_run(days: list[date], hits: Collection[date]) -> list[date]:
    """The run of consecutive hit days ending at the last day of `days` (ascending); empty
    when the last day was not a hit."""
    run: list[date] = []
    for day in reversed(days):
        if day not in hits:
            break
        run.append(day)
    return run[::-1]
