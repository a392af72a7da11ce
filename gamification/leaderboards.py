"""Leaderboard ranking: highest figure first, ties ranked alike (1, 1, 3)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Standing:
    key: Hashable
    value: Decimal | None
    rank: int | None


def rank(figures: Sequence[tuple[Hashable, Decimal | None]]) -> list[Standing]:
    """Standard competition ranking; owners without a figure (a rate with no data yet)
    come last, unranked."""
    valued = [(key, value) for key, value in figures if value is not None]
    ranked = sorted(valued, key=lambda figure: figure[1], reverse=True)
    standings: list[Standing] = []
    for position, (key, value) in enumerate(ranked, start=1):
        tied = standings and standings[-1].value == value
        standings.append(Standing(key, value, standings[-1].rank if tied else position))
    return standings + [Standing(key, None, None) for key, value in figures if value is None]
