"""Goals through GraphQL on PostgreSQL: targets, baselines, achievability, named and
recurring periods, cascades, progress history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from core import clock
from core.goals.models import Goal
from core.orgs import service as orgs
from core.orgs.models import Organisation, Role, User
from core.sales import service as sales
from domain.records import DealRecord, DealStage, LeadRecord, LeadStatus
from tests.conftest import Org
from tests.support.graphql import graphql
from tests.support.instants import earlier_today, local_date
from workers.jobs import snapshot_goals_of

LA = ZoneInfo("America/Los_Angeles")

CREATE = """
mutation($input: CreateGoalInput!) { createGoal(input: $input) {
  __typename
  ... on Goal {
    id target targetKind targetChange moveFrom baseline baselineSource bestHistory achievability
    baselineStart baselineEnd historical periodStart periodEnd periodKind periodLabel
    owner { __typename ... on User { email } ... on Team { name } ... on Organisation { name } }
    series { periodStart periodEnd periodLabel target }
  }
  ... on SmartViolations { violations { criterion code field message } }
} }
"""


def today() -> date:
    """Today in the organisation's timezone, by the test's pinned clock."""
    return local_date(clock.now(), LA)


def month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def closing_time(day: date) -> datetime:
    """Noon that day, or for today an instant already gone, even just after midnight."""
    if day == today():
        return earlier_today(clock.now(), LA)
    return datetime(day.year, day.month, day.day, 12, tzinfo=LA)


async def won_in(org: Org, key: str, amount: int, day: date) -> None:
    closed = closing_time(day)
    record = DealRecord(
        key,
        "rita@acme.test",
        Decimal(amount),
        DealStage.WON,
        created_at=closed - timedelta(days=1),
        closed_at=closed,
    )
    assert (await sales.ingest_deals(org.organisation, [record])).accepted == 1


async def create(client: httpx.AsyncClient, org: Org, **fields: object) -> dict:
    base = {"metric": "REVENUE", "ownerId": str(org.rep.id), "rationale": "Quota"}
    body = await graphql(client, CREATE, org.token(), input={**base, **fields})
    assert "errors" not in body, body
    return body["data"]["createGoal"]


@pytest.mark.dated
async def test_relative_target_takes_its_baseline_from_the_previous_month(
    client: httpx.AsyncClient, org: Org
) -> None:
    # Last month 8,000 (5,000 + 3,000); the month before 10,000; a year ago nothing.
    now = today()
    await won_in(org, "m1a", 5000, month_start(now, 1) + timedelta(days=2))
    await won_in(org, "m1b", 3000, month_start(now, 1) + timedelta(days=9))
    await won_in(org, "m2", 10000, month_start(now, 2) + timedelta(days=4))

    goal = await create(
        client,
        org,
        target="20",
        targetKind="RELATIVE_PERCENT",
        period={"kind": "MONTH", "containing": now.isoformat()},
    )

    assert goal["__typename"] == "Goal", goal
    assert (goal["baseline"], goal["baselineSource"]) == ("8000.00", "HISTORY")
    assert (goal["target"], goal["targetChange"]) == ("9600.00", "20.00")  # 8,000 × 1.2
    # Best comparable month is 10,000: 9,600 is 4% below it.
    assert (goal["bestHistory"], goal["achievability"]) == ("10000.00", "-4.00")
    assert goal["periodLabel"] == month_start(now, 0).strftime("%Y-%m")


async def test_a_given_baseline_and_points(client: httpx.AsyncClient, org: Org) -> None:
    goal = await create(
        client,
        org,
        metric="WIN_RATE",
        target="10",
        targetKind="RELATIVE_POINTS",
        baseline="55.5",
        period={"kind": "MONTH", "containing": today().isoformat()},
    )

    assert (goal["target"], goal["baseline"], goal["baselineSource"]) == ("65.50", "55.50", "GIVEN")


async def test_without_history_a_relative_target_asks_for_a_baseline(
    client: httpx.AsyncClient, org: Org
) -> None:
    result = await create(
        client,
        org,
        target="20",
        targetKind="RELATIVE_PERCENT",
        period={"kind": "MONTH", "containing": today().isoformat()},
    )

    assert [(v["criterion"], v["code"], v["field"]) for v in result["violations"]] == [
        ("MEASURABLE", "BASELINE_UNAVAILABLE", "baseline")
    ]


async def test_conversion_moving_from_15_to_25(client: httpx.AsyncClient, org: Org) -> None:
    goal = await create(
        client,
        org,
        metric="CONVERSION_RATE",
        target="25",
        targetKind="MOVE",
        moveFrom="15",
        period={"kind": "FISCAL_QUARTER", "containing": today().isoformat()},
    )

    assert (goal["target"], goal["moveFrom"], goal["baseline"], goal["targetKind"]) == (
        "25.00",
        "15.00",
        "15.00",
        "MOVE",
    )
    # 3 of 32 leads converted to won deals: 9.38%, below the start, so nothing of the move
    # is done yet (3/32 ÷ 25 would say 37.52%).
    created = clock.now() - timedelta(minutes=30)
    deals = [
        DealRecord(f"c-{n}", "rita@acme.test", Decimal(10), DealStage.WON, created, created)
        for n in range(3)
    ]
    leads = [
        LeadRecord(
            f"l-{n}",
            "rita@acme.test",
            created,
            LeadStatus.CONVERTED if n < 3 else LeadStatus.NEW,
            converted_deal_external_id=f"c-{n}" if n < 3 else None,
        )
        for n in range(32)
    ]
    await sales.ingest_deals(org.organisation, deals)
    await sales.ingest_leads(org.organisation, leads)
    progress = """query($id: ID!) { goal(id: $id) { progress { currentValue attainment } } }"""
    measured = await graphql(client, progress, org.token(), id=goal["id"])
    assert measured["data"]["goal"]["progress"] == {"currentValue": "9.38", "attainment": "0.00"}


@pytest.mark.dated
async def test_a_stretch_far_above_history_needs_acknowledging(
    client: httpx.AsyncClient, org: Org
) -> None:
    now = today()
    await won_in(org, "best", 6000, month_start(now, 1) + timedelta(days=3))
    fields = {"target": "10000", "period": {"kind": "MONTH", "containing": now.isoformat()}}

    refused = await create(client, org, **fields)
    accepted = await create(client, org, **fields, acknowledgeStretch=True)

    # 10,000 is 66.67% above the best month (6,000); the default limit is 50%.
    assert [(v["code"], v["field"]) for v in refused["violations"]] == [
        ("STRETCH_NOT_ACKNOWLEDGED", "target")
    ]
    assert accepted["achievability"] == "66.67"


@pytest.mark.dated
async def test_three_monthly_goals_in_an_april_fiscal_year(
    client: httpx.AsyncClient, org: Org
) -> None:
    await Organisation.filter(id=org.organisation.id).update(fiscal_year_start_month=4)
    start = month_start(today(), -1)  # next month

    goal = await create(
        client,
        org,
        metric="QUALIFIED_LEADS",
        target="300",
        periodStart=start.isoformat(),
        recurrence={"every": "MONTH", "count": 3},
    )

    months = [month_start(start, -n) for n in range(4)]
    assert [(g["periodStart"], g["periodEnd"]) for g in goal["series"]] == [
        (months[n].isoformat(), (months[n + 1] - timedelta(days=1)).isoformat()) for n in range(3)
    ]
    assert {g["target"] for g in goal["series"]} == {"300.00"}
    assert await Goal.filter(organisation_id=org.organisation.id).count() == 3

    quarter = await create(
        client,
        org,
        metric="QUALIFIED_LEADS",
        target="900",
        period={"kind": "FISCAL_QUARTER", "containing": "2027-02-10"},
    )
    assert (quarter["periodStart"], quarter["periodEnd"], quarter["periodLabel"]) == (
        "2027-01-01",
        "2027-03-31",
        "FY2027 Q4",
    )


CASCADE = """
query($id: ID!) { goal(id: $id) {
  allocated allocationGap children { target owner { ... on User { email } } }
  parent { id } } }
