"""Markets end to end, through the API a client uses: declared markets and their sizes,
MARKET_SHARE and PENETRATION over period edges in the organisation's time (Los Angeles),
NEW_CUSTOMERS in a market nobody has sold into yet, from the goal's creation to its first
won account, boards and series in a market, and the whitespace lists.

It is 2026-11-18 12:00 in Los Angeles. Every figure is worked out in the comments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import httpx

from core import clock
from core.goals.service import snapshot_running_goals
from core.orgs import service as orgs
from core.orgs.models import Role, User
from core.sales import service as sales
from domain.records import AccountRecord, DealRecord, DealStage, ProductRecord
from tests.conftest import Org
from tests.support.graphql import graphql
from tests.support.instants import in_los_angeles

DECLARE = """mutation($input: MarketInput!) { declareMarket(input: $input) {
  __typename ... on Market { id code region segment products { externalId } }
  ... on InputErrors { errors { field code } } } }"""
SIZE = """mutation($input: MarketSizeInput!) { setMarketSize(input: $input) {
  __typename ... on MarketSize { periodStart periodEnd addressableAccounts revenue }
  ... on InputErrors { errors { field code } } } }"""
GOAL = """mutation($input: CreateGoalInput!) { createGoal(input: $input) {
  __typename ... on Goal { id scope { market { code } } progress { currentValue attainment } }
  ... on SmartViolations { violations { field code } } } }"""
PROGRESS = """query($id: ID!) { goal(id: $id) { progress { currentValue attainment } } }"""
BOARD = """query($metric: Metric!, $start: Date!, $end: Date!, $market: String) {
  leaderboard(metric: $metric, periodStart: $start, periodEnd: $end, market: $market) {
    entries { name rank value } } }"""
SERIES = """query($market: String) { metricSeries(metric: MARKET_SHARE, grain: MONTH,
  from: "2026-10-01", to: "2026-11-30", market: $market) { points { label value } } }"""
WHITESPACE = """query($start: Date, $end: Date) {
  whitespace(periodStart: $start, periodEnd: $end) {
    market { code } accounts untapped customers newCustomers addressableAccounts
    openAccounts penetration revenue marketRevenue marketShare neverSoldToCount
    neverSoldTo { externalId }
    crossSell { account { externalId } product { externalId } peers segmentAccounts
      adoption peerWins } } }"""

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


def _period(period: dict[str, str]) -> dict[str, str]:
    return {"periodStart": period["start"], "periodEnd": period["end"]}


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in result["errors"]]


def violations(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(v["field"], v["code"]) for v in result["violations"]}


def percent(ratio: Fraction) -> str:
    """A ratio as a percentage to two places, half up, worked out apart from the code under
    test: hundredths of a percent are ten-thousandths of the ratio."""
    hundredths = (ratio * 10_000 * 2 + 1) // 2
    return f"{Decimal(int(hundredths)).scaleb(-2):.2f}"


async def seller(org: Org) -> User:
    made = await orgs.create_user(
        org.organisation.id, email="sam@acme.test", name="Sam Seller", role=Role.REP,
        team_id=org.team.id,
    )  # fmt: skip
    assert isinstance(made, User)
    return made


def won(
    external_id: str, owner: str, amount: str, closed: datetime, account: str, product: str
) -> DealRecord:
    return DealRecord(
        external_id=external_id,
        owner_email=owner,
        amount=Decimal(amount),
        stage=DealStage.WON,
        created_at=in_los_angeles(2026, 6, 1, 9),
        closed_at=closed,
        account_external_id=account,
        product_external_id=product,
    )


async def seed(org: Org) -> None:
    """Accounts A1–A3 are EMEA mid-market (the market); A4 is EMEA enterprise and A5
    APAC mid-market (outside it). Rita sells in the market, Sam outside it.

    D0 A1 CORE 9,000 on 30 Jun 23:00 PDT (1 Jul in UTC: still June here)
    D1 A1 ADDON 3,000 on 31 Oct 23:30 PDT (1 Nov in UTC: October here)
    D2 A1 CORE 2,000 on 1 Nov 00:15 PDT
    D3 A2 CORE 5,000 on 10 Nov; a lost deal of A2 on 12 Nov counts for nothing
    D4 A4 CORE 7,000 (Sam, enterprise) and D5 A5 ADDON 1,000 (Sam, APAC) on 5 and 6 Nov
    """
    organisation = org.organisation
    await seller(org)
    accounts = [
        AccountRecord("A1", "Alder GmbH", "Mid-Market", "EMEA"),
        AccountRecord("A2", "Birch SARL", "Mid-Market", "EMEA"),
        AccountRecord("A3", "Cedar BV", "Mid-Market", "EMEA"),
        AccountRecord("A4", "Dogwood AG", "Enterprise", "EMEA"),
        AccountRecord("A5", "Elm Pte", "Mid-Market", "APAC"),
    ]
    assert (await sales.ingest_accounts(organisation, accounts)).accepted == 5
    products = [ProductRecord("CORE", "Core platform"), ProductRecord("ADDON", "Analytics add-on")]
    assert (await sales.ingest_products(organisation, products)).accepted == 2
    rita, sam = "rita@acme.test", "sam@acme.test"
    deals = [
        won("D0", rita, "9000", in_los_angeles(2026, 6, 30, 23), "A1", "CORE"),
        won("D1", rita, "3000", in_los_angeles(2026, 10, 31, 23, 30), "A1", "ADDON"),
        won("D2", rita, "2000", in_los_angeles(2026, 11, 1, 0, 15), "A1", "CORE"),
        won("D3", rita, "5000", in_los_angeles(2026, 11, 10, 15), "A2", "CORE"),
        won("D4", sam, "7000", in_los_angeles(2026, 11, 5, 10), "A4", "CORE"),
        won("D5", sam, "1000", in_los_angeles(2026, 11, 6, 10), "A5", "ADDON"),
    ]
    lost = DealRecord(
        "D6", rita, Decimal(4000), DealStage.LOST, in_los_angeles(2026, 10, 1, 9),
        in_los_angeles(2026, 11, 12, 9), account_external_id="A2",
    )  # fmt: skip
    result = await sales.ingest_deals(organisation, [*deals, lost])
    assert result.accepted == 7, result.rejected


async def declare(client: httpx.AsyncClient, org: Org, **market: Any) -> str:
    body = await graphql(client, DECLARE, org.token(), input=market)
    made = body["data"]["declareMarket"]
    assert made["__typename"] == "Market", made
    return str(made["id"])


async def size(client: httpx.AsyncClient, org: Org, market: str, **given: Any) -> dict[str, Any]:
    body = await graphql(client, SIZE, org.token(), input={"marketId": market, **given})
    return dict(body["data"]["setMarketSize"])


async def emea(client: httpx.AsyncClient, org: Org) -> str:
    """EMEA mid-market: 1,000 a day of market revenue in the first half of 2026 (181 days,
    30 accounts), 2,000 a day in the second (184 days, 40 accounts)."""
    market = await declare(
        client, org, code="EMEA-MM", name="EMEA mid-market", region="EMEA", segment="Mid-Market"
    )
    first = await size(
        client, org, market, periodStart="2026-01-01", periodEnd="2026-06-30",
        addressableAccounts=30, revenue="181000",
    )  # fmt: skip
    assert first["__typename"] == "MarketSize"
    second = await size(
        client, org, market, periodStart="2026-07-01", periodEnd="2026-12-31",
        addressableAccounts=40, revenue="368000",
    )  # fmt: skip
    assert second["addressableAccounts"] == 40
    return market


async def test_market_share_and_penetration_over_period_edges(
    client: httpx.AsyncClient, org: Org
) -> None:
    await seed(org)
    await emea(client, org)

    async def board(metric: str, period: dict[str, str], market: str | None) -> Any:
        return await graphql(client, BOARD, org.token(), metric=metric, market=market, **period)

    # November, 18 days gone by: the market's revenue so far is 18 × 2,000 = 36,000. Rita's
    # in it is D2 + D3 = 7,000 (D1 closed on 31 October, local time); Sam sold outside it.
    november = await board("MARKET_SHARE", NOVEMBER, "EMEA-MM")
    entries = november["data"]["leaderboard"]["entries"]
    assert [(e["name"], e["rank"], e["value"]) for e in entries] == [
        ("Rita Rep", 1, percent(Fraction(7000, 36000))),
        ("Sam Seller", 2, "0.00"),
    ]
    # October, over: 31 × 2,000 = 62,000, of which D1's 3,000.
    october = await board("MARKET_SHARE", OCTOBER, "EMEA-MM")
    assert october["data"]["leaderboard"]["entries"][0]["value"] == percent(Fraction(3000, 62000))
    # Across the two sizes, 16 June – 15 July: 15 × 1,000 + 15 × 2,000 = 45,000; D0's
    # 9,000 closed on 30 June here → 20.00. Penetration: A1 of the 40 accounts declared
    # for the last day (the second size) → 2.50.
    summer = {"start": "2026-06-16", "end": "2026-07-15"}
    share = await board("MARKET_SHARE", summer, "EMEA-MM")
    assert share["data"]["leaderboard"]["entries"][0]["value"] == "20.00"
    reach = await board("PENETRATION", summer, "EMEA-MM")
    assert reach["data"]["leaderboard"]["entries"][0]["value"] == "2.50"
    # November penetration: A1 and A2 won, of 40 → 5.00; October: A1 → 2.50.
    assert (await board("PENETRATION", NOVEMBER, "EMEA-MM"))["data"]["leaderboard"]["entries"][0][
        "value"
    ] == "5.00"
    assert (await board("PENETRATION", OCTOBER, "EMEA-MM"))["data"]["leaderboard"]["entries"][0][
        "value"
    ] == "2.50"
    # A market metric needs a market, and a market must exist.
    refused = await board("MARKET_SHARE", NOVEMBER, None)
    assert "market" in refused["errors"][0]["message"]
    unknown = await board("REVENUE", NOVEMBER, "NOWHERE")
    assert "NOWHERE" in unknown["errors"][0]["message"]
    # Revenue in the market: Rita's 7,000 in November, not Sam's.
    revenue = await board("REVENUE", NOVEMBER, "EMEA-MM")
    assert [e["value"] for e in revenue["data"]["leaderboard"]["entries"]] == ["7000.00", "0.00"]

    # The board's download counts in the market too.
    download = await client.get(
        "/exports/leaderboard.csv",
        params={"metric": "MARKET_SHARE", "market": "EMEA-MM", **_period(NOVEMBER)},
        headers={"Authorization": f"Bearer {org.token()}"},
    )
    assert download.status_code == 200, download.text
    lines = download.text.splitlines()
    assert lines[1:] == [f"1,Rita Rep,{percent(Fraction(7000, 36000))},", "2,Sam Seller,0.00,"]

    series = await graphql(client, SERIES, org.token(), market="EMEA-MM")
    assert series["data"]["metricSeries"]["points"] == [
        {"label": "2026-10", "value": percent(Fraction(3000, 62000))},
        {"label": "2026-11", "value": percent(Fraction(7000, 36000))},
    ]


async def test_a_move_goal_on_market_share_this_fiscal_year(
    client: httpx.AsyncClient, org: Org
) -> None:
    """ "Increase market share in EMEA mid-market from 4% to 6% this fiscal year."""
    await seed(org)
    await emea(client, org)
    fiscal_year = {"kind": "FISCAL_YEAR", "containing": "2026-11-18"}
    base = {"metric": "MARKET_SHARE", "ownerType": "ORGANISATION", "targetKind": "MOVE"}
    body = await graphql(
        client, GOAL, org.token(),
        input={**base, "moveFrom": 4, "target": 6, "period": fiscal_year,
               "scope": {"market": "EMEA-MM"}},
    )  # fmt: skip
    goal = body["data"]["createGoal"]
    assert goal["__typename"] == "Goal", goal
    assert goal["scope"]["market"]["code"] == "EMEA-MM"
    # 2026 to 18 November: 181,000 of the first size, then 141 days (1 Jul – 18 Nov) × 2,000
    # = 282,000: 463,000. The organisation's revenue in the market: D0–D3 = 19,000.
    share = Fraction(19000, 463000) * 100
    assert goal["progress"]["currentValue"] == percent(share / 100)
    # From 4 to 6: (current − 4) / (6 − 4), of the figure as shown.
    shown_share = Fraction(Decimal(percent(share / 100)))
    assert goal["progress"]["attainment"] == percent((shown_share - 4) / 2)

    # The nightly snapshot stores the figure; a day later, with no record moved, the
    # market's revenue so far has grown by a day: 465,000, and the share is read anew.
    assert await snapshot_running_goals(org.organisation, in_los_angeles(2026, 11, 18, 23)) >= 1
    with clock.pinned(in_los_angeles(2026, 11, 19, 12)):
        later = await graphql(client, PROGRESS, org.token(), id=goal["id"])
    assert later["data"]["goal"]["progress"]["currentValue"] == percent(Fraction(19000, 465000))

    # Without a market, with a market and a region, in a year without a declared size.
    checks = [
        (
            {**base, "moveFrom": 4, "target": 6, "period": fiscal_year},
            ("scope.market", "MARKET_REQUIRED"),
        ),
        (
            {**base, "moveFrom": 4, "target": 6, "period": fiscal_year,
             "scope": {"market": "EMEA-MM", "regions": ["EMEA"]}},
            ("scope.market", "SCOPE_NOT_APPLICABLE"),
        ),
        (
            {**base, "moveFrom": 4, "target": 6,
             "period": {"kind": "FISCAL_YEAR", "containing": "2027-03-01"},
             "scope": {"market": "EMEA-MM"}},
            ("scope.market", "MARKET_SIZE_MISSING"),
        ),
        (
            {**base, "moveFrom": 4, "target": 160, "period": fiscal_year,
             "scope": {"market": "EMEA-MM"}},
            ("target", "RATE_OUT_OF_RANGE"),
        ),
    ]  # fmt: skip
    for given, expected in checks:
        refused = await graphql(client, GOAL, org.token(), input=given)
        assert expected in violations(refused["data"]["createGoal"]), given


