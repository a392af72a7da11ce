"""The walking skeleton's story, run against a real server in either running mode.

An admin builds a team, a rep and a REVENUE goal of 10,000 over a period around today in
Los Angeles time; a manager's websocket follows the goal; a CRM batch of deals arrives
(with two bad records); the rep passes the target and earns exactly one badge, also when
the same batch arrives again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.support.graphql import graphql
from tests.support.ws import subscribe

TIMEZONE = "America/Los_Angeles"

CREATE_TEAM = """
mutation($name: String!) { createTeam(input: {name: $name}) {
  __typename ... on Team { id name } ... on InputErrors { errors { field code } } } }
"""
CREATE_REP = """
mutation($team: ID!) {
  createRep(input: {name: "Rita Rep", email: "rita@example.test", teamId: $team}) {
  __typename ... on User { id } ... on InputErrors { errors { field code } } } }
"""
CREATE_GOAL = """
mutation($owner: ID!, $start: Date!, $end: Date!) {
  createGoal(input: {metric: REVENUE, ownerId: $owner, target: "10000", periodStart: $start,
                     periodEnd: $end, rationale: "Quarterly quota"}) {
    __typename ... on Goal { id } ... on SmartViolations { violations { code field } } } }
"""
INGEST = """
mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) {
  ... on IngestPayload { accepted rejected { index externalId errors { field code } } }
  ... on InputErrors { errors { field code } } } }
"""
GOAL = """
query($id: ID!) { goal(id: $id) {
  progress { currentValue attainment status }
  awards { badge { code version } explanation rep { email } } } }
"""
FOLLOW = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue attainment status } }"


def deal_batch(now: datetime, first_amount: str = "4000") -> list[dict[str, Any]]:
    """Five good deals (two WON in the period, one LOST, one OPEN, one WON before the period)
    and two bad ones: a negative amount (index 5) and an unknown owner (index 6)."""
    rep, hour, day = "rita@example.test", timedelta(hours=1), timedelta(days=1)

    def deal(
        external_id: str, amount: str, stage: str, closed: timedelta | None, owner: str = rep
    ) -> dict[str, Any]:
        record = {
            "externalId": external_id,
            "ownerEmail": owner,
            "amount": amount,
            "stage": stage,
            "createdAt": (now - 40 * day).isoformat(),
        }
        if closed is not None:
            record["closedAt"] = (now + closed).isoformat()
        return record

    return [
        deal("d-1", first_amount, "WON", -3 * hour),
        deal("d-2", "7000", "WON", -2 * hour),
        deal("d-3", "5000", "LOST", -hour),
        deal("d-4", "3000", "OPEN", None),
        deal("d-5", "2500", "WON", -15 * day),
        deal("bad-1", "-10", "WON", -hour),
        deal("bad-2", "100", "WON", -hour, owner="nobody@example.test"),
    ]


EXPECTED_REJECTIONS = [
    {"index": 5, "externalId": "bad-1", "errors": [{"field": "amount", "code": "NEGATIVE"}]},
    {"index": 6, "externalId": "bad-2", "errors": [{"field": "ownerEmail", "code": "NOT_FOUND"}]},
]


async def revenue_goal_flow(base_url: str, now: datetime, admin_token: str) -> None:
    """The story at `now`, the instant the test (and the server's clock) is pinned at."""
    today = now.astimezone(ZoneInfo(TIMEZONE)).date()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        team = (await graphql(http, CREATE_TEAM, admin_token, name="West"))["data"]["createTeam"]
        rep = (await graphql(http, CREATE_REP, admin_token, team=team["id"]))["data"]["createRep"]
        assert rep["__typename"] == "User", rep
        goal = (
            await graphql(
                http,
                CREATE_GOAL,
                admin_token,
                owner=rep["id"],
                start=(today - timedelta(days=10)).isoformat(),
                end=(today + timedelta(days=19)).isoformat(),
            )
        )["data"]["createGoal"]
        assert goal["__typename"] == "Goal", goal

        ws_url = base_url.replace("http://", "ws://") + "/graphql"
        async with subscribe(ws_url, FOLLOW, {"id": goal["id"]}, admin_token) as follow:
            first = (await follow.next())["data"]["goalProgress"]
            assert first == {"currentValue": "0.00", "attainment": "0.00", "status": "OFF_TRACK"}

            ingested = (await graphql(http, INGEST, admin_token, deals=deal_batch(now)))["data"]
            assert ingested["ingestDeals"] == {"accepted": 5, "rejected": EXPECTED_REJECTIONS}

            # 4,000 + 7,000 won inside the period; the LOST, the OPEN and the deal won
            # 15 days ago (before the period began 10 days ago) do not count.
            moved = (await follow.next())["data"]["goalProgress"]
            assert moved == {
                "currentValue": "11000.00",
                "attainment": "110.00",
                "status": "ACHIEVED",
            }

            # The same batch again changes nothing; then d-1 grows by 500 so that a further
            # event proves the worker has run after the replay.
            again = (await graphql(http, INGEST, admin_token, deals=deal_batch(now)))["data"]
            assert again["ingestDeals"] == {"accepted": 5, "rejected": EXPECTED_REJECTIONS}
            await graphql(http, INGEST, admin_token, deals=deal_batch(now, first_amount="4500"))
            grown = (await follow.next())["data"]["goalProgress"]
            assert grown == {
                "currentValue": "11500.00",
                "attainment": "115.00",
                "status": "ACHIEVED",
            }

        state = (await graphql(http, GOAL, admin_token, id=goal["id"]))["data"]["goal"]
        assert state["progress"] == {
            "currentValue": "11500.00",
            "attainment": "115.00",
            "status": "ACHIEVED",
        }
        assert len(state["awards"]) == 1
        award = state["awards"][0]
        assert award["badge"] == {"code": "TARGET_HIT", "version": 1}
        assert award["rep"] == {"email": "rita@example.test"}
        # d-1 (4,000) then d-2 (7,000): the running total crosses 10,000 on d-2.
        assert award["explanation"]["deals"] == ["d-1", "d-2"]
        assert award["explanation"]["figures"]["attainment"] == "110.00"

        broken = await http.post(
            "/graphql",
            json={"query": "{ goal(id: "},
            headers={"Authorization": f"Bearer {admin_token}"},
        )
        body = broken.json()
        assert body["errors"][0]["message"].startswith("Syntax Error")
        assert "Traceback" not in broken.text
