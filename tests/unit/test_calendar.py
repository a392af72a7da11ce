from datetime import date

from domain.calendar import WorkingCalendar, current_run

# Thursday 24 December 2026 is worked, Friday 25 is a holiday, 26-27 is a weekend.
CALENDAR = WorkingCalendar(holidays=frozenset({date(2026, 12, 25)}))


def test_working_days_skip_weekends_and_holidays() -> None:
    assert CALENDAR.working_days_back(date(2026, 12, 29), 4) == [
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
    ]
    assert CALENDAR.working_days_back(date(2026, 12, 27), 1) == [date(2026, 12, 24)]


def test_a_streak_runs_across_a_weekend_and_a_holiday() -> None:
    days = CALENDAR.working_days_back(date(2026, 12, 29), 5)
    hits = {date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 28), date(2026, 12, 29)}

    # 22 Dec was missed; 23, 24, (25 holiday, 26-27 weekend), 28, 29: four in a row.
    assert current_run(days, hits) == sorted(hits)


def test_a_missed_last_day_ends_the_run() -> None:
    days = CALENDAR.working_days_back(date(2026, 12, 29), 3)
    assert current_run(days, {date(2026, 12, 24), date(2026, 12, 28)}) == []
