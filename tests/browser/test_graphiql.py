"""GraphiQL as `pacesetter demo` serves it: every script from the app itself (a machine
without the internet sees it work), the demo's token and first query already filled in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.async_api import Browser

from tests.support.browser import DESKTOP, local_only, screenshot
from tests.support.servers import ROOT, free_port


@contextmanager
def demo(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """`pacesetter demo` on an embedded database; its URL, and the token and first query it
    printed."""
    port = free_port()
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'demo.sqlite3'}"}
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "demo", "--port", str(port)],
            env={**env, "LOG_LEVEL": "WARNING"},
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, f"the demo exited:\n{err.read_text()}"
            assert time.monotonic() < deadline, "the demo did not start within 180 s"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        lines = [line.strip() for line in out.read_text().splitlines()]
        token = lines[lines.index(next(x for x in lines if x.startswith("Admin token"))) + 1]
        query = lines[lines.index("First query:") + 1]
        yield base, token, query
    finally:
        process.terminate()
        process.wait(timeout=15)


async def test_the_demo_first_query_runs_as_printed_with_nothing_from_the_internet(
    browser: Browser, tmp_path: Path
) -> None:
    with demo(tmp_path) as (base, token, query):
        page = await browser.new_page(viewport=DESKTOP)
        elsewhere = await local_only(page, base)
        await page.goto(f"{base}/graphql")
        await page.click(".graphiql-execute-button")
        result = page.locator(".result-window")
        await result.get_by_text('"data"').wait_for(timeout=15_000)
        # The editor's own text (what is painted carries fold markers).
        shown = json.loads(
            await page.evaluate(
                "document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"
            )
        )
        await screenshot(page, "graphiql")
        # The same query and token, sent by hand.
        async with httpx.AsyncClient(base_url=base) as http:
            sent = await http.post(
                "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
            )
        answer = sent.json()
        await page.close()

    assert elsewhere == []
    assert "errors" not in answer
    assert answer["data"]["goal"]["owner"]["name"]
    assert shown == answer
