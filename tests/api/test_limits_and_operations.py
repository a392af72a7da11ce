"""Query limits, pagination, CORS, introspection, and the operations endpoints."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.schema import create_schema
from core.config import Settings
from core.logs import JsonFormatter, RequestIdFilter
from core.orgs import service as orgs
from core.orgs.models import Role, User
from tests.conftest import Org
from tests.support.apps import client_of
from tests.support.graphql import graphql
from tests.support.waiting import METRICS


def messages(body: dict) -> list[str]:
    return [error["message"] for error in body["errors"]]


async def test_a_query_too_deep_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    nested = "parent { " * 12 + "name" + " }" * 12
    body = await graphql(client, f'{{ team(id: "{org.team.id}") {{ {nested} }} }}', org.token())

    assert body["data"] is None
    assert messages(body) == ["'anonymous' exceeds maximum operation depth of 12"]


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient, org: Org) -> None:
    aliases = " ".join(f"a{n}: me {{ email }}" for n in range(31))
    body = await graphql(client, f"{{ {aliases} }}", org.token())

    assert messages(body) == ["31 aliases found. Allowed: 30"]


async def test_too_many_tokens_are_refused(client: httpx.AsyncClient, org: Org) -> None:
    # Each unused variable definition is four tokens: $, name, colon, type.
    variables = " ".join(f"$v{n}: Int" for n in range(1300))
    body = await graphql(client, f"query({variables}) {{ me {{ email }} }}", org.token())

    assert messages(body) == [
        "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."
    ]


async def test_introspection_can_be_turned_off() -> None:
    query = "{ __schema { queryType { name } } }"
    closed = create_schema(Settings.model_construct(introspection=False))
    opened = create_schema(Settings.model_construct())

    refused = await closed.execute(query)
    answered = await opened.execute(query)

    assert refused.errors is not None
    assert "introspection" in refused.errors[0].message.lower()
    assert answered.data == {"__schema": {"queryType": {"name": "Query"}}}


async def test_reps_are_paged_by_cursor_in_a_stable_order(
    client: httpx.AsyncClient, org: Org
) -> None:
    for n in range(4):
        rep = await orgs.create_user(
            org.organisation.id,
            email=f"p{n}@acme.test",
            name=f"P{n}",
            role=Role.REP,
            team_id=org.team.id,
        )
        assert isinstance(rep, User)
    query = """query($after: String) { reps(first: 2, after: $after) {
      edges { node { email } } pageInfo { hasNextPage endCursor } } }"""

    pages, after = [], None
    while True:
        page = (await graphql(client, query, org.token(), after=after))["data"]["reps"]
        pages.append([edge["node"]["email"] for edge in page["edges"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert pages == [
        ["rita@acme.test", "p0@acme.test"],
        ["p1@acme.test", "p2@acme.test"],
        ["p3@acme.test"],
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("first: 101", "first: between 1 and 100."),
        ('after: "bm90LWEtY3Vyc29y"', "after: not a cursor this API gave out."),
    ],
)
async def test_bad_paging_arguments_are_named(
    client: httpx.AsyncClient, org: Org, arguments: str, message: str
) -> None:
    body = await graphql(client, f"{{ reps({arguments}) {{ edges {{ cursor }} }} }}", org.token())

    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cors_allows_only_configured_origins(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"cors_origins": ["https://app.example"]}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await http.options(
            "/graphql", headers={"Origin": "https://app.example", **preflight}
        )
        refused = await http.options(
            "/graphql", headers={"Origin": "https://evil.example", **preflight}
        )

    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers


async def test_health_readiness_and_metrics(client: httpx.AsyncClient, org: Org) -> None:
    await graphql(client, "{ me { email } }", org.token())
    await graphql(client, "{ nope }", org.token())

    health = await client.get("/healthz")
    ready = await client.get("/readyz")
    metrics = (await client.get("/metrics", headers=METRICS)).text

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}
    assert 'pacesetter_http_requests_total{method="POST",path="/graphql",status="200"}' in metrics
    assert "pacesetter_graphql_errors_total" in metrics
    assert "pacesetter_jobs_queued" in metrics


async def test_every_log_line_of_a_request_carries_its_id(
    client: httpx.AsyncClient, org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        response = await client.post(
            "/graphql",
            json={"query": "{ nope }"},
            headers={"Authorization": f"Bearer {org.token()}", "X-Request-ID": "req-42"},
        )

    assert response.headers["x-request-id"] == "req-42"
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    assert lines
    assert {line["request_id"] for line in lines} == {"req-42"}
    assert "Cannot query field 'nope'" in lines[0]["message"]


async def test_production_keeps_metrics_and_introspection_behind_credentials(
    app: Starlette, settings: Settings, org: Org
) -> None:
    schema_query = {"query": "{ __schema { queryType { name } } }"}
    answers = {}
    for name, changes in (
        ("production", {}),
        ("no metrics token", {"metrics_token": None}),
        ("introspection for all", {"introspection": True}),
    ):
        variant_settings = settings.model_copy(update=changes)
        async with client_of(app, variant_settings) as http:
            answers[name] = (
                (await http.get("/metrics")).status_code,
                (await http.get("/metrics", headers=METRICS)).status_code,
                "errors" in (await http.post("/graphql", json=schema_query)).json(),
                "errors"
                in (
                    await http.post(
                        "/graphql",
                        json=schema_query,
                        headers={"Authorization": f"Bearer {org.token(org.rep)}"},
                    )
                ).json(),
            )
        assert variant_settings.uses_postgres

    # (metrics without a token, with it, introspection refused anonymous, refused signed in)
    assert answers == {
        "production": (401, 200, True, False),
        "no metrics token": (403, 403, True, False),
        "introspection for all": (401, 200, False, False),
    }


async def test_bodies_and_queries_beyond_the_limits_are_refused_before_parsing(
    app: Starlette, settings: Settings, org: Org
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 4096, "max_query_chars": 1000})
    long_literal = '{ team(id: "' + "9" * 3000 + '") { name } }'  # a handful of tokens
    big = json.dumps({"query": "{ me { email } }", "padding": "x" * 5000})

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 1000

    headers = {"Authorization": f"Bearer {org.token()}", "content-type": "application/json"}
    async with client_of(app, small) as http:
        declared = await http.post("/graphql", content=big, headers=headers)
        streamed = await http.post("/graphql", content=chunks(), headers=headers)
        literal = await http.post("/graphql", json={"query": long_literal}, headers=headers)
        shapes = [
            (await http.post("/graphql", content=body, headers=headers)).status_code
            for body in ("null", "[]", "1", '"query"')
        ]
        fine = await http.post("/graphql", json={"query": "{ me { email } }"}, headers=headers)

    assert (declared.status_code, streamed.status_code) == (413, 413)
    assert declared.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert "chunked" in streamed.request.headers.get("transfer-encoding", "")
    assert literal.status_code == 400
    assert "at most 1000 characters" in literal.text
    assert shapes == [400, 400, 400, 400]
    assert fine.json() == {"data": {"me": {"email": "admin@acme.test"}}}
