"""Automatic persisted queries: a hash alone is unknown at first, known once the document
was sent with it, and a document that does not match its hash is refused."""

from __future__ import annotations

import hashlib

import httpx

from tests.conftest import Org

QUERY = "{ me { email } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_a_hash_is_enough_once_the_document_was_sent_with_it(
    client: httpx.AsyncClient, org: Org
) -> None:
    headers = {"authorization": f"Bearer {org.token()}"}

    unknown = await client.post("/graphql", json={"extensions": persisted(DIGEST)}, headers=headers)
    taught = await client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted(DIGEST)}, headers=headers
    )
    known = await client.post("/graphql", json={"extensions": persisted(DIGEST)}, headers=headers)
    wrong = await client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted("0" * 64)}, headers=headers
    )

    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert taught.json() == {"data": {"me": {"email": "admin@acme.test"}}}
    assert known.json() == taught.json()
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
