"""Trends without a goal, on the screens' organisation (tests/api/test_screens.py): series by
week and quarter, movers, new-customer cohorts and the points leaderboard, by hand."""

from __future__ import annotations

from decimal import Decimal

import httpx

from gamification.models import Award, BadgeDefinition, PointsEntry, PointsEvent, PointsRule
from tests.api.test_screens import World, two, world  # noqa: F401
from tests.support.graphql import graphql
from tests.support.instants import in_los_angeles

MOVERS = """query($from: Date!, $to: Date!, $limit: Int!) {
  movers(metric: REVENUE, from: $from, to: $to, limit: $limit) { compareStart compareEnd
    best { rep { name } value before change changePercent }
    worst { rep { name } change } } }"""


async def test_movers_rise_and_fall(client: httpx.AsyncClient, world: World) -> None:  # noqa: F811
    token = world.org.token(world.manager)
    up = await graphql(client, MOVERS, token, **{"from": "2026-11-01", "to": "2026-11-15"}, limit=5)
    data = up["data"]["movers"]
    # 15 days against the 15 before: 17–31 October.
    assert (data["compareStart"], data["compareEnd"]) == ("2026-10-17", "2026-10-31")
    assert data["best"] == [
        {
            "rep": {"name": "Sam Seller"},
            "value": "1500.00",
            "before": "0.00",
            "change": "1500.00",
            "changePercent": None,
        },
        # 3,000 against 1,000 + 700 (23:30 on 31 October counts in October).
        {
            "rep": {"name": "Rita Rep"},
            "value": "3000.00",
            "before": "1700.00",
            "change": "1300.00",
            "changePercent": str(two(Decimal(1300) / Decimal(1700) * 100)),
        },
        {
            "rep": {"name": "Mia Manager"},
            "value": "500.00",
            "before": "0.00",
            "change": "500.00",
            "changePercent": None,
        },
    ]
    assert data["worst"] == []
    down = await graphql(
        client, MOVERS, token, **{"from": "2026-11-16", "to": "2026-11-30"}, limit=2
    )
    assert down["data"]["movers"]["worst"] == [
        {"rep": {"name": "Sam Seller"}, "change": "-1500.00"},
        {"rep": {"name": "Rita Rep"}, "change": "-1000.00"},
    ]
    # A rep sees only themselves move.
    mine = await graphql(
        client,
        MOVERS,
        world.org.token(world.org.rep),
        **{"from": "2026-11-01", "to": "2026-11-15"},
        limit=5,
    )
    assert [m["rep"]["name"] for m in mine["data"]["movers"]["best"]] == ["Rita Rep"]


async def test_customer_cohorts(client: httpx.AsyncClient, world: World) -> None:  # noqa: F811
    body = await graphql(
        client,
        """{ customerCohorts(from: "2026-10-01", to: "2026-11-30", through: "2026-11-18") {
          label size returning returningPercent } }""",
        world.org.token(),
    )
    # October: A1 (20 Oct) and A2 (23:30 on 31 October, Los Angeles); A1 bought again on
    # 5 November. November: A3 (17 November), with no month after it yet.
    assert body["data"]["customerCohorts"] == [
        {"label": "2026-10", "size": 2, "returning": [1], "returningPercent": ["50.00"]},
        {"label": "2026-11", "size": 1, "returning": [], "returningPercent": []},
    ]


async def test_series_by_week_and_by_quarter(
    client: httpx.AsyncClient,
    world: World,  # noqa: F811
) -> None:
    body = await graphql(
        client,
        """query($team: ID!) { weeks: metricSeries(metric: REVENUE, grain: WEEK,
          from: "2026-11-01", to: "2026-11-18", ownerType: TEAM, ownerId: $team) {
            points { start end label value } }
          quarter: metricSeries(metric: DEALS_WON, grain: QUARTER, from: "2026-10-01",
          to: "2026-12-31", compareTo: SAME_PERIOD_LAST_YEAR) {
            points { label value count compareStart compareValue } } }""",
        world.org.token(world.manager),
        team=str(world.org.team.id),
    )
    assert "errors" not in body, body
    # ISO weeks: Sunday 1 Nov is the end of W44 (clipped to one day).
    assert body["data"]["weeks"]["points"] == [
        {"start": "2026-11-01", "end": "2026-11-01", "label": "2026-W44", "value": "0.00"},
        # Mia 500 (3rd), Rita 3,000 (5th).
        {"start": "2026-11-02", "end": "2026-11-08", "label": "2026-W45", "value": "3500.00"},
        # Sam 1,500 (12th).
        {"start": "2026-11-09", "end": "2026-11-15", "label": "2026-W46", "value": "1500.00"},
        # Rita 2,000 at 23:30 on the 17th.
        {"start": "2026-11-16", "end": "2026-11-18", "label": "2026-W47", "value": "2000.00"},
    ]
    # Fiscal year from January: October–December is Q4 of FY2026; six deals won in it.
    assert body["data"]["quarter"]["points"] == [
        {
            "label": "FY2026 Q4",
            "value": "6.00",
            "count": 6,
            "compareStart": "2025-10-01",
            "compareValue": "0.00",
        }
    ]


async def test_points_leaderboard(client: httpx.AsyncClient, world: World) -> None:  # noqa: F811
    oid = world.org.organisation.id
    rule = await PointsRule.create(
        organisation_id=oid, code="WON", event=PointsEvent.DEAL_WON, points=30
    )
    await PointsEntry.create(
        organisation_id=oid,
        rule_id=rule.id,
        rep_id=world.sam.id,
        source_key="deal:s-1",
        record_key="s-1",
        points=30,
        created_at=in_los_angeles(2026, 11, 12, 15, 5),
    )
    # A withdrawn badge earns nothing.
    badge = await BadgeDefinition.get(organisation_id=oid, code="FIRST_WIN")
    await Award.create(
        organisation_id=oid,
        badge_id=badge.id,
        rep_id=world.sam.id,
        goal_id=None,
        period_key="first-win",
        awarded_at=in_los_angeles(2026, 11, 12, 15, 5),
        explanation={},
        revoked_at=in_los_angeles(2026, 11, 13, 9, 0),
        revocation={},
    )
    body = await graphql(
        client,
        """{ pointsLeaderboard(periodStart: "2026-11-01", periodEnd: "2026-11-30") {
          entries { name rank value count } me { rank value } } }""",
        world.org.token(world.sam),
    )
    # Rita's TARGET_HIT (100 points) at 00:10 on 1 November; Sam's 30 for a won deal.
    assert body["data"]["pointsLeaderboard"] == {
        "entries": [
            {"name": "Rita Rep", "rank": 1, "value": "100.00", "count": 100},
            {"name": "Sam Seller", "rank": 2, "value": "30.00", "count": 30},
        ],
        "me": {"rank": 2, "value": "30.00"},
    }
