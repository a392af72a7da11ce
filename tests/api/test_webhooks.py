"""`POST /webhooks/deals` and `/webhooks/leads`: an API key with `ingest` stores a batch and
gets the per-record report; a revoked key, a key without the scope and no key store nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from core.auth.service import create_api_key, revoke_api_key
from core.sales.models import Deal, Lead
from tests.conftest import Org
from tests.support.servers import api_server, free_port

DEALS = [
    {
        "externalId": "W-1",
        "ownerEmail": "rita@acme.test",
        "amount": "1200.50",
        "stage": "WON",
        "createdAt": "2026-10-01T09:00:00-07:00",
        "closedAt": "2026-10-09T15:00:00-07:00",
    },
    {
        "externalId": "W-2",
        "ownerEmail": "rita@acme.test",
        "amount": "-3",
        "stage": "OPEN",
        "createdAt": "2026-10-02T09:00:00-07:00",
    },
    {
        "externalId": "W-3",
        "ownerEmail": "ghost@acme.test",
        "amount": "10",
        "stage": "OPEN",
        "createdAt": "2026-10-02T09:00:00-07:00",
    },
]


async def post(
    client: httpx.AsyncClient, path: str, secret: str | None, body: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return await client.post(path, json=body, headers=headers)


async def test_a_key_with_ingest_stores_the_good_records_and_reports_the_bad(
    client: httpx.AsyncClient, org: Org
) -> None:
    _, secret = await create_api_key(org.organisation.id, "HubSpot", ["ingest"])

    response = await post(client, "/webhooks/deals", secret, DEALS)
    leads = await post(
        client,
        "/webhooks/leads",
        secret,
        {
            "leads": [
                {
                    "externalId": "L-1",
                    "ownerEmail": "rita@acme.test",
                    "createdAt": "2026-10-03T09:00:00-07:00",
                    "status": "QUALIFIED",
                }
            ]
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "accepted": 1,
        "rejected": [
            {
                "index": 1,
                "externalId": "W-2",
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
                "externalId": "W-3",
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
    assert [(d.external_id, d.amount) for d in await Deal.all()] == [("W-1", Decimal("1200.50"))]
    assert (leads.status_code, leads.json()) == (200, {"accepted": 1, "rejected": []})
    assert await Lead.filter(external_id="L-1").count() == 1


async def test_revoked_keys_keys_without_ingest_and_no_key_store_nothing(
    client: httpx.AsyncClient, org: Org, now: datetime
) -> None:
    revoked, revoked_secret = await create_api_key(org.organisation.id, "old", ["ingest"])
    await revoke_api_key(org.organisation.id, revoked.id, now)
    _, reader = await create_api_key(org.organisation.id, "BI", ["read"])

    answers = {
        "revoked": await post(client, "/webhooks/deals", revoked_secret, DEALS[:1]),
        "read only": await post(client, "/webhooks/deals", reader, DEALS[:1]),
        "none": await post(client, "/webhooks/deals", None, DEALS[:1]),
        # A person's token is for the GraphQL API, not for webhooks.
        "admin token": await post(client, "/webhooks/deals", org.token(), DEALS[:1]),
    }

    assert {
        name: (r.status_code, r.json()["errors"][0]["code"]) for name, r in answers.items()
    } == {
        "revoked": (401, "UNAUTHENTICATED"),
        "read only": (403, "FORBIDDEN"),
        "none": (401, "UNAUTHENTICATED"),
        "admin token": (401, "UNAUTHENTICATED"),
    }
    assert await Deal.all().count() == 0


async def test_malformed_batches_are_refused_with_a_reason(
    client: httpx.AsyncClient, org: Org
) -> None:
    _, secret = await create_api_key(org.organisation.id, "HubSpot", ["ingest"])

    not_json = await client.post(
        "/webhooks/deals", content=b"{oops", headers={"Authorization": f"Bearer {secret}"}
    )
    not_a_list = await post(client, "/webhooks/deals", secret, {"deal": []})
    no_amount = await post(client, "/webhooks/deals", secret, [{**DEALS[0], "amount": None}])
    mistyped = await post(
        client,
        "/webhooks/deals",
        secret,
        [
            {**DEALS[0], "externalId": "D-1", "amount": True, "createdAt": "yesterday"},
            "a deal",
            DEALS[0],
            {**DEALS[0], "externalId": "D-4", "stage": "Won-ish", "quantity": 2.5},
        ],
    )
    unknown = await post(client, "/webhooks/invoices", secret, [])

    assert (not_json.status_code, not_json.json()["errors"][0]["code"]) == (400, "BAD_REQUEST")
    assert (not_a_list.status_code, not_a_list.json()["errors"][0]["message"]) == (
        400,
        "Send a JSON list of deals, or {'deals': [...]}.",
    )
    # An object that is not a record is reported by index, with each field it cannot give;
    # the batch's other records are kept.
    assert no_amount.status_code == 200
    assert [
        (r["index"], [(e["field"], e["code"]) for e in r["errors"]])
        for r in no_amount.json()["rejected"]
    ] == [(0, [("amount", "REQUIRED")])]
    assert (mistyped.status_code, mistyped.json()["accepted"]) == (200, 1)
    assert [
        (r["index"], r["externalId"], [(e["field"], e["code"]) for e in r["errors"]])
        for r in mistyped.json()["rejected"]
    ] == [
        (0, "D-1", [("amount", "INVALID"), ("createdAt", "INVALID")]),
        (1, "", [("record", "INVALID")]),
        (3, "D-4", [("stage", "INVALID"), ("quantity", "INVALID")]),
    ]
    assert unknown.status_code == 404
    assert [d.external_id for d in await Deal.all()] == [DEALS[0]["externalId"]]


async def test_during_a_database_outage_the_webhook_asks_to_be_retried(
    production_env: dict[str, str],
) -> None:
    # Nothing listens on this port: the API is up, its database is not.
    down = {**production_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/x"}
    with api_server(down) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            answer = await http.post(
                "/webhooks/deals",
                json=[{"externalId": "x"}],
                headers={"Authorization": "Bearer psk_0123456789ab_secret"},
            )

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "30"
    assert answer.json()["errors"][0]["code"] == "UNAVAILABLE"
    assert "Traceback" not in answer.text


async def test_a_hostile_record_in_a_webhook_batch_loses_only_itself(
    client: httpx.AsyncClient, org: Org
) -> None:
    _, secret = await create_api_key(org.organisation.id, "HubSpot", ["ingest"])
    good = {
        "ownerEmail": "rita@acme.test",
        "amount": "10",
        "stage": "WON",
        "createdAt": "2026-10-01T09:00:00-07:00",
        "closedAt": "2026-10-02T09:00:00-07:00",
    }
    batch = [
        {**good, "externalId": "W-1"},
        {**good, "externalId": "W-\x00"},
        {**good, "externalId": "W-2", "amount": "1e30"},
        {**good, "externalId": "W-3", "closedAt": "9999-12-31T23:59:59-14:00"},
        {**good, "externalId": "W-4"},
    ]

    response = await post(client, "/webhooks/deals", secret, batch)

    assert response.status_code == 200
    report = response.json()
    assert report["accepted"] == 2
    found = [
        (r["index"], r["errors"][0]["field"], r["errors"][0]["code"]) for r in report["rejected"]
    ]
    assert found == [
        (1, "externalId", "INVALID"),
        (2, "amount", "TOO_LARGE"),
        (3, "closedAt", "OUT_OF_RANGE"),
    ]
    assert sorted(await Deal.all().values_list("external_id", flat=True)) == ["W-1", "W-4"]
