"""CRM batches are built straight from graphql-core's coerced values (api/flat_inputs.py) and
instants are read by `fromisoformat` first: every field, default and instant must arrive as
strawberry's own conversion and dateutil made them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx

from core.sales.models import Deal, Lead
from domain.records import DealStage, LeadStatus
from tests.conftest import Org
from tests.support.graphql import graphql

DEALS = """mutation($deals: [DealInput!]!) { ingestDeals(deals: $deals) {
  ... on IngestPayload { accepted unchanged rejected { index errors { code } } } } }"""
LEADS = """mutation($leads: [LeadInput!]!) { ingestLeads(leads: $leads) {
  ... on IngestPayload { accepted } } }"""


async def test_every_field_and_default_of_a_batch_arrives(client: httpx.AsyncClient, org: Org):
    deals = [
        {
            "externalId": "full",
            "ownerEmail": "rita@acme.test",
            "amount": "1250.5075",
            "cost": "400",
            "quantity": 3,
            "stage": "WON",
            "createdAt": "2026-11-10T09:30:00-08:00",
            "closedAt": "2026-11-17T12:00:00+05:30",
            "region": "EMEA",
            "segment": "SMB",
        },
        # Only what is required; 24:00 is the next midnight (read by dateutil).
        {
            "externalId": "bare",
            "ownerEmail": "rita@acme.test",
            "amount": "10",
            "stage": "OPEN",
            "createdAt": "2026-11-17T24:00:00Z",
        },
    ]
    body = await graphql(client, DEALS, org.token(), deals=deals)
    assert body["data"]["ingestDeals"] == {"accepted": 2, "unchanged": 0, "rejected": []}
    # Sent again as they are: accepted, and nothing rewritten.
    body = await graphql(client, DEALS, org.token(), deals=deals)
    assert body["data"]["ingestDeals"] == {"accepted": 2, "unchanged": 2, "rejected": []}

    full = await Deal.get(organisation_id=org.organisation.id, external_id="full")
    assert (full.amount, full.cost, full.quantity, full.stage) == (
        Decimal("1250.5075"),
        Decimal("400"),
        3,
        DealStage.WON,
    )
    assert full.created_at == datetime(2026, 11, 10, 17, 30, tzinfo=UTC)
    assert full.closed_at == datetime(2026, 11, 17, 6, 30, tzinfo=UTC)
    assert (full.region, full.segment) == ("EMEA", "SMB")

    bare = await Deal.get(organisation_id=org.organisation.id, external_id="bare")
    assert (bare.cost, bare.quantity, bare.closed_at, bare.region) == (None, 1, None, None)
    assert bare.created_at == datetime(2026, 11, 18, 0, 0, tzinfo=UTC)

    body = await graphql(
        client,
        LEADS,
        org.token(),
        leads=[
            {"externalId": "l-1", "ownerEmail": "rita@acme.test", "createdAt": "20261117T120000Z"}
        ],
    )
    assert body["data"]["ingestLeads"] == {"accepted": 1}
    lead = await Lead.get(organisation_id=org.organisation.id, external_id="l-1")
    assert (lead.status, lead.created_at) == (
        LeadStatus.NEW,
        datetime(2026, 11, 17, 12, 0, tzinfo=UTC),
    )


async def test_an_instant_no_parser_reads_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, org: Org
):
    deal = {
        "externalId": "x",
        "ownerEmail": "rita@acme.test",
        "amount": "10",
        "stage": "OPEN",
        "createdAt": "17/11/2026 12:00",
    }
    body = await graphql(client, DEALS, org.token(), deals=[deal])
    assert body["data"] is None
    assert "DateTime" in body["errors"][0]["message"]
    assert await Deal.filter(organisation_id=org.organisation.id).count() == 0