async def test_an_untapped_market_from_its_goal_to_its_first_account(
    client: httpx.AsyncClient, org: Org
) -> None:
    """ "Win 20 new customers in the untapped public sector": refused while nobody knows the
    segment, then set against a declared market with no account, then moved by its first
    won account."""
    await seed(org)
    goal_input = {
        "metric": "NEW_CUSTOMERS", "ownerId": str(org.rep.id), "target": 20,
        "periodStart": "2026-11-01", "periodEnd": "2027-04-30",
        "rationale": "Open the public sector",
    }  # fmt: skip
    before = await graphql(
        client, GOAL, org.token(), input={**goal_input, "scope": {"segments": ["Public Sector"]}}
    )
    assert ("scope.segments", "SCOPE_UNKNOWN") in violations(before["data"]["createGoal"])
    unknown = await graphql(
        client, GOAL, org.token(), input={**goal_input, "scope": {"market": "PUBLIC"}}
    )
    assert ("scope.market", "SCOPE_UNKNOWN") in violations(unknown["data"]["createGoal"])

    public = await declare(
        client, org, code="PUBLIC", name="Public sector", segment="Public Sector"
    )
    sized = await size(
        client, org, public, periodStart="2026-01-01", periodEnd="2026-12-31",
        addressableAccounts=120,
    )  # fmt: skip
    assert sized["__typename"] == "MarketSize"
    created = await graphql(
        client, GOAL, org.token(), input={**goal_input, "scope": {"market": "PUBLIC"}}
    )
    goal = created["data"]["createGoal"]
    assert goal["__typename"] == "Goal", goal
    assert goal["progress"]["currentValue"] == "0.00"
    # The segment is known now the market declares it.
    by_segment = await graphql(
        client, GOAL, org.token(), input={**goal_input, "scope": {"segments": ["Public Sector"]}}
    )
    assert by_segment["data"]["createGoal"]["__typename"] == "Goal"

    lists = (await graphql(client, WHITESPACE, org.token(), **NOVEMBER))["data"]["whitespace"]
    untapped = next(m for m in lists if m["market"]["code"] == "PUBLIC")
    assert (untapped["untapped"], untapped["accounts"], untapped["customers"]) == (True, 0, 0)
    assert (untapped["openAccounts"], untapped["penetration"]) == (120, "0.00")

    # The first account, won this morning: its deal carries the account's segment.
    organisation = org.organisation
    account = AccountRecord("G1", "City of Lyon", "Public Sector", "EMEA")
    assert (await sales.ingest_accounts(organisation, [account])).accepted == 1
    first = won("G-1", "rita@acme.test", "12000", in_los_angeles(2026, 11, 18, 10), "G1", "CORE")
    assert (await sales.ingest_deals(organisation, [first])).accepted == 1
    progress = await graphql(client, PROGRESS, org.token(), id=goal["id"])
    # One of 20: 5.00%.
    assert progress["data"]["goal"]["progress"] == {"currentValue": "1.00", "attainment": "5.00"}
    lists = (await graphql(client, WHITESPACE, org.token(), **NOVEMBER))["data"]["whitespace"]
    tapped = next(m for m in lists if m["market"]["code"] == "PUBLIC")
    # 1 of 120 accounts: 0.8333… → 0.83.
    assert (tapped["untapped"], tapped["customers"], tapped["newCustomers"]) == (False, 1, 1)
    assert (tapped["penetration"], tapped["openAccounts"]) == ("0.83", 119)