"""


async def test_a_team_goal_cascaded_to_its_rep(client: httpx.AsyncClient, org: Org) -> None:
    period = {"kind": "MONTH", "containing": today().isoformat()}
    team_goal = await create(
        client, org, ownerType="TEAM", ownerId=str(org.team.id), target="50000", period=period
    )
    child = await create(
        client, org, target="30000", period=period, parentId=team_goal["id"], rationale=None
    )

    cascade = (await graphql(client, CASCADE, org.token(), id=team_goal["id"]))["data"]["goal"]
    assert cascade == {
        "allocated": "30000.00",
        "allocationGap": "20000.00",
        "children": [{"target": "30000.00", "owner": {"email": "rita@acme.test"}}],
        "parent": None,
    }
    assert (await graphql(client, CASCADE, org.token(), id=child["id"]))["data"]["goal"][
        "parent"
    ] == {"id": team_goal["id"]}


async def test_a_rep_goal_under_another_teams_goal_is_not_relevant(
    client: httpx.AsyncClient, org: Org
) -> None:
    period = {"kind": "MONTH", "containing": today().isoformat()}
    other = await graphql(
        client,
        'mutation { createTeam(input: {name: "Elsewhere"}) { ... on Team { id } } }',
        org.token(),
    )
    team_goal = await create(
        client,
        org,
        ownerType="TEAM",
        ownerId=other["data"]["createTeam"]["id"],
        target="50000",
        period=period,
    )

    result = await create(client, org, target="10", period=period, parentId=team_goal["id"])

    assert [v["code"] for v in result["violations"]] == ["PARENT_OWNER_UNRELATED"]


HISTORY = """
query($id: ID!) { goal(id: $id) { progressHistory { currentValue attainment status } } }
"""


@pytest.mark.dated
async def test_the_daily_snapshot_adds_a_point_to_every_running_goal(
    client: httpx.AsyncClient, org: Org
) -> None:
    goal = await create(
        client, org, target="1000", period={"kind": "MONTH", "containing": today().isoformat()}
    )
    await won_in(org, "s1", 250, today())

    assert await snapshot_goals_of({}, organisation_id=org.organisation.id) == 1
    assert await snapshot_goals_of({}, organisation_id=org.organisation.id) == 1

    history = (await graphql(client, HISTORY, org.token(), id=goal["id"]))["data"]["goal"]
    # Created with a point for the end of each day of the month gone by and one for now,
    # all before the deal; then the two snapshots.
    filled = (today() - today().replace(day=1)).days + 1
    assert [(p["currentValue"], p["attainment"]) for p in history["progressHistory"]] == [
        ("0.00", "0.00")
    ] * filled + [("250.00", "25.00"), ("250.00", "25.00")]


INGEST_LEADS = """
mutation($leads: [LeadInput!]!) { ingestLeads(leads: $leads) {
  ... on IngestPayload { accepted rejected { index externalId errors { field code } } }
  ... on InputErrors { errors { field code } } } }
