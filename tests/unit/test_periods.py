from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.periods import (
    Period,
    PeriodKind,
    a_year_before,
    add_years,
    comparable_history,
    following,
    label,
    last_complete,
    local_today,
    period_containing,
    preceding,
)

LA = ZoneInfo("America/Los_Angeles")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def test_bounds_are_local_midnights_across_a_dst_change() -> None:
    first, after = MARCH.bounds(LA)

    # 1 March is PST (UTC-8); 1 April is PDT (UTC-7): clocks moved on 8 March.
    assert first.astimezone(UTC) == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 4, 1, 7, tzinfo=UTC)


def test_elapsed_share_counts_real_hours() -> None:
    # March 2026 in Los Angeles lasts 31 × 24 − 1 = 743 hours; 15 days = 360 hours in.
    now = datetime(2026, 3, 16, 8, tzinfo=UTC)

    assert MARCH.elapsed_fraction(now, LA) == Decimal(360) / Decimal(743)


def test_elapsed_share_is_clamped_to_the_period() -> None:
    assert MARCH.elapsed_fraction(datetime(2026, 3, 1, 7, 59, tzinfo=UTC), LA) == 0
    assert MARCH.elapsed_fraction(datetime(2026, 4, 1, 7, tzinfo=UTC), LA) == 1


def test_local_today_follows_the_timezone() -> None:
    assert local_today(datetime(2026, 1, 1, 5, tzinfo=UTC), LA) == date(2025, 12, 31)
    assert local_today(datetime(2026, 1, 1, 8, tzinfo=UTC), LA) == date(2026, 1, 1)


def test_add_years_moves_29_february_to_the_28th() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2026, 11, 28), 2) == date(2028, 11, 28)


def test_fiscal_periods_with_an_april_start() -> None:
    day = date(2027, 2, 14)
    assert period_containing(PeriodKind.MONTH, day, 4) == Period(
        date(2027, 2, 1), date(2027, 2, 28)
    )
    assert period_containing(PeriodKind.FISCAL_QUARTER, day, 4) == Period(
        date(2027, 1, 1), date(2027, 3, 31)
    )
    assert period_containing(PeriodKind.FISCAL_YEAR, day, 4) == Period(
        date(2026, 4, 1), date(2027, 3, 31)
    )
    assert period_containing(PeriodKind.FISCAL_QUARTER, date(2026, 4, 1), 4) == Period(
        date(2026, 4, 1), date(2026, 6, 30)
    )


def test_labels_name_fiscal_years_by_the_year_they_end() -> None:
    q4 = Period(date(2027, 1, 1), date(2027, 3, 31))
    assert label(PeriodKind.FISCAL_QUARTER, q4, 4) == "FY2027 Q4"
    assert label(PeriodKind.FISCAL_YEAR, Period(date(2026, 4, 1), date(2027, 3, 31)), 4) == "FY2027"
    assert label(PeriodKind.FISCAL_QUARTER, q4, 1) == "FY2027 Q1"
    assert label(PeriodKind.MONTH, Period(date(2026, 12, 1), date(2026, 12, 31)), 4) == "2026-12"


def test_the_following_period_crosses_year_ends() -> None:
    december = Period(date(2026, 12, 1), date(2026, 12, 31))
    assert following(PeriodKind.MONTH, december, 1) == Period(date(2027, 1, 1), date(2027, 1, 31))


def test_comparable_history_of_a_named_and_of_a_custom_period() -> None:
    march = Period(date(2027, 3, 1), date(2027, 3, 31))
    assert comparable_history(march, 4, count=2) == [
        Period(date(2027, 2, 1), date(2027, 2, 28)),
        Period(date(2027, 1, 1), date(2027, 1, 31)),
        Period(date(2026, 3, 1), date(2026, 3, 31)),
    ]
    ten_days = Period(date(2026, 12, 11), date(2026, 12, 20))
    assert preceding(ten_days, 1) == Period(date(2026, 12, 1), date(2026, 12, 10))


def test_a_range_that_is_exactly_a_period_compares_with_the_one_before() -> None:
    """Q3 (1 July - 30 September, 92 days) compares with Q2 (91 days), not the 92 days
    from 31 March; Q1 with Q4 of the year before, not 1 October - 31 December minus two
    days; a fiscal quarter of an April year, a year and a fiscal year likewise."""
    q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
    assert preceding(q3, 1) == Period(date(2026, 4, 1), date(2026, 6, 30))
    q1 = Period(date(2027, 1, 1), date(2027, 3, 31))
    assert preceding(q1, 1) == Period(date(2026, 10, 1), date(2026, 12, 31))
    # With a February fiscal year, February - April is a fiscal quarter.
    fiscal_q1 = Period(date(2027, 2, 1), date(2027, 4, 30))
    assert preceding(fiscal_q1, 2) == Period(date(2026, 11, 1), date(2027, 1, 31))
    march = Period(date(2027, 3, 1), date(2027, 3, 31))
    assert preceding(march, 1) == Period(date(2027, 2, 1), date(2027, 2, 28))
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert preceding(year, 4) == Period(date(2025, 1, 1), date(2025, 12, 31))
    fiscal_year = Period(date(2026, 4, 1), date(2027, 3, 31))
    assert preceding(fiscal_year, 4) == Period(date(2025, 4, 1), date(2026, 3, 31))
    # Three whole months that are no quarter of either calendar: the 89 days before.
    feb_to_apr = Period(date(2027, 2, 1), date(2027, 4, 30))
    assert preceding(feb_to_apr, 1) == Period(date(2026, 11, 4), date(2027, 1, 31))


def test_the_last_complete_comparable_period() -> None:
    """A goal on next quarter set on 20 November compares with July - September: October -
    December is still running. Set on 1 January, October - December is over."""
    q1 = Period(date(2027, 1, 1), date(2027, 3, 31))
    assert last_complete(q1, date(2026, 11, 20), 1) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert last_complete(q1, date(2027, 1, 1), 1) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert a_year_before(q1) == Period(date(2026, 1, 1), date(2026, 3, 31))


def test_the_first_days_a_date_can_name_have_nothing_before_them() -> None:
    assert preceding(Period(date(1, 1, 1), date(1, 1, 31)), 1) == Period(date.min, date.min)
    assert preceding(Period(date(1, 1, 5), date(1, 2, 20)), 1) == Period(date.min, date.min)
