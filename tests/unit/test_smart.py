from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.metrics import Metric
from domain.periods import Period, PeriodKind
from domain.smart import (
    Criterion,
    GoalDraft,
    ParentFacts,
    PeriodRequest,
    ViolationCode,
    plan_periods,
    validate,
)
from domain.targets import TargetKind, TargetSpec

TODAY = date(2026, 11, 28)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
GOOD = GoalDraft(
    metric=Metric.REVENUE,
    spec=TargetSpec(TargetKind.ABSOLUTE, Decimal(10000)),
    target=Decimal(10000),
    owner_found=True,
    period=NOVEMBER,
    today=TODAY,
    rationale="Quota",
)
S, M, A, R, T = (
    Criterion.SPECIFIC,
    Criterion.MEASURABLE,
    Criterion.ACHIEVABLE,
    Criterion.RELEVANT,
    Criterion.TIME_BOUND,
)


def codes(draft: GoalDraft) -> list[tuple[Criterion, ViolationCode, str]]:
    return [(v.criterion, v.code, v.field) for v in validate(draft)]


def test_a_smart_goal_passes() -> None:
    assert validate(GOOD) == []


# Specific


def test_target_must_be_positive() -> None:
    zero = replace(GOOD, spec=TargetSpec(TargetKind.ABSOLUTE, Decimal(0)), target=Decimal(0))
    assert codes(zero) == [(S, ViolationCode.TARGET_NOT_POSITIVE, "target")]


def test_a_relative_target_must_change_something() -> None:
    draft = replace(GOOD, spec=TargetSpec(TargetKind.RELATIVE_PERCENT, Decimal(0)))
    assert codes(draft) == [(S, ViolationCode.TARGET_NOT_POSITIVE, "target")]


def test_a_move_must_go_up() -> None:
    draft = replace(
        GOOD,
        metric=Metric.CONVERSION_RATE,
        spec=TargetSpec(TargetKind.MOVE, Decimal(15), start=Decimal(25)),
        target=Decimal(15),
    )
    assert codes(draft) == [(S, ViolationCode.TARGET_NOT_ABOVE_START, "target")]


def test_owner_must_exist() -> None:
    assert codes(replace(GOOD, owner_found=False)) == [
        (S, ViolationCode.OWNER_NOT_FOUND, "ownerId")
    ]


def test_scope_must_name_things_that_exist() -> None:
    draft = replace(GOOD, unknown_scope={"scope.regions": ["Atlantis"], "scope.productIds": []})
    violations = validate(draft)
    assert [(v.criterion, v.code, v.field) for v in violations] == [
        (S, ViolationCode.SCOPE_UNKNOWN, "scope.regions")
    ]
    assert violations[0].message == "Not known in this organisation: Atlantis."


# Measurable


def test_profit_needs_costs() -> None:
    for metric in (Metric.GROSS_PROFIT, Metric.PROFIT_MARGIN):
        target = Decimal(30) if metric is Metric.PROFIT_MARGIN else GOOD.target
        draft = replace(GOOD, metric=metric, target=target, has_cost_data=False)
        assert codes(draft) == [(M, ViolationCode.NO_COST_DATA, "metric")]
    assert validate(replace(GOOD, metric=Metric.GROSS_PROFIT, has_cost_data=True)) == []


def test_a_relative_target_needs_a_baseline() -> None:
    draft = replace(GOOD, spec=TargetSpec(TargetKind.RELATIVE_PERCENT, Decimal(20)), target=None)
    assert codes(draft) == [(M, ViolationCode.BASELINE_UNAVAILABLE, "baseline")]


def test_lead_metrics_cannot_be_scoped_to_products() -> None:
    draft = replace(GOOD, metric=Metric.LEADS, filters_products=True)
    assert codes(draft) == [(M, ViolationCode.SCOPE_NOT_APPLICABLE, "scope.productIds")]


# Achievable


def test_rates_are_between_0_and_100() -> None:
    draft = replace(
        GOOD,
        metric=Metric.WIN_RATE,
        spec=TargetSpec(TargetKind.ABSOLUTE, Decimal("100.01")),
        target=Decimal("100.01"),
    )
    assert codes(draft) == [(A, ViolationCode.RATE_OUT_OF_RANGE, "target")]
    hundred = replace(
        draft, spec=TargetSpec(TargetKind.ABSOLUTE, Decimal(100)), target=Decimal(100)
    )
    assert validate(hundred) == []


