"""Automatic persisted queries, as Apollo's clients speak them: a client sends the SHA-256 of
a document instead of the document; when this process does not know it yet, it answers
PERSISTED_QUERY_NOT_FOUND, the client sends the document with its hash once, and from then
on the hash is enough. Documents are kept per process, the most recently used first."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from api.limits import replay, send_errors

DOCUMENTS = 1000


class PersistedQueries:
    """Runs after BodyLimit, which hands the whole body over as one message."""

    def __init__(self, app: ASGIApp, size: int = DOCUMENTS) -> None:
        self.app = app
        self.size = size
        self.documents: OrderedDict[str, str] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/graphql":
            await self.app(scope, receive, send)
            return
        message = await receive()
        data = _json(message.get("body", b""))
        persisted = _persisted(data)
        if data is None or persisted is None:
            await self.app(scope, replay([message], then=receive), send)
            return
        query = data.get("query")
        if isinstance(query, str):
            if hashlib.sha256(query.encode()).hexdigest() != persisted:
                words = "The document's SHA-256 is not the hash sent with it."
                await send_errors(send, 400, words, "PERSISTED_QUERY_HASH_MISMATCH")
                return
            self._remember(persisted, query)
            await self.app(scope, replay([message], then=receive), send)
            return
        known = self.documents.get(persisted)
        if known is None:
            await send_errors(send, 200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return
        self.documents.move_to_end(persisted)
        body = json.dumps({**data, "query": known}).encode()
        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        rewritten = {"type": "http.request", "body": body, "more_body": False}
        await self.app({**scope, "headers": headers}, replay([rewritten], then=receive), send)

    def _remember(self, digest: str, query: str) -> None:
        self.documents[digest] = query
        self.documents.move_to_end(digest)
        while len(self.documents) > self.size:
            self.documents.popitem(last=False)


def _json(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _persisted(data: dict[str, Any] | None) -> str | None:
    extensions = data.get("extensions") if data else None
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    return digest if isinstance(digest, str) else None
