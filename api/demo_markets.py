"""The demo's markets: West's mid-market, sized so the organisation holds about 4% of it,
with a goal to take that to 6% this fiscal year and West's to reach 5% of its accounts; and
the public sector, declared with no account in it yet, with East's goal of 20 new customers
there."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import service as goals
from core.goals.models import Goal, OwnerType
from core.markets import service as markets
from core.markets.models import Market
from core.metrics.store import Scope
from core.orgs.models import Organisation, Team
from domain.markets import MarketDraft, MarketSize
from domain.metrics import Metric
from domain.periods import Period, PeriodKind, local_today, period_containing
from domain.smart import PeriodRequest
from domain.targets import TargetKind, TargetSpec

# The market is this many times what the organisation sold in it over the last year.
MARKET_MULTIPLE = 25


async def seed_markets(organisation: Organisation, now: datetime, teams: dict[str, Team]) -> None:
    today = local_today(now, ZoneInfo(organisation.timezone))
    year = period_containing(PeriodKind.FISCAL_YEAR, today, organisation.fiscal_year_start_month)
    last_year = Period(today - timedelta(days=365), today - timedelta(days=1))
    west = await _declare(
        organisation,
        now,
        MarketDraft("NA-WEST-MM", "North America West mid-market", "NA-West", "Mid-Market"),
    )
    sold = await goals.totals_over(
        organisation,
        Metric.REVENUE,
        [("sold", Scope(rep_ids=None, regions=("NA-West",), segments=("Mid-Market",)), last_year)],
    )
    revenue = sold["sold"].revenue * MARKET_MULTIPLE or Decimal(1_000_000)
    size = MarketSize(year.start, year.end, 600, revenue)
    sized = await markets.set_size(organisation, west, size, "Analyst estimate (demo)", None, now)
    assert not isinstance(sized, list), sized
    public = await _declare(
        organisation, now, MarketDraft("PUBLIC", "Public sector", segment="Public Sector")
    )
    await markets.set_size(
        organisation,
        public,
        MarketSize(year.start, year.end, 250),
        "Territory plan (demo)",
        None,
        now,
    )
    whole_year = PeriodRequest(named=(PeriodKind.FISCAL_YEAR, today))
    for spec in (
        {
            "metric": Metric.MARKET_SHARE,
            "owner_type": OwnerType.ORGANISATION,
            "owner_id": None,
            "target": TargetSpec(TargetKind.MOVE, Decimal(6), Decimal(4)),
            "scope": goals.ScopeFilter(market_code="NA-WEST-MM"),
        },
        {
            "metric": Metric.PENETRATION,
            "owner_type": OwnerType.TEAM,
            "owner_id": teams["West"].id,
            "target": TargetSpec(TargetKind.ABSOLUTE, Decimal(5)),
            "scope": goals.ScopeFilter(market_code="NA-WEST-MM"),
            "rationale": "One mid-market account in twenty on the West coast buys from us.",
        },
        {
            "metric": Metric.NEW_CUSTOMERS,
            "owner_type": OwnerType.TEAM,
            "owner_id": teams["East"].id,
            "target": TargetSpec(TargetKind.ABSOLUTE, Decimal(20)),
            "scope": goals.ScopeFilter(market_code="PUBLIC"),
            "rationale": "Open the public sector: nobody sells there yet.",
        },
    ):
        made = await goals.create_goal(
            organisation,
            goals.NewGoal(period=whole_year, acknowledge_stretch=True, **spec),
            now,
        )
        assert isinstance(made[0], Goal), made


async def _declare(organisation: Organisation, now: datetime, draft: MarketDraft) -> Market:
    made = await markets.declare(organisation, draft, None, now)
    assert isinstance(made, Market), made
    return made
