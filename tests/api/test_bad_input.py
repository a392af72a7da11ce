"""Bad input through GraphQL: typed payloads naming the field, nothing lost, no stack traces."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from decimal import Decimal

import httpx
import jwt
import pytest

from core.goals.models import Goal
from core.sales.models import Deal
from tests.conftest import JWT_SECRET, Org
from tests.support.graphql import graphql
from tests.support.instants import LOS_ANGELES, local_date

CREATE_GOAL = """
mutation($owner: ID!, $start: Date!, $end: Date!, $target: Decimal!) {
  createGoal(input: {metric: REVENUE, ownerId: $owner, target: $target,
                     periodStart: $start, periodEnd: $end, rationale: "Quota"}) {
    __typename
    ... on Goal { id }
    ... on SmartViolations { violations { criterion code field message } }
  }
}
"""
INGEST = """
mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) {
  ... on IngestPayload { accepted rejected { index externalId errors { field code message } } }
  ... on InputErrors { errors { field code message } } } }
"""


async def test_goal_ending_before_it_starts_is_a_time_bound_violation(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    body = await graphql(
        client,
        CREATE_GOAL,
        org.token(),
        owner=str(org.rep.id),
        start=(today + timedelta(days=10)).isoformat(),
        end=(today + timedelta(days=5)).isoformat(),
        target="5000",
    )

    result = body["data"]["createGoal"]
    assert result["__typename"] == "SmartViolations"
    assert [(v["criterion"], v["code"], v["field"]) for v in result["violations"]] == [
        ("TIME_BOUND", "END_BEFORE_START", "periodEnd")
    ]
    assert (
        result["violations"][0]["message"] == "The period must end on or after the day it starts."
    )
    assert await Goal.all().count() == 0


async def test_goal_without_a_known_owner_or_positive_target_is_not_specific(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    today = local_date(now, LOS_ANGELES)
    body = await graphql(
        client,
        CREATE_GOAL,
        org.token(),
        owner="999999",
        start=today.isoformat(),
        end=(today + timedelta(days=30)).isoformat(),
        target="0",
    )

    violations = body["data"]["createGoal"]["violations"]
    assert [(v["criterion"], v["code"], v["field"]) for v in violations] == [
        ("SPECIFIC", "TARGET_NOT_POSITIVE", "target"),
        ("SPECIFIC", "OWNER_NOT_FOUND", "ownerId"),
    ]


@pytest.mark.dated
async def test_a_smart_goal_is_created(client: httpx.AsyncClient, org: Org, now: datetime) -> None:
    today = local_date(now, LOS_ANGELES)
    body = await graphql(
        client,
        CREATE_GOAL,
        org.token(),
        owner=str(org.rep.id),
        start=today.isoformat(),
        end=(today + timedelta(days=30)).isoformat(),
        target="5000",
    )

    goal = await Goal.get(id=int(body["data"]["createGoal"]["id"]))
    assert (goal.owner_rep_id, goal.target) == (org.rep.id, Decimal("5000.00"))


async def test_a_batch_with_bad_deals_keeps_the_good_ones(
    client: httpx.AsyncClient, org: Org
) -> None:
    closed = "2026-11-10T10:00:00-08:00"
    created = "2026-11-01T10:00:00-08:00"
    deals = [
        {
            "externalId": "g-1",
            "ownerEmail": "rita@acme.test",
            "amount": "1000.10",
            "stage": "WON",
            "createdAt": created,
            "closedAt": closed,
        },
        {
            "externalId": "b-1",
            "ownerEmail": "rita@acme.test",
            "amount": "-5",
            "stage": "WON",
            "createdAt": created,
            "closedAt": closed,
        },
        {
            "externalId": "b-2",
            "ownerEmail": "who@acme.test",
            "amount": "5",
            "stage": "WON",
            "createdAt": created,
            "closedAt": closed,
        },
        {
            "externalId": "g-2",
            "ownerEmail": "Rita@Acme.test",
            "amount": "99.90",
            "stage": "OPEN",
            "createdAt": created,
        },
    ]

    body = await graphql(client, INGEST, org.token(), deals=deals)

    assert body["data"]["ingestDeals"] == {
        "accepted": 2,
        "rejected": [
            {
                "index": 1,
                "externalId": "b-1",
                "errors": [
                    {
                        "field": "amount",
                        "code": "NEGATIVE",
                        "message": "amount must be zero or more.",
                    }
                ],
            },
            {
                "index": 2,
                "externalId": "b-2",
                "errors": [
                    {
                        "field": "ownerEmail",
                        "code": "NOT_FOUND",
                        "message": "No user with this email in this organisation.",
                    }
                ],
            },
        ],
    }
    stored = await Deal.all().order_by("external_id").values_list("external_id", "amount")
    assert stored == [("g-1", Decimal("1000.10")), ("g-2", Decimal("99.90"))]


async def test_an_oversized_batch_is_refused_whole(client: httpx.AsyncClient, org: Org) -> None:
    deal = {
        "externalId": "x",
        "ownerEmail": "rita@acme.test",
        "amount": "1",
        "stage": "OPEN",
        "createdAt": "2026-11-01T10:00:00Z",
    }

    body = await graphql(client, INGEST, org.token(), deals=[deal] * 1001)

    assert body["data"]["ingestDeals"] == {
        "errors": [
            {
                "field": "deals",
                "code": "TOO_MANY",
                "message": "A batch holds at most 1000 records; this one has 1001.",
            }
        ]
    }
    assert await Deal.all().count() == 0


async def test_a_malformed_query_gets_a_graphql_error_and_no_trace(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ goal(id: 1 { id }"},
        headers={"Authorization": f"Bearer {org.token()}"},
    )

    body = response.json()
    assert body["errors"][0]["message"] == "Syntax Error: Expected Name, found '{'."
    assert "Traceback" not in response.text
    assert 'File "' not in response.text


async def test_a_malformed_decimal_names_the_variable(client: httpx.AsyncClient, org: Org) -> None:
    body = await graphql(
        client,
        CREATE_GOAL,
        org.token(),
        owner=str(org.rep.id),
        start="2026-12-01",
        end="2026-12-31",
        target="lots",
    )

    assert body["data"] is None
    assert "$target" in body["errors"][0]["message"]
    assert "Traceback" not in str(body)


async def test_requests_without_a_valid_token_are_unauthenticated(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    query = "{ me { email } }"
    tampered = jwt.encode(
        {
            "sub": str(org.admin.id),
            "org": org.organisation.id,
            "role": "ADMIN",
            "exp": now + timedelta(hours=1),
            "typ": "access",
        },
        "a-different-secret-of-enough-length!!",
        algorithm="HS256",
    )
    expired = jwt.encode(
        {
            "sub": str(org.admin.id),
            "org": org.organisation.id,
            "role": "ADMIN",
            "exp": now - timedelta(seconds=1),
            "typ": "access",
        },
        JWT_SECRET,
        algorithm="HS256",
    )

    for token in (None, tampered, expired, "not-a-jwt"):
        body = await graphql(client, query, token)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", token
    assert (await graphql(client, query, org.token()))["data"]["me"]["email"] == "admin@acme.test"


async def test_a_rep_may_not_build_teams(client: httpx.AsyncClient, org: Org) -> None:
    query = (
        'mutation { createTeam(input: {name: "X"}) '
        "{ ... on InputErrors { errors { field code } } } }"
    )
    body = await graphql(client, query, org.token(org.rep))

    assert body["data"]["createTeam"] == {"errors": [{"field": "parentId", "code": "FORBIDDEN"}]}


HOSTILE = [
    ("externalId", {"externalId": "bad\x00id"}, "INVALID"),
    ("region", {"region": "North\x07"}, "INVALID"),
    ("amount", {"amount": "1e30"}, "TOO_LARGE"),
    ("amount", {"amount": "NaN"}, "INVALID"),
    ("closedAt", {"closedAt": "9999-12-31T23:59:59-14:00"}, "OUT_OF_RANGE"),
    ("createdAt", {"createdAt": "0001-01-01T00:00:00+00:00"}, "OUT_OF_RANGE"),
]


@pytest.mark.parametrize(("field", "change", "code"), HOSTILE)
async def test_one_hostile_record_is_rejected_and_the_others_stored(
    client: httpx.AsyncClient, org: Org, now: datetime, field: str, change: dict, code: str
) -> None:
    def deal(key: str, **fields: object) -> dict[str, object]:
        return {
            "externalId": key,
            "ownerEmail": "rita@acme.test",
            "amount": "100",
            "stage": "WON",
            "createdAt": (now - timedelta(days=2)).isoformat(),
            "closedAt": (now - timedelta(days=1)).isoformat(),
            **fields,
        }

    deals = [deal("g-1"), deal("g-2"), deal("x", **change), deal("g-3")]
    body = await graphql(client, INGEST, org.token(), deals=deals)

    report = body["data"]["ingestDeals"]
    assert report["accepted"] == 3
    [rejected] = report["rejected"]
    assert (rejected["index"], [(e["field"], e["code"]) for e in rejected["errors"]]) == (
        2,
        [(field, code)],
    )
    assert sorted(await Deal.all().values_list("external_id", flat=True)) == ["g-1", "g-2", "g-3"]


async def test_hostile_arguments_are_refused_by_name_not_masked(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    beyond = base64.urlsafe_b64encode(b"id:99999999999").decode()
    month = {"periodStart": "2026-12-01", "periodEnd": "2026-12-31"}
    goal = """mutation($input: CreateGoalInput!) { createGoal(input: $input) { __typename
      ... on SmartViolations { violations { code field } } } }"""
    team = "mutation($n: String!) { createTeam(input: {name: $n}) { __typename } }"
    cases = [
        ("query($a: String) { reps(after: $a) { edges { node { id } } } }", {"a": beyond}),
        (team, {"n": "x" * 201}),
        (team, {"n": "West\x00"}),
        (
            goal,
            {
                "input": {
                    "metric": "REVENUE",
                    "ownerId": str(org.rep.id),
                    "target": "10",
                    "rationale": "x",
                    "scope": {"regions": [f"r{n}" for n in range(10_000)]},
                    **month,
                }
            },
        ),
        ('subscription { awards(repId: "1") { repId } }', {}),
    ]
    answers = []
    for query, variables in cases:
        body = await graphql(client, query, org.token(), **variables)
        answers.append([(e["message"], e["extensions"]["code"]) for e in body["errors"]])
    nan = await graphql(
        client,
        goal,
        org.token(),
        input={
            "metric": "REVENUE",
            "ownerId": str(org.rep.id),
            "target": "20",
            "targetKind": "RELATIVE_PERCENT",
            "baseline": "NaN",
            "rationale": "x",
            **month,
        },
    )
    far = await graphql(
        client,
        goal,
        org.token(),
        input={
            "metric": "REVENUE",
            "ownerId": str(org.rep.id),
            "target": "1e30",
            "rationale": "x",
            "periodStart": "0001-01-01",
            "periodEnd": "0001-01-31",
        },
    )

    assert answers == [
        [("after: not a cursor this API gave out.", "BAD_USER_INPUT")],
        [("input.name must be at most 200 characters.", "BAD_USER_INPUT")],
        [("input.name must not contain control characters.", "BAD_USER_INPUT")],
        [("input.scope.regions: at most 1000 items.", "BAD_USER_INPUT")],
        [("Subscriptions run over a websocket (graphql-transport-ws).", "BAD_USER_INPUT")],
    ]
    assert nan["data"]["createGoal"]["violations"] == [
        {"code": "NUMBER_OUT_OF_RANGE", "field": "baseline"}
    ]
    # Everything it breaks, at once: the target and the period.
    assert far["data"]["createGoal"]["violations"] == [
        {"code": "NUMBER_OUT_OF_RANGE", "field": "target"},
        {"code": "PERIOD_OUT_OF_RANGE", "field": "period"},
    ]
    assert await Goal.all().count() == 0
