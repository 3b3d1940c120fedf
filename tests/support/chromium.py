"""Debian's Chromium, headless, as the browser tests and the badge bench launch it."""

from __future__ import annotations

import os

from playwright.async_api import Browser, Playwright

CHROMIUM = os.environ.get("WORKSPACE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def launch_chromium(playwright: Playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
