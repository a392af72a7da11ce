"""Badge rules as plain values, and which of them a goal's progress satisfies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class BadgeKind(StrEnum):
    ATTAINMENT = "ATTAINMENT"  # threshold: percent of a goal's target
    FIRST_WIN = "FIRST_WIN"  # a rep's first won deal ever
    DEALS_WON_IN_MONTH = "DEALS_WON_IN_MONTH"  # threshold: deals won in a calendar month
    # threshold: working days in a row on which the metric reached daily_minimum
    STREAK_DAILY = "STREAK_DAILY"
    # First on the organisation's leaderboard of `metric` for a calendar month, at its close.
    RANK_FIRST_IN_MONTH = "RANK_FIRST_IN_MONTH"
    # threshold: a rep's goals of `metric`, one after another, that reached their target
    STREAK_GOALS = "STREAK_GOALS"
    # Given as a contest prize.
    PRIZE = "PRIZE"
    # A certification earned (of `course_code`, or of any certifying course).
    CERTIFICATION = "CERTIFICATION"


@dataclass(frozen=True)
class BadgeRule:
    id: int
    code: str
    version: int
    kind: BadgeKind
    threshold: Decimal
    points: int = 0
    metric: str | None = None
    daily_minimum: Decimal | None = None
    course_code: str | None = None


def attainment_badges_earned(attainment: Decimal, rules: Sequence[BadgeRule]) -> list[BadgeRule]:
    """The attainment rules whose threshold (a percentage of target) has been reached."""
    return [
        rule for rule in rules if rule.kind is BadgeKind.ATTAINMENT and attainment >= rule.threshold
    ]


def fallen_back(attainment: Decimal, threshold: Decimal, period_over: bool) -> bool:
    """Whether a threshold badge is withdrawn: its figure is back below the threshold while
    the period still runs. Once the period is over, awards stand."""
    return not period_over and attainment < threshold


def crossing_index(amounts: Sequence[Decimal], needed: Decimal) -> int | None:
    """Index of the amount whose running total first reaches `needed`, if any does."""
    total = Decimal(0)
    for index, amount in enumerate(amounts):
        total += amount
        if total >= needed:
            return index
    return None


def count_badges_earned(kind: BadgeKind, count: int, rules: Sequence[BadgeRule]) -> list[BadgeRule]:
    """The rules of `kind` whose threshold `count` has reached (FIRST_WIN: one win)."""
    return [
        rule
        for rule in rules
        if rule.kind is kind
        and count >= (Decimal(1) if kind is BadgeKind.FIRST_WIN else rule.threshold)
    ]


# Points needed for each level, from level 1.
LEVELS = (0, 100, 250, 500, 1000, 2000, 4000, 8000)


@dataclass(frozen=True)
class Level:
    level: int
    points: int
    next_at: int | None

    @property
    def to_next(self) -> int | None:
        return None if self.next_at is None else self.next_at - self.points


def level_of(points: int, thresholds: Sequence[int] = LEVELS) -> Level:
    reached = [n for n, needed in enumerate(thresholds, start=1) if points >= needed]
    level = reached[-1] if reached else 1
    return Level(level, points, thresholds[level] if level < len(thresholds) else None)
