"""Trends without a goal: the buckets of a metric series, what each is compared with, how
figures moved, and new-customer cohorts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.money import shown
from domain.periods import Period, PeriodKind, add_years, label, period_containing

HUNDRED = Decimal(100)
# Points one series may have: two years of days, a century of quarters.
MAX_BUCKETS = 731


class Grain(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"


class Comparison(StrEnum):
    PREVIOUS_PERIOD = "PREVIOUS_PERIOD"
    SAME_PERIOD_LAST_YEAR = "SAME_PERIOD_LAST_YEAR"


def _whole(grain: Grain, day: date, fiscal_start_month: int) -> Period:
    """The whole day, ISO week (Monday first), month or fiscal quarter containing `day`."""
    if grain is Grain.DAY:
        return Period(day, day)
    if grain is Grain.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    kind = PeriodKind.MONTH if grain is Grain.MONTH else PeriodKind.FISCAL_QUARTER
    return period_containing(kind, day, fiscal_start_month)


@dataclass(frozen=True)
class Bucket:
    """One point of a series: its days (the first and last clipped to the range asked
    for), the whole grain it belongs to, and its label."""

    period: Period
    whole: Period
    label: str


def buckets(grain: Grain, first: date, last: date, fiscal_start_month: int) -> list[Bucket]:
    """The buckets from `first` to `last`, both included; ValueError past MAX_BUCKETS."""
    found: list[Bucket] = []
    day = first
    while day <= last:
        whole = _whole(grain, day, fiscal_start_month)
        found.append(
            Bucket(
                Period(max(whole.start, first), min(whole.end, last)),
                whole,
                _label(grain, whole, fiscal_start_month),
            )
        )
        if len(found) > MAX_BUCKETS:
            raise ValueError(f"more than {MAX_BUCKETS} points")
        day = whole.end + timedelta(days=1)
    return found


def _label(grain: Grain, whole: Period, fiscal_start_month: int) -> str:
    if grain is Grain.DAY:
        return whole.start.isoformat()
    if grain is Grain.WEEK:
        year, week, _ = whole.start.isocalendar()
        return f"{year}-W{week:02d}"
    kind = PeriodKind.MONTH if grain is Grain.MONTH else PeriodKind.FISCAL_QUARTER
    return label(kind, whole, fiscal_start_month)


def compared(bucket: Bucket, grain: Grain, how: Comparison, fiscal_start_month: int) -> Period:
    """The days a bucket is compared with: as many days of the grain before (the previous
    week, month, quarter), or the same days a year earlier. A clipped bucket is compared
    with the same part of the other one."""
    if how is Comparison.SAME_PERIOD_LAST_YEAR:
        return Period(add_years(bucket.period.start, -1), add_years(bucket.period.end, -1))
    before = _whole(grain, bucket.whole.start - timedelta(days=1), fiscal_start_month)
    if bucket.period == bucket.whole:
        return before
    offset = (bucket.period.start - bucket.whole.start).days
    length = (bucket.period.end - bucket.period.start).days
    start = min(before.start + timedelta(days=offset), before.end)
    return Period(start, min(start + timedelta(days=length), before.end))


def change(value: Decimal | None, before: Decimal | None) -> Decimal | None:
    return value - before if value is not None and before is not None else None


def change_percent(value: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change as a percentage of the earlier figure; null when that is zero or unknown."""
    if value is None or before is None or before == 0:
        return None
    return shown((value - before) / abs(before) * HUNDRED)


@dataclass(frozen=True)
class Cohort:
    """The accounts first won in `month`, and how many of them won again in each month
    after it (`returning[0]` is the month right after)."""

    month: date
    size: int
    returning: list[int]


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def cohorts(
    first_wins: Mapping[int, date], later_wins: Iterable[tuple[int, date]], through: date
) -> list[Cohort]:
    """Cohorts by the month of each account's first win, each followed month by month up to
    the month of `through`; an account counts once per month it won again."""
    members: dict[int, set[int]] = defaultdict(set)
    for account, day in first_wins.items():
        members[_month_index(day)].add(account)
    again: dict[tuple[int, int], set[int]] = defaultdict(set)
    for account, day in later_wins:
        first = first_wins.get(account)
        if first is not None and _month_index(day) > _month_index(first):
            again[(_month_index(first), _month_index(day))].add(account)
    last = _month_index(through)
    return [
        Cohort(
            date(index // 12, index % 12 + 1, 1),
            len(members[index]),
            [len(again[(index, later)]) for later in range(index + 1, last + 1)],
        )
        for index in sorted(members)
    ]
