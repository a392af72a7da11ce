"""CRM webhooks: `POST /webhooks/deals` and `/webhooks/leads` take a JSON batch under an API
key with the `ingest` scope and answer as `ingestDeals` / `ingestLeads` do.

The batch runs through the GraphQL mutation itself, so parsing, limits, the upsert, the
per-record report and the re-measurement are the API's, not a copy of them.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse
from strawberry import Schema

from api.context import Context
from api.policy import INGEST_SCOPE
from core import clock
from core.auth.service import api_key_viewer
from core.auth.tokens import API_KEY_PREFIX, bearer_token
from core.config import Settings

_PAYLOAD = """__typename
  ... on IngestPayload { accepted rejected { index externalId errors { field code message } } }
  ... on InputErrors { errors { field code message } }"""
MUTATIONS = {
    "deals": f"mutation($records: [DealInput!]!) {{ result: ingestDeals(deals: $records) {{ "
    f"{_PAYLOAD} }} }}",
    "leads": f"mutation($records: [LeadInput!]!) {{ result: ingestLeads(leads: $records) {{ "
    f"{_PAYLOAD} }} }}",
}


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


def _ours(error: GraphQLError) -> bool:
    """An error raised while running (it has a path) that carries no code for clients: an
    unexpected exception, masked."""
    return error.path is not None and not (error.extensions or {}).get("code")


class Webhooks:
    def __init__(self, schema: Schema, settings: Settings) -> None:
        self.schema, self.settings = schema, settings

    async def handle(self, request: Request) -> JSONResponse:
        """Client mistakes are 4xx, which a CRM must not retry; a fault of ours (the
        database or Redis down) is 503 with Retry-After, which it should."""
        try:
            return await self._handle(request)
        except Exception:
            logger.exception("webhook %s failed", request.url.path)
            return _unavailable()

    async def _handle(self, request: Request) -> JSONResponse:
        kind = request.path_params["kind"]
        if kind not in MUTATIONS:
            return _error(404, "NOT_FOUND", "Webhooks exist for deals and leads.")
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
            return _error(
                400, "BAD_REQUEST", f"Send a JSON list of {kind}, or {{{kind!r}: [...]}}."
            )
        state = request.app.state
        context = Context(
            request, None, self.settings, state.bus, state.queue, state.throttle, viewer
        )
        result = await self.schema.execute(
            MUTATIONS[kind], variable_values={"records": records}, context_value=context
        )
        if result.errors and any(_ours(error) for error in result.errors):
            logger.error("webhook %s: %s", kind, [e.message for e in result.errors])
            return _unavailable()
        if result.errors:
            # Coercion errors name the record and the field.
            return JSONResponse(
                {
                    "errors": [
                        {"code": "BAD_USER_INPUT", "message": e.message} for e in result.errors
                    ]
                },
                status_code=400,
            )
        assert result.data is not None
        answer = result.data["result"]
        status = 200 if answer.pop("__typename") == "IngestPayload" else 422
        return JSONResponse(answer, status_code=status)
