"""CRM and LMS webhooks: `POST /webhooks/deals`, `/webhooks/leads` and `/webhooks/trainings`
(completions, by the LMS's id) take a JSON batch under an API key with the `ingest` scope and
answer as `ingestDeals` / `ingestLeads` do: the same ingestion service, the same per-record
report, the same outbox relay after the commit.
Objects that cannot be read as records (a field of the wrong type) are reported by index
with the others; the rest of the batch is kept.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.policy import INGEST_SCOPE
from core import clock
from core.auth.service import api_key_viewer
from core.auth.tokens import API_KEY_PREFIX, bearer_token
from core.orgs.store import get_organisation
from core.sales import service as sales
from core.sales.service import MAX_BATCH
from core.training import service as training
from domain import payloads
from domain.errors import FieldError
from workers.relay import after_commit

INGEST = {"deals": sales.ingest_deals, "leads": sales.ingest_leads}
KINDS = (*INGEST, "trainings")


logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"code": code, "message": message}]}, status_code=status)


def _unavailable() -> JSONResponse:
    response = _error(
        503, "UNAVAILABLE", "The service cannot take this batch now; send it again later."
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _report(index: int, external_id: str, errors: list[FieldError]) -> dict[str, Any]:
    return {
        "index": index,
        "externalId": external_id,
        "errors": [{"field": e.field, "code": e.code.value, "message": e.message} for e in errors],
    }


async def handle(request: Request) -> JSONResponse:
    """Client mistakes are 4xx, which a CRM must not retry; a fault of ours (the
    database or Redis down) is 503 with Retry-After, which it should."""
    try:
        return await _handle(request)
    except Exception:
        logger.exception("webhook %s failed", request.url.path)
        return _unavailable()


async def _handle(request: Request) -> JSONResponse:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        return _error(404, "NOT_FOUND", "Webhooks exist for deals, leads and trainings.")
    secret = bearer_token(request.headers.get("authorization"))
    if secret is None or not secret.startswith(API_KEY_PREFIX):
        return _error(401, "UNAUTHENTICATED", "Send an API key: Authorization: Bearer psk_…")
    viewer = await api_key_viewer(secret, clock.now())
    if viewer is None:
        return _error(401, "UNAUTHENTICATED", "This API key is unknown, revoked or expired.")
    if INGEST_SCOPE not in viewer.scopes:
        return _error(403, "FORBIDDEN", "This API key has no `ingest` scope.")
    try:
        body: Any = await request.json()
    except ValueError:
        return _error(400, "BAD_REQUEST", "The body is not JSON.")
    records = body.get(kind) if isinstance(body, dict) else body
    if not isinstance(records, list):
        return _error(400, "BAD_REQUEST", f"Send a JSON list of {kind}, or {{{kind!r}: [...]}}.")
    if len(records) > MAX_BATCH:
        return _error(
            422,
            "TOO_MANY",
            f"A batch holds at most {MAX_BATCH} records; this one has {len(records)}.",
        )
    readable, unreadable = payloads.read(kind, records)
    organisation = await get_organisation(viewer.organisation_id)
    records: list[Any] = [record for _, record in readable]
    if kind == "trainings":
        result, stored = await training.ingest(organisation, records)
    else:
        result, stored = await INGEST[kind](organisation, records), []
    await after_commit(request.app.state.queue)
    for completion in stored:
        await training.publish_completion(request.app.state.bus, completion)
    rejected = [_report(u.index, u.external_id, u.errors) for u in unreadable]
    rejected += [_report(readable[r.index][0], r.external_id, r.errors) for r in result.rejected]
    return JSONResponse(
        {"accepted": result.accepted, "rejected": sorted(rejected, key=lambda r: r["index"])}
    )
