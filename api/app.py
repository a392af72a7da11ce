"""The ASGI application: GraphQL over HTTP and websockets, operations endpoints, and the ORM,
event bus and job queue opened for its lifetime."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UnsetType

from api import exports, issuers, pages, webhooks
from api.auth.throttle import LoginThrottle
from api.context import Context
from api.limits import BodyLimit
from api.ops import RequestContext, healthz, metrics, readyz
from api.persisted import PersistedQueries
from api.schema import create_schema
from core import clock
from core.auth.service import api_key_viewer, token_viewer
from core.auth.tokens import API_KEY_PREFIX, InvalidToken, Viewer, bearer_token, read_token
from core.config import Settings
from core.db import close_database, open_database
from core.events import EventBus, create_bus
from core.outages import OUTAGES, UNAVAILABLE
from workers.jobs import JOBS, SCHEDULE, SWEEP_EVERY_SECONDS
from workers.queue import ArqQueue, InProcessQueue, JobQueue, run_on_schedule
from workers.relay import sweep_forever

logger = logging.getLogger(__name__)


class PacesetterGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings, prefill: pages.Prefill | None = None) -> None:
        super().__init__(
            create_schema(settings), graphql_ide="graphiql" if settings.graphiql_enabled else None
        )
        self.settings = settings
        self.prefill = prefill

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page: its scripts from the app itself, its editors pre-filled."""
        return pages.graphiql(self.prefill)

    def parse_json(self, data: str | bytes) -> object:
        """A request is a JSON object; its `query` within MAX_QUERY_CHARS characters."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(400, 'The body must be a JSON object: {"query": "…"}.')
        query = parsed.get("query")
        if isinstance(query, str) and len(query) > self.settings.max_query_chars:
            raise HTTPException(400, f"query: at most {self.settings.max_query_chars} characters.")
        return parsed

    async def _viewer(self, credential: str | None) -> Viewer | None:
        """Who a bearer credential speaks for: an access token or an API key."""
        token = bearer_token(credential)
        if token is None:
            return None
        if token.startswith(API_KEY_PREFIX):
            return await api_key_viewer(token, clock.now())
        try:
            claims = read_token(token, self.settings.jwt_secret)
        except InvalidToken:
            return None
        return await token_viewer(claims, clock.now())

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        state = request.app.state
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            bus=state.bus,
            queue=state.queue,
            throttle=state.throttle,
            viewer=await self._viewer(request.headers.get("authorization")),
        )

    async def download(self, request: Request) -> Response:
        """A CSV or XLSX download (api/exports.py), as the bearer may read it."""
        return await exports.download(request, await self.get_context(request, None), self.schema)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticate a websocket from its connection_init payload
        (`{"authorization": "Bearer <token>"}`); a bad token closes it with 4403."""
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        if header is not None:
            viewer = await self._viewer(str(header))
            if viewer is None:
                raise ConnectionRejectionError()
            context.viewer = viewer
        return None


def create_app(settings: Settings, prefill: pages.Prefill | None = None) -> Starlette:
    """The app; `prefill` starts GraphiQL's editors from a query and a token (the demo's)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await open_database(settings.database_url)
        bus: EventBus = create_bus(settings.redis_url, settings.events_prefix)
        queue: JobQueue
        schedules: list[asyncio.Task[None]] = []
        if settings.redis_url:
            queue = await ArqQueue.connect(settings.redis_url, settings.queue_name)
        else:
            queue = InProcessQueue(JOBS, {"bus": bus})
            schedules = [
                asyncio.create_task(
                    run_on_schedule(queue, name, hour, minute), name=f"schedule:{name}"
                )
                for name, hour, minute in SCHEDULE
            ]
            schedules.append(
                asyncio.create_task(
                    sweep_forever(queue, timedelta(seconds=SWEEP_EVERY_SECONDS)),
                    name="schedule:sweep_outbox",
                )
            )
        app.state.bus, app.state.queue, app.state.settings = bus, queue, settings
        app.state.throttle = LoginThrottle.create(settings.redis_url, settings.events_prefix)
        try:
            yield
        finally:
            for task in schedules:
                task.cancel()
            await app.state.throttle.close()
            await queue.close()
            await bus.close()
            await close_database()

    graphql = PacesetterGraphQL(settings, prefill)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/webhooks/{kind}", webhooks.handle, methods=["POST"]),
            Route("/exports/{file}", graphql.download, methods=["GET"]),
            *issuers.ROUTES,
            *pages.mounts(),
        ],
        middleware=[
            Middleware(RequestContext),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
            Middleware(PersistedQueries),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-request-id"],
                expose_headers=["x-request-id"],
            ),
        ],
        lifespan=lifespan,
        exception_handlers=dict.fromkeys(OUTAGES, unavailable),
    )


async def unavailable(request: Request, error: Exception) -> JSONResponse:
    """A backing service down before a request reached GraphQL (reading who is asking):
    a clear, retryable answer, shaped as GraphQL errors are."""
    logger.warning("%s: a backing service is down: %r", request.url.path, error)
    body = {"errors": [{"message": UNAVAILABLE, "extensions": {"code": "UNAVAILABLE"}}]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})
