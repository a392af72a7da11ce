"""Goal periods: whole local days in the organisation's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
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


class PeriodKind(StrEnum):
    MONTH = "MONTH"
    FISCAL_QUARTER = "FISCAL_QUARTER"
    FISCAL_YEAR = "FISCAL_YEAR"


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.FISCAL_QUARTER: 3, PeriodKind.FISCAL_YEAR: 12}


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _months(start_index: int, count: int) -> Period:
    return Period(_first_of(start_index), _first_of(start_index + count) - timedelta(days=1))


def period_containing(kind: PeriodKind, day: date, fiscal_start_month: int) -> Period:
    """The month, fiscal quarter or fiscal year that `day` falls in."""
    index = _month_index(day)
    into_year = (day.month - fiscal_start_month) % 12
    if kind is PeriodKind.MONTH:
        start = index
    elif kind is PeriodKind.FISCAL_QUARTER:
        start = index - into_year % 3
    else:
        start = index - into_year
    return _months(start, MONTHS_IN[kind])


def following(kind: PeriodKind, period: Period, fiscal_start_month: int) -> Period:
    """The period of the same kind right after `period`."""
    return period_containing(kind, period.end + timedelta(days=1), fiscal_start_month)


def fiscal_year_of(day: date, fiscal_start_month: int) -> int:
    """Fiscal years are named after the calendar year they end in (April 2026 to March
    2027 is FY2027); with a January start they are the calendar years."""
    if fiscal_start_month == 1 or day.month < fiscal_start_month:
        return day.year
    return day.year + 1


def label(kind: PeriodKind, period: Period, fiscal_start_month: int) -> str:
    year = fiscal_year_of(period.start, fiscal_start_month)
    if kind is PeriodKind.MONTH:
        return period.start.strftime("%Y-%m")
    if kind is PeriodKind.FISCAL_QUARTER:
        quarter = (period.start.month - fiscal_start_month) % 12 // 3 + 1
        return f"FY{year} Q{quarter}"
    return f"FY{year}"


def month_of_key(key: str) -> Period | None:
    """The month an award key names ("month:2026-10", "rank:2026-10"), if it names one."""
    _, _, written = key.partition(":")
    try:
        first = date.fromisoformat(f"{written}-01")
    except ValueError:
        return None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _whole_months(period: Period) -> int | None:
    """How many whole months the period covers, when it runs from a first to a last day."""
    after = period.end + timedelta(days=1)
    if period.start.day != 1 or after.day != 1:
        return None
    return _month_index(after) - _month_index(period.start)


def preceding(period: Period, fiscal_start_month: int) -> Period:
    """The period this one is compared with: the previous one of the same kind in the
    organisation's calendar. A period that is exactly a month, a quarter or a year —
    calendar or fiscal — is a period of that kind, however it was asked for (1 July to 30
    September is a quarter); any other range compares with as many days just before."""
    try:
        months = _whole_months(period)
        starts = {1, fiscal_start_month}
        if months == 1 or (
            months in (3, 12) and any((period.start.month - m) % months == 0 for m in starts)
        ):
            assert months is not None
            return _months(_month_index(period.start) - months, months)
        length = timedelta(days=days(period))
        return Period(period.start - length, period.start - timedelta(days=1))
    except (OverflowError, ValueError):
        # Before the first day a date can name there is nothing to compare with.
        return Period(date.min, date.min)


def last_complete(period: Period, today: date, fiscal_start_month: int) -> Period:
    """The most recent comparable period before `period` that is over by `today`: for a
    goal on next quarter set in November, the quarter before the one still running."""
    current = preceding(period, fiscal_start_month)
    while current.end >= today:
        current = preceding(current, fiscal_start_month)
    return current


def a_year_before(period: Period) -> Period:
    return Period(add_years(period.start, -1), add_years(period.end, -1))


def comparable_history(period: Period, fiscal_start_month: int, count: int = 4) -> list[Period]:
    """The `count` comparable periods before this one, most recent first, and the same
    period a year earlier when it is not among them."""
    history = []
    current = period
    for _ in range(count):
        current = preceding(current, fiscal_start_month)
        history.append(current)
    if a_year_before(period) not in history:
        history.append(a_year_before(period))
    return history