def test_a_stretch_beyond_the_limit_needs_acknowledging() -> None:
    # Best comparable period 6,000; 10,000 is 66.67% above it, beyond the default 50%.
    draft = replace(GOOD, best_history=Decimal(6000), achievability=Decimal("66.67"))
    violations = validate(draft)
    assert [(v.criterion, v.code, v.field) for v in violations] == [
        (A, ViolationCode.STRETCH_NOT_ACKNOWLEDGED, "target")
    ]
    assert "66.67% above" in violations[0].message
    assert validate(replace(draft, stretch_acknowledged=True)) == []
    assert validate(replace(draft, achievability=Decimal(50))) == []
    assert validate(replace(draft, stretch_limit=Decimal(70))) == []


# Relevant


def test_rep_and_team_goals_need_a_parent_or_a_rationale() -> None:
    assert codes(replace(GOOD, rationale="  ")) == [
        (R, ViolationCode.NO_PARENT_OR_RATIONALE, "rationale")
    ]
    parent = ParentFacts(Metric.REVENUE, NOVEMBER, owner_related=True)
    assert validate(replace(GOOD, rationale=None, parent_given=True, parent=parent)) == []
    assert validate(replace(GOOD, rationale=None, owner_is_organisation=True)) == []


def test_the_parent_must_exist_match_and_contain_the_goal() -> None:
    assert codes(replace(GOOD, parent_given=True, parent=None)) == [
        (R, ViolationCode.PARENT_NOT_FOUND, "parentId")
    ]
    unrelated = ParentFacts(Metric.DEALS_WON, Period(date(2026, 11, 5), date(2026, 11, 30)), False)
    assert codes(replace(GOOD, parent_given=True, parent=unrelated)) == [
        (R, ViolationCode.PARENT_METRIC_DIFFERS, "parentId"),
        (R, ViolationCode.PARENT_PERIOD_OUTSIDE, "parentId"),
        (R, ViolationCode.PARENT_OWNER_UNRELATED, "parentId"),
    ]


# Time-bound


def test_end_before_start_is_not_time_bound() -> None:
    draft = replace(GOOD, period=Period(date(2026, 12, 10), date(2026, 12, 5)))
    assert codes(draft) == [(T, ViolationCode.END_BEFORE_START, "periodEnd")]


def test_end_in_the_past_is_refused_and_today_is_not_the_past() -> None:
    assert codes(replace(GOOD, period=Period(NOVEMBER.start, date(2026, 11, 27)))) == [
        (T, ViolationCode.END_IN_PAST, "periodEnd")
    ]
    assert validate(replace(GOOD, period=Period(TODAY, TODAY))) == []


def test_horizon_is_at_most_two_years() -> None:
    assert validate(replace(GOOD, period=Period(NOVEMBER.start, date(2028, 11, 28)))) == []
    assert codes(replace(GOOD, period=Period(NOVEMBER.start, date(2028, 11, 29)))) == [
        (T, ViolationCode.HORIZON_TOO_LONG, "periodEnd")
    ]


def test_every_broken_rule_is_reported_in_criterion_order() -> None:
    draft = replace(
        GOOD,
        spec=TargetSpec(TargetKind.ABSOLUTE, Decimal(-5)),
        target=Decimal(-5),
        owner_found=False,
        rationale=None,
        period=Period(date(2026, 11, 20), date(2026, 11, 10)),
    )
    assert [v.code for v in validate(draft)] == [
        ViolationCode.TARGET_NOT_POSITIVE,
        ViolationCode.OWNER_NOT_FOUND,
        ViolationCode.NO_PARENT_OR_RATIONALE,
        ViolationCode.END_BEFORE_START,
        ViolationCode.END_IN_PAST,
    ]


# Periods asked for


def test_three_monthly_goals_for_the_next_quarter() -> None:
    request = PeriodRequest(start=date(2027, 1, 10), recurrence=(PeriodKind.MONTH, 3))
    periods, violations = plan_periods(request, fiscal_start_month=4)
    assert violations == []
    assert periods == [
        (Period(date(2027, 1, 1), date(2027, 1, 31)), PeriodKind.MONTH),
        (Period(date(2027, 2, 1), date(2027, 2, 28)), PeriodKind.MONTH),
        (Period(date(2027, 3, 1), date(2027, 3, 31)), PeriodKind.MONTH),
    ]


def test_quarterly_recurrence_follows_an_april_fiscal_year() -> None:
    request = PeriodRequest(
        named=(PeriodKind.FISCAL_QUARTER, date(2026, 12, 25)),
        recurrence=(PeriodKind.FISCAL_QUARTER, 2),
    )
    periods, _ = plan_periods(request, fiscal_start_month=4)
    # Q3 of FY2027 is October-December 2026; Q4 is January-March 2027.
    assert [p for p, _ in periods] == [
        Period(date(2026, 10, 1), date(2026, 12, 31)),
        Period(date(2027, 1, 1), date(2027, 3, 31)),
    ]


