"""The three screens a single-page app needs — rep home, manager dashboard, sales-ops admin —
each built with the queries a client sends (the README shows them), figures worked out by
hand. The organisation runs in Los Angeles; it is 2026-11-18 12:00 there (PST: clocks went
back at 02:00 on 1 November, so November has 721 hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest

from core.goals.models import Goal
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from core.sales import service as sales
from domain.metrics import Metric
from domain.records import AccountRecord, DealRecord, DealStage
from gamification import store as gamification_store
from gamification.models import Award, BadgeDefinition, EntryKind, PayoutEntry, PayoutStatus
from tests.conftest import Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import in_los_angeles

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Elapsed: 1 Nov 00:00 PDT (07:00Z) to 18 Nov 12:00 PST (20:00Z) = 421 h of 721 h.
EXPECTED = two(Decimal(421) / Decimal(721) * 100)


@dataclass
class World:
    org: Org
    manager: User
    sam: User
    enterprise: Team
    team_goal: Goal
    rita_goal: Goal
    sam_goal: Goal
    october_goal: Goal


def deal(
    ref: str, owner: str, amount: int, closed: datetime, account: str | None = None
) -> DealRecord:
    return DealRecord(
        ref,
        owner,
        Decimal(amount),
        DealStage.WON,
        created_at=closed - timedelta(days=3),
        closed_at=closed,
        account_external_id=account,
    )


@pytest.fixture
async def world(org: Org) -> World:
    oid = org.organisation.id
    manager = await orgs.create_user(
        oid, email="mia@acme.test", name="Mia Manager", role=Role.MANAGER, team_id=org.team.id
    )
    assert isinstance(manager, User)
    org.team.manager_id = manager.id
    await org.team.save(update_fields=["manager_id"])
    enterprise = await orgs.create_team(oid, "West Enterprise", org.team.id)
    assert isinstance(enterprise, Team)
    sam = await orgs.create_user(
        oid, email="sam@acme.test", name="Sam Seller", role=Role.REP, team_id=enterprise.id
    )
    assert isinstance(sam, User)
    await sales.ingest_accounts(
        org.organisation,
        [AccountRecord("A1", "Alpha"), AccountRecord("A2", "Beta"), AccountRecord("A3", "Gamma")],
    )
    result = await sales.ingest_deals(
        org.organisation,
        [
            deal("r-oct", "rita@acme.test", 1000, in_los_angeles(2026, 10, 20, 10, 0), "A1"),
            # 23:30 on 31 October in Los Angeles: already 1 November in UTC, still October.
            deal("r-edge", "rita@acme.test", 700, in_los_angeles(2026, 10, 31, 23, 30), "A2"),
            deal("r-1", "rita@acme.test", 3000, in_los_angeles(2026, 11, 5, 9, 0), "A1"),
            # 23:30 on 17 November: 18 November in UTC.
            deal("r-2", "rita@acme.test", 2000, in_los_angeles(2026, 11, 17, 23, 30), "A3"),
            deal("s-1", "sam@acme.test", 1500, in_los_angeles(2026, 11, 12, 15, 0)),
            # The manager sells too.
            deal("m-1", "mia@acme.test", 500, in_los_angeles(2026, 11, 3, 11, 0)),
        ],
    )
    assert not result.rejected
    start, end = NOVEMBER
    team_goal = await make_goal(
        oid, metric=Metric.REVENUE, target=10000, start=start, end=end, team_id=org.team.id
    )
    rita_goal = await make_goal(
        oid,
        metric=Metric.REVENUE,
        target=10000,
        start=start,
        end=end,
        rep_id=org.rep.id,
        parent_id=team_goal.id,
        period_kind="MONTH",
    )
    sam_goal = await make_goal(
        oid,
        metric=Metric.REVENUE,
        target=2000,
        start=start,
        end=end,
        rep_id=sam.id,
        parent_id=team_goal.id,
        period_kind="MONTH",
    )
    october_goal = await make_goal(
        oid,
        metric=Metric.REVENUE,
        target=1500,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        rep_id=org.rep.id,
        period_kind="MONTH",
    )
    badge = await BadgeDefinition.get(organisation_id=oid, code="TARGET_HIT")
    await Award.create(
        organisation_id=oid,
        badge_id=badge.id,
        rep_id=org.rep.id,
        goal_id=october_goal.id,
        period_key=f"goal:{october_goal.id}",
        awarded_at=in_los_angeles(2026, 11, 1, 0, 10),
        explanation={},
    )
    return World(org, manager, sam, enterprise, team_goal, rita_goal, sam_goal, october_goal)


REP_HOME = """query($today: Date!) {
  me { name team { name }
    goals(containing: $today) { edges { node { metric target periodLabel
      progress { currentValue attainment expectedAttainment pace status metric } } } } }
  myAchievements { points level }
  awards(first: 5) { edges { node { badge { code } period { label start end } goal { id } } } }
  leaderboard(metric: REVENUE, periodStart: "2026-11-01", periodEnd: "2026-11-30",
    rankedBy: ATTAINMENT) { me { rank value } }
  series: metricSeries(metric: REVENUE, grain: MONTH, from: "2026-10-01", to: "2026-11-30",
    ownerType: REP, ownerId: $me, compareTo: PREVIOUS_PERIOD) {
    points { label value compareValue change changePercent } }
}"""


async def test_rep_home(client: httpx.AsyncClient, world: World) -> None:
    rita = world.org.rep
    query = REP_HOME.replace("query($today: Date!)", "query($today: Date!, $me: ID!)")
    body = await graphql(client, query, world.org.token(rita), today="2026-11-18", me=str(rita.id))
    assert "errors" not in body, body
    data = body["data"]
    assert data["me"]["team"]["name"] == "West"
    goals = [edge["node"] for edge in data["me"]["goals"]["edges"]]
    # The October goal does not contain today; November's does.
    assert [(g["target"], g["periodLabel"]) for g in goals] == [("10000.00", "2026-11")]
    progress = goals[0]["progress"]
    # 3,000 + 2,000 (23:30 on the 17th counts on the 17th); the 700 of 31 October does not.
    assert progress["currentValue"] == "5000.00"
    assert progress["attainment"] == "50.00"
    assert Decimal(progress["expectedAttainment"]) == EXPECTED == Decimal("58.39")
    assert Decimal(progress["pace"]) == two(Decimal("50.00") / EXPECTED) == Decimal("0.86")
    # 50 / 58.39… = 0.856 of pace: below 1.00 (ON_TRACK), at or above 0.85 (AT_RISK).
    assert progress["status"] == "AT_RISK"
    assert progress["metric"] == "REVENUE"
    award = data["awards"]["edges"][0]["node"]
    assert award["badge"]["code"] == "TARGET_HIT"
    assert award["period"] == {"label": "2026-10", "start": "2026-10-01", "end": "2026-10-31"}
    assert award["goal"]["id"] == str(world.october_goal.id)
    # Percent of own target: Sam 1,500 / 2,000 = 75.00 first, Rita 50.00 second.
    assert data["leaderboard"]["me"] == {"rank": 2, "value": "50.00"}
    points = data["series"]["points"]
    # October: 1,000 + 700 = 1,700 (September: nothing); November: 5,000.
    assert points[0] == {
        "label": "2026-10",
        "value": "1700.00",
        "compareValue": "0.00",
        "change": "1700.00",
        "changePercent": None,
    }
    assert points[1]["value"] == "5000.00"
    assert points[1]["change"] == "3300.00"
    assert Decimal(points[1]["changePercent"]) == two(Decimal(3300) / Decimal(1700) * 100)


MANAGER_DASHBOARD = """query($today: Date!) {
  me { name managedTeams { id name children { name }
    reps(first: 50) { edges { node { name
      goals(containing: $today) { edges { node { target
        progress { attainment pace status } } } } } } } } }
  goals(ownerType: TEAM, containing: $today) { edges { node { target allocated allocationGap
    overAllocated children { owner { ... on User { name } } } } } }
  leaderboard(metric: REVENUE, periodStart: "2026-11-01", periodEnd: "2026-11-30") {
    entries { name rank value } me { rank value } }
  teamLeaderboard(metric: REVENUE, periodStart: "2026-11-01", periodEnd: "2026-11-30") {
    entries { name rank value } }
  awards(first: 10) { edges { node { rep { name } badge { code } } } }
}"""

DRILL_DOWN = """query($team: ID!) {
  deals(teamId: $team, from: "2026-11-01", to: "2026-11-30", stage: WON) {
    edges { node { externalId amount owner { name } } } } }"""


async def test_manager_dashboard(client: httpx.AsyncClient, world: World) -> None:
    token = world.org.token(world.manager)
    body = await graphql(client, MANAGER_DASHBOARD, token, today="2026-11-18")
    assert "errors" not in body, body
    data = body["data"]
    (west,) = data["me"]["managedTeams"]
    assert west["name"] == "West"
    assert west["children"] == [{"name": "West Enterprise"}]
    reps = {
        edge["node"]["name"]: [g["node"] for g in edge["node"]["goals"]["edges"]]
        for edge in west["reps"]["edges"]
    }
    # Reps of the team and the team below it; the manager is not a rep.
    assert set(reps) == {"Rita Rep", "Sam Seller"}
    assert reps["Sam Seller"][0]["progress"]["attainment"] == "75.00"
    assert Decimal(reps["Sam Seller"][0]["progress"]["pace"]) == two(Decimal("75.00") / EXPECTED)
    (team_goal,) = [edge["node"] for edge in data["goals"]["edges"]]
    # Children: 10,000 + 2,000 = 12,000 against 10,000: over-allocated by 2,000.
    assert team_goal["allocated"] == "12000.00"
    assert team_goal["allocationGap"] == "-2000.00"
    assert team_goal["overAllocated"] is True
    # Everyone of West with figures: Rita 5,000, Sam 1,500, and Mia who also sells, 500.
    assert data["leaderboard"]["entries"] == [
        {"name": "Rita Rep", "rank": 1, "value": "5000.00"},
        {"name": "Sam Seller", "rank": 2, "value": "1500.00"},
        {"name": "Mia Manager", "rank": 3, "value": "500.00"},
    ]
    assert data["leaderboard"]["me"] == {"rank": 3, "value": "500.00"}
    # The top teams: West holds everyone (its sub-team included): 7,000.
    assert data["teamLeaderboard"]["entries"] == [{"name": "West", "rank": 1, "value": "7000.00"}]
    assert [e["node"]["rep"]["name"] for e in data["awards"]["edges"]] == ["Rita Rep"]
    # From the team's figure to the deals behind it: the same 7,000.
    drill = await graphql(client, DRILL_DOWN, token, team=str(world.org.team.id))
    deals = [edge["node"] for edge in drill["data"]["deals"]["edges"]]
    assert sorted(d["externalId"] for d in deals) == ["m-1", "r-1", "r-2", "s-1"]
    assert sum(Decimal(d["amount"]) for d in deals) == Decimal(7000)


async def test_a_rep_sees_only_their_own_drill_down(
    client: httpx.AsyncClient, world: World
) -> None:
    body = await graphql(
        client, DRILL_DOWN, world.org.token(world.org.rep), team=str(world.org.team.id)
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    mine = await graphql(
        client,
        '{ deals(from: "2026-10-31", to: "2026-10-31") { edges { node { externalId } } } }',
        world.org.token(world.org.rep),
    )
    # 23:30 on 31 October in Los Angeles is the 31st there, whatever UTC says.
    assert [e["node"]["externalId"] for e in mine["data"]["deals"]["edges"]] == ["r-edge"]


ADMIN_SCREEN = """{
  organisation { name timezone fiscalYearStartMonth workingDays }
  teams { name parent { name } children { name } manager { name } }
  people(active: true) { edges { node { name role team { name } } } }
  contests { name retiredAt standings { name rank value } prizes { rank badge { code } } }
  bonusPlans { code metric }
  badgeRules { code kind metric }
  holidays(year: 2026) { day name }
  payouts(status: FINAL) { edges { node { id amount status rep { name } } } }
}"""


async def test_admin_screen_and_edits_with_history(client: httpx.AsyncClient, world: World) -> None:
    oid = world.org.organisation.id
    token = world.org.token()
    contest = await gamification_store.create_contest(
        oid,
        name="November sprint",
        metric=Metric.REVENUE,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        team_id=None,
        between_teams=False,
        prizes=[{"rank": 1, "badge": "SPRINT_GOLD", "points": 50, "bonus": "0"}],
    )
    await gamification_store.prize_badge(oid, "SPRINT_GOLD", 50, Decimal(1))
    final, provisional = [
        await PayoutEntry.create(
            organisation_id=oid,
            rep_id=world.org.rep.id,
            kind=EntryKind.ACCRUAL,
            status=status,
            amount=Decimal(amount),
            explanation={},
            created_at=in_los_angeles(2026, 11, 2, 9, 0),
        )
        for status, amount in ((PayoutStatus.FINAL, "250.00"), (PayoutStatus.PROVISIONAL, "80"))
    ]
    body = await graphql(client, ADMIN_SCREEN, token)
    assert "errors" not in body, body
    data = body["data"]
    assert data["organisation"]["timezone"] == "America/Los_Angeles"
    assert data["organisation"]["workingDays"] == [1, 2, 3, 4, 5]
    assert data["teams"] == [
        {
            "name": "West",
            "parent": None,
            "children": [{"name": "West Enterprise"}],
            "manager": {"name": "Mia Manager"},
        },
        {"name": "West Enterprise", "parent": {"name": "West"}, "children": [], "manager": None},
    ]
    people = {e["node"]["name"]: e["node"]["role"] for e in data["people"]["edges"]}
    assert people == {
        "Ada Admin": "ADMIN",
        "Rita Rep": "REP",
        "Mia Manager": "MANAGER",
        "Sam Seller": "REP",
    }
    (shown_contest,) = data["contests"]
    assert shown_contest["standings"][:3] == [
        {"name": "Rita Rep", "rank": 1, "value": "5000.00"},
        {"name": "Sam Seller", "rank": 2, "value": "1500.00"},
        {"name": "Mia Manager", "rank": 3, "value": "500.00"},
    ]
    assert shown_contest["prizes"] == [{"rank": 1, "badge": {"code": "SPRINT_GOLD"}}]
    assert [e["node"]["amount"] for e in data["payouts"]["edges"]] == ["250.00"]

    # Payouts: one moved; a provisional one, an unknown id and a repeat each said why.
    moved = await graphql(
        client,
        """mutation($ids: [ID!]!) { approvePayouts(ids: $ids) {
          moved { id status } skipped { id reason } } }""",
        token,
        ids=[str(final.id), str(provisional.id), "999999", str(final.id)],
    )
    result = moved["data"]["approvePayouts"]
    assert result["moved"] == [{"id": str(final.id), "status": "APPROVED"}]
    assert {s["id"]: s["reason"] for s in result["skipped"]} == {
        str(final.id): "asked for twice; moved once.",
        str(provisional.id): "still PROVISIONAL: its period has not closed.",
        "999999": "no such payout entry here.",
    }

    # A target changed with its reason; the trail keeps before and after.
    changed = await graphql(
        client,
        """mutation($goal: ID!) { changeGoalTarget(goalId: $goal, target: "8000",
          reason: "Territory split") { ... on Goal { target progress { attainment } } } }""",
        token,
        goal=str(world.rita_goal.id),
    )
    assert changed["data"]["changeGoalTarget"] == {
        "target": "8000.00",
        "progress": {"attainment": "62.50"},  # 5,000 / 8,000
    }
    refused = await graphql(
        client,
        """mutation($team: ID!) { editTeam(teamId: $team, name: " west ") {
          ... on InputErrors { errors { field code } } } }""",
        token,
        team=str(world.enterprise.id),
    )
    assert refused["data"]["editTeam"]["errors"] == [{"field": "name", "code": "CONFLICT"}]
    # Sam moves up to West; West Enterprise, empty now, is archived.
    await graphql(
        client,
        """mutation($sam: ID!, $team: ID!) { movePerson(userId: $sam, teamId: $team,
          reason: "Reorg") { ... on User { team { name } } } }""",
        token,
        sam=str(world.sam.id),
        team=str(world.org.team.id),
    )
    archived = await graphql(
        client,
        """mutation($team: ID!) { archiveTeam(teamId: $team) { ... on Team { archivedAt } } }""",
        token,
        team=str(world.enterprise.id),
    )
    assert archived["data"]["archiveTeam"]["archivedAt"] is not None
    teams = await graphql(client, "{ teams { name } }", token)
    assert teams["data"]["teams"] == [{"name": "West"}]
    # A contest that already ended cannot be retired.
    contest.ends_on = date(2026, 11, 10)
    await contest.save(update_fields=["ends_on"])
    retired = await graphql(
        client,
        """mutation($id: ID!) { retireContest(contestId: $id) {
          ... on InputErrors { errors { field code message } } } }""",
        token,
        id=str(contest.id),
    )
    assert retired["data"]["retireContest"]["errors"] == [
        {
            "field": "contestId",
            "code": "CONFLICT",
            "message": "This contest ended on 2026-11-10: its standings are final.",
        }
    ]
    trail = await graphql(
        client,
        """{ auditTrail { edges { node { action objectType before after reason
          actor { name } } } } }""",
        token,
    )
    entries = [edge["node"] for edge in trail["data"]["auditTrail"]["edges"]]
    assert [(e["action"], e["before"], e["after"], e["reason"]) for e in entries] == [
        ("TEAM_ARCHIVED", {"archivedAt": None}, entries[0]["after"], None),
        ("PERSON_MOVED", {"teamId": world.enterprise.id}, {"teamId": world.org.team.id}, "Reorg"),
        (
            "GOAL_TARGET_CHANGED",
            {"target": "10000.00", "targetKind": "ABSOLUTE"},
            {"target": "8000.00", "targetKind": "ABSOLUTE"},
            "Territory split",
        ),
    ]
    assert {e["actor"]["name"] for e in entries} == {"Ada Admin"}
    # Nobody but an admin reads the trail.
    denied = await graphql(
        client, "{ auditTrail { edges { node { action } } } }", world.org.token(world.manager)
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