async def test_whitespace_ranks_markets_and_lists_what_is_left(
    client: httpx.AsyncClient, org: Org
) -> None:
    await seed(org)
    await emea(client, org)
    public = await declare(
        client, org, code="PUBLIC", name="Public sector", segment="Public Sector"
    )
    await size(
        client, org, public, periodStart="2026-01-01", periodEnd="2026-12-31",
        addressableAccounts=120,
    )  # fmt: skip
    lists = (await graphql(client, WHITESPACE, org.token(), **NOVEMBER))["data"]["whitespace"]
    # PUBLIC has 120 accounts left to win, EMEA-MM 40 − 2 = 38: PUBLIC first.
    assert [m["market"]["code"] for m in lists] == ["PUBLIC", "EMEA-MM"]
    market = lists[1]
    assert (market["accounts"], market["untapped"], market["customers"]) == (3, False, 2)
    # A2 is new this month; A1 was first won in June.
    assert (market["newCustomers"], market["openAccounts"], market["penetration"]) == (
        1,
        38,
        "5.00",
    )
    assert (market["revenue"], market["marketRevenue"]) == ("7000.00", "36000.00")
    assert market["marketShare"] == percent(Fraction(7000, 36000))
    assert market["neverSoldToCount"] == 1
    assert market["neverSoldTo"] == [{"externalId": "A3"}]
    # Mid-market accounts anywhere: A1, A2, A3, A5 (4). CORE was bought by A1 and A2 in
    # 3 won deals (D0, D2, D3); ADDON by A1 and A5 in 2 (D1, D5). Each is at 50%: the
    # more often won first, then by account.
    assert [
        (c["account"]["externalId"], c["product"]["externalId"], c["peers"],
         c["segmentAccounts"], c["adoption"], c["peerWins"])
        for c in market["crossSell"]
    ] == [
        ("A3", "CORE", 2, 4, "50.00", 3),
        ("A2", "ADDON", 2, 4, "50.00", 2),
        ("A3", "ADDON", 2, 4, "50.00", 2),
    ]  # fmt: skip

    # A rep does not aim markets.
    rep = await graphql(client, WHITESPACE, org.token(org.rep), **NOVEMBER)
    assert rep["data"] is None
    assert rep["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_market_changes_are_in_the_audit_trail(client: httpx.AsyncClient, org: Org) -> None:
    market = await emea(client, org)
    trail = await graphql(
        client,
        """query($id: ID!) { auditTrail(objectType: MARKET, objectId: $id) {
          edges { node { action objectType actor { email } before after } } } }""",
        org.token(),
        id=market,
    )
    entries = [edge["node"] for edge in trail["data"]["auditTrail"]["edges"]]

    # Newest first: the two sizes, then the declaration, each by the admin.
    assert [(e["action"], e["objectType"]) for e in entries] == [
        ("MARKET_SIZED", "MARKET"),
        ("MARKET_SIZED", "MARKET"),
        ("MARKET_DECLARED", "MARKET"),
    ]
    assert {e["actor"]["email"] for e in entries} == {org.admin.email}
    assert entries[0]["before"] == {}
    assert entries[0]["after"]["revenue"] == "368000"
    assert entries[2]["after"]["code"] == "EMEA-MM"


async def test_market_and_size_rules(client: httpx.AsyncClient, org: Org) -> None:
    await seed(org)
    nothing = await graphql(client, DECLARE, org.token(), input={"code": "X", "name": "X"})
    assert errors(nothing["data"]["declareMarket"]) == [("region", "REQUIRED")]
    missing = await graphql(
        client, DECLARE, org.token(), input={"code": "X", "name": "X", "productIds": ["NOPE"]}
    )
    assert errors(missing["data"]["declareMarket"]) == [("productIds.0", "NOT_FOUND")]
    by_rep = await graphql(
        client, DECLARE, org.token(org.rep), input={"code": "X", "name": "X", "region": "EMEA"}
    )
    assert errors(by_rep["data"]["declareMarket"]) == [("code", "FORBIDDEN")]
    line = await declare(client, org, code="ADDON-LINE", name="Add-ons", productIds=["ADDON"])
    # Declared again under its code: redefined, not doubled.
    again = await declare(
        client, org, code="ADDON-LINE", name="Add-ons in EMEA", region="EMEA", productIds=["ADDON"]
    )
    assert again == line
    year = {"periodStart": "2026-01-01", "periodEnd": "2026-12-31"}
    assert errors(await size(client, org, line, **year)) == [("addressableAccounts", "REQUIRED")]
    assert errors(await size(client, org, line, **year, revenue="-5")) == [("revenue", "NEGATIVE")]
    assert (await size(client, org, line, **year, revenue="1000000"))["revenue"] == "1000000.00"
    overlapping = await size(
        client, org, line, periodStart="2026-12-01", periodEnd="2027-11-30", revenue="5"
    )
    assert errors(overlapping) == [("periodStart", "CONFLICT")]
    # The same start replaces the size.
    replaced = await size(client, org, line, **year, revenue="2000000", addressableAccounts=10)
    assert (replaced["revenue"], replaced["addressableAccounts"]) == ("2000000.00", 10)
    listed = await graphql(
        client, "{ markets { code sizes { revenue } products { externalId } } }", org.token(org.rep)
    )
    assert listed["data"]["markets"] == [
        {"code": "ADDON-LINE", "sizes": [{"revenue": "2000000.00"}],
         "products": [{"externalId": "ADDON"}]},
    ]  # fmt: skip
    # The line's share in November: only ADDON in EMEA counts (D1 is October, D5 APAC): 0.
    board = await graphql(
        client, BOARD, org.token(), metric="MARKET_SHARE", market="ADDON-LINE", **NOVEMBER
    )
    assert board["data"]["leaderboard"]["entries"][0]["value"] == "0.00"
