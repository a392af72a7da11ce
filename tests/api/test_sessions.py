"""Sessions that end when they should: sign-out, a password change or reset, deactivation,
a role taken away; API keys that expire; and what an ingest-only key may not read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import websockets

from core import clock
from core.auth.service import create_api_key, set_password
from core.orgs.models import Role, User
from tests.conftest import Org
from tests.support.graphql import graphql
from tests.support.servers import api_server
from tests.support.waiting import listening
from tests.support.ws import PROTOCOL, subscribe

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
  __typename ... on Session { accessToken refreshToken }
  ... on InputErrors { errors { field code } } } }"""
LOGOUT = """mutation($refresh: String!) { logout(refreshToken: $refresh) { __typename } }"""
REFRESH = """mutation($refresh: String!) { refreshToken(refreshToken: $refresh) {
  __typename ... on Session { accessToken refreshToken } } }"""
CHANGE = """mutation($current: String!, $new: String!) {
  changePassword(currentPassword: $current, newPassword: $new) {
  __typename ... on Session { accessToken } ... on InputErrors { errors { field code } } } }"""
RESET = """mutation($user: ID!, $new: String!) { resetPassword(userId: $user, newPassword: $new) {
  __typename ... on InputErrors { errors { field code } } } }"""
ACTIVE = """mutation($user: ID!, $active: Boolean!) {
  setUserActive(userId: $user, active: $active) {
  __typename ... on InputErrors { errors { field code } } } }"""
KEY = """mutation($expires: DateTime) {
  createApiKey(name: "BI", scopes: ["read"], expiresAt: $expires) {
  __typename ... on CreatedApiKey { secret apiKey { expiresAt } }
  ... on InputErrors { errors { field code } } } }"""
ME = "{ me { email role } }"
PASSWORD = "correct horse battery staple"


async def sign_in(client: httpx.AsyncClient, email: str = "rita@acme.test") -> dict[str, str]:
    body = await graphql(client, LOGIN, None, email=email, password=PASSWORD)
    session = body["data"]["login"]
    assert session["__typename"] == "Session", session
    return session


async def signed_in_as(client: httpx.AsyncClient, token: str) -> str | None:
    """The email the token speaks for now, or None when it is refused."""
    body = await graphql(client, ME, token)
    if body.get("errors"):
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
        return None
    return body["data"]["me"]["email"]


