"""Keyboard and screen-reader use of the designer's page (issue 19, keyboard item).

The main controls are reached from page load in fewer than 30 Tab presses (the skip links
take the keyboard past the side panel), map polygons are no tab stops, and every control
has an accessible name, read from Chromium's accessibility tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESIGNER_FIRST_LOAD_MS, wait_for_dash

pytestmark = pytest.mark.browser
MAX_TABS = 30
NAMED_ROLES = {
    "button",
    "checkbox",
    "radio",
    "slider",
    "textbox",
    "spinbutton",
    "combobox",
    "searchbox",
    "link",
    "switch",
}


@pytest.fixture(scope="module")
def keyboard_page(browser: Any, server_url: str) -> Iterator[Any]:
    """The designer's page opened directly, nothing focused yet."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    pg = ctx.new_page()
    pg.goto(f"{server_url}/?page=design")
    pg.wait_for_selector("#design-ranking .ag-row", timeout=DESIGNER_FIRST_LOAD_MS)
    pg.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 80")
    wait_for_dash(pg)
    yield pg
    ctx.close()


def _tabs_to(page: Any, test_js: str, limit: int = MAX_TABS) -> int:
    """Tab presses until ``test_js`` (of ``el``, the focused element) holds; limit + 1 if never."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({test_js}))(document.activeElement)"):
            return presses
    return limit + 1


def _first_tabs(page: Any, tests: dict[str, str], limit: int = MAX_TABS) -> dict[str, int]:
    """Tab presses from page load until each of ``tests`` (JS of ``el``, the focused element)
    first holds, read along one walk of the Tab order; limit + 1 for a test that never holds.

    Tab only moves the focus, so the press that first reaches a control is the same in one
    walk as in a walk from a fresh load per control.
    """
    checks = "{" + ", ".join(f"{name!r}: Boolean({js})" for name, js in tests.items()) + "}"
    first: dict[str, int] = {}
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        held = page.evaluate(f"(el => ({checks}))(document.activeElement)")
        for name, holds in held.items():
            if holds:
                first.setdefault(name, presses)
        if len(first) == len(tests):
            break
    return {name: first.get(name, limit + 1) for name in tests}


def _inside(element_id: str) -> str:
    return f"el.closest('#{element_id}') !== null"


def _skip_link(text: str) -> str:
    return f"el.matches('a.skip-link') && el.textContent === {text!r}"


def _tabs_after_skip(page: Any, link: str, target_js: str) -> int:
    """Enter on the skip link ``link`` (focused as the Tab walk reaches it), then Tab presses
    to ``target_js``; 0 if the link lands the focus on it."""
    page.locator("a.skip-link", has_text=link).focus()
    assert page.evaluate(f"(el => Boolean({_skip_link(link)}))(document.activeElement)")
    page.keyboard.press("Enter")
    if page.evaluate(f"(el => Boolean({target_js}))(document.activeElement)"):
        return 0
    return _tabs_to(page, target_js)


def test_main_controls_within_30_tab_presses(keyboard_page: Any) -> None:
    page = keyboard_page
    # the Tab count starts from page load: nothing focused yet
    assert page.evaluate("document.activeElement === document.body")
    direct = {
        "month": _inside("month-select"),
        "indicator": "el.id === 'indicator-select'",
        "search": "el.id === 'unit-search'",
        "weights": "el.closest('.weight-row') !== null && el.getAttribute('role') === 'slider'",
    }
    skips = {
        "layers": ("Skip to the map layers", "el.matches('.leaflet-control-layers-selector')"),
        "suggest": ("Skip to suggest sites", "el.id === 'recommend-button'"),
        "scenario run": ("Skip to the scenario", "el.id === 'scenario-run'"),
    }
    presses = _first_tabs(
        page, {**direct, **{name: _skip_link(link) for name, (link, _) in skips.items()}}
    )
    for name, (link, target) in skips.items():
        presses[name] += _tabs_after_skip(page, link, target)
    assert all(n < MAX_TABS for n in presses.values()), str(presses)
    # no map polygon is a tab stop
    tabbable_paths = page.evaluate(
        "document.querySelectorAll(\"path.leaflet-interactive:not([tabindex='-1'])\").length"
    )
    assert tabbable_paths == 0


def test_every_control_has_an_accessible_name(keyboard_page: Any) -> None:
    page = keyboard_page
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    controls = [
        n for n in nodes if not n.get("ignored") and n.get("role", {}).get("value") in NAMED_ROLES
    ]
    assert len(controls) > 40  # the tree holds the page's controls
    unnamed = []
    for n in controls:
        if not str(n.get("name", {}).get("value", "")).strip():
            node = cdp.send("DOM.describeNode", {"backendNodeId": n["backendDOMNodeId"]})["node"]
            unnamed.append((n["role"]["value"], node.get("nodeName"), node.get("attributes")))
    assert unnamed == []
    # the sliders are named by their labels
    for label in ("Rainfall month", "Raster opacity"):
        assert page.get_by_label(label, exact=True).count() >= 1, label
    cdp.detach()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_skip_link_unfolds_the_folded_layer_list(
    browser: Any, server_url: str, width: int, height: int
) -> None:
    """Folded (by its button on a desktop, on load on a phone), the layer list unfolds when
    the skip link is followed: the keyboard lands on a visible layer and works it."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.goto(server_url)
    page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 80")
    wait_for_dash(page)
    toggle = page.locator(".leaflet-control-layers-toggle")
    if width > 700:
        toggle.focus()
        page.keyboard.press("Enter")  # folded by the keyboard
    expect(toggle).to_have_attribute("aria-expanded", "false")
    first_layer = page.locator(".leaflet-control-layers-selector").first
    expect(first_layer).to_be_hidden()
    link = page.locator("a.skip-link", has_text="Skip to the map layers")
    link.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(first_layer).to_be_visible()
    expect(first_layer).to_be_focused()
    # on to an overlay's checkbox, which Space switches
    land_use = page.locator(".leaflet-control-layers").get_by_label("Land use", exact=True)
    was = land_use.is_checked()
    first_overlay = "el === document.querySelector('.leaflet-control-layers-overlays input')"
    assert _tabs_to(page, first_overlay) <= MAX_TABS
    expect(land_use).to_be_focused()  # the first overlay
    page.keyboard.press("Space")
    expect(land_use).to_be_checked(checked=not was)
    ctx.close()