def test_a_period_is_required_once() -> None:
    _, missing = plan_periods(PeriodRequest(start=date(2026, 12, 1)), 1)
    assert [(v.code, v.field) for v in missing] == [(ViolationCode.PERIOD_MISSING, "periodEnd")]
    both = PeriodRequest(
        start=date(2026, 12, 1), end=date(2026, 12, 31), named=(PeriodKind.MONTH, TODAY)
    )
    _, ambiguous = plan_periods(both, 1)
    assert [v.code for v in ambiguous] == [ViolationCode.PERIOD_AMBIGUOUS]
    _, too_many = plan_periods(PeriodRequest(start=TODAY, recurrence=(PeriodKind.MONTH, 25)), 1)
    assert [(v.code, v.field) for v in too_many] == [
        (ViolationCode.RECURRENCE_COUNT, "recurrence.count")
    ]


def test_a_target_beyond_any_stretch_is_refused_even_acknowledged() -> None:
    # 10^16 % above a best period of 0.01: more than a goal can even record.
    beyond = replace(
        GOOD,
        spec=TargetSpec(TargetKind.ABSOLUTE, Decimal("99999999999999")),
        target=Decimal("99999999999999"),
        best_history=Decimal("0.01"),
        achievability=Decimal("999999999999989900"),
        stretch_acknowledged=True,
    )
    assert codes(beyond) == [(A, ViolationCode.BEYOND_REACH, "target")]


def test_numbers_that_are_not_numbers_are_said_once() -> None:
    nan = replace(GOOD, spec=TargetSpec(TargetKind.ABSOLUTE, Decimal("NaN")), target=None)
    huge = replace(
        GOOD,
        spec=TargetSpec(TargetKind.MOVE, Decimal(25), Decimal("1E+20")),
        target=None,
    )
    assert codes(nan) == [(S, ViolationCode.NUMBER_OUT_OF_RANGE, "target")]
    assert codes(huge) == [(S, ViolationCode.NUMBER_OUT_OF_RANGE, "moveFrom")]


def test_a_vague_goal_is_answered_with_every_violation_at_once() -> None:
    """No metric, no target, no period: SPECIFIC says what is missing, and the goal's other
    faults (no rationale, an owner who does not exist) are reported with it."""
    vague = replace(
        GOOD, metric=None, spec=None, target=None, period=None, rationale=None, owner_found=False
    )
    assert codes(vague) == [
        (S, ViolationCode.METRIC_MISSING, "metric"),
        (S, ViolationCode.TARGET_MISSING, "target"),
        (S, ViolationCode.OWNER_NOT_FOUND, "ownerId"),
        (R, ViolationCode.NO_PARENT_OR_RATIONALE, "rationale"),
    ]
    # Without a period, a rate target out of range is still not achievable.
    rate = replace(
        GOOD,
        metric=Metric.WIN_RATE,
        spec=TargetSpec(TargetKind.ABSOLUTE, Decimal(120)),
        target=Decimal(120),
        period=None,
        rationale=None,
    )
    assert codes(rate) == [
        (A, ViolationCode.RATE_OUT_OF_RANGE, "target"),
        (R, ViolationCode.NO_PARENT_OR_RATIONALE, "rationale"),
    ]


def test_the_hard_limit_refuses_what_no_acknowledgement_covers() -> None:
    """Best period 2,000; the organisation's hard limit 400% (five times the best): a
    target of 10,000 (400% above) is allowed once acknowledged, one 400.01% above is
    refused; an organisation may set its own limit."""
    at_limit = replace(
        GOOD,
        best_history=Decimal(2000),
        achievability=Decimal("400.00"),
        stretch_acknowledged=True,
    )
    assert codes(at_limit) == []
    assert codes(replace(at_limit, achievability=Decimal("400.01"))) == [
        (A, ViolationCode.BEYOND_REACH, "target")
    ]
    assert codes(replace(at_limit, stretch_hard_limit=Decimal(300))) == [
        (A, ViolationCode.BEYOND_REACH, "target")
    ]


def test_a_historical_goal_is_about_a_period_that_is_over() -> None:
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    assert codes(replace(GOOD, period=october)) == [(T, ViolationCode.END_IN_PAST, "periodEnd")]
    assert validate(replace(GOOD, period=october, historical=True)) == []
    assert codes(replace(GOOD, historical=True)) == [
        (T, ViolationCode.HISTORICAL_NOT_OVER, "periodEnd")
    ]
