"""The metrics: their codes and their formulas over aggregated totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from domain.markets import share_of
from domain.money import shown

HUNDRED = Decimal(100)


class Metric(StrEnum):
    REVENUE = "REVENUE"
    GROSS_PROFIT = "GROSS_PROFIT"
    PROFIT_MARGIN = "PROFIT_MARGIN"
    UNITS_SOLD = "UNITS_SOLD"
    DEALS_WON = "DEALS_WON"
    WIN_RATE = "WIN_RATE"
    AVERAGE_DEAL_SIZE = "AVERAGE_DEAL_SIZE"
    NEW_CUSTOMERS = "NEW_CUSTOMERS"
    RETENTION_RATE = "RETENTION_RATE"
    LEADS = "LEADS"
    QUALIFIED_LEADS = "QUALIFIED_LEADS"
    CONVERSION_RATE = "CONVERSION_RATE"
    TRAINING_COMPLETED = "TRAINING_COMPLETED"
    CERTIFIED = "CERTIFIED"
    MARKET_SHARE = "MARKET_SHARE"
    PENETRATION = "PENETRATION"


RATES = frozenset(
    {
        Metric.PROFIT_MARGIN,
        Metric.WIN_RATE,
        Metric.RETENTION_RATE,
        Metric.CONVERSION_RATE,
        Metric.MARKET_SHARE,
        Metric.PENETRATION,
    }
)
LEAD_METRICS = frozenset({Metric.LEADS, Metric.QUALIFIED_LEADS, Metric.CONVERSION_RATE})
COST_METRICS = frozenset({Metric.GROSS_PROFIT, Metric.PROFIT_MARGIN})
ACCOUNT_METRICS = frozenset({Metric.NEW_CUSTOMERS, Metric.RETENTION_RATE, Metric.PENETRATION})
# Measured against a declared market's size: a goal, a board or a series names the market.
MARKET_METRICS = frozenset({Metric.MARKET_SHARE, Metric.PENETRATION})
# Measured against the days gone by as well as the records: a figure stored today is stale
# tomorrow with no record moving it.
DAY_BY_DAY = frozenset({Metric.MARKET_SHARE})
# Counted from training records (completions, certifications), scoped by course rather than
# by product, region or segment.
TRAINING_METRICS = frozenset({Metric.TRAINING_COMPLETED, Metric.CERTIFIED})
DEAL_METRICS = frozenset(Metric) - LEAD_METRICS - ACCOUNT_METRICS - TRAINING_METRICS
# Sums of money: a bonus may pay a percentage of them (of a count, a rate or an average a
# percentage is not money).
MONEY = frozenset({Metric.REVENUE, Metric.GROSS_PROFIT})
# Figures that only grow through a period (unless a record is corrected); the others are
# rates and averages, judged on their level rather than their pace. Penetration grows as
# accounts are won, over a size that does not; a market share is measured against the
# market's revenue of the days gone by, a level.
CUMULATIVE = frozenset(Metric) - RATES - {Metric.AVERAGE_DEAL_SIZE} | {Metric.PENETRATION}
# Counts of things: a bonus may pay an amount for each.
COUNTS = CUMULATIVE - MONEY - RATES


def count_of(metric: Metric | None, value: Decimal | None) -> int | None:
    """A count metric's figure as the whole number it is; None for money, rates, averages."""
    return int(value) if metric in COUNTS and value is not None else None


# Per won deal, what it adds to a cumulative deal metric: the deals that carried an owner
# across a threshold can be named.
DEAL_CUMULATIVE = frozenset(
    {Metric.REVENUE, Metric.GROSS_PROFIT, Metric.UNITS_SOLD, Metric.DEALS_WON}
)


@dataclass(frozen=True)
class Totals:
    """Everything the formulas need, summed over an owner's scope and a period.

    `cost` is the cost of the won deals (deal cost, else quantity × product unit cost);
    `previous_customers` are the accounts with a won deal in the previous period of equal
    length, `retained` those of them with one in this period too; `completions` are passed
    course completions in the period, `certified` the people whose certification is valid
    on its last day; `customers` the accounts with a won deal in the period, against a
    market's `addressable` accounts and its exact revenue over the days measured.
    """

    revenue: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    units: int = 0
    won: int = 0
    lost: int = 0
    new_customers: int = 0
    previous_customers: int = 0
    retained: int = 0
    leads: int = 0
    qualified: int = 0
    converted: int = 0
    completions: int = 0
    certified: int = 0
    customers: int = 0
    addressable: int | None = None
    market_revenue: Fraction | None = None


def has_activity(totals: Totals) -> bool:
    """Whether anything was sold, lost, led or kept in these totals."""
    t = totals
    return any((t.won, t.lost, t.leads, t.previous_customers, t.new_customers))


def sample_of(metric: Metric, totals: Totals) -> int | None:
    """How many cases a rate or an average rests on (decisions for a win rate, leads for
    a conversion rate, …); None for a sum or a count, which needs no sample."""
    t = totals
    match metric:
        case Metric.WIN_RATE:
            return t.won + t.lost
        case Metric.PROFIT_MARGIN | Metric.AVERAGE_DEAL_SIZE:
            return t.won
        case Metric.RETENTION_RATE:
            return t.previous_customers
        case Metric.CONVERSION_RATE:
            return t.leads
        case _:
            return None


def _rate(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    if denominator == 0:
        return None
    return shown(Decimal(numerator) / Decimal(denominator) * HUNDRED)


def value_of(metric: Metric, totals: Totals) -> Decimal | None:
    """The metric's value; None for a rate (or average) whose denominator is empty."""
    t = totals
    match metric:
        case Metric.REVENUE:
            return t.revenue
        case Metric.GROSS_PROFIT:
            return t.revenue - t.cost
        case Metric.PROFIT_MARGIN:
            return _rate(t.revenue - t.cost, t.revenue)
        case Metric.UNITS_SOLD:
            return Decimal(t.units)
        case Metric.DEALS_WON:
            return Decimal(t.won)
        case Metric.WIN_RATE:
            return _rate(t.won, t.won + t.lost)
        case Metric.AVERAGE_DEAL_SIZE:
            if t.won == 0:
                return None
            return shown(t.revenue / t.won)
        case Metric.NEW_CUSTOMERS:
            return Decimal(t.new_customers)
        case Metric.RETENTION_RATE:
            return _rate(t.retained, t.previous_customers)
        case Metric.LEADS:
            return Decimal(t.leads)
        case Metric.QUALIFIED_LEADS:
            return Decimal(t.qualified)
        case Metric.CONVERSION_RATE:
            return _rate(t.converted, t.leads)
        case Metric.TRAINING_COMPLETED:
            return Decimal(t.completions)
        case Metric.CERTIFIED:
            return Decimal(t.certified)
        case Metric.MARKET_SHARE:
            return share_of(t.revenue, t.market_revenue)
        case Metric.PENETRATION:
            return _rate(t.customers, t.addressable) if t.addressable else None
