"""Bonus payouts worked out by hand at the tier boundaries and at the cap.

Plan: 5% of revenue up to 100% of target, 8% from 100% to 120%, 10% above 120%; a flat
1,000 at 100%; capped at 9,000. Target 100,000.
"""

from decimal import Decimal

import pytest

from domain.errors import ErrorCode
from domain.metrics import Metric
from gamification.bonus import Flat, Plan, Tier, check_plan, payout

D = Decimal
PLAN = Plan(
    tiers=(Tier(D(0), D(100), D(5)), Tier(D(100), D(120), D(8)), Tier(D(120), None, D(10))),
    flats=(Flat(D(100), D(1000)),),
    cap=D(9000),
)
TARGET = D(100000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # 99.99%: 5% of 99,990 = 4,999.50; no flat bonus yet.
        (D(99990), D("4999.50")),
        # Exactly 100%: 5% of 100,000 = 5,000 + flat 1,000.
        (D(100000), D("6000.00")),
        # Just above: 5,000 + 8% of 0.01 (0.0008 → 0.00) + 1,000.
        (D("100000.01"), D("6000.00")),
        # 100.5%: 5,000 + 8% of 500 = 40 + 1,000.
        (D(100500), D("6040.00")),
        # 120%: 5,000 + 8% of 20,000 = 1,600 + 1,000 = 7,600.
        (D(120000), D("7600.00")),
        # 134%: 7,600 + 10% of 14,000 = 1,400 → 9,000: exactly the cap.
        (D(134000), D("9000.00")),
        # 150%: 7,600 + 10% of 30,000 = 3,000 → 10,600, capped at 9,000.
        (D(150000), D("9000.00")),
    ],
)
def test_payout_at_the_boundaries(value: Decimal, expected: Decimal) -> None:
    assert payout(PLAN, value, TARGET).amount == expected


def test_the_payout_is_explained_line_by_line() -> None:
    result = payout(PLAN, D(150000), TARGET)

    assert [(line.label, line.base, line.amount) for line in result.lines] == [
        ("5% from 0% to 100%", D("100000.00"), D("5000.00")),
        ("8% from 100% to 120%", D("20000.00"), D("1600.00")),
        ("10% from 120% to up", D("30000.00"), D("3000.00")),
        ("flat at 100%", D("150000.00"), D("1000.00")),
    ]
    assert result.capped is True


def test_nothing_earned_pays_nothing() -> None:
    result = payout(PLAN, D(0), TARGET)
    assert (result.amount, result.lines, result.capped) == (D(0), (), False)


def problems(plan: Plan, metric: Metric) -> list[tuple[str, ErrorCode]]:
    return [(p.field, p.code) for p in check_plan(plan, metric)]


def test_plans_are_checked() -> None:
    overlapping = Plan(tiers=(Tier(D(0), D(110), D(5)), Tier(D(100), None, D(8))))
    assert [p.message for p in check_plan(overlapping, Metric.REVENUE)] == [
        "Tiers from 0% and 100% overlap."
    ]
    assert check_plan(PLAN, Metric.REVENUE) == []
    assert problems(Plan(tiers=(), cap=D(-1)), Metric.REVENUE) == [("cap", ErrorCode.NEGATIVE)]


def test_a_plan_must_fit_its_metric() -> None:
    """Tiers pay a share of money; a per-unit amount pays for counts; rates and averages
    take flat bonuses only. (A 10% tier on a win rate would pay "10% of 71.43" as money.)"""
    flats_only = Plan(tiers=(), flats=(Flat(D(100), D(500)),))
    per_deal = Plan(tiers=(), per_unit=D(50))
    assert check_plan(flats_only, Metric.WIN_RATE) == []
    assert check_plan(PLAN, Metric.GROSS_PROFIT) == []
    assert check_plan(per_deal, Metric.DEALS_WON) == []
    assert check_plan(per_deal, Metric.NEW_CUSTOMERS) == []
    for metric in (Metric.WIN_RATE, Metric.AVERAGE_DEAL_SIZE, Metric.DEALS_WON):
        assert problems(PLAN, metric) == [("tiers", ErrorCode.NOT_FOR_METRIC)]
    for metric in (Metric.REVENUE, Metric.WIN_RATE, Metric.AVERAGE_DEAL_SIZE):
        assert problems(per_deal, metric) == [("perUnit", ErrorCode.NOT_FOR_METRIC)]
    assert "pay a per-unit amount instead" in check_plan(PLAN, Metric.DEALS_WON)[0].message


def test_a_per_unit_plan_pays_each_unit_up_to_its_cap() -> None:
    """50 a deal won: 7 deals against a target of 10 pay 350; 40 deals, 2,000 capped at
    1,500; with a flat 200 at 100% as well, 12 deals pay 600 + 200."""
    plan = Plan(tiers=(), per_unit=D(50), cap=D(1500))
    assert payout(plan, D(7), D(10)).amount == D("350.00")
    assert (payout(plan, D(40), D(10)).amount, payout(plan, D(40), D(10)).capped) == (
        D(1500),
        True,
    )
    with_flat = Plan(tiers=(), flats=(Flat(D(100), D(200)),), per_unit=D(50))
    assert payout(with_flat, D(12), D(10)).amount == D("800.00")
