"""Check-ins reach subscribers through Redis on a real uvicorn: a team's manager and the rep
see what happens to the rep's check-ins, another team's rep may not follow them, and a
private note never travels with an event."""

from __future__ import annotations

import asyncio
import json

import httpx
from redis.asyncio import Redis

from core.events import RedisBus, check_ins_channel
from core.messages import encode
from tests.conftest import JWT_SECRET
from tests.support.graphql import graphql
from tests.support.servers import api_server
from tests.support.tenants import Tenants
from tests.support.waiting import listened, listening, until
from tests.support.ws import subscribe

FOLLOW = """subscription($rep: ID, $team: ID) { checkIns(repId: $rep, teamId: $team) {
  kind repId repName checkInId side rating comment authorName acknowledgedById } }"""
RECORD = """mutation($rep: ID!, $note: String) { recordCheckIn(input: {repId: $rep,
  rating: BLOCKED, comment: "Legal is holding the Acme deal", privateNote: $note}) {
  ... on CheckIn { id } } }"""
ACKNOWLEDGE = """mutation($id: ID!) { acknowledgeCheckIn(checkInId: $id) { __typename } }"""


async def test_check_in_events_reach_those_who_may_see_them(
    production_env: dict[str, str], tenants: Tenants, redis: Redis
) -> None:
    def bearer(principal: str) -> str:
        return tenants.token(principal, JWT_SECRET)

    rep_a, rep_b = str(tenants.users["rep_a"].id), str(tenants.users["rep_b"].id)
    listener = RedisBus(production_env["REDIS_URL"], production_env["EVENTS_PREFIX"])
    organisation_id = tenants.team_a.organisation_id
    channel = f"{production_env['EVENTS_PREFIX']}:{check_ins_channel(organisation_id)}"
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with (
            subscribe(url, FOLLOW, {"team": str(tenants.team_a.id)}, bearer("manager_a")) as team,
            subscribe(url, FOLLOW, {"rep": rep_a}, bearer("rep_a")) as own,
            subscribe(url, FOLLOW, {"rep": rep_a}, bearer("rep_b")) as intruder,
            listener.subscribe(check_ins_channel(organisation_id)) as raw,
        ):
            refused = await intruder.next_error()
            await listening(base_url, 2)
            async with httpx.AsyncClient(base_url=base_url) as http:
                # Rep B's check-in goes first: no follower of team A hears of it.
                await graphql(http, RECORD, bearer("admin"), rep=rep_b)
                made = await graphql(
                    http, RECORD, bearer("manager_a"), rep=rep_a, note="Considering a PIP"
                )
                check_in = made["data"]["recordCheckIn"]["id"]
                acknowledged = await graphql(http, ACKNOWLEDGE, bearer("rep_a"), id=check_in)
                assert acknowledged["data"]["acknowledgeCheckIn"]["__typename"] == "CheckIn"
            seen_by_team = [(await team.next())["data"]["checkIns"] for _ in range(2)]
            seen_by_rep = [(await own.next())["data"]["checkIns"] for _ in range(2)]
            published = [await asyncio.wait_for(anext(raw), 10) for _ in range(3)]
        # The subscribers have left: the server lets go of the channel.
        await until(lambda: no_subscriber(redis, channel), f"no subscriber left on {channel}")
    await listener.close()

    assert [e["extensions"]["code"] for e in refused] == ["FORBIDDEN"]
    recorded = {
        "kind": "CHECK_IN_RECORDED",
        "repId": rep_a,
        "repName": "rep_a",
        "checkInId": check_in,
        "side": "MANAGER",
        "rating": "BLOCKED",
        "comment": "Legal is holding the Acme deal",
        "authorName": "manager_a",
        "acknowledgedById": None,
    }
    expected = [recorded, {**recorded, "kind": "CHECK_IN_ACKNOWLEDGED", "acknowledgedById": rep_a}]
    assert seen_by_team == expected
    assert seen_by_rep == expected
    assert "Considering a PIP" not in json.dumps([encode(event) for event in published])


async def no_subscriber(redis: Redis, channel: str) -> bool:
    return not await listened(redis, channel)