"""


async def test_leads_are_ingested_idempotently_with_partial_errors(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    created = now.isoformat()
    leads = [
        {"externalId": "l-1", "ownerEmail": "rita@acme.test", "createdAt": created},
        {
            "externalId": "l-2",
            "ownerEmail": "rita@acme.test",
            "createdAt": created,
            "status": "CONVERTED",
        },
        {
            "externalId": "l-3",
            "ownerEmail": "rita@acme.test",
            "createdAt": created,
            "status": "QUALIFIED",
        },
    ]
    goal = await create(
        client,
        org,
        metric="LEADS",
        target="10",
        period={"kind": "MONTH", "containing": today().isoformat()},
    )

    for _ in range(2):
        body = await graphql(client, INGEST_LEADS, org.token(), leads=leads)
        assert body["data"]["ingestLeads"] == {
            "accepted": 2,
            "rejected": [
                {
                    "index": 1,
                    "externalId": "l-2",
                    "errors": [{"field": "convertedDealExternalId", "code": "REQUIRED"}],
                }
            ],
        }

    progress = await graphql(
        client,
        "query($id: ID!) { goal(id: $id) { progress { currentValue } } }",
        org.token(),
        id=goal["id"],
    )
    assert progress["data"]["goal"]["progress"]["currentValue"] == "2.00"


LEADERBOARD = """query($start: Date!, $end: Date!, $team: ID) {
  leaderboard(metric: REVENUE, periodStart: $start, periodEnd: $end, teamId: $team) {
    entries { name rank value } } }"""


async def revenue_board(client: httpx.AsyncClient, org: Org, day: date) -> dict:
    """The revenue board of the rep's team for one day, as the rep sees it."""
    return await graphql(
        client,
        LEADERBOARD,
        org.token(org.rep),
        start=day.isoformat(),
        end=day.isoformat(),
        team=str(org.team.id),
    )


