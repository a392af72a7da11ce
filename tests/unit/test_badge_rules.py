from decimal import Decimal

from gamification.rules import (
    BadgeKind,
    BadgeRule,
    attainment_badges_earned,
    crossing_index,
    level_of,
)

RULES = [
    BadgeRule(id=n, code=f"HIT_{n}", version=1, kind=BadgeKind.ATTAINMENT, threshold=Decimal(n))
    for n in (50, 100, 150)
]


def test_thresholds_reached_are_earned_inclusively() -> None:
    assert [r.threshold for r in attainment_badges_earned(Decimal("100.00"), RULES)] == [50, 100]
    assert [r.threshold for r in attainment_badges_earned(Decimal("99.99"), RULES)] == [50]
    assert attainment_badges_earned(Decimal("49.99"), RULES) == []


def test_crossing_index_finds_the_deal_that_reached_the_figure() -> None:
    amounts = [Decimal(4000), Decimal(7000), Decimal(500)]
    assert crossing_index(amounts, Decimal(10000)) == 1
    assert crossing_index(amounts, Decimal(4000)) == 0
    assert crossing_index(amounts, Decimal(11501)) is None


def test_levels_from_cumulative_points() -> None:
    assert (level_of(0).level, level_of(0).next_at) == (1, 100)
    assert (level_of(99).level, level_of(99).to_next) == (1, 1)
    assert (level_of(100).level, level_of(100).to_next) == (2, 150)
    top = level_of(9000)
    assert (top.level, top.next_at, top.to_next) == (8, None, None)
