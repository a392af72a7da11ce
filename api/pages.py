"""The browser pages the app serves itself: GraphiQL and the reference dashboard at /app, with
the libraries setup.py vendored from the npm registry at build time (nothing from a CDN)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEB = Path(__file__).resolve().parent / "web"
APP = WEB / "app"
VENDOR = WEB / "vendor"
# The dashboard talks only to its own origin (GraphQL over HTTP and the websocket).
DASHBOARD_POLICY = (
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Prefill:
    """What GraphiQL's editors start from: the demo's first query and its bearer token."""

    query: str
    token: str

    def as_json(self) -> dict[str, str]:
        headers = json.dumps({"Authorization": f"Bearer {self.token}"}, indent=2)
        return {"query": self.query, "headers": headers}


def graphiql(prefill: Prefill | None) -> HTMLResponse:
    filled = json.dumps(prefill.as_json() if prefill else {})
    # Inside <script>, "</" would end the element early; JSON reads "\u003c" as "<".
    page = (
        (WEB / "graphiql.html").read_text().replace("__PREFILL__", filled.replace("<", "\\u003c"))
    )
    return HTMLResponse(page)


class _Headers:
    """Adds fixed headers to every response of the app it wraps."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mounts() -> list[Mount]:
    """`/app` (the dashboard, index.html at its root) and `/vendor` (the libraries)."""
    dashboard = StaticFiles(directory=APP, html=True)
    headers = {"Content-Security-Policy": DASHBOARD_POLICY, "X-Content-Type-Options": "nosniff"}
    return [
        Mount("/app", _Headers(dashboard, headers), name="app"),
        Mount("/vendor", StaticFiles(directory=VENDOR, check_dir=False), name="vendor"),
    ]