async def test_an_access_token_stops_working_when_its_session_signs_out(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    laptop, phone = await sign_in(client), await sign_in(client)

    await graphql(client, LOGOUT, laptop["accessToken"], refresh=laptop["refreshToken"])

    assert await signed_in_as(client, laptop["accessToken"]) is None
    # The other device's session goes on, and the signed-out one cannot be refreshed.
    assert await signed_in_as(client, phone["accessToken"]) == "rita@acme.test"
    renewed = await graphql(client, REFRESH, None, refresh=laptop["refreshToken"])
    assert renewed["data"]["refreshToken"]["__typename"] == "InputErrors"


async def test_a_refreshed_session_is_still_the_one_a_sign_out_ends(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    first = await sign_in(client)
    second = (await graphql(client, REFRESH, None, refresh=first["refreshToken"]))["data"][
        "refreshToken"
    ]

    await graphql(client, LOGOUT, second["accessToken"], refresh=second["refreshToken"])

    assert await signed_in_as(client, first["accessToken"]) is None
    assert await signed_in_as(client, second["accessToken"]) is None


async def test_a_password_change_ends_every_other_session(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    here, elsewhere = await sign_in(client), await sign_in(client)

    wrong = await graphql(client, CHANGE, here["accessToken"], current="nope", new="x" * 12)
    changed = await graphql(
        client, CHANGE, here["accessToken"], current=PASSWORD, new="a new long password"
    )

    assert wrong["data"]["changePassword"]["errors"] == [
        {"field": "currentPassword", "code": "INVALID_CREDENTIALS"}
    ]
    fresh = changed["data"]["changePassword"]["accessToken"]
    assert await signed_in_as(client, here["accessToken"]) is None
    assert await signed_in_as(client, elsewhere["accessToken"]) is None
    assert await signed_in_as(client, fresh) == "rita@acme.test"
    old = await graphql(client, LOGIN, None, email="rita@acme.test", password=PASSWORD)
    assert old["data"]["login"]["__typename"] == "InputErrors"


async def test_an_admin_reset_and_a_deactivation_end_sessions_at_once(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    session = await sign_in(client)
    rep = str(org.rep.id)

    reset = await graphql(client, RESET, org.token(), user=rep, new="another long one")
    assert reset["data"]["resetPassword"]["__typename"] == "User"
    assert await signed_in_as(client, session["accessToken"]) is None

    await set_password(org.rep, PASSWORD)
    again = await sign_in(client)
    refused = await graphql(client, ACTIVE, again["accessToken"], user=rep, active=False)
    off = await graphql(client, ACTIVE, org.token(), user=rep, active=False)
    assert refused["data"]["setUserActive"]["errors"] == [{"field": "userId", "code": "FORBIDDEN"}]
    assert off["data"]["setUserActive"]["__typename"] == "User"
    assert await signed_in_as(client, again["accessToken"]) is None
    login = await graphql(client, LOGIN, None, email="rita@acme.test", password=PASSWORD)
    assert login["data"]["login"]["__typename"] == "InputErrors"

    await graphql(client, ACTIVE, org.token(), user=rep, active=True)
    assert await signed_in_as(client, (await sign_in(client))["accessToken"]) == "rita@acme.test"


async def test_the_role_is_read_at_each_request_not_trusted_from_the_token(
    client: httpx.AsyncClient, org: Org
) -> None:
    token = org.token()  # minted while Ada is an admin
    await User.filter(id=org.admin.id).update(role=Role.REP, team_id=org.team.id)

    me = await graphql(client, ME, token)
    key = await graphql(client, KEY, token)

    assert me["data"]["me"] == {"email": "admin@acme.test", "role": "REP"}
    assert key["data"]["createApiKey"]["errors"] == [{"field": "name", "code": "FORBIDDEN"}]


async def test_an_api_key_stops_at_its_expiry(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    in_an_hour = (now + timedelta(hours=1)).isoformat()
    past = await graphql(client, KEY, org.token(), expires=(now - timedelta(hours=1)).isoformat())
    made = (await graphql(client, KEY, org.token(), expires=in_an_hour))["data"]["createApiKey"]
    reps = "{ reps { edges { node { email } } } }"

    before = await graphql(client, reps, made["secret"])
    with clock.pinned(now + timedelta(hours=1, seconds=1)):
        after = await graphql(client, reps, made["secret"])

    assert past["data"]["createApiKey"]["errors"] == [{"field": "expiresAt", "code": "INVALID"}]
    assert made["apiKey"]["expiresAt"] == in_an_hour
    assert [e["node"]["email"] for e in before["data"]["reps"]["edges"]] == ["rita@acme.test"]
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_ingest_only_key_reads_nothing(client: httpx.AsyncClient, org: Org) -> None:
    _, ingest = await create_api_key(org.organisation.id, "CRM", ["ingest"])
    board = """{ leaderboard(metric: REVENUE, periodStart: "2026-11-01",
      periodEnd: "2026-11-30") { entries { name value } } }"""

    body = await graphql(client, board, ingest)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


FOLLOW = "subscription($rep: ID) { awards(repId: $rep) { badgeCode } }"
REVOKE = """mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }"""


async def closed_with(socket: websockets.ClientConnection) -> int | None:
    """The close code the server ends the socket with (answering pings meanwhile)."""
    async with asyncio.timeout(30):
        try:
            while True:
                message = json.loads(await socket.recv())
                if message["type"] == "ping":
                    await socket.send(json.dumps({"type": "pong"}))
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


@asynccontextmanager
async def following(base_url: str, credential: str, rep: int) -> AsyncIterator[Any]:
    url = base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {credential}"}}
        await socket.send(json.dumps(init))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": FOLLOW, "variables": {"rep": str(rep)}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await listening(base_url, 1)
        yield socket


async def test_revoking_a_key_or_signing_out_closes_their_subscriptions(
    production_env: dict[str, str], org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    key, secret = await create_api_key(org.organisation.id, "BI", ["read"])
    with api_server(production_env) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            async with following(base_url, secret, org.rep.id) as socket:
                await graphql(http, REVOKE, org.token(), id=str(key.id))
                key_closed = await closed_with(socket)
            session = await sign_in(http)
            async with following(base_url, session["accessToken"], org.rep.id) as socket:
                await graphql(http, LOGOUT, None, refresh=session["refreshToken"])
                session_closed = await closed_with(socket)

    assert (key_closed, session_closed) == (4401, 4401)


async def test_an_ingest_only_key_may_not_follow_anything(
    production_env: dict[str, str], org: Org
) -> None:
    _, ingest = await create_api_key(org.organisation.id, "CRM", ["ingest"])
    board = """subscription { leaderboard(metric: REVENUE, periodStart: "2026-11-01",
      periodEnd: "2026-11-30") { entries { name } } }"""
    with api_server(production_env) as base_url:
        url = base_url.replace("http://", "ws://") + "/graphql"
        async with subscribe(url, board, {}, ingest) as live:
            errors = await live.next_error()

    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
