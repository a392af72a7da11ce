"""Where a goal stands: attainment, pace, run-rate projection and status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
CENTS = Decimal("0.01")


class GoalStatus(StrEnum):
    ACHIEVED = "ACHIEVED"
    MISSED = "MISSED"
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    OFF_TRACK = "OFF_TRACK"


@dataclass(frozen=True)
class PaceThresholds:
    on_track: Decimal = Decimal("1.0")
    at_risk: Decimal = Decimal("0.85")


@dataclass(frozen=True)
class Progress:
    current_value: Decimal
    target: Decimal
    attainment: Decimal
    expected_attainment: Decimal
    projected_value: Decimal | None
    status: GoalStatus


def two_places(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def compute_progress(
    current: Decimal,
    target: Decimal,
    elapsed: Decimal,
    thresholds: PaceThresholds,
) -> Progress:
    """Progress of a goal whose period is `elapsed` (0..1) over.

    Pace is attainment over expected attainment, i.e. the run-rate projection over the
    target; it is undefined before the period starts, when nothing is expected yet.
    """
    if target <= 0:
        raise ValueError("target must be positive")
    share = current / target
    projected = current / elapsed if elapsed > 0 else None
    return Progress(
        current_value=two_places(current),
        target=target,
        attainment=two_places(share * HUNDRED),
        expected_attainment=two_places(elapsed * HUNDRED),
        projected_value=two_places(projected) if projected is not None else None,
        status=_status(share, elapsed, thresholds),
    )


def _status(share: Decimal, elapsed: Decimal, thresholds: PaceThresholds) -> GoalStatus:
    if share >= 1:
        return GoalStatus.ACHIEVED
    if elapsed >= 1:
        return GoalStatus.MISSED
    if elapsed == 0:
        return GoalStatus.ON_TRACK
    pace = share / elapsed
    if pace >= thresholds.on_track:
        return GoalStatus.ON_TRACK
    if pace >= thresholds.at_risk:
        return GoalStatus.AT_RISK
    return GoalStatus.OFF_TRACK
