"""A real server (``landwater serve``, the code ``make run`` uses) and headless Debian Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.profile import SharedProfile

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
# the longest a browser step waits on the server or the page (expect's default is 5 s): a
# step that answers in 1 s on an idle machine takes a minute beside a CPU-heavy process, and
# the wait ends as soon as the condition holds
SERVER_WAIT_MS = 180_000
expect.set_options(timeout=SERVER_WAIT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_log(log_name: str = "server.log") -> Path:
    """Where :func:`serve_region` of this worker writes the server's stdout and stderr."""
    return OUTPUT / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{log_name}"


@contextlib.contextmanager
def serve_region(
    region: Path, log_name: str = "server.log", *, designer: bool = True
) -> Iterator[str]:
    """``landwater serve`` on ``region`` at a free port; yields its URL, stops it after.

    ``designer=False`` for a test of the map alone: the server does not build the
    designer's engine at start (``--no-warm-up``).
    """
    port = _free_port()
    warm = [] if designer else ["--no-warm-up"]
    log = server_log(log_name)
    OUTPUT.mkdir(exist_ok=True)
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "landwater", "serve", str(region), "--port", str(port), *warm],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not answer within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def search_option(page: Any, text: str, name: str) -> Any:
    """Open the unit search, enter ``text`` and return the options named ``name`` once shown.

    The text goes into the dropdown's search box in one input event (``fill``): typed key by
    key at the closed dropdown, the first keys land on its button and the rest in the search
    box it focuses on a later frame, and a key split between the two is lost under load.
    """
    page.locator("#unit-search").click()
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill(text)
    options = page.get_by_role("option", name=name)
    # a long list is searched on the server: under load its answer takes a while
    expect(options.first).to_be_visible(timeout=SERVER_WAIT_MS)
    return options


def wait_for_dash(page: Any, timeout: float = SERVER_WAIT_MS) -> None:
    """Wait until the Dash renderer has no callback pending (every answer applied)."""
    page.wait_for_function(
        "() => window.store && window.store.getState().isLoading === false", timeout=timeout
    )


@pytest.fixture(scope="session")
def server_url(processed_demo: Path) -> Iterator[str]:
    # processed first, as make run does before serving
    with serve_region(processed_demo) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedProfile]:
    """Headless Chromium on one profile of this worker (see :mod:`tests.browser.profile`)."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian chromium is not installed (make test installs it with apt when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        profile = SharedProfile(p, tmp_path_factory.mktemp("chromium"), CHROMIUM, CHROMIUM_ARGS)
        yield profile
        profile.close()


# the server builds the designer's engine (every criterion grid) on the first visit:
# seconds on an idle machine, minutes on a loaded one
DESIGNER_FIRST_LOAD_MS = 240_000


@pytest.fixture(scope="module")
def design_context(browser: Any) -> Iterator[tuple[Any, dict[str, str]]]:
    """A browser context for the designer's pages of a module, and the designer's URL once
    the planner's link has led to it (the pages hold their state in memory only, so each page
    starts afresh)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    yield ctx, {}
    ctx.close()


@pytest.fixture
def design_page(design_context: tuple[Any, dict[str, str]], server_url: str) -> Iterator[Any]:
    """The designer's page freshly loaded, at the URL the planner's link leads to (followed
    from the planner's page by a module's first test), with its ranking shown.

    ``page.errors`` collects console errors (an HTTP 500 of a tile is one) and page errors.
    """
    ctx, reached = design_context
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    if "url" in reached:
        pg.goto(reached["url"])
    else:
        pg.goto(server_url)
        # the planner's map links to the designer's page, keeping the view
        pg.wait_for_selector("#design-link", timeout=SERVER_WAIT_MS)
        with pg.expect_request(
            lambda r: r.is_navigation_request() and r.frame == pg.main_frame,
            timeout=SERVER_WAIT_MS,
        ) as navigation:
            pg.click("#design-link")
        reached["url"] = navigation.value.url
    pg.wait_for_selector("#design-ranking .ag-row", timeout=DESIGNER_FIRST_LOAD_MS)
    assert "page=design" in pg.url
    yield pg
    pg.close()
