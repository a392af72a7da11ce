from decimal import Decimal

from domain.targets import TargetKind, TargetSpec, achievability, resolve

D = Decimal


def test_absolute_and_move_targets_are_the_value_given() -> None:
    assert resolve(TargetSpec(TargetKind.ABSOLUTE, D(500000)), None) == D(500000)
    assert resolve(TargetSpec(TargetKind.MOVE, D(25), start=D(15)), None) == D(25)


def test_relative_targets_apply_to_the_baseline() -> None:
    # +20% on 80,000 is 96,000; +10 points on a 62.5% retention is 72.5%.
    assert resolve(TargetSpec(TargetKind.RELATIVE_PERCENT, D(20)), D(80000)) == D("96000.00")
    assert resolve(TargetSpec(TargetKind.RELATIVE_POINTS, D(10)), D("62.5")) == D("72.5")
    assert resolve(TargetSpec(TargetKind.RELATIVE_PERCENT, D(20)), None) is None


def test_achievability_is_the_percentage_above_the_best_period() -> None:
    assert achievability(D(15000), D(10000)) == D("50.00")
    assert achievability(D(9000), D(12000)) == D("-25.00")
    assert achievability(D(9000), None) is None
    assert achievability(D(9000), D(0)) is None
