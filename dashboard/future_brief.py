"""A community's future climate in its brief: the brief link's scenario and the section.

The brief is a plain link (``/brief/communities/<id>.html``); under a future-climate
scenario the link carries the scenario's fields (``?scenario=``, compact JSON in URL-safe
base64), so any server worker can run it again (its result is kept by the designer).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import quote

from processing.future_profile import SPREAD_NAMES, CommunityFuture

MAX_TOKEN_CHARS = 8000  # a scenario's fields in a link (a long community list fits)
VARIABLE_LABELS = {
    "rain": "Rainfall",
    "aet": "Actual ET",
    "runoff": "Runoff",
    "recharge": "Recharge",
}


def scenario_token(scenario: Mapping[str, Any]) -> str:
    """A scenario's fields as URL-safe text (compact JSON in base64, no padding)."""
    text = json.dumps(scenario, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def scenario_from_token(token: str) -> dict[str, Any]:
    """The scenario's fields of :func:`scenario_token`'s text.

    Raises
    ------
    ValueError
        Text too long, or not a token of a scenario (the message says to run it again).
    """
    again = "run the scenario again and open the brief from its profile"
    if len(token) > MAX_TOKEN_CHARS:
        raise ValueError(f"the scenario in the link is too long: {again}")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        fields = json.loads(raw.decode())
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"the scenario in the link could not be read: {again}") from exc
    if not isinstance(fields, dict):
        raise ValueError(f"the scenario in the link could not be read: {again}")
    return fields


def brief_href(community_id: str, scenario: Mapping[str, Any]) -> str:
    """The brief's address of a community under a scenario."""
    page = f"/brief/communities/{quote(community_id, safe='')}.html"
    return f"{page}?scenario={scenario_token(scenario)}"


def _num(value: float) -> str:
    """A whole number of mm/yr with thousands separators ("-": none)."""
    return "-" if value != value else f"{float(value):,.0f}"


def future_html(future: CommunityFuture | None) -> str:
    """The brief's "Future climate" section (empty without a future)."""
    if future is None:
        return ""
    head = ["", "Baseline", "Future" + (" (median)" if future.ensemble else "")]
    if future.ensemble:
        head.append("GCM spread")
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = []
    t = future.table
    columns = ("baseline_mm_yr", "future_mm_yr", "spread_low_mm_yr", "spread_high_mm_yr")
    base, fut, low, high = (t[c].to_numpy(float) for c in columns)
    for i, variable in enumerate(t["variable"].astype(str)):
        cells = [escape(VARIABLE_LABELS[variable]), _num(base[i]), _num(fut[i])]
        if future.ensemble:
            cells.append(f"{_num(low[i])} – {_num(high[i])}")
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if future.ensemble:
        caption = (
            f"Median of {len(future.gcms)} GCMs ({escape(', '.join(future.gcms))}); spread:"
            f" {escape(SPREAD_NAMES.get(future.spread, future.spread))}."
        )
    else:
        caption = "One GCM."
    return (
        f'<section class="future"><h2>Future climate: {escape(future.label)} (mm/yr)</h2>'
        f"<table><tr>{th}</tr>{''.join(body)}</table>"
        f"<p>{caption} Scenario: {escape(future.scenario)}. Delta method on the region's"
        " climate, the community balance run for each GCM (README, [[futures]]).</p>"
        "</section>"
    )
