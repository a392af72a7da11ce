"""Bonus plans as plain values, and what a plan pays for a figure against a target.

Tiers are accelerators: each pays its rate on the part of the figure that falls in its band
of attainment (5% of revenue up to 100% of target, then 8% of the revenue between 100% and
120%...). A per-unit amount pays for each unit of a count (50 a deal won). Flat bonuses pay
a fixed amount once attainment reaches their threshold. A cap limits the total for the
period. A plan must fit its metric: tiers pay a share of money (REVENUE, GROSS_PROFIT), a
per-unit amount pays for counts (deals, units, customers, leads), and rates and averages
take flat bonuses only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import ErrorCode, FieldError
from domain.inputs import usable
from domain.metrics import COUNTS, MONEY, Metric
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
    per_unit: Decimal | None = None


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


def check_plan(plan: Plan, metric: Metric) -> list[FieldError]:
    """What is wrong with a plan for goals of `metric`, by field; empty when it can be
    used."""
    groups = {
        "tiers": [n for t in plan.tiers for n in (t.start, t.end, t.rate) if n is not None],
        "flats": [n for f in plan.flats for n in (f.threshold, f.amount)],
        "cap": [plan.cap] if plan.cap is not None else [],
        "perUnit": [plan.per_unit] if plan.per_unit is not None else [],
    }
    unusable = [
        FieldError(
            name, ErrorCode.OUT_OF_RANGE, f"Every number must be finite and below {MAX_MONEY:,}."
        )
        for name, numbers in groups.items()
        if not all(usable(n) for n in numbers)
    ]
    if unusable:
        return unusable
    problems = []
    if plan.tiers and metric not in MONEY:
        instead = (
            "a per-unit amount" if metric in COUNTS else "flat bonuses at attainment thresholds"
        )
        problems.append(
            FieldError(
                "tiers",
                ErrorCode.NOT_FOR_METRIC,
                f"Tiers pay a percentage of the figure, and {metric} is not money: pay "
                f"{instead} instead.",
            )
        )
    if plan.per_unit is not None and metric not in COUNTS:
        instead = "tiers" if metric in MONEY else "flat bonuses at attainment thresholds"
        problems.append(
            FieldError(
                "perUnit",
                ErrorCode.NOT_FOR_METRIC,
                f"A per-unit amount pays for each unit of a count, and {metric} is not one: "
                f"pay {instead} instead.",
            )
        )
    for tier in plan.tiers:
        if tier.start < 0 or tier.rate < 0 or (tier.end is not None and tier.end <= tier.start):
            problems.append(
                FieldError(
                    "tiers",
                    ErrorCode.INVALID,
                    f"Tier from {tier.start}%: start ≥ 0, end above start, rate ≥ 0.",
                )
            )
    ordered = sorted(plan.tiers, key=lambda tier: tier.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end is None or before.end > after.start:
            problems.append(
                FieldError(
                    "tiers",
                    ErrorCode.INVALID,
                    f"Tiers from {before.start}% and {after.start}% overlap.",
                )
            )
    problems += [
        FieldError("flats", ErrorCode.NEGATIVE, f"Flat bonus at {f.threshold}%: amounts ≥ 0.")
        for f in plan.flats
        if f.amount < 0
    ]
    for name, value in (("cap", plan.cap), ("perUnit", plan.per_unit)):
        if value is not None and value < 0:
            problems.append(FieldError(name, ErrorCode.NEGATIVE, f"{name} must be zero or more."))
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
    if plan.per_unit is not None and value > 0:
        lines.append(Line(f"{plan.per_unit} a unit", shown(value), shown(value * plan.per_unit)))
    total = sum((line.amount for line in lines), Decimal(0))
    capped = plan.cap is not None and total > plan.cap
    return Payout(plan.cap if capped and plan.cap is not None else total, tuple(lines), capped)


def _tier_label(tier: Tier) -> str:
    end = f"{tier.end}%" if tier.end is not None else "up"
    return f"{tier.rate}% from {tier.start}% to {end}"
