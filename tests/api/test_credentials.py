"""Signing in, refresh-token rotation and revocation, API keys and their scopes."""

from __future__ import annotations

import asyncio
import time

import httpx

from core.auth.models import ApiKey
from core.auth.service import hash_password, set_password
from tests.conftest import Org
from tests.support.graphql import graphql

LOGIN = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
  __typename ... on Session { accessToken refreshToken user { email } }
  ... on InputErrors { errors { field code } } } }"""
REFRESH = """mutation($refresh: String!) { refreshToken(refreshToken: $refresh) {
  __typename ... on Session { accessToken refreshToken }
  ... on InputErrors { errors { field code } } } }"""
LOGOUT = """mutation($refresh: String!) { logout(refreshToken: $refresh) {
  __typename ... on Revoked { revoked } ... on InputErrors { errors { field code } } } }"""
ME = "{ me { email } }"
PASSWORD = "correct horse battery staple"


async def signed_in(client: httpx.AsyncClient, org: Org) -> dict:
    await set_password(org.rep, PASSWORD)
    body = await graphql(client, LOGIN, None, email="RITA@acme.test", password=PASSWORD)
    return body["data"]["login"]


async def test_login_gives_an_access_token_that_works(client: httpx.AsyncClient, org: Org) -> None:
    session = await signed_in(client, org)

    assert session["user"] == {"email": "rita@acme.test"}
    me = await graphql(client, ME, session["accessToken"])
    assert me["data"]["me"] == {"email": "rita@acme.test"}


async def test_a_wrong_password_or_unknown_email_is_refused_alike(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    for email, password in (("rita@acme.test", "wrong password!"), ("nobody@acme.test", PASSWORD)):
        body = await graphql(client, LOGIN, None, email=email, password=password)
        assert body["data"]["login"] == {
            "__typename": "InputErrors",
            "errors": [{"field": "password", "code": "INVALID_CREDENTIALS"}],
        }


async def test_a_refresh_token_works_once(client: httpx.AsyncClient, org: Org) -> None:
    session = await signed_in(client, org)

    renewed = (await graphql(client, REFRESH, None, refresh=session["refreshToken"]))["data"]
    replayed = (await graphql(client, REFRESH, None, refresh=session["refreshToken"]))["data"]

    assert renewed["refreshToken"]["__typename"] == "Session"
    assert renewed["refreshToken"]["refreshToken"] != session["refreshToken"]
    assert replayed["refreshToken"]["errors"] == [
        {"field": "refreshToken", "code": "INVALID_CREDENTIALS"}
    ]


async def test_a_revoked_refresh_token_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    session = await signed_in(client, org)

    out = await graphql(client, LOGOUT, None, refresh=session["refreshToken"])
    refused = await graphql(client, REFRESH, None, refresh=session["refreshToken"])

    assert out["data"]["logout"] == {"__typename": "Revoked", "revoked": True}
    assert refused["data"]["refreshToken"]["__typename"] == "InputErrors"


CREATE_KEY = """mutation($scopes: [String!]!) { createApiKey(name: "crm", scopes: $scopes) {
  __typename ... on CreatedApiKey { secret apiKey { id scopes } }
  ... on InputErrors { errors { field code } } } }"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }"
INGEST = """mutation { ingestAccounts(accounts: [{externalId: "a-1", name: "Acme"}]) {
  __typename ... on IngestPayload { accepted } ... on InputErrors { errors { field code } } } }"""


async def key(client: httpx.AsyncClient, org: Org, *scopes: str) -> dict:
    body = await graphql(client, CREATE_KEY, org.token(), scopes=list(scopes))
    return body["data"]["createApiKey"]


