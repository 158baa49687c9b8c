"""Info buttons: the glossary of :mod:`processing.glossary` beside each water figure.

Each button is a native disclosure (``<details>`` with a ``<summary>``): focusable, opened by
a click, a tap, Enter or Space, with no callback and no script. The glossary reaches the page
as plain string children, which the browser renders as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html
from dash.development.base_component import Component

from dashboard.i18n import Translate, unit
from processing.glossary import find_term

INFO_LABEL = "What it means:"


def info_button(name: str, t: Translate = str) -> html.Details | None:
    """An "i" that opens what ``name`` means and what to use it for (None without an entry).

    Parameters
    ----------
    name : str
        A balance variable (``runoff``) or a summary column (``runoff_mm_yr``,
        ``stress_index``).
    t : callable
        The translator of the UI language (English for text it lacks).

    Returns
    -------
    dash.html.Details or None
        ``<details class="info">``: a summary labelled "What it means: <label>" for screen
        readers, and the label, units and plain text of the glossary entry.
    """
    entry = find_term(name)
    if entry is None:
        return None
    return disclosure(entry.key, t(entry.label), entry.units, [t(entry.means), t(entry.use)], t)


def disclosure(
    key: str, label: str, units: str, texts: Sequence[str], t: Translate = str
) -> html.Details:
    """The "i" disclosure of ``label``: its units, then ``texts`` (already translated).

    ``key`` names it for tests and scripts (``data-term``); ``units``, in English, is shown
    in ``t``'s language (:func:`dashboard.i18n.unit`) and may be empty.
    """
    hidden: dict[str, Any] = {"aria-hidden": "true"}
    named: dict[str, Any] = {"aria-label": f"{t(INFO_LABEL)} {label}"}
    term_key: dict[str, Any] = {"data-term": key}
    head = f" ({unit(units, t)}). " if units else ". "
    body: list[str | Component] = [html.Strong(label), head]
    for text in texts:
        body += [text, " "]
    return html.Details(
        [
            html.Summary(
                html.Span("i", className="info-i", **hidden),
                className="info-button",
                **named,
            ),
            html.Div(body[:-1], className="info-text", role="note"),
        ],
        className="info",
        **term_key,
    )


def with_info(text: str, name: str, t: Translate = str) -> list[str | Component]:
    """``text`` followed by the info button of ``name`` (alone when it has none)."""
    button = info_button(name, t)
    return [text] if button is None else [text, button]
