"""Awards reach a subscriber the moment they are made, through Redis from a real worker to
a real uvicorn; another team's rep may not follow them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
import websockets

from core.auth.tokens import mint_token
from core.events import RedisBus, figures_channel
from core.messages import Event
from core.orgs import service as orgs
from core.orgs.models import Role, Team, User
from domain.metrics import Metric
from tests.conftest import JWT_SECRET, Org
from tests.support.factories import make_goal
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES, earlier_today, local_date
from tests.support.servers import api_server, running
from tests.support.waiting import listening
from tests.support.ws import PROTOCOL, subscribe

FOLLOW = """subscription($rep: ID, $team: ID) { awards(repId: $rep, teamId: $team) {
  badgeCode badgeVersion repName goalId } }"""
INGEST = """mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) { __typename } }"""


@pytest.mark.dated
async def test_a_rep_sees_their_awards_live(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    goal = await make_goal(
        org.organisation.id,
        rep_id=org.rep.id,
        metric=Metric.REVENUE,
        target=1000,
        start=today - timedelta(days=5),
        end=today + timedelta(days=5),
    )
    closed = earlier_today(now, LOS_ANGELES)
    deal = {
        "externalId": "live-1",
        "ownerEmail": "rita@acme.test",
        "amount": "1500",
        "stage": "WON",
        "createdAt": (closed - timedelta(hours=2)).isoformat(),
        "closedAt": closed.isoformat(),
    }
    with running(production_env, "worker"), api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with subscribe(url, FOLLOW, {"rep": str(org.rep.id)}, org.token(org.rep)) as live:
            await listening(base_url, 1)
            async with httpx.AsyncClient(base_url=base_url) as http:
                await graphql(http, INGEST, org.token(), deals=[deal])
            events = [(await live.next())["data"]["awards"] for _ in range(2)]

    assert sorted(events, key=lambda e: e["badgeCode"]) == [
        {"badgeCode": "FIRST_WIN", "badgeVersion": 1, "repName": "Rita Rep", "goalId": None},
        {
            "badgeCode": "TARGET_HIT",
            "badgeVersion": 1,
            "repName": "Rita Rep",
            "goalId": str(goal.id),
        },
    ]


async def test_a_rep_may_not_follow_another_teams_awards(
    production_env: dict[str, str], org: Org
) -> None:
    east = await orgs.create_team(org.organisation.id, "East", None)
    assert isinstance(east, Team)
    other = await orgs.create_user(
        org.organisation.id, email="eve@acme.test", name="Eve", role=Role.REP, team_id=east.id
    )
    assert isinstance(other, User)
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
            await socket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"authorization": f"Bearer {org.token(other)}"},
                    }
                )
            )
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await socket.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": FOLLOW, "variables": {"team": str(org.team.id)}},
                    }
                )
            )
            message = json.loads(await socket.recv())

    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]


PROGRESS = """subscription($team: ID) { goalProgress(teamId: $team) { goalId currentValue } }"""


async def test_followers_of_a_team_see_only_what_they_may(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    east = await orgs.create_team(org.organisation.id, "East", None)
    assert isinstance(east, Team)
    eve = await orgs.create_user(
        org.organisation.id, email="eve@acme.test", name="Eve", role=Role.REP, team_id=east.id
    )
    assert isinstance(eve, User)
    today = local_date(now, LOS_ANGELES)
    goals = {
        rep.email: await make_goal(
            org.organisation.id,
            rep_id=rep.id,
            metric=Metric.REVENUE,
            target=1000,
            start=today - timedelta(days=5),
            end=today + timedelta(days=5),
        )
        for rep in (org.rep, eve)
    }
    closed = earlier_today(now, LOS_ANGELES)

    def deal(key: str, email: str) -> dict[str, str]:
        return {
            "externalId": key,
            "ownerEmail": email,
            "amount": "300",
            "stage": "WON",
            "createdAt": (closed - timedelta(hours=2)).isoformat(),
            "closedAt": closed.isoformat(),
        }

    with running(production_env, "worker"), api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with (
            subscribe(url, PROGRESS, {"team": str(org.team.id)}, org.token(org.rep)) as west,
            subscribe(url, PROGRESS, {"team": str(east.id)}, org.token(eve)) as east_live,
        ):
            await listening(base_url, 2)
            async with httpx.AsyncClient(base_url=base_url) as http:
                await graphql(http, INGEST, org.token(), deals=[deal("w-1", "rita@acme.test")])
                seen_west = (await west.next())["data"]["goalProgress"]
                await graphql(http, INGEST, org.token(), deals=[deal("e-1", "eve@acme.test")])
                seen_east = (await east_live.next())["data"]["goalProgress"]

    # Each sees its own team's change, and Eve's first event is her own goal, not Rita's.
    assert seen_west == {"goalId": str(goals["rita@acme.test"].id), "currentValue": "300.00"}
    assert seen_east == {"goalId": str(goals["eve@acme.test"].id), "currentValue": "300.00"}


BOARD = """subscription($start: Date!, $end: Date!, $team: ID) {
  leaderboard(metric: REVENUE, periodStart: $start, periodEnd: $end, teamId: $team) {
    entries { name rank value } } }"""


@pytest.mark.dated
async def test_a_leaderboard_is_sent_again_only_when_a_rank_changes(
    production_env: dict[str, str], org: Org, now: datetime
) -> None:
    sam = await orgs.create_user(
        org.organisation.id, email="sam@acme.test", name="Sam", role=Role.REP, team_id=org.team.id
    )
    assert isinstance(sam, User)
    # Today's board in Los Angeles, with deals closed earlier today there.
    today = local_date(now, LOS_ANGELES).isoformat()
    closed = earlier_today(now, LOS_ANGELES)

    def deal(key: str, email: str, amount: int) -> dict[str, str]:
        return {
            "externalId": key,
            "ownerEmail": email,
            "amount": str(amount),
            "stage": "WON",
            "createdAt": (closed - timedelta(hours=2)).isoformat(),
            "closedAt": closed.isoformat(),
        }

    variables = {"start": today, "end": today, "team": str(org.team.id)}
    # The workers announce each re-measurement: the sign that a change has been handled.
    measured = RedisBus(production_env["REDIS_URL"], production_env["EVENTS_PREFIX"])

    async def remeasured(figures: AsyncIterator[Event], rep: User) -> None:
        async with asyncio.timeout(30):
            while rep.id not in getattr(await anext(figures), "rep_ids", ()):
                pass

    with running(production_env, "worker"), api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with (
            measured.subscribe(figures_channel(org.organisation.id)) as figures,
            subscribe(url, BOARD, variables, org.token(org.rep)) as board,
            httpx.AsyncClient(base_url=base_url) as http,
        ):
            first = (await board.next())["data"]["leaderboard"]["entries"]
            await graphql(http, INGEST, org.token(), deals=[deal("s", "sam@acme.test", 500)])
            second = (await board.next())["data"]["leaderboard"]["entries"]
            # Rita to 100: Sam still first, Rita still second: nothing is sent for it...
            await graphql(http, INGEST, org.token(), deals=[deal("r", "rita@acme.test", 100)])
            await remeasured(figures, org.rep)
            # ...so the next board is the one where Rita passes Sam.
            await graphql(http, INGEST, org.token(), deals=[deal("r", "rita@acme.test", 900)])
            third = (await board.next())["data"]["leaderboard"]["entries"]
    await measured.close()

    assert first == [
        {"name": "Rita Rep", "rank": 1, "value": "0.00"},
        {"name": "Sam", "rank": 1, "value": "0.00"},
    ]
    assert second == [
        {"name": "Sam", "rank": 1, "value": "500.00"},
        {"name": "Rita Rep", "rank": 2, "value": "0.00"},
    ]
    assert third == [
        {"name": "Rita Rep", "rank": 1, "value": "900.00"},
        {"name": "Sam", "rank": 2, "value": "500.00"},
    ]


async def test_an_expired_token_closes_the_subscription(
    production_env: dict[str, str], org: Org
) -> None:
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        short = mint_token(org.rep, JWT_SECRET, ttl=timedelta(seconds=2))
        async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
            await socket.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"authorization": f"Bearer {short}"}}
                )
            )
            assert json.loads(await socket.recv())["type"] == "connection_ack"
            await socket.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": FOLLOW, "variables": {"rep": str(org.rep.id)}},
                    }
                )
            )
            async with asyncio.timeout(10):
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await socket.recv()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401