async def test_an_ingest_key_ingests_and_stops_when_revoked(
    client: httpx.AsyncClient, org: Org
) -> None:
    created = await key(client, org, "ingest")

    ingested = await graphql(client, INGEST, created["secret"])
    await graphql(client, REVOKE_KEY, org.token(), id=created["apiKey"]["id"])
    after = await graphql(client, INGEST, created["secret"])

    assert ingested["data"]["ingestAccounts"] == {"__typename": "IngestPayload", "accepted": 1}
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_key_without_the_ingest_scope_may_not_ingest(
    client: httpx.AsyncClient, org: Org
) -> None:
    reader = await key(client, org, "read")

    refused = await graphql(client, INGEST, reader["secret"])
    reads = await graphql(client, "{ reps { edges { node { email } } } }", reader["secret"])

    assert refused["data"]["ingestAccounts"] == {
        "__typename": "InputErrors",
        "errors": [{"field": "accounts", "code": "FORBIDDEN"}],
    }
    assert reads["data"]["reps"]["edges"] == [{"node": {"email": "rita@acme.test"}}]


async def test_only_a_hash_of_a_key_is_stored(client: httpx.AsyncClient, org: Org) -> None:
    created = await key(client, org, "ingest")
    stored = await ApiKey.get(id=int(created["apiKey"]["id"]))

    assert created["secret"] not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64
    assert await key(client, org, "admin") == {
        "__typename": "InputErrors",
        "errors": [{"field": "scopes", "code": "INVALID"}],
    }


async def test_a_tampered_api_key_is_unauthenticated(client: httpx.AsyncClient, org: Org) -> None:
    created = await key(client, org, "ingest")
    tampered = created["secret"][:-2] + ("AA" if not created["secret"].endswith("AA") else "BB")

    body = await graphql(client, INGEST, tampered)

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


RETRY = """mutation($email: String!, $password: String!) {
  login(email: $email, password: $password) {
  __typename ... on RetryLater { code retryAfterSeconds } } }"""


async def test_sign_in_is_throttled_per_account_then_per_address(
    client: httpx.AsyncClient, org: Org
) -> None:
    await set_password(org.rep, PASSWORD)
    await set_password(org.admin, PASSWORD)

    async def attempt(email: str, password: str) -> dict:
        return (await graphql(client, RETRY, None, email=email, password=password))["data"]

    wrong = [await attempt("rita@acme.test", "wrong password!") for _ in range(10)]
    right_but_late = await attempt("RITA@acme.test", PASSWORD)
    other_account = await attempt("admin@acme.test", PASSWORD)
    # 40 more failures from the same address, on accounts that may or may not exist...
    for n in range(40):
        await attempt(f"guess{n}@acme.test", "wrong password!")
    address_blocked = await attempt("admin@acme.test", PASSWORD)

    assert [a["login"]["__typename"] for a in wrong] == ["InputErrors"] * 10
    late = right_but_late["login"]
    assert (late["__typename"], late["code"]) == ("RetryLater", "TOO_MANY")
    assert 0 < late["retryAfterSeconds"] <= 15 * 60
    assert other_account["login"]["__typename"] == "Session"
    assert address_blocked["login"]["__typename"] == "RetryLater"


async def test_sign_ins_do_not_hold_up_the_event_loop(client: httpx.AsyncClient, org: Org) -> None:
    """argon2 is slow on purpose; run on the event loop, each sign-in would stall every
    other request (a health check included) for as long as one hash takes."""
    began = time.perf_counter()
    hash_password("a password to time")
    one_hash = time.perf_counter() - began
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    await attempt_login(client, "warm-up@acme.test")  # first connections and scripts
    ticking = asyncio.create_task(ticker())
    await asyncio.gather(*(attempt_login(client, f"nobody{n}@acme.test") for n in range(20)))
    stop.set()
    await ticking

    # On the loop, the twenty hashes would stop it for twenty hashes' time in all; off it,
    # long pauses are hiccups of a busy machine, a few hashes' time at most.
    long_pauses = [gap for gap in gaps if gap > one_hash / 2]
    assert sum(long_pauses) < 10 * one_hash, (long_pauses, one_hash)


async def attempt_login(client: httpx.AsyncClient, email: str) -> None:
    body = await graphql(client, LOGIN, None, email=email, password="not the password")
    assert body["data"]["login"]["__typename"] == "InputErrors"
