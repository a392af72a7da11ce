"""Where a goal stands: attainment, pace, run-rate projection and status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.money import shown, shown_or_none

HUNDRED = Decimal(100)


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
    current_value: Decimal | None
    target: Decimal
    attainment: Decimal | None
    expected_attainment: Decimal
    projected_value: Decimal | None
    status: GoalStatus
    # current / target × 100 unrounded: what thresholds are compared with (9,999.90 of
    # 10,000 shows as 100.00 but has not reached 100).
    exact_attainment: Decimal | None = None
    # The current value unrounded: what the read model stores (core/goals/figures.py).
    exact_value: Decimal | None = None


def pace_of(progress: Progress) -> Decimal | None:
    """Attainment over the attainment that keeps pace: 1.00 is exactly on pace."""
    if progress.attainment is None or progress.expected_attainment == 0:
        return None
    return shown(progress.attainment / progress.expected_attainment)


def compute_progress(
    current: Decimal | None,
    target: Decimal,
    elapsed: Decimal,
    thresholds: PaceThresholds,
    cumulative: bool = True,
    start: Decimal | None = None,
) -> Progress:
    """Progress of a goal whose period is `elapsed` (0..1) over.

    A cumulative metric (revenue, counts) grows through the period: the attainment that
    keeps pace is the share of the period elapsed, and the projection is the run rate.
    A rate or an average is as good on day one as at the end: the attainment that keeps
    pace is 100% from the start, and the projection is the current value. A rate with an
    empty denominator has no value yet; such a goal is OFF_TRACK once the period runs.

    A move from `start` to `target` (conversion from 15% to 25%) is measured from where it
    starts: (current - start) / (target - start), and 0 below the start.
    """
    if target <= 0:
        raise ValueError("target must be positive")
    if cumulative:
        expected = elapsed
        projected = current / elapsed if current is not None and elapsed > 0 else None
    else:
        expected = Decimal(1) if elapsed > 0 else Decimal(0)
        projected = current if elapsed > 0 else None
    if current is None:
        share = None
    elif start is not None and start < target:
        share = max(Decimal(0), (current - start) / (target - start))
    else:
        share = current / target
    return Progress(
        current_value=shown_or_none(current),
        target=target,
        attainment=shown(share * HUNDRED) if share is not None else None,
        expected_attainment=shown(expected * HUNDRED),
        projected_value=shown_or_none(projected),
        status=_status(share, expected, elapsed, thresholds, cumulative),
        exact_attainment=share * HUNDRED if share is not None else None,
        exact_value=current,
    )


def _status(
    share: Decimal | None,
    expected: Decimal,
    elapsed: Decimal,
    thresholds: PaceThresholds,
    cumulative: bool,
) -> GoalStatus:
    over = elapsed >= 1
    # A cumulative figure past target stays there; a rate can still fall back before the end.
    if share is not None and share >= 1 and (cumulative or over):
        return GoalStatus.ACHIEVED
    if over:
        return GoalStatus.MISSED
    if elapsed == 0:
        return GoalStatus.ON_TRACK
    if share is None:
        return GoalStatus.OFF_TRACK
    pace = share / expected
    if pace >= thresholds.on_track:
        return GoalStatus.ON_TRACK
    if pace >= thresholds.at_risk:
        return GoalStatus.AT_RISK
    return GoalStatus.OFF_TRACK
