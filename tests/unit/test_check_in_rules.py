"""Cadence, due states, the daily rate still needed, metric changes and action item checks,
with every figure worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.calendar import WorkingCalendar
from domain.checkins import (
    ActionItemDraft,
    Cadence,
    DueState,
    MetricChange,
    add_months,
    cadence_length,
    check_action_items,
    days_overdue,
    due_state,
    largest_changes,
    next_due,
    required_daily_rate,
)
from domain.errors import ErrorCode
from domain.metrics import Metric

D = Decimal


@pytest.mark.parametrize(
    ("cadence", "last", "due"),
    [
        # Weekly and every two weeks run across month and year ends by days.
        (Cadence.WEEKLY, date(2027, 3, 28), date(2027, 4, 4)),
        (Cadence.WEEKLY, date(2026, 12, 29), date(2027, 1, 5)),
        (Cadence.BIWEEKLY, date(2027, 1, 25), date(2027, 2, 8)),
        # Monthly keeps the day, or the shorter month's last day.
        (Cadence.MONTHLY, date(2027, 1, 31), date(2027, 2, 28)),
        (Cadence.MONTHLY, date(2028, 1, 31), date(2028, 2, 29)),
        (Cadence.MONTHLY, date(2027, 3, 31), date(2027, 4, 30)),
        (Cadence.MONTHLY, date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_next_check_in_is_one_cadence_after_the_last(
    cadence: Cadence, last: date, due: date
) -> None:
    assert next_due(cadence, last, anchor=date(2020, 1, 1)) == due


def test_without_a_check_in_the_cadence_runs_from_the_anchor() -> None:
    assert next_due(Cadence.BIWEEKLY, None, anchor=date(2027, 2, 20)) == date(2027, 3, 6)


def test_due_states_and_days_overdue() -> None:
    due = date(2027, 3, 1)
    assert (due_state(due, date(2027, 2, 28)), days_overdue(due, date(2027, 2, 28))) == (
        DueState.UPCOMING,
        0,
    )
    assert (due_state(due, due), days_overdue(due, due)) == (DueState.DUE, 0)
    assert (due_state(due, date(2027, 3, 4)), days_overdue(due, date(2027, 3, 4))) == (
        DueState.OVERDUE,
        3,
    )


def test_add_months_and_cadence_length() -> None:
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), -2) == date(2026, 11, 15)
    # 1 March back to 1 February: 28 days in 2027.
    assert cadence_length(Cadence.MONTHLY, date(2027, 3, 1)).days == 28
    assert cadence_length(Cadence.BIWEEKLY, date(2027, 3, 1)).days == 14


CHRISTMAS = WorkingCalendar(holidays=frozenset({date(2026, 12, 25)}))


def test_the_daily_rate_counts_the_working_days_left_today_included() -> None:
    # Wednesday 23 December to Thursday 31st: 23, 24, (25 is a holiday, 26–27 a weekend),
    # 28, 29, 30, 31 → 6 working days for 10,000 − 4,000 = 6,000 → 1,000 a day.
    rate = required_daily_rate(D(10000), D(4000), date(2026, 12, 23), date(2026, 12, 31), CHRISTMAS)
    assert rate == D("1000.00")
    # 7 still needed over the 3 working days 29, 30, 31: 2.333… → 2.33.
    assert required_daily_rate(D(10), D(3), date(2026, 12, 29), date(2026, 12, 31), CHRISTMAS) == D(
        "2.33"
    )


def test_the_daily_rate_is_zero_once_reached_and_none_without_days_left() -> None:
    assert required_daily_rate(
        D(100), D(150), date(2026, 12, 23), date(2026, 12, 31), CHRISTMAS
    ) == D("0.00")
    # Saturday 26th to Sunday 27th: no working day left.
    assert (
        required_daily_rate(D(100), D(10), date(2026, 12, 26), date(2026, 12, 27), CHRISTMAS)
        is None
    )
    # No figure yet counts as nothing done: 100 over 23, 24 → 50.
    assert required_daily_rate(
        D(100), None, date(2026, 12, 23), date(2026, 12, 24), CHRISTMAS
    ) == D("50.00")


def test_largest_changes_rank_by_relative_change() -> None:
    before = {
        Metric.REVENUE: D(4000),
        Metric.DEALS_WON: D(4),
        Metric.WIN_RATE: D(50),
        Metric.LEADS: D(0),
        Metric.NEW_CUSTOMERS: D(2),
        Metric.CONVERSION_RATE: None,
    }
    since = {
        Metric.REVENUE: D(1000),  # −75%
        Metric.DEALS_WON: D(6),  # +50%
        Metric.WIN_RATE: D(60),  # +20%
        Metric.LEADS: D(3),  # from nothing: first
        Metric.NEW_CUSTOMERS: D(2),  # unchanged: left out
        Metric.CONVERSION_RATE: D(10),  # nothing to compare with: left out
    }
    assert largest_changes(before, since, limit=3) == [
        MetricChange(Metric.LEADS, D(0), D(3), D(3), None),
        MetricChange(Metric.REVENUE, D(4000), D(1000), D(-3000), D("-75.00")),
        MetricChange(Metric.DEALS_WON, D(4), D(6), D(2), D("50.00")),
    ]


def test_action_items_need_words_an_owner_on_either_side_and_a_date_from_today() -> None:
    today = date(2027, 3, 1)
    items = [
        ActionItemDraft("Call the three stalled deals", 7, today),
        ActionItemDraft("  ", 8, date(2027, 2, 28)),
        ActionItemDraft("Shadow a demo", 99, date(2027, 3, 8)),
    ]
    errors = check_action_items(items, today, allowed_owners={7, 8})
    assert [(e.field, e.code) for e in errors] == [
        ("actionItems.1.description", ErrorCode.REQUIRED),
        ("actionItems.1.dueOn", ErrorCode.IN_THE_PAST),
        ("actionItems.2.ownerId", ErrorCode.INVALID),
    ]
