"""What one deal or lead adds to the per-rep, per-day rollups, so ingestion can apply the
difference between a record's old and new version instead of re-reading history.

Money is kept in integer ten-thousandths (`domain.money.ticks`) so that sums stay exact
in any database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.money import ticks
from domain.records import DealStage

NO_PRODUCT = 0

# (rep_id, day ordinal, product_key, region, segment)
DealDayKey = tuple[int, int, int, str, str]
# (rep_id, day ordinal, account_id, product_key, region, segment)
AccountDayKey = tuple[int, int, int, int, str, str]
# (rep_id, day ordinal, region, segment)
LeadDayKey = tuple[int, int, str, str]

DEAL_FIELDS = ("revenue_ticks", "cost_ticks", "units", "won", "lost")
LEAD_FIELDS = ("leads", "qualified", "converted")


def day_of(instant: datetime, tz: ZoneInfo) -> int:
    """The organisation-local calendar day of an instant, as a date ordinal."""
    return instant.astimezone(tz).date().toordinal()


@dataclass(frozen=True)
class DealFacts:
    """A stored deal as the rollups see it; `cost` already resolved (deal cost, else
    quantity × product unit cost, else zero)."""

    rep_id: int
    account_id: int | None
    product_key: int
    region: str
    segment: str
    stage: DealStage
    closed_at: datetime | None
    amount: Decimal
    cost: Decimal
    quantity: int


@dataclass(frozen=True)
class LeadFacts:
    rep_id: int
    created_at: datetime
    region: str
    segment: str
    qualified: bool
    converted: bool


def resolved_cost(cost: Decimal | None, quantity: int, unit_cost: Decimal | None) -> Decimal:
    if cost is not None:
        return cost
    if unit_cost is not None:
        return unit_cost * quantity
    return Decimal(0)


@dataclass
class Deltas:
    """Signed changes to apply to the three rollup tables."""

    deal_days: dict[DealDayKey, Counter[str]]
    account_days: Counter[AccountDayKey]
    lead_days: dict[LeadDayKey, Counter[str]]

    @classmethod
    def empty(cls) -> Deltas:
        return cls({}, Counter(), {})

    def add_deal(self, facts: DealFacts, tz: ZoneInfo, sign: int) -> None:
        if facts.stage is DealStage.OPEN or facts.closed_at is None:
            return
        day = day_of(facts.closed_at, tz)
        key = (facts.rep_id, day, facts.product_key, facts.region, facts.segment)
        sums = self.deal_days.setdefault(key, Counter())
        if facts.stage is DealStage.WON:
            sums["revenue_ticks"] += sign * ticks(facts.amount)
            sums["cost_ticks"] += sign * ticks(facts.cost)
            sums["units"] += sign * facts.quantity
            sums["won"] += sign
            if facts.account_id is not None:
                account_key = (
                    facts.rep_id,
                    day,
                    facts.account_id,
                    facts.product_key,
                    facts.region,
                    facts.segment,
                )
                self.account_days[account_key] += sign
        else:
            sums["lost"] += sign

    def add_lead(self, facts: LeadFacts, tz: ZoneInfo, sign: int) -> None:
        key = (facts.rep_id, day_of(facts.created_at, tz), facts.region, facts.segment)
        sums = self.lead_days.setdefault(key, Counter())
        sums["leads"] += sign
        sums["qualified"] += sign * facts.qualified
        sums["converted"] += sign * facts.converted

    def replace_deal(self, old: DealFacts | None, new: DealFacts | None, tz: ZoneInfo) -> None:
        if old is not None:
            self.add_deal(old, tz, -1)
        if new is not None:
            self.add_deal(new, tz, +1)

    def replace_lead(self, old: LeadFacts | None, new: LeadFacts | None, tz: ZoneInfo) -> None:
        if old is not None:
            self.add_lead(old, tz, -1)
        if new is not None:
            self.add_lead(new, tz, +1)

    def nonzero(self) -> Deltas:
        """Only the keys whose net change is not nothing."""
        return Deltas(
            {k: v for k, v in self.deal_days.items() if any(v.values())},
            Counter({k: v for k, v in self.account_days.items() if v}),
            {k: v for k, v in self.lead_days.items() if any(v.values())},
        )


def deal_day_rows(deltas: Deltas) -> Iterable[tuple[DealDayKey, tuple[int, ...]]]:
    for key, sums in deltas.deal_days.items():
        yield key, tuple(sums[name] for name in DEAL_FIELDS)


def lead_day_rows(deltas: Deltas) -> Iterable[tuple[LeadDayKey, tuple[int, ...]]]:
    for key, sums in deltas.lead_days.items():
        yield key, tuple(sums[name] for name in LEAD_FIELDS)