@pytest.mark.dated
async def test_a_leaderboard_ranks_ties_alike(client: httpx.AsyncClient, org: Org) -> None:
    for name in ("Sam", "Tia", "Uma"):
        user = await orgs.create_user(
            org.organisation.id,
            email=f"{name.lower()}@acme.test",
            name=name,
            role=Role.REP,
            team_id=org.team.id,
        )
        assert isinstance(user, User)
    day = today()
    for key, email, amount in (("x1", "rita", 500), ("x2", "sam", 900), ("x3", "tia", 500)):
        closed = closing_time(day)
        record = DealRecord(
            key,
            f"{email}@acme.test",
            Decimal(amount),
            DealStage.WON,
            created_at=closed - timedelta(days=1),
            closed_at=closed,
        )
        await sales.ingest_deals(org.organisation, [record])

    body = await revenue_board(client, org, day)

    assert body["data"]["leaderboard"]["entries"] == [
        {"name": "Sam", "rank": 1, "value": "900.00"},
        {"name": "Rita Rep", "rank": 2, "value": "500.00"},
        {"name": "Tia", "rank": 2, "value": "500.00"},
        {"name": "Uma", "rank": 4, "value": "0.00"},
    ]


async def test_next_quarter_is_set_against_the_last_complete_quarter_or_last_year(
    client: httpx.AsyncClient, org: Org
) -> None:
    """On 18 November 2026, October - December is still running (50,000 so far): a +20%
    goal on January - March 2027 is set against July - September (30,000), or, asked
    for, against January - March 2026 (12,000)."""
    for key, amount, day in (
        ("q1", 12000, date(2026, 2, 10)),
        ("q3a", 10000, date(2026, 7, 1)),
        ("q3b", 20000, date(2026, 9, 30)),
        ("q4", 50000, date(2026, 10, 15)),
    ):
        await won_in(org, key, amount, day)
    next_quarter = {"kind": "FISCAL_QUARTER", "containing": "2027-01-15"}

    previous = await create(
        client, org, target="20", targetKind="RELATIVE_PERCENT", period=next_quarter
    )
    last_year = await create(
        client,
        org,
        target="20",
        targetKind="RELATIVE_PERCENT",
        period=next_quarter,
        baselineFrom="SAME_PERIOD_LAST_YEAR",
    )

    shown = ("baseline", "baselineSource", "baselineStart", "baselineEnd", "target")
    assert [previous[k] for k in shown] == [
        "30000.00",
        "HISTORY",
        "2026-07-01",
        "2026-09-30",
        "36000.00",
    ]
    assert [last_year[k] for k in shown] == [
        "12000.00",
        "SAME_PERIOD_LAST_YEAR",
        "2026-01-01",
        "2026-03-31",
        "14400.00",
    ]


async def test_a_vague_goal_is_answered_with_smart_violations(
    client: httpx.AsyncClient, org: Org
) -> None:
    """No metric, no target, no period, no rationale: every SMART rule it breaks, in the
    order of the criteria, not a GraphQL input error."""
    body = await graphql(client, CREATE, org.token(), input={"ownerId": str(org.rep.id)})

    assert "errors" not in body, body
    answer = body["data"]["createGoal"]
    assert answer["__typename"] == "SmartViolations"
    assert [(v["criterion"], v["code"], v["field"]) for v in answer["violations"]] == [
        ("SPECIFIC", "METRIC_MISSING", "metric"),
        ("SPECIFIC", "TARGET_MISSING", "target"),
        ("RELEVANT", "NO_PARENT_OR_RATIONALE", "rationale"),
        ("TIME_BOUND", "PERIOD_MISSING", "periodStart"),
    ]


RATE_BOARD = """query($day: Date!, $team: ID, $sample: Int) {
  leaderboard(metric: WIN_RATE, periodStart: $day, periodEnd: $day, teamId: $team,
              minimumSample: $sample) {
    minimumSample entries { name rank value sampleSize } } }"""


