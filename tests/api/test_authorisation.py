"""The authorisation matrix: each principal against each query, mutation and subscription,
allowed or forbidden exactly. Another organisation's rows are always forbidden."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import websockets

from core.orgs.models import Organisation
from core.sales import service as sales
from domain.records import DealRecord, DealStage, LeadRecord
from tests.conftest import JWT_SECRET
from tests.support.graphql import graphql
from tests.support.servers import api_server
from tests.support.tenants import PRINCIPALS, Tenants
from tests.support.ws import PROTOCOL

ALLOWED, FORBIDDEN = "allowed", "forbidden"


async def outcome_of_query(
    client: httpx.AsyncClient, tenants: Tenants, principal: str, query: str, **variables: Any
) -> str:
    body = await graphql(client, query, tenants.token(principal, JWT_SECRET), **variables)
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    if codes == {"FORBIDDEN"}:
        return FORBIDDEN
    assert not codes, body
    return ALLOWED


async def outcome_of_mutation(
    client: httpx.AsyncClient, tenants: Tenants, principal: str, query: str, **variables: Any
) -> str:
    body = await graphql(client, query, tenants.token(principal, JWT_SECRET), **variables)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    if result["__typename"] == "InputErrors":
        assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"], result
        return FORBIDDEN
    return ALLOWED


def expect(*allowed: str) -> dict[str, str]:
    return {p: ALLOWED if p in allowed else FORBIDDEN for p in PRINCIPALS}


GOAL = "query($id: ID!) { goal(id: $id) { id target } }"


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        ("rep_a", expect("admin", "manager_a", "rep_a")),
        ("rep_b", expect("admin", "rep_b")),
        ("team_a", expect("admin", "manager_a")),
        ("organisation", expect("admin", "manager_a")),
        ("other", expect("other_admin")),
    ],
)
async def test_reading_a_goal(
    client: httpx.AsyncClient, tenants: Tenants, goal: str, expected: dict[str, str]
) -> None:
    goal_id = str(tenants.goals[goal].id)
    found = {p: await outcome_of_query(client, tenants, p, GOAL, id=goal_id) for p in PRINCIPALS}
    assert found == expected


async def test_reading_a_team(client: httpx.AsyncClient, tenants: Tenants) -> None:
    query = "query($id: ID!) { team(id: $id) { name } }"
    found = {
        p: await outcome_of_query(client, tenants, p, query, id=str(tenants.team_a.id))
        for p in PRINCIPALS
    }
    assert found == expect("admin", "manager_a")


async def test_lists_show_only_what_each_may_see(
    client: httpx.AsyncClient, tenants: Tenants
) -> None:
    query = "{ reps { edges { node { email } } } goals { edges { node { id } } } }"
    seen = {}
    for principal in PRINCIPALS:
        body = await graphql(client, query, tenants.token(principal, JWT_SECRET))
        data = body["data"]
        seen[principal] = (
            sorted(e["node"]["email"] for e in data["reps"]["edges"]),
            sorted(int(e["node"]["id"]) for e in data["goals"]["edges"]),
        )
    g = {key: goal.id for key, goal in tenants.goals.items()}
    assert seen == {
        "admin": (
            ["rep_a@one.test", "rep_b@one.test"],
            sorted([g["rep_a"], g["rep_b"], g["team_a"], g["organisation"]]),
        ),
        "manager_a": (["rep_a@one.test"], sorted([g["rep_a"], g["team_a"], g["organisation"]])),
        "rep_a": (["rep_a@one.test"], [g["rep_a"]]),
        "rep_b": (["rep_b@one.test"], [g["rep_b"]]),
        "other_admin": (["rep@two.test"], [g["other"]]),
    }


async def test_deals_leads_and_awards_lists_follow_the_same_rule(
    client: httpx.AsyncClient, tenants: Tenants, now: datetime
) -> None:
    deals = [
        DealRecord(
            f"d-{key}",
            user.email,
            Decimal(100),
            DealStage.WON,
            created_at=now,
            closed_at=now,
        )
        for key, user in tenants.users.items()
        if key.startswith("rep")
    ]
    leads = [LeadRecord(f"l-{d.external_id}", d.owner_email, now) for d in deals]
    organisation = await Organisation.get(id=tenants.users["admin"].organisation_id)
    await sales.ingest_deals(organisation, deals)
    await sales.ingest_leads(organisation, leads)
    query = """{ deals { edges { node { externalId } } } leads { edges { node { externalId } } }
                 awards { edges { node { id } } } }"""
    seen = {}
    for principal in PRINCIPALS:
        data = (await graphql(client, query, tenants.token(principal, JWT_SECRET)))["data"]
        seen[principal] = (
            sorted(e["node"]["externalId"] for e in data["deals"]["edges"]),
            sorted(e["node"]["externalId"] for e in data["leads"]["edges"]),
            data["awards"]["edges"],
        )
    assert seen == {
        "admin": (["d-rep_a", "d-rep_b"], ["l-d-rep_a", "l-d-rep_b"], []),
        "manager_a": (["d-rep_a"], ["l-d-rep_a"], []),
        "rep_a": (["d-rep_a"], ["l-d-rep_a"], []),
        "rep_b": (["d-rep_b"], ["l-d-rep_b"], []),
        "other_admin": ([], [], []),
    }


async def test_api_keys_are_for_admins(client: httpx.AsyncClient, tenants: Tenants) -> None:
    found = {
        p: await outcome_of_query(client, tenants, p, "{ apiKeys { id } }") for p in PRINCIPALS
    }
    assert found == expect("admin", "other_admin")


# Team names are unique in an organisation: each attempt names its own.
CREATE_TEAM = """mutation($parent: ID, $name: String!) {
  createTeam(input: {name: $name, parentId: $parent}) {
  __typename ... on InputErrors { errors { code } } } }"""
CREATE_REP = """mutation($team: ID!, $email: String!) {
  createRep(input: {name: "New", email: $email, teamId: $team}) {
  __typename ... on InputErrors { errors { code } } } }"""
CREATE_GOAL = """mutation($owner: ID!) {
  createGoal(input: {metric: REVENUE, ownerId: $owner, target: "10",
    period: {kind: MONTH, containing: "%s"}, rationale: "x"}) {
  __typename ... on InputErrors { errors { code } } } }"""
INGEST = """mutation { ingestAccounts(accounts: [{externalId: "a", name: "A"}]) {
  __typename ... on InputErrors { errors { code } } } }"""
CREATE_KEY = """mutation { createApiKey(name: "crm", scopes: ["ingest"]) {
  __typename ... on InputErrors { errors { code } } } }"""


async def test_mutations(client: httpx.AsyncClient, tenants: Tenants, now: datetime) -> None:
    team_a = str(tenants.team_a.id)
    today = now.date().isoformat()  # the tenants' organisations run on UTC
    found: dict[str, dict[str, str]] = {}
    for principal in PRINCIPALS:
        found[principal] = {
            "top-level team": await outcome_of_mutation(
                client, tenants, principal, CREATE_TEAM, name=f"Top {principal}"
            ),
            "team under A": await outcome_of_mutation(
                client, tenants, principal, CREATE_TEAM, parent=team_a, name=f"A {principal}"
            ),
            "rep in A": await outcome_of_mutation(
                client, tenants, principal, CREATE_REP, team=team_a, email=f"n-{principal}@x.test"
            ),
            "goal of rep A": await outcome_of_mutation(
                client,
                tenants,
                principal,
                CREATE_GOAL % today,
                owner=str(tenants.users["rep_a"].id),
            ),
            "ingest": await outcome_of_mutation(client, tenants, principal, INGEST),
            "api key": await outcome_of_mutation(client, tenants, principal, CREATE_KEY),
        }
    a, f = ALLOWED, FORBIDDEN
    assert found == {
        "admin": dict.fromkeys(found["admin"], a),
        "manager_a": {
            "top-level team": f,
            "team under A": a,
            "rep in A": a,
            "goal of rep A": a,
            "ingest": f,
            "api key": f,
        },
        "rep_a": dict.fromkeys(found["admin"], f),
        "rep_b": dict.fromkeys(found["admin"], f),
        # Its own organisation's teams, keys and data only: team A and rep A are not its.
        "other_admin": {
            "top-level team": a,
            "team under A": f,
            "rep in A": f,
            "goal of rep A": f,
            "ingest": a,
            "api key": a,
        },
    }


def _subscription_outcome(message: dict[str, Any]) -> str:
    """graphql-transport-ws reports a refused subscription as an `error` message, or as a
    `next` carrying errors, depending on where the resolver raised."""
    payload = message["payload"]
    errors = payload if message["type"] == "error" else payload.get("errors") or []
    if not errors:
        assert message["type"] == "next", message
        return ALLOWED
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], message
    return FORBIDDEN


async def test_following_a_goal_live(production_env: dict[str, str], tenants: Tenants) -> None:
    goal_id = str(tenants.goals["rep_a"].id)
    query = "subscription($id: ID!) { goalProgress(goalId: $id) { currentValue } }"
    found = {}
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        for principal in PRINCIPALS:
            async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
                token = tenants.token(principal, JWT_SECRET)
                await socket.send(
                    json.dumps(
                        {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
                    )
                )
                assert json.loads(await socket.recv())["type"] == "connection_ack"
                await socket.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {"query": query, "variables": {"id": goal_id}},
                        }
                    )
                )
                message = json.loads(await socket.recv())
                found[principal] = _subscription_outcome(message)
    assert found == expect("admin", "manager_a", "rep_a")


async def test_a_websocket_with_a_bad_token_is_closed(production_env: dict[str, str]) -> None:
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
            await socket.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"authorization": "Bearer forged"}}
                )
            )
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
