"""Goal periods: whole local days in the organisation's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """From the first moment of `start` to the last moment of `end`, both local dates."""

    start: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as a half-open range of aware instants: [start, end)."""
        first = datetime.combine(self.start, time.min, tzinfo=tz)
        after = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz)
        return first, after

    def elapsed_fraction(self, now: datetime, tz: ZoneInfo) -> Decimal:
        """Share of the period behind `now`, between 0 and 1."""
        first, after = self.bounds(tz)
        if now <= first:
            return Decimal(0)
        if now >= after:
            return Decimal(1)
        # Python subtracts datetimes sharing a tzinfo as wall-clock times; in UTC a DST
        # day keeps its real length (23 or 25 hours).
        first, after = first.astimezone(UTC), after.astimezone(UTC)
        elapsed = (now.astimezone(UTC) - first).total_seconds()
        total = (after - first).total_seconds()
        return Decimal(str(elapsed)) / Decimal(str(total))


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
