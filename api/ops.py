"""Operations endpoints and middleware: liveness, readiness, Prometheus metrics, request ids."""

from __future__ import annotations

import asyncio
import hmac
import time
import uuid
from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from tortoise import connections

from core.auth.tokens import bearer_token
from core.config import Settings
from core.logs import request_id
from core.telemetry import GRAPHQL_ERRORS, LATENCY, QUEUED, REGISTRY, REQUESTS, TASKS


class RequestContext:
    """Give every request an id (the caller's X-Request-ID, or a new one), echo it back,
    put it on every log line, and count and time the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode(errors="ignore")[:100]
        current = given or uuid.uuid4().hex
        token = request_id.set(current)
        path = scope["path"]
        method = scope.get("method", "WS")
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", current.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
            if scope["type"] == "http":
                REQUESTS.labels(method, path, str(status)).inc()
                LATENCY.labels(method, path).observe(time.perf_counter() - started)


async def healthz(_: Request) -> Response:
    """Alive: the process answers. Says nothing of its dependencies (see /readyz)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Ready when the database answers and so does the job queue (Redis, when configured)."""
    checks: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        checks["database"] = type(error).__name__
    try:
        await request.app.state.queue.backlog()
        checks["queue"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["queue"] = type(error).__name__
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )


async def metrics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    refused = _metrics_refused(settings, request.headers.get("authorization"))
    if refused is not None:
        return refused
    # Leaked subscriptions would show here as tasks that never end.
    TASKS.set(len(asyncio.all_tasks()))
    try:
        QUEUED.set(await request.app.state.queue.backlog())
    except Exception:  # noqa: BLE001 - the rest of the metrics are still worth serving
        QUEUED.set(float("nan"))
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def _metrics_refused(settings: Settings, authorization: str | None) -> Response | None:
    if settings.metrics_token is None:
        if settings.uses_postgres:
            return JSONResponse(
                {"error": "Set METRICS_TOKEN to serve metrics in production."}, status_code=403
            )
        return None
    given = bearer_token(authorization) or ""
    if not hmac.compare_digest(given.encode(), settings.metrics_token.encode()):
        return JSONResponse(
            {"error": "Send the METRICS_TOKEN as a bearer token."},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return None


class Introspection(SchemaExtension):
    """Introspection for anyone, or (`INTROSPECTION` unset with PostgreSQL) for signed-in
    callers only; `INTROSPECTION=false` turns it off for everyone."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        allowed = self.settings.introspection_for_anyone or (
            self.settings.introspection is None and getattr(context, "viewer", None) is not None
        )
        if not allowed:
            rules = self.execution_context.validation_rules
            self.execution_context.validation_rules = (*rules, NoSchemaIntrospectionCustomRule)
        yield


class CountErrors(SchemaExtension):
    """Count the operations answered with errors, for /metrics."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            GRAPHQL_ERRORS.inc()
