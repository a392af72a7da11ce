"""Goal targets: absolute, relative to a baseline, or a move between two values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.money import kept, shown

HUNDRED = Decimal(100)


class TargetKind(StrEnum):
    ABSOLUTE = "ABSOLUTE"
    RELATIVE_PERCENT = "RELATIVE_PERCENT"
    RELATIVE_POINTS = "RELATIVE_POINTS"
    MOVE = "MOVE"


class BaselineFrom(StrEnum):
    """Where a relative target's baseline comes from: the last complete comparable period
    before the goal's, or the same period a year earlier (for seasonal business)."""

    PREVIOUS_PERIOD = "PREVIOUS_PERIOD"
    SAME_PERIOD_LAST_YEAR = "SAME_PERIOD_LAST_YEAR"


@dataclass(frozen=True)
class TargetSpec:
    """`value` is the target (ABSOLUTE), the change (+20 for +20% or +20 points) or the
    value to reach (MOVE); `start` is where a MOVE starts from."""

    kind: TargetKind
    value: Decimal
    start: Decimal | None = None

    @property
    def needs_history(self) -> bool:
        return self.kind in (TargetKind.RELATIVE_PERCENT, TargetKind.RELATIVE_POINTS)


def resolve(spec: TargetSpec, baseline: Decimal | None) -> Decimal | None:
    """The absolute target; None when a relative target has no baseline to start from."""
    if spec.kind is TargetKind.ABSOLUTE or spec.kind is TargetKind.MOVE:
        return spec.value
    if baseline is None:
        return None
    if spec.kind is TargetKind.RELATIVE_PERCENT:
        return kept(baseline * (1 + spec.value / HUNDRED))
    return baseline + spec.value


def achievability(target: Decimal, best: Decimal | None) -> Decimal | None:
    """How far the target is above the best comparable period, in percent (negative when
    below); None without a positive history to compare with."""
    if best is None or best <= 0:
        return None
    return shown((target / best - 1) * HUNDRED)
