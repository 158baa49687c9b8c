"""One Chromium profile on disk per test worker, whose pages every browser test opens.

Playwright's ``browser.new_context()`` is an incognito profile: Chromium keeps no V8 code
cache there, so every page compiles Dash's, React's, Leaflet's and AG Grid's scripts anew. In a
profile on disk a later page of the same server reuses the compiled code: measured on the demo,
2.6 -> 1.7 CPU-s per planner page and 3.9 -> 2.8 per designer page, a third of the browser's
work in a suite of some seventy page loads.

The tests keep asking for contexts as before (``browser.new_context(viewport=...)``): a
:class:`ProfileContext` opens its pages in the shared profile at its viewport and closes them
when it closes. The app keeps its state in the page and its URL (no cookie, no web storage), so
pages of one profile start as afresh as pages of separate contexts. A context with device
emulation (``is_mobile``, ``has_touch``) cannot be a window of a profile: it is a real
incognito context of a second browser, started the first time one is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# Playwright's viewport when a context names none
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}


class ProfileContext:
    """The pages a test opens in the shared profile, and the tabs they open, closed together."""

    def __init__(self, profile: Any, viewport: dict[str, int]) -> None:
        self._profile = profile
        self._viewport = viewport
        self._pages: list[Any] = []
        self._routes: list[tuple[str, Callable[[Any], None]]] = []

    def new_page(self) -> Any:
        """A new tab of the profile at this context's viewport, with its routes.

        The tabs it opens (a brief's link) are this context's too, closed with it.
        """
        page = self._profile.new_page()
        page.set_viewport_size(self._viewport)
        for url, handler in self._routes:
            page.route(url, handler)
        page.on("popup", lambda tab: self._pages.append(tab))
        self._pages.append(page)
        return page

    def route(self, url: str, handler: Callable[[Any], None]) -> None:
        """Route the requests of this context's pages (the open ones and those to come)."""
        self._routes.append((url, handler))
        for page in self._pages:
            page.route(url, handler)

    def close(self) -> None:
        """Close this context's pages; the profile and its caches stay for the next test."""
        for page in self._pages:
            if not page.is_closed():
                page.close()
        self._pages.clear()


class SharedProfile:
    """The worker's browser: ``new_context`` as on Playwright's ``Browser``."""

    def __init__(self, playwright: Any, folder: Path, executable: Path, args: list[str]) -> None:
        self._playwright = playwright
        self._executable = executable
        self._args = args
        self._profile = playwright.chromium.launch_persistent_context(
            str(folder),
            executable_path=str(executable),
            args=args,
            headless=True,
            viewport=DEFAULT_VIEWPORT,
        )
        self._emulating: Any = None  # the second browser, for device emulation

    def new_context(
        self, viewport: dict[str, int] | None = None, **emulation: Any
    ) -> ProfileContext | Any:
        """Pages of the shared profile at ``viewport``; with device ``emulation``, a context of
        its own in a second browser."""
        if emulation:
            if self._emulating is None:
                self._emulating = self._playwright.chromium.launch(
                    executable_path=str(self._executable), args=self._args, headless=True
                )
            return self._emulating.new_context(viewport=viewport, **emulation)
        return ProfileContext(self._profile, viewport or DEFAULT_VIEWPORT)

    def close(self) -> None:
        """Close the profile's browser and the emulating one."""
        self._profile.close()
        if self._emulating is not None:
            self._emulating.close()
