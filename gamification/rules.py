"""Badge rules as plain values, and which of them a goal's progress satisfies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class BadgeKind(StrEnum):
    ATTAINMENT = "ATTAINMENT"


@dataclass(frozen=True)
class BadgeRule:
    id: int
    code: str
    version: int
    kind: BadgeKind
    threshold: Decimal


def attainment_badges_earned(attainment: Decimal, rules: Sequence[BadgeRule]) -> list[BadgeRule]:
    """The attainment rules whose threshold (a percentage of target) has been reached."""
    return [
        rule for rule in rules if rule.kind is BadgeKind.ATTAINMENT and attainment >= rule.threshold
    ]


def crossing_index(amounts: Sequence[Decimal], needed: Decimal) -> int | None:
    """Index of the amount whose running total first reaches `needed`, if any does."""
    total = Decimal(0)
    for index, amount in enumerate(amounts):
        total += amount
        if total >= needed:
            return index
    return None
