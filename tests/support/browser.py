"""Pages in a real browser: Debian's headless Chromium (installed by deploy/local/tools.sh), driven by
Playwright, which cannot download a browser of its own here.

`browser` is one Chromium for the session; `browser_page` a fresh context (empty profile: no cookie,
cache or storage from another test) that records every URL it requests and leaves a full-page
screenshot under .data/artefacts/ when the test ends, passed or failed.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from services.core.settings import REPO_ROOT

ARTEFACTS = REPO_ROOT / ".data" / "artefacts"
# Nothing the browser does on its own (updates, sync, field trials, QUIC probes) reaches the network.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class RecordedPage:
    page: Page
    requested: list[str] = field(default_factory=list)

    def off_machine(self) -> list[str]:
        """Requested URLs whose host is not this machine (data: and blob: URLs have no host)."""
        return [url for url in self.requested if urlsplit(url).hostname not in (None, *LOOPBACK)]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: run deploy/local/tools.sh (as root), which `make test` runs"
    with sync_playwright() as playwright:
        # Playwright starts it headless, on a new empty profile in a directory of its own.
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(browser, request) -> Iterator[RecordedPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorded = RecordedPage(context.new_page())
    recorded.page.on("request", lambda sent: recorded.requested.append(sent.url))
    yield recorded
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    recorded.page.screenshot(path=ARTEFACTS / f"{name}.png", full_page=True)
    context.close()
