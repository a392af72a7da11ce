"""Metric totals computed straight from raw records, with none of the rollup machinery: the
independent calculation the rollups are checked against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.metrics import Totals
from domain.records import DealStage, LeadStatus


@dataclass(frozen=True)
class RawDeal:
    external_id: str
    owner: int
    account: str
    product: str | None
    region: str
    segment: str
    stage: DealStage
    closed_at: datetime | None
    amount: Decimal
    cost: Decimal | None
    quantity: int


@dataclass(frozen=True)
class RawLead:
    owner: int
    created_at: datetime
    status: LeadStatus
    qualified_at: datetime | None
    converted_deal: str | None
    region: str
    segment: str


@dataclass(frozen=True)
class RawScope:
    reps: frozenset[int] | None
    products: frozenset[str]
    regions: frozenset[str]
    segments: frozenset[str]


def _deal_in(scope: RawScope, deal: RawDeal) -> bool:
    return (
        (scope.reps is None or deal.owner in scope.reps)
        and (not scope.products or deal.product in scope.products)
        and (not scope.regions or deal.region in scope.regions)
        and (not scope.segments or deal.segment in scope.segments)
    )


def totals(
    deals: Sequence[RawDeal],
    leads: Sequence[RawLead],
    unit_costs: dict[str, Decimal | None],
    scope: RawScope,
    first: date,
    last: date,
    tz: ZoneInfo,
) -> Totals:
    def day(moment: datetime) -> date:
        return moment.astimezone(tz).date()

    closed = [d for d in deals if _deal_in(scope, d) and d.closed_at is not None]
    won = [d for d in closed if d.stage is DealStage.WON]
    in_period = [d for d in won if first <= day(d.closed_at) <= last]  # type: ignore[arg-type]
    lost = [
        d
        for d in closed
        if d.stage is DealStage.LOST and first <= day(d.closed_at) <= last  # type: ignore[arg-type]
    ]

    def cost(d: RawDeal) -> Decimal:
        if d.cost is not None:
            return d.cost
        unit = unit_costs.get(d.product) if d.product else None
        return unit * d.quantity if unit is not None else Decimal(0)

    customers = {d.account for d in in_period}
    earlier = {d.account for d in won if day(d.closed_at) < first}  # type: ignore[arg-type]
    length = (last - first).days + 1
    previous_first, previous_last = first - timedelta(days=length), first - timedelta(days=1)
    previous = {
        d.account
        for d in won
        if previous_first <= day(d.closed_at) <= previous_last  # type: ignore[arg-type]
    }

    won_ids = {d.external_id for d in deals if d.stage is DealStage.WON}
    period_leads = [
        lead
        for lead in leads
        if (scope.reps is None or lead.owner in scope.reps)
        and (not scope.regions or lead.region in scope.regions)
        and (not scope.segments or lead.segment in scope.segments)
        and first <= day(lead.created_at) <= last
    ]
    return Totals(
        revenue=sum((d.amount for d in in_period), Decimal(0)),
        cost=sum((cost(d) for d in in_period), Decimal(0)),
        units=sum(d.quantity for d in in_period),
        won=len(in_period),
        lost=len(lost),
        new_customers=len(customers - earlier),
        previous_customers=len(previous),
        retained=len(previous & customers),
        leads=len(period_leads),
        qualified=sum(
            1
            for lead in period_leads
            if lead.qualified_at is not None
            or lead.status in (LeadStatus.QUALIFIED, LeadStatus.CONVERTED)
        ),
        converted=sum(1 for lead in period_leads if lead.converted_deal in won_ids),
    )
