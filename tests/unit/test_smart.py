from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.smart import Criterion, GoalDraft, Violation, ViolationCode, validate

TODAY = date(2026, 11, 28)
GOOD = GoalDraft(
    target=Decimal(10000),
    owner_found=True,
    period_start=date(2026, 11, 1),
    period_end=date(2026, 11, 30),
    today=TODAY,
)


def codes(draft: GoalDraft) -> list[tuple[Criterion, ViolationCode, str]]:
    return [(v.criterion, v.code, v.field) for v in validate(draft)]


def test_a_smart_goal_passes() -> None:
    assert validate(GOOD) == []


def test_target_must_be_positive() -> None:
    assert codes(replace(GOOD, target=Decimal(0))) == [
        (Criterion.SPECIFIC, ViolationCode.TARGET_NOT_POSITIVE, "target")
    ]
    assert codes(replace(GOOD, target=Decimal("NaN"))) == [
        (Criterion.SPECIFIC, ViolationCode.TARGET_NOT_POSITIVE, "target")
    ]


def test_owner_must_exist() -> None:
    assert codes(replace(GOOD, owner_found=False)) == [
        (Criterion.SPECIFIC, ViolationCode.OWNER_NOT_FOUND, "ownerId")
    ]


def test_end_before_start_is_not_time_bound() -> None:
    draft = replace(GOOD, period_start=date(2026, 12, 10), period_end=date(2026, 12, 5))
    assert codes(draft) == [(Criterion.TIME_BOUND, ViolationCode.END_BEFORE_START, "periodEnd")]


def test_a_one_day_period_is_allowed() -> None:
    assert validate(replace(GOOD, period_start=TODAY, period_end=TODAY)) == []


def test_end_in_the_past_is_refused_and_today_is_not_the_past() -> None:
    yesterday = date(2026, 11, 27)
    assert codes(replace(GOOD, period_end=yesterday)) == [
        (Criterion.TIME_BOUND, ViolationCode.END_IN_PAST, "periodEnd")
    ]
    assert validate(replace(GOOD, period_end=TODAY)) == []


def test_horizon_is_at_most_two_years() -> None:
    assert validate(replace(GOOD, period_end=date(2028, 11, 28))) == []
    assert codes(replace(GOOD, period_end=date(2028, 11, 29))) == [
        (Criterion.TIME_BOUND, ViolationCode.HORIZON_TOO_LONG, "periodEnd")
    ]


def test_every_broken_rule_is_reported() -> None:
    draft = GoalDraft(
        target=Decimal(-5),
        owner_found=False,
        period_start=date(2026, 11, 20),
        period_end=date(2026, 11, 10),
        today=TODAY,
    )
    found = validate(draft)
    assert [v.code for v in found] == [
        ViolationCode.TARGET_NOT_POSITIVE,
        ViolationCode.OWNER_NOT_FOUND,
        ViolationCode.END_BEFORE_START,
        ViolationCode.END_IN_PAST,
    ]
    assert all(isinstance(v, Violation) and v.message for v in found)
