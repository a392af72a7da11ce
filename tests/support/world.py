"""A small hand-built data set for metric tests, with every figure worked out by hand.

Los Angeles time; the period is December 2026, the previous period of equal length
(31 days) is 31 October to 30 November.

Teams: Sales ─┬─ East ── East Enterprise        Reps: Ana (East), Ben (East Enterprise),
              └─ West                                 Cy (West)
Accounts: A1 EMEA/Enterprise, A2 EMEA/SMB, A3 NA/SMB, A4 NA/Enterprise, A5 APAC/SMB.
Products: P1 with unit cost 60, P2 without.

Deals (local close time)                                 Leads (local creation)
 a1 Ana  A1 P1 1,000 ×2 WON  3 Dec  (cost 2 × 60 = 120)   l1 Ana 2 Dec QUALIFIED
 a2 Ana  A2    3,000    WON 15 Dec  (cost 1,000)          l2 Ana 5 Dec CONVERTED → a2
 a3 Ana  A3    2,000    LOST 20 Dec                       l3 Ana 6 Dec NEW
 a4 Ana  A1      500    WON 20 Nov                        l4 Ana 7 Dec CONVERTED → a3 (LOST)
 a5 Ana  A2      700    WON 31 Dec 23:30                  l5 Ana 28 Nov QUALIFIED
 a6 Ana  A4      900    WON  1 Jan 00:00 (out)            l6 Ana 31 Dec 23:59 DISQUALIFIED
 b1 Ben  A4    4,000    WON 10 Dec  (cost 2,500)          l7 Ben 9 Dec CONVERTED → b1
 b2 Ben  A3    1,000    LOST 11 Dec
 b3 Ben  A3      800    WON 15 Oct
 c1 Cy   A3 P1 2,500    WON  5 Dec  (cost 60)
 c2 Cy   A2    1,200    WON  2 Nov
 c3 Cy   A5      600    WON 12 Nov
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.goals import service as goals
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, Team, User
from core.sales import service as sales
from domain.errors import FieldError
from domain.metrics import Metric
from domain.records import (
    AccountRecord,
    DealRecord,
    DealStage,
    LeadRecord,
    LeadStatus,
    ProductRecord,
)
from tests.support.factories import make_goal

LA = ZoneInfo("America/Los_Angeles")
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))
AFTER = datetime(2027, 1, 15, tzinfo=UTC)
D = Decimal


def la(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LA)


@dataclass
class World:
    organisation: Organisation
    sales_team: Team
    east: Team
    east_enterprise: Team
    west: Team
    ana: User
    ben: User
    cy: User
    deals: dict[str, DealRecord]


def deal(
    key: str,
    owner: str,
    account: str,
    amount: int,
    stage: DealStage,
    closed: datetime,
    **extra: object,
) -> DealRecord:
    return DealRecord(
        external_id=key,
        owner_email=f"{owner}@acme.test",
        amount=D(amount),
        stage=stage,
        created_at=datetime(2026, 9, 1, tzinfo=UTC),
        closed_at=closed,
        account_external_id=account,
        **extra,
    )


DEALS = [
    deal("a1", "ana", "A1", 1000, DealStage.WON, la(12, 3), product_external_id="P1", quantity=2),
    deal("a2", "ana", "A2", 3000, DealStage.WON, la(12, 15), cost=D(1000)),
    deal("a3", "ana", "A3", 2000, DealStage.LOST, la(12, 20)),
    deal("a4", "ana", "A1", 500, DealStage.WON, la(11, 20)),
    deal("a5", "ana", "A2", 700, DealStage.WON, la(12, 31, 23, 30)),
    deal("a6", "ana", "A4", 900, DealStage.WON, la(1, 1, 0, 0, year=2027)),
    deal("b1", "ben", "A4", 4000, DealStage.WON, la(12, 10), cost=D(2500)),
    deal("b2", "ben", "A3", 1000, DealStage.LOST, la(12, 11)),
    deal("b3", "ben", "A3", 800, DealStage.WON, la(10, 15)),
    deal("c1", "cy", "A3", 2500, DealStage.WON, la(12, 5), product_external_id="P1"),
    deal("c2", "cy", "A2", 1200, DealStage.WON, la(11, 2)),
    deal("c3", "cy", "A5", 600, DealStage.WON, la(11, 12)),
]


def lead(
    key: str, owner: str, created: datetime, status: LeadStatus, **extra: object
) -> LeadRecord:
    return LeadRecord(key, f"{owner}@acme.test", created, status, **extra)


LEADS = [
    lead("l1", "ana", la(12, 2), LeadStatus.QUALIFIED, qualified_at=la(12, 4)),
    lead("l2", "ana", la(12, 5), LeadStatus.CONVERTED, converted_deal_external_id="a2"),
    lead("l3", "ana", la(12, 6), LeadStatus.NEW),
    lead("l4", "ana", la(12, 7), LeadStatus.CONVERTED, converted_deal_external_id="a3"),
    lead("l5", "ana", la(11, 28), LeadStatus.QUALIFIED),
    lead("l6", "ana", la(12, 31, 23, 59), LeadStatus.DISQUALIFIED),
    lead("l7", "ben", la(12, 9), LeadStatus.CONVERTED, converted_deal_external_id="b1"),
]


async def build_world() -> World:
    """The data set above, stored through the ingestion services."""
    created = await orgs.provision_organisation(
        "Acme", admin_email="admin@acme.test", admin_name="Ada", timezone="America/Los_Angeles"
    )
    assert not isinstance(created, FieldError)
    organisation, _ = created
    teams = {}
    for name, parent in (
        ("Sales", None),
        ("East", "Sales"),
        ("East Enterprise", "East"),
        ("West", "Sales"),
    ):
        team = await orgs.create_team(organisation.id, name, teams[parent].id if parent else None)
        assert isinstance(team, Team)
        teams[name] = team
    reps = {}
    for name, team in (("ana", "East"), ("ben", "East Enterprise"), ("cy", "West")):
        rep = await orgs.create_user(
            organisation.id,
            email=f"{name}@acme.test",
            name=name.title(),
            role=Role.REP,
            team_id=teams[team].id,
        )
        assert isinstance(rep, User)
        reps[name] = rep
    accounts = [
        AccountRecord("A1", "Globex", "Enterprise", "EMEA"),
        AccountRecord("A2", "Initech", "SMB", "EMEA"),
        AccountRecord("A3", "Hooli", "SMB", "NA"),
        AccountRecord("A4", "Umbrella", "Enterprise", "NA"),
        AccountRecord("A5", "Wonka", "SMB", "APAC"),
    ]
    assert (await sales.ingest_accounts(organisation, accounts)).accepted == 5
    products = [ProductRecord("P1", "Widget", D(100), D(60)), ProductRecord("P2", "Service")]
    assert (await sales.ingest_products(organisation, products)).accepted == 2
    assert (await sales.ingest_deals(organisation, DEALS)).accepted == 12
    assert (await sales.ingest_leads(organisation, LEADS)).accepted == 7
    return World(
        organisation,
        teams["Sales"],
        teams["East"],
        teams["East Enterprise"],
        teams["West"],
        reps["ana"],
        reps["ben"],
        reps["cy"],
        {d.external_id: d for d in DEALS},
    )


async def value(
    world: World,
    metric: Metric,
    *,
    rep: User | None = None,
    team: Team | None = None,
    scope: dict | None = None,
) -> Decimal | None:
    goal = await make_goal(
        world.organisation.id,
        metric=metric,
        target=1,
        start=DECEMBER[0],
        end=DECEMBER[1],
        rep_id=rep.id if rep else None,
        team_id=team.id if team else None,
        scope=scope,
    )
    progress = await goals.measure_goals(world.organisation, [goal], AFTER)
    return progress[goal.id].current_value


ANA_DECEMBER = {
    Metric.REVENUE: D("4700.00"),  # a1 1,000 + a2 3,000 + a5 700 (23:30 on the 31st)
    Metric.GROSS_PROFIT: D("3580.00"),  # 4,700 − (120 + 1,000 + 0)
    Metric.PROFIT_MARGIN: D("76.17"),  # 3,580 / 4,700 = 76.1702…
    Metric.UNITS_SOLD: D("4.00"),  # 2 + 1 + 1
    Metric.DEALS_WON: D("3.00"),
    Metric.WIN_RATE: D("75.00"),  # 3 won / (3 won + a3 lost)
    Metric.AVERAGE_DEAL_SIZE: D("1566.67"),  # 4,700 / 3
    Metric.NEW_CUSTOMERS: D("1.00"),  # A2; A1 was first won by Ana on 20 Nov
    Metric.RETENTION_RATE: D("100.00"),  # won in Oct 31–Nov 30: A1; won again in December
    Metric.LEADS: D("5.00"),  # l1 l2 l3 l4 l6
    Metric.QUALIFIED_LEADS: D("3.00"),  # l1, l2, l4 (converted implies qualified)
    Metric.CONVERSION_RATE: D("20.00"),  # l2 only: l4's deal was lost
}

EAST_DECEMBER = {  # Ana and Ben, whose team East Enterprise sits under East
    Metric.REVENUE: D("8700.00"),  # 4,700 + 4,000
    Metric.GROSS_PROFIT: D("5080.00"),  # 8,700 − (1,120 + 2,500)
    Metric.PROFIT_MARGIN: D("58.39"),  # 5,080 / 8,700 = 58.390…
    Metric.UNITS_SOLD: D("5.00"),
    Metric.DEALS_WON: D("4.00"),
    Metric.WIN_RATE: D("66.67"),  # 4 / (4 + 2)
    Metric.AVERAGE_DEAL_SIZE: D("2175.00"),  # 8,700 / 4
    Metric.NEW_CUSTOMERS: D("2.00"),  # A2 and A4; A1 (Nov) and A3 (b3, Oct) came earlier
    Metric.RETENTION_RATE: D("100.00"),  # previous period: A1 only; b3 (15 Oct) is before it
    Metric.LEADS: D("6.00"),
    Metric.QUALIFIED_LEADS: D("4.00"),
    Metric.CONVERSION_RATE: D("33.33"),  # l2 and l7 of 6
}

ORGANISATION_DECEMBER = {
    Metric.REVENUE: D("11200.00"),  # 8,700 + c1 2,500
    Metric.GROSS_PROFIT: D("7520.00"),  # 11,200 − (3,620 + 60)
    Metric.WIN_RATE: D("71.43"),  # 5 / 7
    Metric.NEW_CUSTOMERS: D("1.00"),  # A4 only: A1, A2 (c2) and A3 (b3) were won before
    Metric.RETENTION_RATE: D("66.67"),  # previous period A1, A2, A5; A5 not won again
}
