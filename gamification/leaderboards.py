"""Leaderboard ranking: highest figure first, ties ranked alike (1, 1, 3)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """An owner's figure and, for a rate or an average, how many cases it rests on."""

    key: Hashable
    value: Decimal | None
    sample: int | None = None


@dataclass(frozen=True)
class Standing:
    key: Hashable
    value: Decimal | None
    rank: int | None
    sample: int | None = None


def rank(figures: Sequence[Figure], minimum_sample: int = 0) -> list[Standing]:
    """Standard competition ranking. Owners without a figure (a rate with no data yet),
    and owners whose rate rests on fewer than `minimum_sample` cases (one win out of one
    deal), come last, unranked, with what figure they have."""

    def ranked_on(figure: Figure) -> bool:
        return figure.value is not None and (
            figure.sample is None or figure.sample >= minimum_sample
        )

    valued = sorted(
        (f for f in figures if ranked_on(f)),
        key=lambda f: f.value if f.value is not None else Decimal(0),
        reverse=True,
    )
    standings: list[Standing] = []
    for position, figure in enumerate(valued, start=1):
        tied = standings and standings[-1].value == figure.value
        place = standings[-1].rank if tied else position
        standings.append(Standing(figure.key, figure.value, place, figure.sample))
    return standings + [
        Standing(f.key, f.value, None, f.sample) for f in figures if not ranked_on(f)
    ]
