"""Bonus plans as plain values, and what a plan pays for a figure against a target.

Tiers are accelerators: each pays its rate on the part of the figure that falls in its band
of attainment (5% of revenue up to 100% of target, then 8% of the revenue between 100% and
120%...). Flat bonuses pay a fixed amount once attainment reaches their threshold. A cap
limits the total for the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.inputs import usable
from domain.metrics import MONEY, Metric
from domain.money import MAX_MONEY, shown

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tier:
    """From `start` to `end` percent of target (end None: no upper bound), pay `rate` %."""

    start: Decimal
    end: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Flat:
    threshold: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Plan:
    tiers: Sequence[Tier]
    flats: Sequence[Flat] = ()
    cap: Decimal | None = None


@dataclass(frozen=True)
class Line:
    """One part of a payout: which tier or flat bonus, on what base, how much."""

    label: str
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Payout:
    amount: Decimal
    lines: tuple[Line, ...]
    capped: bool


def check_plan(plan: Plan, metric: Metric) -> list[str]:
    """What is wrong with a plan for goals of `metric`, in words; empty when it can be used."""
    numbers = [n for t in plan.tiers for n in (t.start, t.end, t.rate) if n is not None]
    numbers += [n for f in plan.flats for n in (f.threshold, f.amount)]
    numbers += [plan.cap] if plan.cap is not None else []
    if not all(usable(n) for n in numbers):
        return [f"every number must be finite and below {MAX_MONEY:,}"]
    problems = []
    if plan.tiers and metric not in MONEY:
        problems.append(
            f"tiers pay a percentage of the figure, and {metric} is not money: "
            "pay flat bonuses at attainment thresholds instead"
        )
    for tier in plan.tiers:
        if tier.start < 0 or tier.rate < 0 or (tier.end is not None and tier.end <= tier.start):
            problems.append(f"tier from {tier.start}%: start ≥ 0, end above start, rate ≥ 0")
    ordered = sorted(plan.tiers, key=lambda tier: tier.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end is None or before.end > after.start:
            problems.append(f"tiers from {before.start}% and {after.start}% overlap")
    problems += [f"flat bonus at {f.threshold}%: amounts ≥ 0" for f in plan.flats if f.amount < 0]
    if plan.cap is not None and plan.cap < 0:
        problems.append("the cap must be zero or more")
    return problems


def payout(plan: Plan, value: Decimal, target: Decimal) -> Payout:
    """What `plan` pays for reaching `value` against `target` (both in the metric's unit)."""
    if target <= 0:
        raise ValueError("target must be positive")
    lines = []
    attainment = value / target * HUNDRED
    for tier in sorted(plan.tiers, key=lambda t: t.start):
        low = target * tier.start / HUNDRED
        high = value if tier.end is None else min(value, target * tier.end / HUNDRED)
        base = max(Decimal(0), high - low)
        if base > 0:
            lines.append(Line(_tier_label(tier), shown(base), shown(base * tier.rate / HUNDRED)))
    for flat in sorted(plan.flats, key=lambda f: f.threshold):
        if attainment >= flat.threshold:
            lines.append(Line(f"flat at {flat.threshold}%", shown(value), shown(flat.amount)))
    total = sum((line.amount for line in lines), Decimal(0))
    capped = plan.cap is not None and total > plan.cap
    return Payout(plan.cap if capped and plan.cap is not None else total, tuple(lines), capped)


def _tier_label(tier: Tier) -> str:
    end = f"{tier.end}%" if tier.end is not None else "up"
    return f"{tier.rate}% from {tier.start}% to {end}"
