"""SMART validation of a goal draft: one violation per broken rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.periods import add_years

MAX_HORIZON_YEARS = 2


class ViolationCode(StrEnum):
    TARGET_NOT_POSITIVE = "TARGET_NOT_POSITIVE"
    OWNER_NOT_FOUND = "OWNER_NOT_FOUND"
    END_BEFORE_START = "END_BEFORE_START"
    END_IN_PAST = "END_IN_PAST"
    HORIZON_TOO_LONG = "HORIZON_TOO_LONG"


class Criterion(StrEnum):
    SPECIFIC = "SPECIFIC"
    MEASURABLE = "MEASURABLE"
    ACHIEVABLE = "ACHIEVABLE"
    RELEVANT = "RELEVANT"
    TIME_BOUND = "TIME_BOUND"


@dataclass(frozen=True)
class Violation:
    criterion: Criterion
    code: ViolationCode
    message: str
    field: str


@dataclass(frozen=True)
class GoalDraft:
    """What the SMART rules need to know about a goal, resolved by the caller.

    `owner_found` says whether the named owner exists in the organisation; `today` is the
    current date in the organisation's timezone.
    """

    target: Decimal
    owner_found: bool
    period_start: date
    period_end: date
    today: date


def validate(draft: GoalDraft) -> list[Violation]:
    return [*_specific(draft), *_time_bound(draft)]


def _specific(draft: GoalDraft) -> list[Violation]:
    found = []
    if not draft.target.is_finite() or draft.target <= 0:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.TARGET_NOT_POSITIVE,
                "The target must be a number greater than zero.",
                "target",
            )
        )
    if not draft.owner_found:
        found.append(
            Violation(
                Criterion.SPECIFIC,
                ViolationCode.OWNER_NOT_FOUND,
                "The goal must name an owner that exists in the organisation.",
                "ownerId",
            )
        )
    return found


def _time_bound(draft: GoalDraft) -> list[Violation]:
    found = []
    if draft.period_end < draft.period_start:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.END_BEFORE_START,
                "The period must end on or after the day it starts.",
                "periodEnd",
            )
        )
    if draft.period_end < draft.today:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.END_IN_PAST,
                f"The period must not end in the past (today is {draft.today.isoformat()}).",
                "periodEnd",
            )
        )
    horizon = add_years(draft.today, MAX_HORIZON_YEARS)
    if draft.period_end > horizon:
        found.append(
            Violation(
                Criterion.TIME_BOUND,
                ViolationCode.HORIZON_TOO_LONG,
                f"The period must end within {MAX_HORIZON_YEARS} years (by {horizon.isoformat()}).",
                "periodEnd",
            )
        )
    return found
