"""Headless Chromium for browser tests: Debian's `chromium` driven by Playwright (no browser
is downloaded), and where the screenshots they take are kept."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, Route, async_playwright

from tests.support.servers import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# A closed network: without these Chromium keeps calling home, and is refused each time.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("PACESETTER_ARTIFACTS", ROOT / "build" / "screenshots"))
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Chromium in a fresh profile (Playwright gives each launch its own user data dir)."""
    found = shutil.which(CHROMIUM)
    assert found, f"browser tests need Chromium at {CHROMIUM} (Debian: apt install chromium)"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=found, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


async def screenshot(page: Page, name: str) -> Path:
    """A PNG of the whole page, kept as an artifact of the run."""
    path = ARTIFACTS / f"{name}.png"
    # Playwright makes the folders it writes to.
    await page.screenshot(path=path, full_page=True)
    return path


async def local_only(page: Page, base_url: str) -> list[str]:
    """Let the page reach `base_url` only; what it asked of anywhere else (refused) is listed."""
    elsewhere: list[str] = []

    async def route(route: Route) -> None:
        if route.request.url.startswith(base_url):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await page.route("**/*", route)
    return elsewhere