async def test_selling_managers_are_ranked_and_rates_need_a_sample(
    client: httpx.AsyncClient, org: Org
) -> None:
    """Max manages and sells (2 won); Mona manages only; Rita won 1 of 1; Sam won 4 of 6.
    Revenue: Max is on the board, Mona is not. Win rate needs 5 decisions by default: only
    Sam (66.67%) is ranked; Rita's 100% of one and Max's of two stand unranked."""
    people = {}
    for name, role in (("Sam", Role.REP), ("Max", Role.MANAGER), ("Mona", Role.MANAGER)):
        person = await orgs.create_user(
            org.organisation.id,
            email=f"{name.lower()}@acme.test",
            name=name,
            role=role,
            team_id=org.team.id,
        )
        assert isinstance(person, User)
        people[name] = person
    day = today()
    closed = closing_time(day)
    rows = [("r1", "rita", 100, DealStage.WON), ("m1", "max", 300, DealStage.WON)]
    rows += [("m2", "max", 400, DealStage.WON)]
    rows += [(f"s{n}", "sam", 50, DealStage.WON) for n in range(4)]
    rows += [(f"sl{n}", "sam", 50, DealStage.LOST) for n in range(2)]
    records = [
        DealRecord(key, f"{who}@acme.test", Decimal(amount), stage, closed - timedelta(1), closed)
        for key, who, amount, stage in rows
    ]
    assert (await sales.ingest_deals(org.organisation, records)).accepted == len(records)
    asked = {"day": day.isoformat(), "team": str(org.team.id)}

    revenue = await revenue_board(client, org, day)
    rates = await graphql(client, RATE_BOARD, org.token(org.rep), **asked)
    any_sample = await graphql(client, RATE_BOARD, org.token(org.rep), **asked, sample=1)

    assert revenue["data"]["leaderboard"]["entries"] == [
        {"name": "Max", "rank": 1, "value": "700.00"},
        {"name": "Sam", "rank": 2, "value": "200.00"},
        {"name": "Rita Rep", "rank": 3, "value": "100.00"},
    ]
    assert rates["data"]["leaderboard"] == {
        "minimumSample": 5,
        "entries": [
            {"name": "Sam", "rank": 1, "value": "66.67", "sampleSize": 6},
            {"name": "Rita Rep", "rank": None, "value": "100.00", "sampleSize": 1},
            {"name": "Max", "rank": None, "value": "100.00", "sampleSize": 2},
        ],
    }
    assert [(e["name"], e["rank"]) for e in any_sample["data"]["leaderboard"]["entries"]] == [
        ("Rita Rep", 1),
        ("Max", 1),
        ("Sam", 3),
    ]


POLICY = """mutation($input: GoalPolicyInput!) { setGoalPolicy(input: $input) {
  __typename
  ... on Organisation { stretchLimit stretchHardLimit leaderboardMinimumSample }
  ... on InputErrors { errors { field code } } } }"""


async def test_an_organisation_sets_the_limit_no_acknowledgement_covers(
    client: httpx.AsyncClient, org: Org
) -> None:
    """Last month 1,000; a target of 3,000 is 200% above it: acknowledged, it is within the
    default hard limit (400%); with the limit set to 150% it is refused as not achievable."""
    day = today()
    await won_in(org, "last", 1000, month_start(day, 1) + timedelta(days=3))
    this_month = {"kind": "MONTH", "containing": day.isoformat()}
    ask = {"target": "3000", "period": this_month, "acknowledgeStretch": True}

    within = await create(client, org, **ask)
    by_a_rep = await graphql(client, POLICY, org.token(org.rep), input={"stretchHardLimit": "150"})
    below_stretch = await graphql(client, POLICY, org.token(), input={"stretchHardLimit": "40"})
    set_ = await graphql(client, POLICY, org.token(), input={"stretchHardLimit": "150"})
    beyond = await create(client, org, **ask)

    assert (within["__typename"], within["achievability"]) == ("Goal", "200.00")
    assert by_a_rep["data"]["setGoalPolicy"]["__typename"] == "InputErrors"
    assert below_stretch["data"]["setGoalPolicy"]["errors"] == [
        {"field": "stretchHardLimit", "code": "OUT_OF_RANGE"}
    ]
    assert set_["data"]["setGoalPolicy"] == {
        "__typename": "Organisation",
        "stretchLimit": "50.00",
        "stretchHardLimit": "150.00",
        "leaderboardMinimumSample": 5,
    }
    assert [(v["criterion"], v["code"]) for v in beyond["violations"]] == [
        ("ACHIEVABLE", "BEYOND_REACH")
    ]
